import { integerFormulas } from './integer-table.js';

/**
 * Every element-wise binary formula, once: f(a, b) on two numbers, computed in doubles. The array
 * kernel (`binary.ts`) and the one-number kernel (`scalar.ts`) are both made from this table, and
 * the kernel names (`BinaryKernel`) are its keys.
 *
 * Semantics, decided here once:
 * - `add` `sub` `mul` `div` are IEEE arithmetic in doubles, converted on store: into an
 *   Int32Array, `div` truncates toward zero and x/0 stores 0, `add`/`sub` wrap modulo 2^32, and
 *   `mul` wraps exactly — over int32 operands it is `Math.imul` (see {@link imul}), not a·b,
 *   whose low bits a double would lose.
 * - `pow` is `Math.pow` (so x ** 0 = 1 even for NaN; a negative base with a fractional power is
 *   NaN).
 * - `maximum`/`minimum` propagate NaN as PyTorch does (NaN if either input is NaN); between -0
 *   and 0 the second operand wins.
 * - Comparisons give 1 or 0, and any comparison with NaN is false except `ne`.
 * - `atan2(a, b)`: the angle of the point (b, a), `Math.atan2`. `hypot`: √(a² + b²) without
 *   overflow (`Math.hypot`; Infinity if either is infinite, even beside NaN).
 * - `copysign(a, b)`: |a| with the sign of b, -0 counting as negative (b = -0 gives -|a|). The sign
 *   of a NaN in b cannot be read in JavaScript, so NaN counts as positive (PyTorch reads its bit).
 * - `logaddexp(a, b)`: log(e^a + e^b) without overflow, as max + log1p(e^−|a−b|); equal infinite
 *   operands give themselves (−∞ + −∞ → −∞) instead of NaN.
 * - `xlogy(a, b)`: a·log(b), and 0 where a = 0 unless b is NaN (PyTorch's `xlogy`).
 * - The fused derivative kernels, for speed (one pass and one array instead of three or four),
 *   with a the upstream gradient and b the activation's result (for `reluGrad`, its input):
 *   `tanhGrad` a·(1 − b²), `sigmoidGrad` a·b·(1 − b), `reluGrad` a where b > 0 else 0.
 *
 * @example
 * binaryFormulas.maximum(1, NaN); // => NaN
 */
export const binaryFormulas = {
  ...integerFormulas,
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
  pow: (a: number, b: number) => Math.pow(a, b),
  // a !== a: NaN in `a` is kept; NaN in `b` loses every comparison, so `b` is taken.
  maximum: (a: number, b: number) => (a > b || a !== a ? a : b),
  minimum: (a: number, b: number) => (a < b || a !== a ? a : b),
  eq: (a: number, b: number) => (a === b ? 1 : 0),
  ne: (a: number, b: number) => (a !== b ? 1 : 0),
  lt: (a: number, b: number) => (a < b ? 1 : 0),
  le: (a: number, b: number) => (a <= b ? 1 : 0),
  gt: (a: number, b: number) => (a > b ? 1 : 0),
  ge: (a: number, b: number) => (a >= b ? 1 : 0),
  atan2: (a: number, b: number) => Math.atan2(a, b),
  hypot: (a: number, b: number) => Math.hypot(a, b),
  copysign: (a: number, b: number) => (b < 0 || Object.is(b, -0) ? -Math.abs(a) : Math.abs(a)),
  logaddexp: (a: number, b: number) =>
    a === b ? a + Math.LN2 : Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b))),
  xlogy: (a: number, b: number) => (a === 0 && b === b ? 0 : a * Math.log(b)),
  tanhGrad: (a: number, b: number) => a * (1 - b * b),
  sigmoidGrad: (a: number, b: number) => a * b * (1 - b),
  reluGrad: (a: number, b: number) => (b > 0 ? a : 0),
} satisfies Record<string, (a: number, b: number) => number>;

/** The names of the binary formulas (the binary kernels). */
export type BinaryFormula = keyof typeof binaryFormulas;

/** `mul` over int32: the exact product modulo 2^32, as int32 arithmetic wraps. */
export const imul = (a: number, b: number): number => Math.imul(a, b);
