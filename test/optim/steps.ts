import { expect } from 'vitest';
import { tensor, type Tensor } from '../../src/index.js';
import type { Optimizer } from '../../src/optim/index.js';

/** The starting parameter of the hand-checked runs. */
export const W0 = [0.5, -1.5, 2];

/** Hand-chosen gradients, one row per step. */
export const GRADS = [
  [0.3, -0.2, 1.1],
  [-0.4, 0.25, 0.9],
  [0.15, -0.6, -0.35],
];

/** A fresh float64 parameter holding `W0`. */
export const param = (values: number[] = W0): Tensor =>
  tensor(values, { dtype: 'float64', requiresGrad: true });

/**
 * Sets `p.grad` to each row of `grads` in turn and steps `opt`, returning the parameter's values
 * after every step.
 */
export function runSteps(opt: Optimizer, p: Tensor, grads: number[][] = GRADS): number[][] {
  return grads.map((g) => {
    p.grad = tensor(g, { dtype: 'float64' });
    opt.step();
    return Array.from(p.data);
  });
}

/** The values of a fresh {@link param} after each step of {@link runSteps}, by the optimizer `make` builds. */
export function stepsOf(
  make: (params: Tensor[]) => Optimizer,
  grads: number[][] = GRADS,
): number[][] {
  const p = param();
  return runSteps(make([p]), p, grads);
}

/** Element-wise toBeCloseTo with 12 digits. */
export function expectRows(got: number[][], want: number[][], digits = 12): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, t) => {
    expect(row.length).toBe(want[t].length);
    row.forEach((v, i) => expect(v, `step ${t + 1}, element ${i}`).toBeCloseTo(want[t][i], digits));
  });
}

/**
 * Runs a per-element reference rule: `rule(w, g, t, i)` returns the new value of element i at
 * step t (1-based) given its current value and gradient; it may keep its own state by index.
 */
export function reference(
  rule: (w: number, g: number, t: number, i: number) => number,
  grads: number[][] = GRADS,
  w0: number[] = W0,
): number[][] {
  const w = w0.slice();
  return grads.map((row, k) => {
    row.forEach((g, i) => {
      w[i] = rule(w[i], g, k + 1, i);
    });
    return w.slice();
  });
}
