import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { customOp, grad, gradcheck, gradients, randn, tensor, Generator } from '../../src/index.js';
import { explainBackward, toDot, trace } from '../../src/viz.js';

const values = (t: Tensor): number[] => Array.from(t.data);
const f64 = { dtype: 'float64' } as const;

const mySigmoid = customOp({
  name: 'mySigmoid',
  forward(ctx, x: Tensor) {
    const y = x.neg().exp().add(1).reciprocal();
    ctx.saveForBackward(y);
    return y;
  },
  backward(ctx, g) {
    const [y] = ctx.savedTensors;
    return g.mul(y).mul(y.neg().add(1));
  },
  formula: 'σ(x)(1 − σ(x))',
});

/** y = x·Wᵀ + b with the backward a student writes: δ·W, δᵀ·x, Σ δ. */
const myLinear = customOp({
  name: 'myLinear',
  forward(ctx, x: Tensor, w: Tensor, b: Tensor) {
    ctx.saveForBackward(x, w);
    return x.matmul(w.transpose(0, 1)).add(b);
  },
  backward(ctx, g) {
    const [x, w] = ctx.savedTensors;
    return [ctx.needsInputGrad[0] ? g.matmul(w) : null, g.transpose(0, 1).matmul(x), g.sum(0)];
  },
});

describe('customOp', () => {
  it('gives the hand-written gradient and names its node', () => {
    const x = tensor([0, 2], { requiresGrad: true, ...f64 });
    const y = mySigmoid(x);
    expect(y.gradFn?.name).toBe('MySigmoidBackward');
    y.sum().backward();
    const s = 1 / (1 + Math.exp(-2));
    expect(values(x.grad!)).toEqual([0.25, s * (1 - s)]);
  });

  it('passes gradcheck, first and second order (a backward made of differentiable ops)', () => {
    const gen = new Generator(3);
    expect(gradcheck(mySigmoid, [randn([2, 3], { generator: gen })]).passed).toBe(true);
    const x = randn([4], { generator: gen });
    expect(gradcheck((v) => grad((u: Tensor) => mySigmoid(u).sum())(v).sum(), [x]).passed).toBe(
      true,
    );
    const inputs = [randn([5, 3], { generator: gen }), randn([2, 3], { generator: gen })];
    const b = randn([2], { generator: gen });
    expect(gradcheck(myLinear, [...inputs, b]).passed).toBe(true);
    const second = (xx: Tensor, w: Tensor, bb: Tensor): Tensor => {
      const [gw] = gradients(myLinear(xx, w, bb).square().sum(), [w], { createGraph: true });
      return gw.square().sum();
    };
    expect(gradcheck(second, [...inputs, b]).passed).toBe(true);
  });

  it('passes non-tensor arguments through and asks null for them', () => {
    const scale = customOp({
      name: 'scale',
      forward: (ctx, x: Tensor, k: number) => {
        ctx.values.k = k;
        return x.mul(k);
      },
      backward: (ctx, g) => [g.mul(ctx.values.k as number), null],
    });
    const x = tensor([1, 2], { requiresGrad: true });
    scale(x, 3).sum().backward();
    expect(values(x.grad!)).toEqual([3, 3]);
    expect(gradcheck((v) => scale(v, -2), [randn([3])]).passed).toBe(true);
  });

  it('returns several outputs and calls backward once with one gradient per output', () => {
    let calls = 0;
    const sinCos = customOp({
      name: 'sinCos',
      forward: (ctx, x: Tensor) => {
        ctx.saveForBackward(x);
        return [x.sin(), x.cos()];
      },
      backward: (ctx, gs, gc) => {
        calls++;
        const [x] = ctx.savedTensors;
        return gs.mul(x.cos()).sub(gc.mul(x.sin()));
      },
    });
    const x = tensor([0.5, 1], { requiresGrad: true, ...f64 });
    const [s, c] = sinCos(x);
    expect(values(s)).toEqual([Math.sin(0.5), Math.sin(1)]);
    s.mul(2).add(c).sum().backward();
    expect(calls).toBe(1);
    expect(values(x.grad!)).toEqual([
      2 * Math.cos(0.5) - Math.sin(0.5),
      2 * Math.cos(1) - Math.sin(1),
    ]);
    // Only one output used: the other's gradient is zeros.
    const y = tensor([0.5], { requiresGrad: true, ...f64 });
    sinCos(y)[1].sum().backward();
    expect(values(y.grad!)).toEqual([-Math.sin(0.5)]);
    expect(gradcheck((v) => sinCos(v)[0].add(sinCos(v)[1].square()), [randn([3])]).passed).toBe(
      true,
    );
  });

  it('is traced, drawn and explained with its name and formula', () => {
    const x = tensor([1], { requiresGrad: true, name: 'x' });
    const y = mySigmoid(x);
    const t = trace(y);
    expect(t.nodes.map((n) => n.op ?? n.name)).toEqual(['x', 'mySigmoid']);
    expect(t.nodes[1].gradFn).toBe('MySigmoidBackward');
    expect(toDot(t)).toContain('mySigmoid');
    const step = explainBackward(y).steps[0];
    expect(step.expression).toBe('f = mySigmoid(x)');
    expect(step.inputs[0].formula).toBe('∂f/∂x = σ(x)(1 − σ(x))');
    const s = 1 / (1 + Math.exp(-1));
    expect(step.inputs[0].local[0]).toBeCloseTo(s * (1 - s), 6);
    const plain = customOp({
      name: 'twice',
      forward: (_c, v: Tensor) => v.mul(2),
      backward: (_c, g) => g.mul(2),
    });
    expect(explainBackward(plain(x)).steps[0].inputs[0].formula).toBe(
      '∂f/∂x (the backward written for twice)',
    );
  });

  it('copies an input it returns unchanged, so the input keeps being a leaf', () => {
    const identity = customOp({
      name: 'identity',
      forward: (_c, v: Tensor) => v,
      backward: (_c, g) => g,
    });
    const x = tensor([1, 2], { requiresGrad: true });
    const y = identity(x);
    expect(y).not.toBe(x);
    expect(x.isLeaf).toBe(true);
    y.sum().backward();
    expect(values(x.grad!)).toEqual([1, 1]);
  });

  it('refuses a bad definition and a backward with the wrong number of gradients', () => {
    expect(() =>
      customOp({ name: 'a b', forward: (_c, v: Tensor) => v, backward: (_c, g) => g }),
    ).toThrow('customOp: name must be an identifier');
    const bad = customOp({
      name: 'bad',
      forward: (_c, a: Tensor, b: Tensor) => a.add(b),
      backward: (_c, g) => [g],
    });
    const x = tensor([1], { requiresGrad: true });
    expect(() => bad(x, x).sum().backward()).toThrow(
      'bad: backward returned 1 gradient(s) for 2 argument(s)',
    );
  });
});
