import { erf } from './erf.js';

/**
 * Every element-wise unary formula, once: f(x) on one number, computed in doubles. The array
 * kernel (`unary.ts`) and the one-number kernel (`scalar.ts`) are both made from this table, and
 * the kernel names (`UnaryKernel`) are its keys plus `cast`. A result stored into a typed array
 * converts on store (into an Int32Array: truncated toward zero, wrapping modulo 2^32, NaN and
 * ±Infinity to 0), so e.g. `neg` of -2^31 over int32 wraps to -2^31.
 *
 * Edge cases, decided here once:
 * - `sign`: -1, 0 or 1; sign(±0) = 0 and NaN stays NaN.
 * - `relu`: max(x, 0); relu(NaN) = NaN and relu(-0) = 0.
 * - `step`: the unit step, 1 where x > 0, else 0 — so step(0) = 0 and step(NaN) = 0.
 * - `sigmoid`: computed without overflow: 1 / (1 + e^-x) for x ≥ 0, e^x / (1 + e^x) otherwise.
 * - `log1p`: log(1 + x), exact for tiny x (`Math.log1p`); -1 gives -Infinity, below -1 NaN.
 * - `isfinite`: 1 for a finite value, 0 for ±Infinity and NaN.
 *
 * @example
 * unaryFormulas.relu(-0); // => 0
 */
export const unaryFormulas = {
  neg: (x: number) => -x,
  exp: (x: number) => Math.exp(x),
  log: (x: number) => Math.log(x),
  log1p: (x: number) => Math.log1p(x),
  sqrt: (x: number) => Math.sqrt(x),
  abs: (x: number) => Math.abs(x),
  // The last branch is reached by ±0 (giving 0) and NaN (giving NaN).
  sign: (x: number) => (x > 0 ? 1 : x < 0 ? -1 : x === x ? 0 : x),
  tanh: (x: number) => Math.tanh(x),
  sigmoid: (x: number) => {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    // Also reached by NaN, which gives NaN.
    const e = Math.exp(x);
    return e / (1 + e);
  },
  relu: (x: number) => (x > 0 ? x : x === x ? 0 : x),
  step: (x: number) => (x > 0 ? 1 : 0),
  sin: (x: number) => Math.sin(x),
  cos: (x: number) => Math.cos(x),
  erf: (x: number) => erf(x),
  isfinite: (x: number) => (Number.isFinite(x) ? 1 : 0),
} satisfies Record<string, (x: number) => number>;

/** The names of the unary formulas (every unary kernel but `cast`). */
export type UnaryFormula = keyof typeof unaryFormulas;
