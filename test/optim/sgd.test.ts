import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index.js';
import { SGD } from '../../src/optim/index.js';
import { expectRows, param, reference, runSteps, stepsOf } from './steps.js';

/**
 * PyTorch's SGD, written out per element (maximize negates g first, then weight decay is added):
 *   g ← ±g + λw;  b ← g (t = 1) | μb + (1 − τ)g;  g ← g + μb (nesterov) | b;  w ← w − ηg
 */
function sgdReference(o: {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}): number[][] {
  const mu = o.momentum ?? 0;
  const tau = o.dampening ?? 0;
  const lambda = o.weightDecay ?? 0;
  const b: number[] = [];
  return reference((w, grad, t, i) => {
    let g = o.maximize ? -grad : grad;
    g = g + lambda * w;
    if (mu !== 0) {
      b[i] = t === 1 ? g : mu * b[i] + (1 - tau) * g;
      g = o.nesterov ? g + mu * b[i] : b[i];
    }
    return w - o.lr * g;
  });
}

describe('SGD', () => {
  it('has PyTorch defaults', () => {
    const opt = new SGD([param()]);
    expect(opt.defaults).toEqual({
      lr: 1e-3,
      momentum: 0,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: false,
    });
  });

  it('plain: w ← w − η·g, checked by hand', () => {
    const got = stepsOf((ps) => new SGD(ps, { lr: 0.1 }));
    // step 1: 0.5 − 0.1·0.3 = 0.47, −1.5 + 0.02 = −1.48, 2 − 0.11 = 1.89
    expectRows(got.slice(0, 1), [[0.47, -1.48, 1.89]]);
    expectRows(got, sgdReference({ lr: 0.1 }));
  });

  it('momentum: the lecture form v ← β·v + G, w ← w − η·v', () => {
    const p = param();
    const got = runSteps(new SGD([p], { lr: 0.1, momentum: 0.9 }), p);
    // element 0 by hand: v = 0.3 → w = 0.47; v = 0.9·0.3 − 0.4 = −0.13 → w = 0.483;
    // v = 0.9·(−0.13) + 0.15 = 0.033 → w = 0.4797
    expect(got.map((row) => row[0])).toEqual([
      expect.closeTo(0.47, 12),
      expect.closeTo(0.483, 12),
      expect.closeTo(0.4797, 12),
    ]);
    expectRows(got, sgdReference({ lr: 0.1, momentum: 0.9 }));
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    runSteps(opt, p);
    expect(opt.state.get(p)?.momentumBuffer).toBeDefined();
  });

  it('momentum with dampening', () => {
    const got = stepsOf((ps) => new SGD(ps, { lr: 0.05, momentum: 0.8, dampening: 0.3 }));
    expectRows(got, sgdReference({ lr: 0.05, momentum: 0.8, dampening: 0.3 }));
  });

  it('nesterov', () => {
    const got = stepsOf((ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true }));
    expectRows(got, sgdReference({ lr: 0.1, momentum: 0.9, nesterov: true }));
  });

  it('weight decay adds λ·w to the gradient', () => {
    const got = stepsOf((ps) => new SGD(ps, { lr: 0.1, weightDecay: 0.2 }));
    // step 1, element 0: 0.5 − 0.1·(0.3 + 0.2·0.5) = 0.46
    expect(got[0][0]).toBeCloseTo(0.46, 12);
    expectRows(got, sgdReference({ lr: 0.1, weightDecay: 0.2 }));
  });

  it('weight decay with momentum and nesterov', () => {
    const o = { lr: 0.1, momentum: 0.5, weightDecay: 0.1, nesterov: true };
    expectRows(
      stepsOf((ps) => new SGD(ps, o)),
      sgdReference(o),
    );
  });

  it('maximize ascends, and weight decay still shrinks the weights', () => {
    const got = stepsOf((ps) => new SGD(ps, { lr: 0.1, maximize: true }));
    expect(got[0][0]).toBeCloseTo(0.53, 12);
    expectRows(got, sgdReference({ lr: 0.1, maximize: true }));
    const o = { lr: 0.1, maximize: true, weightDecay: 0.2, momentum: 0.9 };
    const got2 = stepsOf((ps) => new SGD(ps, o));
    // step 1, element 0: 0.5 − 0.1·(−0.3 + 0.2·0.5) = 0.52
    expect(got2[0][0]).toBeCloseTo(0.52, 12);
    expectRows(got2, sgdReference(o));
  });

  it('keeps float32 parameters and buffers in float32', () => {
    const p = tensor([0.5, -1.5, 2], { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    p.grad = tensor([0.3, -0.2, 1.1]);
    opt.step();
    expect(p.dtype).toBe('float32');
    expect(p.data).toBeInstanceOf(Float32Array);
    const buf = opt.state.get(p)?.momentumBuffer as Tensor;
    expect(buf.dtype).toBe('float32');
    expect(Array.from(p.data)).toEqual([0.47, -1.48, 1.89].map(Math.fround));
  });

  it('updates a one-element (0-d) parameter in place', () => {
    const p = tensor(3, { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([p], { lr: 0.5 });
    p.grad = tensor(2, { dtype: 'float64' });
    opt.step();
    expect(p.item()).toBe(2);
  });
});
