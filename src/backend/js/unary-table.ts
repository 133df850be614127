import { erf } from './erf.js';

/**
 * x rounded to the nearest integer, halves to even. `Math.round` rounds halves up; where it
 * landed on an odd integer exactly half-way, the even neighbour below is the answer. A value of
 * 2^52 or more is already an integer (r − x = 0), and -0 stays -0.
 */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

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
 * - `isfinite`: 1 for a finite value, 0 for ±Infinity and NaN; `isnan` 1 for NaN only; `isinf` 1
 *   for ±Infinity only.
 * - `round`: to the nearest integer, halves to even (PyTorch's `round`, C's `nearbyint`): 0.5 → 0,
 *   1.5 → 2, -2.5 → -2. `trunc` rounds toward zero, `floor` down, `ceil` up; each keeps -0.
 * - `rsqrt`: 1/√x (rsqrt(0) = Infinity); `exp2`: 2^x; `log2` and `log10` exact at powers of their
 *   base (`Math.log2`, `Math.log10`); `expm1`: e^x − 1, exact for tiny x.
 * - The inverse trigonometric and hyperbolic functions are `Math`'s, NaN outside their domain
 *   (asin/acos outside [-1, 1], acosh below 1, atanh outside [-1, 1]; atanh(±1) = ±Infinity).
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
  isnan: (x: number) => (x !== x ? 1 : 0),
  isinf: (x: number) => (x === Infinity || x === -Infinity ? 1 : 0),
  tan: (x: number) => Math.tan(x),
  asin: (x: number) => Math.asin(x),
  acos: (x: number) => Math.acos(x),
  atan: (x: number) => Math.atan(x),
  sinh: (x: number) => Math.sinh(x),
  cosh: (x: number) => Math.cosh(x),
  asinh: (x: number) => Math.asinh(x),
  acosh: (x: number) => Math.acosh(x),
  atanh: (x: number) => Math.atanh(x),
  rsqrt: (x: number) => 1 / Math.sqrt(x),
  log2: (x: number) => Math.log2(x),
  log10: (x: number) => Math.log10(x),
  expm1: (x: number) => Math.expm1(x),
  exp2: (x: number) => Math.pow(2, x),
  trunc: (x: number) => Math.trunc(x),
  floor: (x: number) => Math.floor(x),
  ceil: (x: number) => Math.ceil(x),
  round: (x: number) => roundHalfEven(x),
} satisfies Record<string, (x: number) => number>;

/** The names of the unary formulas (every unary kernel but `cast`). */
export type UnaryFormula = keyof typeof unaryFormulas;
