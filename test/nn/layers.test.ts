import { describe, expect, it } from 'vitest';
import {
  Dropout,
  Flatten,
  GELU,
  Generator,
  init,
  LeakyReLU,
  Linear,
  manualSeed,
  mlp,
  Module,
  moduleFromConfig,
  ones,
  Parameter,
  randn,
  ReLU,
  Sequential,
  Softmax,
  Step,
  Tanh,
  tensor,
  zeros,
  gradcheck,
  type Tensor,
} from '../../src/index.js';

describe('Linear', () => {
  it('computes x·Wᵀ + b with W of shape [out, in]', () => {
    const layer = new Linear(3, 2);
    layer.weight.data.set([1, 2, 3, 4, 5, 6]);
    layer.bias!.data.set([0.5, -1]);
    const y = layer.call(
      tensor([
        [1, 0, -1],
        [2, 1, 0],
      ]),
    );
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.data)).toEqual([1 - 3 + 0.5, 4 - 6 - 1, 2 + 2 + 0.5, 8 + 5 - 1]);
    expect(layer.call(tensor([1, 0, -1])).shape).toEqual([2]);
    expect(layer.call(zeros([4, 5, 3])).shape).toEqual([4, 5, 2]);
  });

  it('refuses an input with the wrong feature count, naming both', () => {
    expect(() => new Linear(784, 128).call(zeros([2, 100]))).toThrow(
      /Linear\(784→128\) got 100 features \(input shape \[2,100\]\); expected 784/,
    );
    expect(() => new Linear(0, 3)).toThrow(/inFeatures must be a positive integer, got 0/);
  });

  it('initializes as PyTorch by default: U(−1/√in, 1/√in) for weight and bias', () => {
    manualSeed(0);
    const layer = new Linear(400, 50);
    const bound = 1 / Math.sqrt(400);
    const w = Array.from(layer.weight.data);
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    expect(Math.max(...w)).toBeGreaterThan(bound * 0.95);
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).toBeCloseTo((bound * bound) / 3, 4);
  });

  it('offers Xavier, Kaiming, zeros and small uniform initialization', () => {
    const std = (t: Tensor): number =>
      Math.sqrt(Array.from(t.data).reduce((s, v) => s + v * v, 0) / t.size);
    expect(std(new Linear(300, 200, { init: 'xavierNormal' }).weight)).toBeCloseTo(
      Math.sqrt(2 / 500),
      2,
    );
    expect(std(new Linear(300, 200, { init: 'kaimingNormal' }).weight)).toBeCloseTo(
      Math.sqrt(2 / 300),
      2,
    );
    expect(std(new Linear(300, 200, { init: 'xavierUniform' }).weight)).toBeCloseTo(
      Math.sqrt(6 / 500) / Math.sqrt(3),
      2,
    );
    expect(std(new Linear(300, 200, { init: 'kaimingUniform' }).weight)).toBeCloseTo(
      Math.sqrt(2 / 300),
      2,
    );
    const small = new Linear(10, 10, { init: { uniform: 0.01 } });
    expect(Math.max(...Array.from(small.weight.data).map(Math.abs))).toBeLessThanOrEqual(0.01);
    expect(Array.from(small.bias!.data)).toEqual(new Array(10).fill(0));
    expect(Array.from(new Linear(3, 3, { init: 'zeros' }).weight.data)).toEqual(
      new Array(9).fill(0),
    );
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2);
  });

  it('the same seed gives the same weights', () => {
    const a = new Linear(5, 4, { generator: new Generator(3) });
    const b = new Linear(5, 4, { generator: new Generator(3) });
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
  });

  it('passes gradcheck through its parameters', () => {
    const layer = new Linear(3, 2, { dtype: 'float64' });
    const report = gradcheck(
      (x, w, b) => x.matmul(w.t()).add(b).tanh().sum(),
      [randn([4, 3]), layer.weight.detach(), layer.bias!.detach()],
    );
    expect(report.passed).toBe(true);
    const x = randn([4, 3], { dtype: 'float64' });
    layer.call(x).square().sum().backward();
    expect(layer.weight.grad!.shape).toEqual([2, 3]);
    expect(layer.bias!.grad!.shape).toEqual([2]);
  });
});

describe('Module', () => {
  class Net extends Module {
    fc1 = new Linear(2, 3);
    act = new Tanh();
    fc2 = new Linear(3, 1, { bias: false });
    scale = new Parameter(ones([1]));
    forward(x: Tensor): Tensor {
      return this.fc2.call(this.act.call(this.fc1.call(x))).mul(this.scale);
    }
  }

  it('finds parameters and children among its fields, with dotted names', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'fc1.weight',
      'fc1.bias',
      'fc2.weight',
      'scale',
    ]);
    expect(net.numParameters()).toBe(6 + 3 + 3 + 1);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['fc1', 'act', 'fc2']);
    const seq = mlp([4, 8, 2]);
    expect(seq.namedParameters().map(([n]) => n)).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
    ]);
  });

  it('train() and eval() reach every sub-module; zeroGrad clears every gradient', () => {
    const net = mlp([2, 4, 1], { dropout: 0.5 });
    net.eval();
    expect(net.namedModules().every(([, m]) => !m.training)).toBe(true);
    net.train();
    expect(net.at(2).training).toBe(true);
    net
      .call(randn([3, 2]))
      .sum()
      .backward();
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('stateDict and loadStateDict round-trip, checking names and shapes', () => {
    const a = mlp([3, 5, 2]);
    const b = mlp([3, 5, 2]);
    const x = randn([4, 3]);
    expect(Array.from(a.call(x).data)).not.toEqual(Array.from(b.call(x).data));
    b.loadStateDict(a.stateDict());
    expect(Array.from(a.call(x).data)).toEqual(Array.from(b.call(x).data));
    expect(() => mlp([3, 6, 2]).loadStateDict(a.stateDict())).toThrow(
      /loadStateDict: 0.weight has shape \[5,3\] in the state but \[6,3\] in the model/,
    );
    expect(() => mlp([3, 5, 5, 2]).loadStateDict(a.stateDict())).toThrow(
      /missing 4.weight, 4.bias/,
    );
    const extra = { ...a.stateDict(), '9.weight': ones([1]) };
    expect(() => b.loadStateDict(extra)).toThrow(/unexpected 9.weight/);
    b.loadStateDict(extra, { strict: false });
  });

  it('prints a summary with output shapes and parameter counts', () => {
    const text = mlp([784, 128, 10]).summary([1, 784]);
    expect(text).toContain('Linear(784→128)');
    expect(text).toMatch(/0\s+Linear\(784→128\)\s+\[1,128\]\s+100,480/);
    expect(text).toMatch(/2\s+Linear\(128→10\)\s+\[1,10\]\s+1,290/);
    expect(text).toContain('total parameters: 101,770');
  });

  it('rebuilds from its configuration', () => {
    const net = mlp([3, 4, 4, 2], {
      activation: 'tanh',
      dropout: 0.1,
      outputActivation: 'softmax',
    });
    const copy = moduleFromConfig(JSON.parse(JSON.stringify(net.toConfig())));
    copy.loadStateDict(net.stateDict());
    net.eval();
    copy.eval();
    const x = randn([2, 3]);
    expect(Array.from(copy.call(x).data)).toEqual(Array.from(net.call(x).data));
    expect(() => moduleFromConfig({ type: 'Conv9d' })).toThrow(/unknown module type "Conv9d"/);
  });

  it('keeps a float64 model float64 through its configuration', () => {
    const net = mlp([2, 3, 1], { dtype: 'float64' });
    const config = JSON.parse(JSON.stringify(net.toConfig()));
    expect(config.layers[0]).toMatchObject({ type: 'Linear', dtype: 'float64' });
    const copy = moduleFromConfig(config);
    expect(copy.parameters().map((p) => p.dtype)).toEqual(new Array(4).fill('float64'));
    // A float32 model's configuration is as it always was (no dtype field).
    expect(mlp([2, 3, 1]).toConfig().layers).toEqual([
      { type: 'Linear', inFeatures: 2, outFeatures: 3, bias: true, init: 'default' },
      { type: 'ReLU' },
      { type: 'Linear', inFeatures: 3, outFeatures: 1, bias: true, init: 'default' },
    ]);
  });
});

describe('activations, Flatten, Dropout', () => {
  it('compute their functions', () => {
    const x = tensor([-2, 0, 3]);
    expect(Array.from(new ReLU().call(x).data)).toEqual([0, 0, 3]);
    expect(Array.from(new Step().call(x).data)).toEqual([0, 0, 1]);
    expect(
      Array.from(new LeakyReLU(0.1).call(x).data).map((v) => Math.round(v * 100) / 100),
    ).toEqual([-0.2, 0, 3]);
    expect(new GELU().call(tensor([1])).item()).toBeCloseTo(0.8413447, 6);
    expect(new GELU('tanh').call(tensor([1])).item()).toBeCloseTo(0.841192, 6);
    expect(new Softmax().call(tensor([[1, 1]])).toArray()).toEqual([[0.5, 0.5]]);
    expect(new Flatten().call(zeros([2, 3, 4])).shape).toEqual([2, 12]);
  });

  it('Dropout zeroes about p of the elements in training, scales the rest, and is the identity in eval', () => {
    manualSeed(1);
    const d = new Dropout(0.25);
    const y = d.call(ones([10000]));
    const kept = Array.from(y.data).filter((v) => v !== 0);
    expect(kept.length / 10000).toBeCloseTo(0.75, 1);
    expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    d.eval();
    const x = randn([5]);
    expect(d.call(x)).toBe(x);
    expect(() => new Dropout(1.5)).toThrow(/p must be a probability in \[0, 1\], got 1.5/);
  });

  it('a Sequential network backpropagates into every layer', () => {
    const net = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1));
    net
      .call(randn([8, 2]))
      .square()
      .mean()
      .backward();
    for (const [name, p] of net.namedParameters()) expect(p.grad, name).not.toBeNull();
  });
});
