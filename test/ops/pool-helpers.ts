import fc from 'fast-check';
import { expect } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { Generator, gradcheck, gradients, tensor } from '../../src/index.js';

/** Shared by the pooling and resizing tests: random inputs, a naive-reference comparison, gradchecks. */

/** A float64 tensor of normal values drawn from `seed` (distinct almost surely: no ties). */
export function randomTensor(shape: readonly number[], seed: number): Tensor {
  const gen = new Generator(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = gen.normal();
  return tensor(data, { shape: [...shape] });
}

/** Expects `t` to have `shape` and the values `expected` (row-major) to within `tol`. */
export function expectValues(
  t: Tensor,
  shape: readonly number[],
  expected: ArrayLike<number>,
  tol = 1e-12,
): void {
  expect(t.shape).toEqual([...shape]);
  expect(t.size).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, b] = [t.data[i], expected[i]];
    if (Number.isNaN(b)) expect(a, `element ${i}`).toBeNaN();
    else if (Math.abs(a - b) > tol) expect(a, `element ${i} of ${t.size}`).toBe(b);
  }
}

/** Deterministic weights of a shape, so that second-order checks look along a generic direction. */
function weights(shape: readonly number[], seed: number): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sin(seed + 1.7 * i) + 0.3;
  return tensor(data, { shape: [...shape] });
}

/** Gradcheck of `f` at x in float64: first order, and second order when `second` is set. */
export function expectGradcheck(f: (x: Tensor) => Tensor, x: Tensor, second = true): void {
  const first = gradcheck(f, [x]);
  expect(first.passed, `first order: ${JSON.stringify(first)}`).toBe(true);
  if (!second) return;
  // h(x) = ⟨∂⟨w, f(x)²⟩/∂x, v⟩: its gradient runs the derivative of f's derivative rule.
  const h = (input: Tensor): Tensor => {
    const out = f(input);
    const [g] = gradients(out.mul(out).mul(weights(out.shape, 1)).sum(), [input], {
      createGraph: true,
    });
    return g.mul(weights(input.shape, 2)).sum();
  };
  const report = gradcheck(h, [x], { atol: 1e-4, rtol: 1e-3 });
  expect(report.passed, `second order: ${JSON.stringify(report)}`).toBe(true);
}

/** The message of the error `f` throws (fails when it throws none). */
export function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/** PyTorch's pooling_output_shape, written as it is there (ceil via adding stride − 1). */
export function outLen(
  size: number,
  k: number,
  s: number,
  p: number,
  d: number,
  ceil: boolean,
): number {
  let out = Math.floor((size + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

export interface PoolCase {
  shape: [number, number, number, number];
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d: [number, number];
  ceil: boolean;
  include: boolean;
  divisor: number | null;
  seed: number;
}

export const small = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });
export const pairOf = (min: number, max: number): fc.Arbitrary<[number, number]> =>
  fc.tuple(small(min, max), small(min, max));

export const poolCases: fc.Arbitrary<PoolCase> = fc
  .record({
    shape: fc.tuple(small(1, 2), small(1, 2), small(1, 7), small(1, 7)),
    k: pairOf(1, 4),
    s: pairOf(1, 3),
    p: pairOf(0, 2),
    d: pairOf(1, 2),
    ceil: fc.boolean(),
    include: fc.boolean(),
    divisor: fc.option(small(1, 5), { nil: null }),
    seed: small(0, 1000),
  })
  .filter((c) => c.p[0] <= c.k[0] / 2 && c.p[1] <= c.k[1] / 2);

/**
 * The output sizes; 0 where the dilated kernel is longer than the padded input (PyTorch's formula
 * can still give 1 there in ceilMode; nabla's slideLength refuses it, left out here).
 */
export function sizes(c: PoolCase, dilated: boolean): [number, number] {
  const [dh, dw] = dilated ? c.d : [1, 1];
  const fits = (size: number, k: number, p: number, d: number): boolean =>
    size + 2 * p >= d * (k - 1) + 1;
  if (!fits(c.shape[2], c.k[0], c.p[0], dh) || !fits(c.shape[3], c.k[1], c.p[1], dw)) return [0, 0];
  const out: [number, number] = [
    outLen(c.shape[2], c.k[0], c.s[0], c.p[0], dh, c.ceil),
    outLen(c.shape[3], c.k[1], c.s[1], c.p[1], dw, c.ceil),
  ];
  // A window all in the padding (dilation) is refused by maxPool2d: left out here, tested apart.
  const reaches = (size: number, n: number, k: number, st: number, p: number, d: number): boolean =>
    Array.from({ length: n }, (_, o) =>
      Array.from({ length: k }, (_, i) => o * st - p + i * d).some((t) => t >= 0 && t < size),
    ).every(Boolean);
  const ok =
    reaches(c.shape[2], out[0], c.k[0], c.s[0], c.p[0], dh) &&
    reaches(c.shape[3], out[1], c.k[1], c.s[1], c.p[1], dw);
  return ok ? out : [0, 0];
}

/** A float64 tensor of values at least 0.05 apart, shuffled (for max pooling: no near-ties). */
export function distinctTensor(shape: readonly number[], seed: number): Tensor {
  const gen = new Generator(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const data = Float64Array.from({ length: n }, (_, i) => (i - n / 2) * 0.05 + 0.013);
  for (let i = n - 1; i > 0; i--) {
    const j = gen.uniformInt(i + 1);
    [data[i], data[j]] = [data[j], data[i]];
  }
  return tensor(data, { shape: [...shape] });
}
