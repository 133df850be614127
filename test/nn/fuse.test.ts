import { describe, expect, it } from 'vitest';
import { detectAnomaly } from '../../src/autograd/anomaly.js';
import type { Node } from '../../src/autograd/node.js';
import { ReLU, Sigmoid, Tanh } from '../../src/nn/activation.js';
import { Linear } from '../../src/nn/linear.js';
import { mlp } from '../../src/nn/mlp.js';
import type { Module } from '../../src/nn/module.js';
import { Sequential } from '../../src/nn/sequential.js';
import { linearActivation } from '../../src/ops/matmul.js';
import { manualSeed, randn } from '../../src/index.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { trace } from '../../src/viz/trace.js';

// Sequential runs a Linear layer and the activation after it as one primitive
// (linearActivation): the values and gradients must be those of the two layers run one by one,
// to the bit, and pictures must still show the two operations.

const opOf = (t: Tensor): string | undefined => (t.gradFn as Node | null)?.op;

/** The layers of `net` called one by one: never fused. */
function unfused(net: Sequential, x: Tensor): Tensor {
  let y = x;
  for (const layer of net.layers) y = layer.call(y);
  return y;
}

/** The output and every parameter's gradient after backward of Σ output². */
function run(net: Sequential, forward: (x: Tensor) => Tensor, x: Tensor) {
  net.zeroGrad();
  const out = forward(x);
  out.mul(out).sum().backward();
  return {
    out: Array.from(out.data),
    grads: net.parameters().map((p) => Array.from(p.grad!.data)),
  };
}

describe('Sequential fuses a Linear layer with its activation', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const activation of ['relu', 'tanh', 'sigmoid'] as const) {
      it(`${activation}, ${dtype}: the same bits as the layers one by one, forward and backward`, () => {
        manualSeed(3);
        const net = mlp([7, 33, 17, 4], { activation, dtype });
        const x = randn([9, 7], { dtype });
        const fused = net.call(x);
        expect(opOf(fused)).toBe('linear');
        expect(opOf((fused.gradFn as Node).inputs[0])).toBe('linearActivation');
        expect(run(net, (v) => net.call(v), x)).toEqual(run(net, (v) => unfused(net, v), x));
      });
    }
  }

  it('leaves layers with forward hooks, subclasses and anomaly detection unfused', () => {
    manualSeed(0);
    const x = randn([3, 4]);
    const hooked = new Sequential(new Linear(4, 5), new ReLU());
    const seen: Module[] = [];
    hooked.at(1).registerForwardHook((m) => seen.push(m));
    expect(opOf(hooked.call(x))).toBe('relu');
    expect(seen).toEqual([hooked.at(1)]);
    class MyReLU extends ReLU {}
    expect(opOf(new Sequential(new Linear(4, 5), new MyReLU()).call(x))).toBe('relu');
    const plain = new Sequential(new Linear(4, 5), new Tanh());
    expect(opOf(plain.call(x))).toBe('linearActivation');
    expect(detectAnomaly(() => opOf(plain.call(x)))).toBe('tanh');
    expect(opOf(new Sequential(new Linear(4, 5, { bias: false }), new Sigmoid()).call(x))).toBe(
      'sigmoid',
    );
  });

  it('refuses an activation it cannot fuse, naming it', () => {
    const [x, w, b] = [randn([2, 3]), randn([4, 3]), randn([4])];
    expect(() => linearActivation(x, w, b, 'gelu' as 'relu')).toThrow(
      /linearActivation: activation must be 'relu', 'tanh' or 'sigmoid', got "gelu"/,
    );
  });

  it('is traced as linear then the activation, with the values and gradients of the unfused graph', () => {
    manualSeed(1);
    const net = mlp([3, 5, 2], { activation: 'tanh', dtype: 'float64' });
    const x = randn([4, 3], { dtype: 'float64' });
    const strip = (t: ReturnType<typeof trace>) =>
      t.nodes.map((n) => ({ op: n.op, inputs: n.inputs, value: n.value, grad: n.grad }));
    const fused = trace(net.call(x).sum(), { gradients: true });
    const plain = trace(unfused(net, x).sum(), { gradients: true });
    expect(fused.nodes.map((n) => n.op).filter((op) => op !== undefined)).toEqual([
      'linear',
      'tanh',
      'linear',
      'sum',
    ]);
    expect(strip(fused)).toEqual(strip(plain));
    expect(fused.edges).toEqual(plain.edges);
  });
});
