import { backend, type BinaryKernel } from '../backend/index.js';
import { defineRules, NOT_DIFFERENTIABLE, record } from '../autograd/node.js';
import { allocate, isFloating, promoteTypes, type DType } from '../tensor/dtype.js';
import type { TensorLike } from '../tensor/methods.js';
import { broadcastStrides, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { binaryKernel, broadcastAll, operand, operands } from './kernels.js';
import { powScalar } from './elementwise.js';
import type { Formulas } from './formula.js';
import { divRounded, type RoundingMode } from './integer.js';
import { boolArithmetic } from './logical.js';

/**
 * Element-wise binary primitives, with broadcasting. A rule may return a gradient of the
 * broadcast shape: the engine sums it back to each input's shape. Ties in maximum/minimum split
 * the gradient evenly between the two inputs, as PyTorch does.
 */
export const binaryRules = defineRules({
  // ∂(a+b)/∂a = 1, ∂(a+b)/∂b = 1: addition distributes the gradient
  add: (grad) => [grad, grad],
  // ∂(a-b)/∂a = 1, ∂(a-b)/∂b = -1
  sub: (grad) => [grad, grad.neg()],
  // ∂(ab)/∂a = b, ∂(ab)/∂b = a: multiplication swaps its inputs
  mul: (grad, [a, b]) => [a.requiresGrad ? grad.mul(b) : null, b.requiresGrad ? grad.mul(a) : null],
  // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = -a/b² = -out/b
  div: (grad, [a, b], out) => [
    a.requiresGrad ? grad.div(b) : null,
    b.requiresGrad ? grad.mul(out).div(b).neg() : null,
  ],
  // ∂(a^b)/∂a = b·a^(b-1), exactly 0 where b = 0 (else 0·0^-1 = NaN at a = 0);
  // ∂(a^b)/∂b = a^b·ln a, taken as 0 where a = 0 and b ≥ 0 (as PyTorch: at a = 0 and b < 0 it
  // is ∞·(−∞) = −∞)
  pow: (grad, [a, b], out) => [
    a.requiresGrad ? where(b.eq(0), 0, grad.mul(b).mul(a.pow(b.sub(1)))) : null,
    b.requiresGrad ? where(a.eq(0).mul(b.ge(0)), 0, grad.mul(out).mul(a.log())) : null,
  ],
  // ∂max(a,b)/∂a = 1 where a > b, ½ where a = b, else 0: max routes the gradient
  maximum: (grad, [a, b]) => {
    const toA = a.gt(b).add(a.eq(b).mul(0.5));
    return [grad.mul(toA), grad.mul(toA.neg().add(1))];
  },
  // ∂min(a,b)/∂a = 1 where a < b, ½ where a = b, else 0
  minimum: (grad, [a, b]) => {
    const toA = a.lt(b).add(a.eq(b).mul(0.5));
    return [grad.mul(toA), grad.mul(toA.neg().add(1))];
  },
  // where(c, a, b): the gradient goes to a where c holds, to b elsewhere; none to c
  where: (grad, [cond]) => [null, where(cond, grad, 0), where(cond, 0, grad)],
  eq: NOT_DIFFERENTIABLE,
  ne: NOT_DIFFERENTIABLE,
  lt: NOT_DIFFERENTIABLE,
  le: NOT_DIFFERENTIABLE,
  gt: NOT_DIFFERENTIABLE,
  ge: NOT_DIFFERENTIABLE,
});

/** How the explanations write the rules above, in the lectures' words. */
export const binaryDerivatives: Formulas<keyof typeof binaryRules> = {
  add: ({ wrt }) => ({ formula: `${wrt} = 1` }),
  sub: ({ wrt, i }) => ({ formula: `${wrt} = ${i === 0 ? '1' : '−1'}` }),
  mul: ({ wrt, other }) => ({ formula: `${wrt} = ${other}` }),
  div: ({ wrt, a, i, x, other }) => ({
    formula: i === 0 ? `${wrt} = 1/${other}` : `${wrt} = −${a[0]}/${x}²`,
  }),
  pow: ({ wrt, a, i }) => ({
    formula:
      i === 0 ? `${wrt} = ${a[1]}·${a[0]}^(${a[1]} − 1)` : `${wrt} = ${a[0]}^${a[1]}·ln ${a[0]}`,
  }),
  maximum: ({ wrt, x }) => ({
    formula: `${wrt} = 1 if ${x} is the larger (½ on a tie), else 0`,
  }),
  minimum: ({ wrt, x }) => ({
    formula: `${wrt} = 1 if ${x} is the smaller (½ on a tie), else 0`,
  }),
  where: ({ wrt, a, i }) => ({
    formula: `${wrt} = ${i === 1 ? '1' : '0'} where ${a[0]} holds, else ${i === 1 ? '0' : '1'}`,
  }),
  eq: null,
  ne: null,
  lt: null,
  le: null,
  gt: null,
  ge: null,
};

type Arithmetic = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';

function arithmetic(op: Arithmetic, x: TensorLike, y: TensorLike, dtype?: DType): Tensor {
  const [a, b] = operands(x, y, op);
  // Two bools give bool (div, given its float dtype, is true division).
  const kernel =
    dtype === undefined && a.dtype === 'bool' && b.dtype === 'bool' ? boolArithmetic(op) : op;
  return record(binaryKernel(kernel, a, b, op, dtype), [a, b], binaryRules[op]);
}

/** a + b, broadcasting. */
export const add = (a: TensorLike, b: TensorLike): Tensor => arithmetic('add', a, b);
/** a - b, broadcasting. */
export const sub = (a: TensorLike, b: TensorLike): Tensor => arithmetic('sub', a, b);
/** a · b, broadcasting. */
export const mul = (a: TensorLike, b: TensorLike): Tensor => arithmetic('mul', a, b);

/**
 * a / b, broadcasting: true division (integer and bool operands give float32), or rounded with
 * `roundingMode` 'trunc' or 'floor' in the promoted dtype (not differentiable then).
 *
 * @example
 * div(tensor([7, -7], { dtype: 'int32' }), 2, { roundingMode: 'floor' }); // => [3, -4]
 */
export function div(
  a: TensorLike,
  b: TensorLike,
  options?: { roundingMode?: RoundingMode },
): Tensor {
  if (options?.roundingMode !== undefined) return divRounded(a, b, options.roundingMode);
  const [x, y] = operands(a, b, 'div');
  const dtype = promoteTypes(x.dtype, y.dtype);
  return arithmetic('div', x, y, isFloating(dtype) ? dtype : 'float32');
}

/** a ** b: a number exponent uses the `powScalar` primitive; a tensor exponent broadcasts. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (a instanceof Tensor && typeof b === 'number') return powScalar(a, b);
  return arithmetic('pow', a, b);
}

/** The element-wise larger of a and b. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => arithmetic('maximum', a, b);
/** The element-wise smaller of a and b. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => arithmetic('minimum', a, b);

type Comparison = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

function compare(op: Comparison, x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y, op);
  return record(binaryKernel(op as BinaryKernel, a, b, op, 'bool'), [a, b], binaryRules[op]);
}

/** true where a = b (bool, as PyTorch's comparisons). */
export const eq = (a: TensorLike, b: TensorLike): Tensor => compare('eq', a, b);
/** true where a ≠ b (bool). */
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare('ne', a, b);
/** true where a < b (bool). */
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare('lt', a, b);
/** true where a ≤ b (bool). */
export const le = (a: TensorLike, b: TensorLike): Tensor => compare('le', a, b);
/** true where a > b (bool). */
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare('gt', a, b);
/** true where a ≥ b (bool). */
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare('ge', a, b);

/**
 * `a` where `condition` is true, `b` elsewhere; the three broadcast together. The condition is
 * normally bool (a comparison's result); any other dtype counts non-zero as true (PyTorch
 * requires bool).
 *
 * @example
 * const x = tensor([-1, 0.5, 2]);
 * // relu, written by hand:
 * where(x.gt(0), x, 0); // => [0, 0.5, 2]
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : undefined;
  let c: Tensor;
  let x: Tensor;
  let y: Tensor;
  if (like === undefined) {
    if (!(condition instanceof Tensor))
      throw new TypeError('where: at least one argument must be a Tensor');
    c = condition;
    x = operand(a, new Tensor(new Float32Array(1), []), 'where');
    y = operand(b, x, 'where');
  } else {
    [x, y] = operands(a, b, 'where');
    c = operand(condition, like, 'where');
  }
  const shape = broadcastAll([c.shape, x.shape, y.shape], 'where');
  const out = allocate(promoteTypes(x.dtype, y.dtype), sizeOf(shape));
  backend().where(
    c.data,
    broadcastStrides(c.shape, shape),
    x.data,
    broadcastStrides(x.shape, shape),
    y.data,
    broadcastStrides(y.shape, shape),
    out,
    shape,
  );
  return record(new Tensor(out, shape), [c, x, y], binaryRules.where);
}
