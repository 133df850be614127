import { defineRules, NOT_DIFFERENTIABLE, record } from '../autograd/node.js';
import { fail } from '../tensor/check.js';
import { allocate, BoolArray, checkDType, isFloating, type DType } from '../tensor/dtype.js';
import { zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { backend } from '../backend/index.js';
import type { Formulas } from './formula.js';
import { fusedGradInPlace } from './fused-grads.js';
import { expectTensor, unaryKernel } from './kernels.js';

/**
 * Element-wise unary primitives. Each rule gets `grad` (the upstream gradient), the inputs by
 * their forward names and `out` (the result). Kinks: relu and abs take 0 as the derivative at 0;
 * step and sign have derivative 0 everywhere (the gradient is zeros, not an error).
 */
export const unaryRules = defineRules({
  // d/dx (-x) = -1
  neg: (grad) => [grad.neg()],
  // d/dx e^x = e^x
  exp: (grad, _inputs, out) => [grad.mul(out)],
  // d/dx ln x = 1/x
  log: (grad, [x]) => [grad.div(x)],
  // d/dx ln(1 + x) = 1/(1 + x)
  log1p: (grad, [x]) => [grad.div(x.add(1))],
  // d/dx √x = 1/(2√x)
  sqrt: (grad, _inputs, out) => [grad.div(out.mul(2))],
  // d/dx |x| = sign(x)  (0 at x = 0)
  abs: (grad, [x]) => [grad.mul(x.sign())],
  // d/dx sign(x) = 0
  sign: (_grad, [x]) => [zerosLike(x)],
  // d/dx tanh x = 1 - tanh²x
  tanh: (grad, _inputs, out) => [fusedGradInPlace('tanhGrad', grad, out)],
  // d/dx σ(x) = σ(x)(1 - σ(x))
  sigmoid: (grad, _inputs, out) => [fusedGradInPlace('sigmoidGrad', grad, out)],
  // d/dx max(x, 0) = step(x)  (0 at x = 0)
  relu: (grad, [x]) => [fusedGradInPlace('reluGrad', grad, x)],
  // d/dx step(x) = 0
  step: (_grad, [x]) => [zerosLike(x)],
  // d/dx sin x = cos x
  sin: (grad, [x]) => [grad.mul(x.cos())],
  // d/dx cos x = -sin x
  cos: (grad, [x]) => [grad.mul(x.sin()).neg()],
  // d/dx erf x = 2/√π · e^(−x²)
  erf: (grad, [x]) => [
    grad.mul(
      x
        .mul(x)
        .neg()
        .exp()
        .mul(2 / Math.sqrt(Math.PI)),
    ),
  ],
  // d/dx x^p = p·x^(p-1)  (exactly 0 for p = 0)
  powScalar: (grad, [x], _out, { exponent }: { exponent: number }) => [
    exponent === 0 ? zerosLike(x) : grad.mul(x.pow(exponent - 1).mul(exponent)),
  ],
  // d/dx cast(x) = 1, cast back to the input's dtype
  cast: (grad, [x]) => [grad.to(x.dtype)],
  isfinite: NOT_DIFFERENTIABLE,
  isnan: NOT_DIFFERENTIABLE,
  isinf: NOT_DIFFERENTIABLE,
  clone: NOT_DIFFERENTIABLE,
});

/** The power rule as a person writes it: d(x^p)/dx = p·x^(p−1), without a power 1 or a factor 1. */
function powerRule(p: number, x: string, num: (v: number) => string): string {
  if (p === 0) return '0';
  if (p === 1) return '1';
  const factor = p === -1 ? '−' : `${num(p)}·`;
  return `${factor}${p === 2 ? x : `${x}^${num(p - 1)}`}`;
}

/** How the explanations write the rules above, in the lectures' words. */
export const unaryDerivatives: Formulas<keyof typeof unaryRules> = {
  neg: ({ wrt }) => ({ formula: `${wrt} = −1` }),
  exp: ({ wrt, x }) => ({ formula: `${wrt} = e^${x}` }),
  log: ({ wrt, x }) => ({ formula: `${wrt} = 1/${x}` }),
  log1p: ({ wrt, x }) => ({ formula: `${wrt} = 1/(1 + ${x})` }),
  sqrt: ({ wrt, x }) => ({ formula: `${wrt} = 1/(2√${x})` }),
  abs: ({ wrt, x }) => ({ formula: `${wrt} = sign(${x})` }),
  sign: ({ wrt }) => ({ formula: `${wrt} = 0` }),
  tanh: ({ wrt, x }) => ({ formula: `${wrt} = 1 − tanh²(${x})` }),
  sigmoid: ({ wrt, x }) => ({ formula: `${wrt} = σ(${x})(1 − σ(${x}))` }),
  relu: ({ wrt, x }) => ({ formula: `${wrt} = 1 if ${x} > 0, else 0` }),
  step: ({ wrt }) => ({ formula: `${wrt} = 0` }),
  sin: ({ wrt, x }) => ({ formula: `${wrt} = cos(${x})` }),
  cos: ({ wrt, x }) => ({ formula: `${wrt} = −sin(${x})` }),
  erf: ({ wrt, x }) => ({ formula: `${wrt} = (2/√π)·e^(−${x}²)` }),
  powScalar: ({ wrt, x, attrs, num }) => ({
    formula: `${wrt} = ${powerRule(Number(attrs.exponent), x, num)}`,
  }),
  cast: ({ wrt }) => ({ formula: `${wrt} = 1` }),
  isfinite: null,
  isnan: null,
  isinf: null,
  clone: null,
};

type FloatUnary = 'exp' | 'log' | 'log1p' | 'sqrt' | 'tanh' | 'sigmoid' | 'sin' | 'cos' | 'erf';

/** Unary ops whose result is floating point even for int32 input (PyTorch promotes the same way). */
function floatUnary(op: FloatUnary, x: Tensor): Tensor {
  expectTensor(x, op);
  const dtype: DType = isFloating(x.dtype) ? x.dtype : 'float32';
  return record(unaryKernel(op, x, dtype), [x], unaryRules[op]);
}

function keepUnary(op: 'neg' | 'abs' | 'sign' | 'relu' | 'step', x: Tensor): Tensor {
  expectTensor(x, op);
  if (op === 'neg' && x.dtype === 'bool')
    throw new TypeError('neg: not defined for a bool tensor, as in PyTorch; use logicalNot');
  return record(unaryKernel(op, x), [x], unaryRules[op]);
}

/** -x */
export const neg = (x: Tensor): Tensor => keepUnary('neg', x);
/** e^x */
export const exp = (x: Tensor): Tensor => floatUnary('exp', x);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => floatUnary('log', x);
/**
 * ln(1 + x), accurate for small |x| where `log(1 + x)` would lose the digits of x to rounding
 * (as PyTorch's `log1p`).
 *
 * @example
 * log1p(tensor([1e-10], { dtype: 'float64' })); // [1e-10] (log(1 + 1e-10) gives 1.00000008e-10)
 */
export const log1p = (x: Tensor): Tensor => floatUnary('log1p', x);
/** Square root. */
export const sqrt = (x: Tensor): Tensor => floatUnary('sqrt', x);
/** |x| */
export const abs = (x: Tensor): Tensor => keepUnary('abs', x);
/** -1, 0 or 1. */
export const sign = (x: Tensor): Tensor => keepUnary('sign', x);
/** Hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => floatUnary('tanh', x);
/** 1 / (1 + e^-x); a single fused primitive, for speed and so that graphs show one σ gate. */
export const sigmoid = (x: Tensor): Tensor => floatUnary('sigmoid', x);
/** max(x, 0) */
export const relu = (x: Tensor): Tensor => keepUnary('relu', x);
/** The unit step: 1 where x > 0, else 0. */
export const step = (x: Tensor): Tensor => keepUnary('step', x);
/** Sine. */
export const sin = (x: Tensor): Tensor => floatUnary('sin', x);
/** Cosine. */
export const cos = (x: Tensor): Tensor => floatUnary('cos', x);
/** The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt (for GELU). */
export const erf = (x: Tensor): Tensor => floatUnary('erf', x);

/** The element-wise tests of a value's kind: bool, as the comparisons give; not differentiable. */
function classify(op: 'isfinite' | 'isnan' | 'isinf', x: Tensor): Tensor {
  expectTensor(x, op);
  if (!isFloating(x.dtype)) {
    // Integers are always finite, never NaN or infinite.
    const data = new BoolArray(x.size).fill(op === 'isfinite' ? 1 : 0);
    return record(new Tensor(data, x.shape), [x], unaryRules[op]);
  }
  return record(unaryKernel(op, x, 'bool'), [x], unaryRules[op]);
}

/** true where finite, false for NaN and ±Infinity (bool). */
export const isfinite = (x: Tensor): Tensor => classify('isfinite', x);

/**
 * true where NaN, else false (bool), as PyTorch's `isnan`.
 *
 * @example
 * isnan(tensor([1, NaN, Infinity])); // => [false, true, false]
 */
export const isnan = (x: Tensor): Tensor => classify('isnan', x);

/**
 * true where +Infinity or −Infinity, else false (bool), as PyTorch's `isinf`.
 *
 * @example
 * isinf(tensor([1, NaN, -Infinity])); // => [false, false, true]
 */
export const isinf = (x: Tensor): Tensor => classify('isinf', x);

/** x ** exponent for a number exponent. */
export function powScalar(x: Tensor, exponent: number): Tensor {
  expectTensor(x, 'powScalar');
  if (typeof exponent !== 'number') {
    fail({ where: 'powScalar' }, 'exponent', 'a number', exponent, TypeError);
  }
  const dtype: DType =
    isFloating(x.dtype) || (Number.isInteger(exponent) && exponent >= 0) ? x.dtype : 'float32';
  let out: Tensor;
  if (x._data === null) {
    out = new Tensor(backend().powScalarScalar(x._value, exponent, dtype), x.shape, { dtype });
  } else {
    const data = allocate(dtype, x.size);
    backend().powScalar(x.data, exponent, data);
    out = new Tensor(data, x.shape);
  }
  return record(out, [x], unaryRules.powScalar, { exponent });
}

/** A copy converted to `dtype`; the same tensor when it already has that dtype. */
export function cast(x: Tensor, dtype: DType): Tensor {
  expectTensor(x, 'to');
  checkDType(dtype, 'to');
  if (x.dtype === dtype) return x;
  return record(unaryKernel('cast', x, dtype), [x], unaryRules.cast, { dtype });
}

/** A copy of the data, cut from the graph (not differentiable). */
export function clone(x: Tensor): Tensor {
  expectTensor(x, 'clone');
  return record(new Tensor(x.data.slice(), x.shape), [x], unaryRules.clone);
}
