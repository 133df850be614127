import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index.js';
import {
  Adagrad,
  Adam,
  AdamW,
  RMSprop,
  Optimizer as OptimizerBase,
  SGD,
  type Optimizer,
  type OptimizerStateDict,
} from '../../src/optim/index.js';
import { GRADS, param } from './steps.js';

describe('param groups', () => {
  it('each group uses its own lr, others fall back to the defaults', () => {
    const a = param([1, 2]);
    const b = param([3]);
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([
      [0.1, 0.9],
      [0.5, 0.9],
    ]);
    a.grad = tensor([1, -1], { dtype: 'float64' });
    b.grad = tensor([2], { dtype: 'float64' });
    opt.step();
    expect(Array.from(a.data)).toEqual([0.9, 2.1]);
    expect(Array.from(b.data)).toEqual([2]);
  });

  it('a changed group.lr is used by the next step', () => {
    const p = param([1]);
    const opt = new SGD([p], { lr: 0.1 });
    opt.paramGroups[0].lr = 0.25;
    p.grad = tensor([2], { dtype: 'float64' });
    opt.step();
    expect(p.item()).toBe(0.5);
  });

  it('addParamGroup adds parameters with the defaults', () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new Adam([a], { lr: 0.01 });
    opt.addParamGroup({ params: [b], betas: [0.5, 0.6] });
    expect(opt.paramGroups[1].lr).toBe(0.01);
    expect(opt.paramGroups[1].betas).toEqual([0.5, 0.6]);
    expect(opt.paramGroups[0].betas).toEqual([0.9, 0.999]);
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(
      'Adam: param group 2: parameter 0 is already in param group 0; a tensor may belong to only one group',
    );
  });

  it('accepts any iterable of tensors, and a group given a single tensor', () => {
    const a = param([1]);
    const b = param([2]);
    function* gen(): Generator<Tensor> {
      yield a;
      yield b;
    }
    expect(new SGD(gen()).paramGroups[0].params).toEqual([a, b]);
    expect(new SGD([{ params: a }]).paramGroups[0].params).toEqual([a]);
  });
});

describe('step and zeroGrad', () => {
  it('skips parameters whose grad is null, and makes no state for them', () => {
    const a = param([1, 2]);
    const b = param([3]);
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = tensor([1, 1], { dtype: 'float64' });
    opt.step();
    expect(Array.from(b.data)).toEqual([3]);
    expect(opt.state.has(b)).toBe(false);
    expect(opt.state.get(a)?.step).toBe(1);
  });

  it('zeroGrad sets grads to null by default, or fills them with zeros', () => {
    const a = param([1, 2]);
    const opt = new SGD([a]);
    a.grad = tensor([1, 1], { dtype: 'float64' });
    const g = a.grad;
    opt.zeroGrad(false);
    expect(a.grad).toBe(g);
    expect(Array.from(g.data)).toEqual([0, 0]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it('with a closure, evaluates it (gradients on) and returns the loss', () => {
    const w = param([3]);
    const opt = new SGD([w], { lr: 0.1 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = w.square().sum();
      l.backward();
      return l.item();
    });
    expect(loss).toBe(9);
    expect(w.item()).toBeCloseTo(3 - 0.1 * 6, 12);
  });

  it('refuses a gradient whose shape differs from the parameter', () => {
    const a = param([1, 2]);
    const opt = new SGD([a]);
    a.grad = tensor([1, 2, 3], { dtype: 'float64' });
    expect(() => opt.step()).toThrow(
      'SGD.step: the gradient of parameter 0 of param group 0 has shape [3] but the parameter has shape [2]',
    );
  });

  it('prints its groups as PyTorch does', () => {
    const opt = new SGD([param([1])], { lr: 0.1 });
    expect(opt.toString()).toBe(
      [
        'SGD (',
        'Parameter Group 0',
        '    dampening: 0',
        '    lr: 0.1',
        '    maximize: false',
        '    momentum: 0',
        '    nesterov: false',
        '    weightDecay: 0',
        ')',
      ].join('\n'),
    );
  });
});

describe('stateDict and loadStateDict', () => {
  const makers: [string, (p: Tensor[]) => Optimizer][] = [
    ['SGD nesterov', (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true })],
    ['Adagrad', (p) => new Adagrad(p, { lr: 0.1, lrDecay: 0.1 })],
    ['RMSprop', (p) => new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.5 })],
    ['Adam', (p) => new Adam(p, { lr: 0.1, amsgrad: true })],
    ['AdamW', (p) => new AdamW(p, { lr: 0.1 })],
  ];
  const grads = [...GRADS, [0.2, 0.1, -0.7]];

  it.each(makers)('%s: 2 steps, save, load into a new optimizer, 2 more = 4 steps', (_n, make) => {
    for (const dtype of ['float32', 'float64'] as const) {
      const w0 = [0.5, -1.5, 2];
      const stepWith = (opt: Optimizer, p: Tensor, g: number[]): void => {
        p.grad = tensor(g, { dtype });
        opt.step();
      };
      const straight = tensor(w0, { dtype, requiresGrad: true });
      const opt = make([straight]);
      for (const g of grads) stepWith(opt, straight, g);

      const first = tensor(w0, { dtype, requiresGrad: true });
      const before = make([first]);
      stepWith(before, first, grads[0]);
      stepWith(before, first, grads[1]);
      const saved = before.stateDict();
      const resumed = tensor(Array.from(first.data), { dtype, requiresGrad: true });
      const after = make([resumed]);
      after.loadStateDict(saved);
      stepWith(after, resumed, grads[2]);
      stepWith(after, resumed, grads[3]);
      expect(Array.from(resumed.data)).toEqual(Array.from(straight.data));
    }
  });

  it('numbers parameters across groups and copies the tensors', () => {
    const a = param([1]);
    const b = param([2]);
    const c = param([3]);
    const opt = new SGD([{ params: [a] }, { params: [b, c], lr: 0.5 }], { momentum: 0.9 });
    b.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    const saved = opt.stateDict();
    expect(saved.paramGroups.map((g) => g.params)).toEqual([[0], [1, 2]]);
    expect(saved.paramGroups[1].lr).toBe(0.5);
    expect(Object.keys(saved.state)).toEqual(['1']);
    const buffer = saved.state[1].momentumBuffer as Tensor;
    expect(Array.from(buffer.data)).toEqual([1]);
    opt.step();
    expect(Array.from(buffer.data)).toEqual([1]); // later steps leave the snapshot alone
    expect(Array.from((opt.state.get(b)?.momentumBuffer as Tensor).data)).toEqual([1.9]);
  });

  it('restores the hyperparameters, and converts buffers to the parameter dtype', () => {
    const a = param([1, 2]);
    const opt = new Adam([a], { lr: 0.1 });
    a.grad = tensor([1, 1], { dtype: 'float64' });
    opt.step();
    const saved = opt.stateDict();
    const b = tensor([1, 2], { requiresGrad: true });
    const other = new Adam([b], { lr: 0.5 });
    other.loadStateDict(saved);
    expect(other.paramGroups[0].lr).toBe(0.1);
    expect(other.paramGroups[0].params[0]).toBe(b);
    expect((other.state.get(b)?.expAvg as Tensor).dtype).toBe('float32');
    expect(other.state.get(b)?.step).toBe(1);
  });

  it('refuses a state that does not fit, changing nothing', () => {
    const a = param([1, 2]);
    const opt = new SGD([a], { lr: 0.1, momentum: 0.9 });
    a.grad = tensor([1, 1], { dtype: 'float64' });
    opt.step();
    const saved = opt.stateDict();

    const twoGroups = new SGD([{ params: [param([1, 2])] }, { params: [param([1])] }]);
    expect(() => twoGroups.loadStateDict(saved)).toThrow(
      'SGD.loadStateDict: the saved state has 1 param groups but this optimizer has 2',
    );
    const twoParams = new SGD([param([1, 2]), param([3])]);
    expect(() => twoParams.loadStateDict(saved)).toThrow(
      "SGD.loadStateDict: saved param group 0 has 1 parameters but this optimizer's group 0 has 2",
    );
    const b = param([1, 2, 3]);
    const wrongShape = new SGD([b], { lr: 0.3 });
    expect(() => wrongShape.loadStateDict(saved)).toThrow(
      'SGD.loadStateDict: the saved momentumBuffer of parameter 0 has shape [2] but the parameter has shape [3]',
    );
    expect(wrongShape.paramGroups[0].lr).toBe(0.3);
    expect(wrongShape.state.size).toBe(0);

    const bad = { ...saved, paramGroups: [{ ...saved.paramGroups[0], lr: -1 }] };
    expect(() => new SGD([param([1, 2])]).loadStateDict(bad as OptimizerStateDict)).toThrow(
      'SGD.loadStateDict: lr must be a positive number, got -1 (param group 0)',
    );
  });
});

describe('hyperparameter checks', () => {
  const p = (): Tensor[] => [param([1])];
  it.each([
    [() => new SGD(p(), { lr: -0.1 }), 'SGD: lr must be a positive number, got -0.1'],
    [() => new SGD(p(), { lr: 0 }), 'SGD: lr must be a positive number, got 0'],
    [() => new SGD(p(), { lr: NaN }), 'SGD: lr must be a positive number, got NaN'],
    [() => new SGD(p(), { momentum: -0.5 }), 'SGD: momentum must be a number >= 0, got -0.5'],
    [() => new SGD(p(), { weightDecay: -1 }), 'SGD: weightDecay must be a number >= 0, got -1'],
    [
      () => new SGD(p(), { nesterov: true }),
      'SGD: nesterov requires momentum > 0 and dampening = 0, got momentum 0 and dampening 0',
    ],
    [
      () => new SGD(p(), { nesterov: true, momentum: 0.9, dampening: 0.1 }),
      'SGD: nesterov requires momentum > 0 and dampening = 0, got momentum 0.9 and dampening 0.1',
    ],
    [
      () => new SGD(p(), { maximize: 1 as unknown as boolean }),
      'SGD: maximize must be true or false, got 1',
    ],
    [() => new Adagrad(p(), { eps: -1e-10 }), 'Adagrad: eps must be a number >= 0, got -1e-10'],
    [() => new Adagrad(p(), { lrDecay: -1 }), 'Adagrad: lrDecay must be a number >= 0, got -1'],
    [() => new RMSprop(p(), { alpha: -0.9 }), 'RMSprop: alpha must be a number >= 0, got -0.9'],
    [
      () => new Adam(p(), { betas: [1, 0.999] }),
      'Adam: betas[0] must be a number in [0, 1), got 1',
    ],
    [
      () => new AdamW(p(), { betas: [0.9, -0.1] }),
      'AdamW: betas[1] must be a number in [0, 1), got -0.1',
    ],
    [
      () => new Adam(p(), { betas: [0.9] as unknown as [number, number] }),
      'Adam: betas must be a pair [beta1, beta2], got [0.9]',
    ],
    [() => new Adam(p(), { eps: -1 }), 'Adam: eps must be a number >= 0, got -1'],
    [
      () => new SGD(p(), { learningRate: 0.1 } as unknown as { lr: number }),
      'SGD: unknown option "learningRate"; the options are lr, momentum, dampening, weightDecay, nesterov, maximize',
    ],
    [
      () => new SGD(p(), 0.1 as unknown as { lr: number }),
      'SGD: options must be an object such as { lr: 0.01 }, got 0.1',
    ],
    [
      () => new SGD([{ params: p() }, { params: p(), lr: -2 }], { lr: 0.1 }),
      'SGD: lr must be a positive number, got -2 (param group 1)',
    ],
  ])('%#: refuses bad values with a clear message', (make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses bad parameter lists', () => {
    const a = param([1]);
    expect(() => new SGD([])).toThrow(
      'SGD: got an empty list of parameters; give at least one tensor to optimize',
    );
    expect(() => new SGD([{ params: [a] }, { params: [a] }])).toThrow(
      'SGD: param group 1: parameter 0 is already in param group 0; a tensor may belong to only one group',
    );
    expect(() => new SGD([a, a])).toThrow(
      'SGD: param group 0: parameter 1 appears twice in the group',
    );
    expect(() => new SGD(a as unknown as Tensor[])).toThrow(
      'SGD: params must be an iterable of tensors or of param groups, got a single Tensor; wrap it in a list: [w]',
    );
    expect(() => new SGD([a.mul(2)])).toThrow(
      'SGD: param group 0: parameter 0 was computed by MulBackward, and only leaf tensors can be optimized',
    );
    expect(() => new SGD([tensor([1], { dtype: 'int32' })])).toThrow(
      'SGD: param group 0: parameter 0 is int32; only float32 and float64 tensors can be optimized',
    );
    expect(() => new SGD([a, { params: [] }] as unknown as Tensor[])).toThrow(
      'SGD: params must be all tensors or all param groups ({ params, ...options }); item 0 is Tensor',
    );
  });
});

describe('the Optimizer base class', () => {
  it('refuses to be used on its own and names itself', () => {
    const Base = OptimizerBase as unknown as new (...args: unknown[]) => unknown;
    expect(() => new Base(42)).toThrow(/^Optimizer: the base class cannot be used on its own/);
  });

  it('a subclass that passes no defaults is told lr is missing', () => {
    class Plain extends OptimizerBase {
      protected update(): void {}
    }
    expect(() => new Plain([param()], undefined as never)).toThrow(
      'Plain: lr must be a positive number, got undefined',
    );
  });
});
