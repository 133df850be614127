import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { Adagrad, Adam, AdamW, RMSprop } from '../../src/optim/index.js';
import { expectRows, param, reference, runSteps, stepsOf } from './steps.js';

describe('Adagrad', () => {
  /** s ← s + g²;  w ← w − η/(1 + (t−1)·decay) · g / (√s + ε), with g ← g + λw first. */
  function adagradReference(o: {
    lr: number;
    lrDecay?: number;
    weightDecay?: number;
    initialAccumulatorValue?: number;
    eps?: number;
    maximize?: boolean;
  }): number[][] {
    const s: number[] = [];
    return reference((w, grad, t, i) => {
      if (t === 1) s[i] = o.initialAccumulatorValue ?? 0;
      const clr = o.lr / (1 + (t - 1) * (o.lrDecay ?? 0));
      const g = (o.maximize ? -grad : grad) + (o.weightDecay ?? 0) * w;
      s[i] = s[i] + g * g;
      return w - (clr * g) / (Math.sqrt(s[i]) + (o.eps ?? 1e-10));
    });
  }

  it('has PyTorch defaults', () => {
    expect(new Adagrad([param()]).defaults).toEqual({
      lr: 1e-2,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
      maximize: false,
    });
  });

  it('plain: the first step moves each weight by about lr', () => {
    const got = stepsOf((ps) => new Adagrad(ps, { lr: 0.1 }));
    // step 1: g/√(g²) = sign(g), so each weight moves by 0.1 (up to ε)
    expectRows(got.slice(0, 1), [[0.4, -1.4, 1.9]], 9);
    expectRows(got, adagradReference({ lr: 0.1 }));
  });

  it('puts ε outside the square root (visible with a large ε)', () => {
    const got = stepsOf((ps) => new Adagrad(ps, { lr: 0.1, eps: 0.5 }));
    // step 1, element 0: 0.5 − 0.1·0.3/(0.3 + 0.5) = 0.4625 (ε inside would give 0.5 − 0.03/√0.59)
    expect(got[0][0]).toBeCloseTo(0.4625, 12);
    expectRows(got, adagradReference({ lr: 0.1, eps: 0.5 }));
  });

  it('lrDecay, weightDecay and initialAccumulatorValue', () => {
    const o = { lr: 0.2, lrDecay: 0.5, weightDecay: 0.1, initialAccumulatorValue: 0.25 };
    expectRows(
      stepsOf((ps) => new Adagrad(ps, o)),
      adagradReference(o),
    );
  });

  it('maximize', () => {
    const o = { lr: 0.1, maximize: true, weightDecay: 0.2 };
    const got = stepsOf((ps) => new Adagrad(ps, o));
    expect(got[0][0]).toBeGreaterThan(0.5);
    expectRows(got, adagradReference(o));
  });

  it('makes its state at construction, as PyTorch', () => {
    const p = param();
    const opt = new Adagrad([p], { initialAccumulatorValue: 0.5 });
    expect(opt.state.get(p)?.step).toBe(0);
    expect(Array.from((opt.state.get(p)?.sum as Tensor).data)).toEqual([0.5, 0.5, 0.5]);
  });
});

describe('RMSprop', () => {
  /**
   * v ← αv + (1 − α)g²; centered: ḡ ← αḡ + (1 − α)g, d = √(v − ḡ²) + ε, else d = √v + ε;
   * momentum: b ← μb + g/d, w ← w − ηb; else w ← w − ηg/d.
   */
  function rmspropReference(o: {
    lr: number;
    alpha?: number;
    eps?: number;
    weightDecay?: number;
    momentum?: number;
    centered?: boolean;
  }): number[][] {
    const alpha = o.alpha ?? 0.99;
    const eps = o.eps ?? 1e-8;
    const mu = o.momentum ?? 0;
    const v = [0, 0, 0];
    const gbar = [0, 0, 0];
    const b = [0, 0, 0];
    return reference((w, grad, _t, i) => {
      const g = grad + (o.weightDecay ?? 0) * w;
      v[i] = alpha * v[i] + (1 - alpha) * g * g;
      let d: number;
      if (o.centered) {
        gbar[i] = alpha * gbar[i] + (1 - alpha) * g;
        d = Math.sqrt(v[i] - gbar[i] * gbar[i]) + eps;
      } else {
        d = Math.sqrt(v[i]) + eps;
      }
      if (mu > 0) {
        b[i] = mu * b[i] + g / d;
        return w - o.lr * b[i];
      }
      return w - (o.lr * g) / d;
    });
  }

  it('has PyTorch defaults', () => {
    expect(new RMSprop([param()]).defaults).toEqual({
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      maximize: false,
    });
  });

  it('plain', () => {
    const got = stepsOf((ps) => new RMSprop(ps, { lr: 0.01, alpha: 0.9 }));
    // step 1, element 0: v = 0.1·0.09 = 0.009, w = 0.5 − 0.01·0.3/√0.009
    expect(got[0][0]).toBeCloseTo(0.5 - 0.003 / (Math.sqrt(0.009) + 1e-8), 12);
    expectRows(got, rmspropReference({ lr: 0.01, alpha: 0.9 }));
  });

  it('default alpha, large ε and weight decay', () => {
    const o = { lr: 0.01, eps: 0.1, weightDecay: 0.3 };
    expectRows(
      stepsOf((ps) => new RMSprop(ps, o)),
      rmspropReference(o),
    );
  });

  it('centered', () => {
    const p = param();
    const o = { lr: 0.01, alpha: 0.8, centered: true };
    const opt = new RMSprop([p], o);
    expectRows(runSteps(opt, p), rmspropReference(o));
    expect(Object.keys(opt.state.get(p) ?? {}).sort()).toEqual(['gradAvg', 'squareAvg', 'step']);
  });

  it('momentum', () => {
    const p = param();
    const o = { lr: 0.01, alpha: 0.9, momentum: 0.7 };
    const opt = new RMSprop([p], o);
    expectRows(runSteps(opt, p), rmspropReference(o));
    expect(Object.keys(opt.state.get(p) ?? {}).sort()).toEqual([
      'momentumBuffer',
      'squareAvg',
      'step',
    ]);
    expect(opt.state.get(p)?.step).toBe(3);
  });

  it('centered with momentum and weight decay', () => {
    const o = { lr: 0.02, alpha: 0.95, momentum: 0.5, centered: true, weightDecay: 0.05 };
    expectRows(
      stepsOf((ps) => new RMSprop(ps, o)),
      rmspropReference(o),
    );
  });
});

describe('Adam and AdamW', () => {
  /**
   * The textbook form (Kingma & Ba): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
   * m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) (v replaced by its running max with amsgrad),
   * w ← w − η·m̂/(√v̂ + ε). Adam adds λw to g; AdamW first sets w ← w(1 − ηλ).
   */
  function adamReference(o: {
    lr: number;
    betas?: [number, number];
    eps?: number;
    weightDecay?: number;
    amsgrad?: boolean;
    decoupled?: boolean;
    maximize?: boolean;
  }): number[][] {
    const [b1, b2] = o.betas ?? [0.9, 0.999];
    const eps = o.eps ?? 1e-8;
    const lambda = o.weightDecay ?? 0;
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    const vmax = [0, 0, 0];
    return reference((w, grad, t, i) => {
      let g = o.maximize ? -grad : grad;
      if (o.decoupled) w = w * (1 - o.lr * lambda);
      else g = g + lambda * w;
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      vmax[i] = Math.max(vmax[i], v[i]);
      const mhat = m[i] / (1 - b1 ** t);
      const vhat = (o.amsgrad ? vmax[i] : v[i]) / (1 - b2 ** t);
      return w - (o.lr * mhat) / (Math.sqrt(vhat) + eps);
    });
  }

  it('have PyTorch defaults', () => {
    const adam = {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
      maximize: false,
    };
    expect(new Adam([param()]).defaults).toEqual(adam);
    expect(new AdamW([param()]).defaults).toEqual({ ...adam, weightDecay: 1e-2 });
  });

  it('Adam: the first step moves each weight by about lr', () => {
    const got = stepsOf((ps) => new Adam(ps, { lr: 0.1 }));
    // m̂ = g and v̂ = g² at t = 1, so the step is η·sign(g)
    expectRows(got.slice(0, 1), [[0.4, -1.4, 1.9]], 6);
    expectRows(got, adamReference({ lr: 0.1 }));
  });

  it('Adam with other betas and a large ε', () => {
    const o = { lr: 0.05, betas: [0.5, 0.7] as [number, number], eps: 0.2 };
    expectRows(
      stepsOf((ps) => new Adam(ps, o)),
      adamReference(o),
    );
  });

  it('Adam amsgrad', () => {
    const p = param();
    // β₂ = 0.5 lets v fall below its maximum within three steps (element 2: g² = 1.21, 0.81, 0.1225)
    const o = { lr: 0.1, betas: [0.9, 0.5] as [number, number], amsgrad: true };
    const opt = new Adam([p], o);
    const got = runSteps(opt, p);
    expectRows(got, adamReference(o));
    const plain = adamReference({ ...o, amsgrad: false });
    expect(Math.abs(got[2][2] - plain[2][2])).toBeGreaterThan(1e-3);
    expect(Object.keys(opt.state.get(p) ?? {}).sort()).toEqual([
      'expAvg',
      'expAvgSq',
      'maxExpAvgSq',
      'step',
    ]);
  });

  it('Adam weight decay is L2 added to the gradient', () => {
    const o = { lr: 0.1, weightDecay: 0.5 };
    expectRows(
      stepsOf((ps) => new Adam(ps, o)),
      adamReference(o),
    );
  });

  it('Adam maximize', () => {
    const o = { lr: 0.1, maximize: true, weightDecay: 0.1 };
    expectRows(
      stepsOf((ps) => new Adam(ps, o)),
      adamReference(o),
    );
  });

  it('AdamW decays the weights directly', () => {
    const o = { lr: 0.1, weightDecay: 0.5 };
    const got = stepsOf((ps) => new AdamW(ps, o));
    expectRows(got, adamReference({ ...o, decoupled: true }));
    const adam = adamReference(o);
    expect(Math.abs(got[2][0] - adam[2][0])).toBeGreaterThan(1e-3);
  });

  it('AdamW with its default decay and amsgrad', () => {
    const o = { lr: 0.1, amsgrad: true, betas: [0.8, 0.6] as [number, number] };
    expectRows(
      stepsOf((ps) => new AdamW(ps, o)),
      adamReference({ ...o, weightDecay: 1e-2, decoupled: true }),
    );
  });
});
