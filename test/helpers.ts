import { expect } from 'vitest';
import type { Tensor } from '../src/index.js';

/** Expected values written as nested arrays, as `toArray()` gives them. */
export type Nested = number | Nested[];

/** The shape of a nested array (its first element decides the inner sizes). */
export const shapeOf = (v: Nested): number[] =>
  Array.isArray(v) ? [v.length, ...(v.length > 0 ? shapeOf(v[0]) : [])] : [];

/** A nested array's numbers, row-major. */
export const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

/** Checks shape and values (relative tolerance `tol`; NaN and ±Infinity must match exactly). */
export function expectValues(t: Tensor, expected: Nested, tol = 1e-6): void {
  expect(t.shape).toEqual(shapeOf(expected));
  const want = flat(expected);
  const got = Array.from(t.data);
  expect(got.length).toBe(want.length);
  const bad = got.flatMap((g, i) => {
    const w = want[i];
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : Number.isFinite(w)
        ? Math.abs(g - w) <= tol * Math.max(1, Math.abs(w))
        : g === w;
    return ok ? [] : [{ at: i, got: g, want: w }];
  });
  expect(bad).toEqual([]);
}

/** Checks dtype (when given), shape and exact values. */
export function expectExact(t: Tensor, expected: Nested, dtype?: string): void {
  if (dtype !== undefined) expect(t.dtype).toBe(dtype);
  expect(t.shape).toEqual(shapeOf(expected));
  expect(Array.from(t.data)).toEqual(flat(expected));
}

/** The sample mean, variance (with n − 1 in the denominator) and standard deviation of `xs`. */
export function sampleStats(xs: ArrayLike<number>): {
  mean: number;
  variance: number;
  std: number;
} {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i] - mean) ** 2;
  const variance = v / (xs.length - 1);
  return { mean, variance, std: Math.sqrt(variance) };
}
