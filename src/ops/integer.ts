import { defineRules, NOT_DIFFERENTIABLE, record } from '../autograd/node.js';
import { isFloating, promoteTypes, type DType } from '../tensor/dtype.js';
import type { TensorLike } from '../tensor/methods.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Formulas } from './formula.js';
import { binaryKernel, expectTensor, operands } from './kernels.js';

/**
 * Integer arithmetic (on integer and float tensors alike) and the bitwise operations (integer and
 * bool tensors only), with PyTorch's names and semantics (the formulas: backend/js/integer-table.ts).
 * Integer division by zero is a RangeError, where PyTorch raises ZeroDivisionError.
 */
export const integerRules = defineRules({
  // remainder(a, b) = a − b·floor(a/b): ∂/∂a = 1, ∂/∂b = −floor(a/b) (floor's derivative taken as 0)
  remainder: (grad, [a, b]) => [
    a.requiresGrad ? grad : null,
    b.requiresGrad ? grad.mul(floorDivide(a, b)).neg() : null,
  ],
  // fmod(a, b) = a − b·trunc(a/b): ∂/∂a = 1, ∂/∂b = −trunc(a/b)
  fmod: (grad, [a, b]) => [
    a.requiresGrad ? grad : null,
    b.requiresGrad ? grad.mul(rounded('truncDivide', a, b)).neg() : null,
  ],
  floorDivide: NOT_DIFFERENTIABLE,
  truncDivide: NOT_DIFFERENTIABLE,
  bitwiseAnd: NOT_DIFFERENTIABLE,
  bitwiseOr: NOT_DIFFERENTIABLE,
  bitwiseXor: NOT_DIFFERENTIABLE,
  bitwiseLeftShift: NOT_DIFFERENTIABLE,
  bitwiseRightShift: NOT_DIFFERENTIABLE,
});

/** How the explanations write the rules above. */
export const integerDerivatives: Formulas<keyof typeof integerRules> = {
  remainder: ({ wrt, a, i }) => ({
    formula: i === 0 ? `${wrt} = 1` : `${wrt} = −floor(${a[0]}/${a[1]})`,
  }),
  fmod: ({ wrt, a, i }) => ({
    formula: i === 0 ? `${wrt} = 1` : `${wrt} = −trunc(${a[0]}/${a[1]})`,
  }),
  floorDivide: null,
  truncDivide: null,
  bitwiseAnd: null,
  bitwiseOr: null,
  bitwiseXor: null,
  bitwiseLeftShift: null,
  bitwiseRightShift: null,
};

type Division = 'remainder' | 'fmod' | 'floorDivide' | 'truncDivide';
type Bitwise = 'bitwiseAnd' | 'bitwiseOr' | 'bitwiseXor' | 'bitwiseLeftShift' | 'bitwiseRightShift';

/** A division-like op: promoted dtype; an integer result refuses a zero divisor. */
function rounded(op: Division, x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y, op);
  const dtype = promoteTypes(a.dtype, b.dtype);
  if (dtype === 'bool') throw new TypeError(`${op}: not defined for two bool tensors`);
  if (!isFloating(dtype)) {
    const zero = b.data.indexOf(0);
    if (zero >= 0) {
      const at = b.size === 1 ? '' : ` (element ${zero} of the divisor)`;
      throw new RangeError(`${op}: integer division by zero${at}`);
    }
  }
  return record(binaryKernel(op, a, b, op, dtype), [a, b], integerRules[op]);
}

/**
 * The remainder of a / b with the sign of b (Python's `%`, PyTorch's `remainder`), broadcasting;
 * exact on integers. Differentiable: ∂/∂a = 1, ∂/∂b = −floor(a/b).
 *
 * @example
 * remainder(tensor([5, -7], { dtype: 'int32' }), 3); // => [2, 2]
 */
export const remainder = (a: TensorLike, b: TensorLike): Tensor => rounded('remainder', a, b);

/**
 * The remainder of a / b with the sign of a (C's `fmod`, JavaScript's `%`), broadcasting.
 * Differentiable: ∂/∂a = 1, ∂/∂b = −trunc(a/b).
 *
 * @example
 * fmod(tensor([5, -7], { dtype: 'int32' }), 3); // => [2, -1]
 */
export const fmod = (a: TensorLike, b: TensorLike): Tensor => rounded('fmod', a, b);

/**
 * floor(a / b), broadcasting, in the promoted dtype (Python's `//`); the same as
 * `div(a, b, { roundingMode: 'floor' })`. Not differentiable.
 *
 * @example
 * floorDivide(tensor([5, -7], { dtype: 'int32' }), 2); // => [2, -4]
 */
export const floorDivide = (a: TensorLike, b: TensorLike): Tensor => rounded('floorDivide', a, b);

/** How `div` rounds its quotient: toward zero, or down. */
export type RoundingMode = 'trunc' | 'floor';

/** a / b rounded as `mode` says, in the promoted dtype (PyTorch's `div(…, rounding_mode)`). */
export function divRounded(a: TensorLike, b: TensorLike, mode: unknown): Tensor {
  if (mode === 'floor') return rounded('floorDivide', a, b);
  if (mode === 'trunc') return rounded('truncDivide', a, b);
  throw new TypeError(
    `div: roundingMode must be 'trunc' or 'floor' (or left out for true division), got ${JSON.stringify(mode)}`,
  );
}

function bitwise(op: Bitwise, x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y, op);
  for (const t of [a, b]) {
    if (isFloating(t.dtype))
      throw new TypeError(`${op}: needs integer or bool tensors, got ${t.dtype}`);
  }
  const dtype: DType = promoteTypes(a.dtype, b.dtype);
  if (dtype === 'bool' && (op === 'bitwiseLeftShift' || op === 'bitwiseRightShift'))
    throw new TypeError(`${op}: not defined for bool tensors, as in PyTorch`);
  return record(binaryKernel(op, a, b, op, dtype), [a, b], integerRules[op]);
}

/**
 * The bits of a and b and-ed (logical and for bool), broadcasting; integer and bool only.
 *
 * @example
 * bitwiseAnd(tensor([12, 10], { dtype: 'int32' }), 6); // => [4, 2]
 */
export const bitwiseAnd = (a: TensorLike, b: TensorLike): Tensor => bitwise('bitwiseAnd', a, b);
/** The bits of a and b or-ed (logical or for bool), broadcasting; integer and bool only. */
export const bitwiseOr = (a: TensorLike, b: TensorLike): Tensor => bitwise('bitwiseOr', a, b);
/** The bits of a and b xor-ed (logical xor for bool), broadcasting; integer and bool only. */
export const bitwiseXor = (a: TensorLike, b: TensorLike): Tensor => bitwise('bitwiseXor', a, b);
/**
 * a shifted left by b bits (the count taken modulo 32), wrapping in a's dtype; integers only.
 *
 * @example
 * bitwiseLeftShift(tensor([1, -3], { dtype: 'int32' }), 2); // => [4, -12]
 */
export const bitwiseLeftShift = (a: TensorLike, b: TensorLike): Tensor =>
  bitwise('bitwiseLeftShift', a, b);
/** a shifted right by b bits, arithmetically (the count taken modulo 32); integers only. */
export const bitwiseRightShift = (a: TensorLike, b: TensorLike): Tensor =>
  bitwise('bitwiseRightShift', a, b);

/**
 * Every bit flipped (logical not for bool); integer and bool only.
 *
 * @example
 * bitwiseNot(tensor([5, -6], { dtype: 'int32' })); // => [-6, 5]
 */
export function bitwiseNot(x: Tensor): Tensor {
  expectTensor(x, 'bitwiseNot');
  if (isFloating(x.dtype))
    throw new TypeError(`bitwiseNot: needs an integer or bool tensor, got ${x.dtype}`);
  // x xor all-ones: -1 is all ones in int32 and, stored as 255, in uint8.
  return x.dtype === 'bool' ? x.eq(0) : bitwise('bitwiseXor', x, -1);
}

/**
 * An integer sum, done in float64 (exact while the partial sums stay below 2⁵³, which int32 values
 * reach only past four million elements per sum), checked to fit in int32: nabla has no int64 to
 * widen into, as PyTorch does, and a sum that silently wrapped would be a wrong number.
 */
export function checkedIntegerSum(total: Tensor): Tensor {
  const data = total.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v > 2147483647 || v < -2147483648) {
      const at = data.length === 1 ? '' : ` (element ${i} of the result)`;
      throw new RangeError(
        `sum: the integer sum ${v}${at} overflows int32 (nabla has no int64); convert with .to('float64') before summing`,
      );
    }
  }
  return total.to('int32');
}
