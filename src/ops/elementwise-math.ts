import { defineRules, record } from '../autograd/node.js';
import { checkObject, fail } from '../tensor/check.js';
import type { NanToNumOptions, RoundOptions } from '../tensor/methods.js';
import { zerosLike } from '../tensor/creation.js';
import { isFloating, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { clone, isnan } from './elementwise.js';
import type { Formulas } from './formula.js';
import { expectTensor, unaryKernel } from './kernels.js';

/**
 * The element-wise functions of PyTorch's math library beyond the lectures' gates: trigonometric
 * and hyperbolic functions and their inverses, logarithms and exponentials to other bases, and
 * rounding. Each is one primitive (formulas in `backend/js/unary-table.ts`). The rounding ones
 * (trunc, floor, ceil, round) have derivative 0 everywhere, as PyTorch's: the gradient is zeros.
 */
export const mathUnaryRules = defineRules({
  // d/dx tan x = 1 + tan²x
  tan: (grad, _inputs, out) => [grad.mul(out.mul(out).add(1))],
  // d/dx asin x = 1/√(1 − x²)
  asin: (grad, [x]) => [grad.div(x.mul(x).neg().add(1).sqrt())],
  // d/dx acos x = −1/√(1 − x²)
  acos: (grad, [x]) => [grad.div(x.mul(x).neg().add(1).sqrt()).neg()],
  // d/dx atan x = 1/(1 + x²)
  atan: (grad, [x]) => [grad.div(x.mul(x).add(1))],
  // d/dx sinh x = cosh x
  sinh: (grad, [x]) => [grad.mul(x.cosh())],
  // d/dx cosh x = sinh x
  cosh: (grad, [x]) => [grad.mul(x.sinh())],
  // d/dx asinh x = 1/√(x² + 1)
  asinh: (grad, [x]) => [grad.div(x.mul(x).add(1).sqrt())],
  // d/dx acosh x = 1/√(x² − 1)
  acosh: (grad, [x]) => [grad.div(x.mul(x).sub(1).sqrt())],
  // d/dx atanh x = 1/(1 − x²)
  atanh: (grad, [x]) => [grad.div(x.mul(x).neg().add(1))],
  // d/dx x^(−½) = −½·x^(−3/2) = −½·out³
  rsqrt: (grad, _inputs, out) => [grad.mul(out.mul(out).mul(out)).mul(-0.5)],
  // d/dx log₂ x = 1/(x·ln 2)
  log2: (grad, [x]) => [grad.div(x.mul(Math.LN2))],
  // d/dx log₁₀ x = 1/(x·ln 10)
  log10: (grad, [x]) => [grad.div(x.mul(Math.LN10))],
  // d/dx (e^x − 1) = e^x = out + 1
  expm1: (grad, _inputs, out) => [grad.mul(out.add(1))],
  // d/dx 2^x = 2^x·ln 2
  exp2: (grad, _inputs, out) => [grad.mul(out).mul(Math.LN2)],
  // d/dx trunc(x) = 0 (a step function; 0 at the jumps too, as PyTorch)
  trunc: (_grad, [x]) => [zerosLike(x)],
  // d/dx floor(x) = 0
  floor: (_grad, [x]) => [zerosLike(x)],
  // d/dx ceil(x) = 0
  ceil: (_grad, [x]) => [zerosLike(x)],
  // d/dx round(x) = 0
  round: (_grad, [x]) => [zerosLike(x)],
});

type MathUnary = keyof typeof mathUnaryRules;

const zero = ({ wrt }: { wrt: string }) => ({ formula: `${wrt} = 0` });

/** How the explanations write the rules above. */
export const mathUnaryDerivatives: Formulas<MathUnary> = {
  tan: ({ wrt, x }) => ({ formula: `${wrt} = 1 + tan²(${x})` }),
  asin: ({ wrt, x }) => ({ formula: `${wrt} = 1/√(1 − ${x}²)` }),
  acos: ({ wrt, x }) => ({ formula: `${wrt} = −1/√(1 − ${x}²)` }),
  atan: ({ wrt, x }) => ({ formula: `${wrt} = 1/(1 + ${x}²)` }),
  sinh: ({ wrt, x }) => ({ formula: `${wrt} = cosh(${x})` }),
  cosh: ({ wrt, x }) => ({ formula: `${wrt} = sinh(${x})` }),
  asinh: ({ wrt, x }) => ({ formula: `${wrt} = 1/√(${x}² + 1)` }),
  acosh: ({ wrt, x }) => ({ formula: `${wrt} = 1/√(${x}² − 1)` }),
  atanh: ({ wrt, x }) => ({ formula: `${wrt} = 1/(1 − ${x}²)` }),
  rsqrt: ({ wrt, x }) => ({ formula: `${wrt} = −½·${x}^(−3/2)` }),
  log2: ({ wrt, x }) => ({ formula: `${wrt} = 1/(${x}·ln 2)` }),
  log10: ({ wrt, x }) => ({ formula: `${wrt} = 1/(${x}·ln 10)` }),
  expm1: ({ wrt, x }) => ({ formula: `${wrt} = e^${x}` }),
  exp2: ({ wrt, x }) => ({ formula: `${wrt} = 2^${x}·ln 2` }),
  trunc: zero,
  floor: zero,
  ceil: zero,
  round: zero,
};

/** A math function whose result is floating point even for int32 input, as PyTorch's. */
function floatMath(op: MathUnary, x: Tensor): Tensor {
  expectTensor(x, op);
  const dtype: DType = isFloating(x.dtype) ? x.dtype : 'float32';
  return record(unaryKernel(op, x, dtype), [x], mathUnaryRules[op]);
}

/** A rounding function: keeps the dtype (over int32, a copy of the integers). */
function rounding(op: 'trunc' | 'floor' | 'ceil' | 'round', x: Tensor): Tensor {
  expectTensor(x, op);
  return record(unaryKernel(op, x), [x], mathUnaryRules[op]);
}

/** Tangent. */
export const tan = (x: Tensor): Tensor => floatMath('tan', x);
/** Arcsine, in [−π/2, π/2]; NaN outside [−1, 1]. */
export const asin = (x: Tensor): Tensor => floatMath('asin', x);
/** Arccosine, in [0, π]; NaN outside [−1, 1]. */
export const acos = (x: Tensor): Tensor => floatMath('acos', x);
/** Arctangent, in (−π/2, π/2). */
export const atan = (x: Tensor): Tensor => floatMath('atan', x);
/** Hyperbolic sine. */
export const sinh = (x: Tensor): Tensor => floatMath('sinh', x);
/** Hyperbolic cosine. */
export const cosh = (x: Tensor): Tensor => floatMath('cosh', x);
/** Inverse hyperbolic sine. */
export const asinh = (x: Tensor): Tensor => floatMath('asinh', x);
/** Inverse hyperbolic cosine; NaN below 1. */
export const acosh = (x: Tensor): Tensor => floatMath('acosh', x);
/** Inverse hyperbolic tangent; ±Infinity at ±1, NaN beyond. */
export const atanh = (x: Tensor): Tensor => floatMath('atanh', x);
/** 1/√x (Infinity at 0). */
export const rsqrt = (x: Tensor): Tensor => floatMath('rsqrt', x);
/**
 * Logarithm to base 2, exact at powers of 2.
 *
 * @example
 * log2(tensor([8, 0.5])); // => [3, -1]
 */
export const log2 = (x: Tensor): Tensor => floatMath('log2', x);
/** Logarithm to base 10, exact at powers of 10. */
export const log10 = (x: Tensor): Tensor => floatMath('log10', x);
/**
 * e^x − 1, accurate for small |x| where `exp(x) - 1` would lose the digits of x (as PyTorch's).
 *
 * @example
 * expm1(tensor([1e-10], { dtype: 'float64' })); // => [1.00000000005e-10]
 */
export const expm1 = (x: Tensor): Tensor => floatMath('expm1', x);
/** 2^x. */
export const exp2 = (x: Tensor): Tensor => floatMath('exp2', x);
/** Rounds toward zero (gradient 0). */
export const trunc = (x: Tensor): Tensor => rounding('trunc', x);
/** Rounds down (gradient 0). */
export const floor = (x: Tensor): Tensor => rounding('floor', x);
/** Rounds up (gradient 0). */
export const ceil = (x: Tensor): Tensor => rounding('ceil', x);

/**
 * Rounds to the nearest integer, halves to even, as PyTorch's `round` (0.5 → 0, 1.5 → 2, 2.5 → 2);
 * with `decimals`, to that many decimal digits, as PyTorch computes it: round(x·10^d)/10^d (so
 * the halves are those of x·10^d in the tensor's dtype). The gradient is 0.
 *
 * @example
 * round(tensor([0.5, 1.5, 2.5, 3.5])); // => [0, 2, 2, 4]
 * round(tensor([1.2345, 1250], { dtype: 'float64' }), { decimals: 2 }); // => [1.23, 1250]
 */
export function round(x: Tensor, options?: RoundOptions): Tensor {
  expectTensor(x, 'round');
  const { decimals = 0 } = checkObject({ where: 'round' }, 'options', options, true);
  if (typeof decimals !== 'number' || !Number.isInteger(decimals))
    fail({ where: 'round' }, 'decimals', 'an integer', decimals, TypeError);
  if (decimals === 0) return rounding('round', x);
  if (!isFloating(x.dtype))
    throw new TypeError(`round: decimals needs a floating-point tensor, got ${x.dtype}`);
  const scale = 10 ** Math.abs(decimals);
  return decimals > 0
    ? rounding('round', x.mul(scale)).div(scale)
    : rounding('round', x.div(scale)).mul(scale);
}

/**
 * The fractional part x − trunc(x), with the sign of x, as PyTorch's `frac`; its gradient is 1.
 *
 * @example
 * frac(tensor([1.5, -1.25])); // => [0.5, -0.25]
 */
export const frac = (x: Tensor): Tensor => expectTensor(x, 'frac').sub(trunc(x));

const LARGEST: Partial<Record<DType, number>> = {
  float32: 3.4028234663852886e38,
  float64: Number.MAX_VALUE,
};

/**
 * NaN, +Infinity and −Infinity replaced by finite numbers, as PyTorch's `nan_to_num`. The
 * gradient passes where x is finite and is 0 at the replaced elements. Integer tensors come back
 * as a copy.
 *
 * @example
 * nanToNum(tensor([NaN, Infinity, 1]), { posinf: 100 }); // => [0, 100, 1]
 */
export function nanToNum(x: Tensor, options?: NanToNumOptions): Tensor {
  expectTensor(x, 'nanToNum');
  const o = checkObject({ where: 'nanToNum' }, 'options', options, true);
  if (!isFloating(x.dtype)) return clone(x);
  const largest = LARGEST[x.dtype] ?? Number.MAX_VALUE;
  const { nan = 0, posinf = largest, neginf = -largest } = o;
  for (const [key, v] of Object.entries({ nan, posinf, neginf })) {
    if (typeof v !== 'number') fail({ where: 'nanToNum' }, key, 'a number', v, TypeError);
  }
  let y = where(isnan(x), nan as number, x);
  y = where(x.eq(Infinity), posinf as number, y);
  return where(x.eq(-Infinity), neginf as number, y);
}
