import { defineRules, NOT_DIFFERENTIABLE, record } from '../autograd/node.js';
import type { BinaryKernel } from '../backend/index.js';
import type { Axes, TensorLike } from '../tensor/methods.js';
import { normalizeAxes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Formulas } from './formula.js';
import { binaryKernel, expectTensor, operands } from './kernels.js';

/**
 * The logical operations: any dtype in (non-zero, NaN included, is true), bool out, as PyTorch's
 * `logical_*`; and the reductions `any` and `all`. None is differentiable.
 */
export const logicalRules = defineRules({
  logicalAnd: NOT_DIFFERENTIABLE,
  logicalOr: NOT_DIFFERENTIABLE,
  logicalXor: NOT_DIFFERENTIABLE,
});

/** The logical ops have no derivative to explain. */
export const logicalDerivatives: Formulas<keyof typeof logicalRules> = {
  logicalAnd: null,
  logicalOr: null,
  logicalXor: null,
};

type Logical = keyof typeof logicalRules;

function logical(op: Logical, x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y, op);
  return record(binaryKernel(op, a, b, op, 'bool'), [a, b], logicalRules[op]);
}

/**
 * true where both a and b are non-zero (bool), broadcasting.
 *
 * @example
 * logicalAnd(tensor([1, 0, 2]), tensor([true, true, false])); // => [true, false, false]
 */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => logical('logicalAnd', a, b);
/** true where a or b is non-zero (bool), broadcasting. */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => logical('logicalOr', a, b);
/** true where exactly one of a and b is non-zero (bool), broadcasting. */
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => logical('logicalXor', a, b);

/**
 * true where x is 0 (bool); NaN is non-zero, so gives false.
 *
 * @example
 * logicalNot(tensor([0, 2, NaN])); // => [true, false, false]
 */
export function logicalNot(x: Tensor): Tensor {
  expectTensor(x, 'logicalNot');
  return x.eq(0);
}

/**
 * Whether any element is non-zero, over all elements or along `axis`, as a bool tensor (false
 * over an empty set). `keepdims` keeps the reduced axes as size 1.
 *
 * @example
 * any(tensor([[0, 1], [0, 0]]), 1); // => [true, false]
 */
export function any(x: Tensor, axis?: Axes, keepdims?: boolean): Tensor {
  expectTensor(x, 'any');
  const axes = normalizeAxes(axis, x.ndim, 'any');
  // Counted in float64, exact for any size a tensor can have.
  return x.ne(0).to('float64').sum(axes, keepdims).gt(0);
}

/**
 * Whether every element is non-zero, over all elements or along `axis`, as a bool tensor (true
 * over an empty set). `keepdims` keeps the reduced axes as size 1.
 *
 * @example
 * all(tensor([[1, 0], [1, 1]]), -1); // => [false, true]
 */
export function all(x: Tensor, axis?: Axes, keepdims?: boolean): Tensor {
  expectTensor(x, 'all');
  const axes = normalizeAxes(axis, x.ndim, 'all');
  return x.eq(0).to('float64').sum(axes, keepdims).eq(0);
}

/**
 * The kernel of `add`, `mul`, `maximum` and `minimum` over two bool tensors, whose result is bool
 * as in PyTorch (a sum of trues is true, not 2): or for `add` and `maximum`, and for `mul` and
 * `minimum`. `sub` and `pow` of bools are errors, as in PyTorch.
 */
export function boolArithmetic(op: string): BinaryKernel {
  if (op === 'add' || op === 'maximum') return 'logicalOr';
  if (op === 'mul' || op === 'minimum') return 'logicalAnd';
  const hint = op === 'sub' ? '; use logicalXor, or convert with .to("int32") first' : '';
  throw new TypeError(`${op}: not defined for two bool tensors, as in PyTorch${hint}`);
}
