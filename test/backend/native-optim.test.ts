import { describe, expect, it } from 'vitest';
import { jsBackend } from '../../src/backend/js/index.js';
import type { AdagradStep, AdamStep, RMSpropStep, SGDStep } from '../../src/backend/backend.js';
import { addon, alloc, DTYPES, type Float, firstDifference, rng } from './native-helpers.js';

// The native optimizer steps (SGD, Adam, Adagrad, RMSprop) against the reference steps.

describe('native optimizer steps against the reference steps, bit for bit', () => {
  const STEPS = 4;
  const N = 1000;
  const B = jsBackend;

  /**
   * Runs `steps` updates natively and on the reference backend from the same random parameter,
   * gradients and (zeroed) state buffers, then checks that every array is bit-identical.
   */
  function compare(
    dtype: 'float32' | 'float64',
    buffers: number,
    step: (impl: 'native' | 'js', w: Float, g: Float, bufs: Float[], t: number) => void,
  ): void {
    const rand = rng(17);
    const w0 = alloc(dtype, N).map(() => 2 * rand() - 1);
    const grads = Array.from({ length: STEPS }, () => alloc(dtype, N).map(() => rand() - 0.5));
    const run = (impl: 'native' | 'js'): Float[] => {
      const w = w0.slice();
      const bufs = Array.from({ length: buffers }, () => alloc(dtype, N));
      grads.forEach((g, t) => step(impl, w, g, bufs, t + 1));
      return [w, ...bufs];
    };
    const native = run('native');
    const js = run('js');
    native.forEach((x, i) => expect(firstDifference(x, js[i]), `array ${i}`).toBe(-1));
  }

  for (const dtype of DTYPES) {
    for (const o of [
      { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false },
      { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0.01, maximize: true },
      { momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false },
      // the vectorized plain loop with dampening
      { momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 0, maximize: false },
      { momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 1e-3, maximize: false },
      { momentum: 0.8, dampening: 0, nesterov: true, weightDecay: 1e-2, maximize: true },
    ]) {
      it(`sgdStep, ${dtype}, ${JSON.stringify(o)}`, () => {
        compare(dtype, 1, (impl, w, g, [buf], t) => {
          const h: SGDStep = { lr: 0.05, ...o, first: o.momentum !== 0 && t === 1 };
          const b = o.momentum === 0 ? null : buf;
          if (impl === 'native') addon().sgdStep(w, g, b, h);
          else B.sgdStep(w, g, b, h);
        });
      });
    }
    for (const o of [
      { decoupled: false, weightDecay: 0, amsgrad: false, maximize: false },
      { decoupled: false, weightDecay: 0, amsgrad: false, maximize: false, beta1: 0.3 },
      { decoupled: false, weightDecay: 0.01, amsgrad: true, maximize: false },
      { decoupled: true, weightDecay: 0.01, amsgrad: false, maximize: true },
    ]) {
      it(`adamStep, ${dtype}, ${JSON.stringify(o)}`, () => {
        const [lr, beta2, eps] = [0.01, 0.999, 1e-8];
        // β1 = 0.3: the other form of lerp (weight 1 − β1 ≥ 0.5) in the vectorized plain loop
        const beta1 = o.beta1 ?? 0.9;
        compare(dtype, 3, (impl, w, g, [m, v, vmax], t) => {
          const h: AdamStep = {
            beta1,
            beta2,
            eps,
            stepSize: lr / (1 - beta1 ** t),
            bc2Sqrt: Math.sqrt(1 - beta2 ** t),
            decay: o.decoupled ? 1 - lr * o.weightDecay : 1,
            l2: o.decoupled ? 0 : o.weightDecay,
            maximize: o.maximize,
          };
          const max = o.amsgrad ? vmax : null;
          if (impl === 'native') addon().adamStep(w, g, m, v, max, h);
          else B.adamStep(w, g, m, v, max, h);
        });
      });
    }
    it(`adagradStep, ${dtype}`, () => {
      compare(dtype, 1, (impl, w, g, [sum], t) => {
        const h: AdagradStep = {
          clr: 0.1 / (1 + (t - 1) * 0.01),
          weightDecay: 0.01,
          eps: 1e-10,
          maximize: t === 2,
        };
        if (impl === 'native') addon().adagradStep(w, g, sum, h);
        else B.adagradStep(w, g, sum, h);
      });
    });
    for (const o of [
      { momentum: 0, centered: false },
      { momentum: 0.9, centered: false },
      { momentum: 0.5, centered: true },
    ]) {
      it(`rmspropStep, ${dtype}, ${JSON.stringify(o)}`, () => {
        compare(dtype, 3, (impl, w, g, [v, buf, avg], t) => {
          const h: RMSpropStep = {
            lr: 0.01,
            alpha: 0.99,
            eps: 1e-8,
            weightDecay: 1e-3,
            momentum: o.momentum,
            maximize: t === 3,
          };
          const b = o.momentum === 0 ? null : buf;
          const a = o.centered ? avg : null;
          if (impl === 'native') addon().rmspropStep(w, g, v, b, a, h);
          else B.rmspropStep(w, g, v, b, a, h);
        });
      });
    }
  }

  it('rejects state buffers of another type or too short', () => {
    const h: SGDStep = {
      lr: 0.1,
      momentum: 0.9,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: false,
      first: true,
    };
    const w = new Float32Array(4);
    expect(() => addon().sgdStep(w, w, new Float64Array(4), h)).toThrow(TypeError);
    expect(() => addon().sgdStep(w, w, new Float32Array(3), h)).toThrow(RangeError);
    expect(() => addon().sgdStep(w, w, null, { ...h, lr: 'x' } as unknown as SGDStep)).toThrow(
      TypeError,
    );
  });
});
