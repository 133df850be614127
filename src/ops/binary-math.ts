import { defineRules, record } from '../autograd/node.js';
import { zerosLike } from '../tensor/creation.js';
import { isFloating, promoteTypes } from '../tensor/dtype.js';
import type { TensorLike } from '../tensor/methods.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul, sub, where } from './binary.js';
import type { Formulas } from './formula.js';
import { binaryKernel, expectTensor, operand, operands } from './kernels.js';

/**
 * Element-wise binary functions of PyTorch's math library, each one primitive with broadcasting
 * (formulas in `backend/js/binary-table.ts`). Their derivatives follow PyTorch's, also where the
 * function has no derivative: atan2 and hypot at (0, 0) give NaN (0/0), copysign gives 0 with
 * respect to a where a = 0, and xlogy gives 0 with respect to x where x = 0.
 */
export const mathBinaryRules = defineRules({
  // ∂atan2(a, b)/∂a = b/(a² + b²), ∂atan2(a, b)/∂b = −a/(a² + b²)
  atan2: (grad, [a, b]) => {
    const r = a.mul(a).add(b.mul(b));
    return [
      a.requiresGrad ? grad.mul(b).div(r) : null,
      b.requiresGrad ? grad.mul(a).div(r).neg() : null,
    ];
  },
  // ∂hypot(a, b)/∂a = a/hypot, ∂hypot(a, b)/∂b = b/hypot
  hypot: (grad, [a, b], out) => [
    a.requiresGrad ? grad.mul(a).div(out) : null,
    b.requiresGrad ? grad.mul(b).div(out) : null,
  ],
  // ∂copysign(a, b)/∂a = sign(a)·sign(out) (±1; 0 where a = 0), ∂/∂b = 0
  copysign: (grad, [a, b], out) => [grad.mul(a.sign().mul(out.sign())), zerosLike(b)],
  // ∂logaddexp(a, b)/∂a = e^a/(e^a + e^b) = σ(a − b), and σ(b − a) for b
  logaddexp: (grad, [a, b]) => [
    a.requiresGrad ? grad.mul(a.sub(b).sigmoid()) : null,
    b.requiresGrad ? grad.mul(b.sub(a).sigmoid()) : null,
  ],
  // ∂(x·log y)/∂x = log y (0 where x = 0), ∂(x·log y)/∂y = x/y
  xlogy: (grad, [x, y]) => [
    x.requiresGrad ? grad.mul(xlogy(x.ne(0), y)) : null,
    y.requiresGrad ? grad.mul(x).div(y) : null,
  ],
});

/** How the explanations write the rules above. */
export const mathBinaryDerivatives: Formulas<keyof typeof mathBinaryRules> = {
  atan2: ({ wrt, a, i }) => ({
    formula: `${wrt} = ${i === 0 ? a[1] : `−${a[0]}`}/(${a[0]}² + ${a[1]}²)`,
  }),
  hypot: ({ wrt, x, self }) => ({ formula: `${wrt} = ${x}/${self}` }),
  copysign: ({ wrt, a, i, self }) => ({
    formula: i === 0 ? `${wrt} = ${self}/${a[0]} (±1; 0 where ${a[0]} = 0)` : `${wrt} = 0`,
  }),
  logaddexp: ({ wrt, x, other }) => ({ formula: `${wrt} = σ(${x} − ${other})` }),
  xlogy: ({ wrt, a, i }) => ({
    formula: i === 0 ? `${wrt} = ln ${a[1]} (0 where ${a[0]} = 0)` : `${wrt} = ${a[0]}/${a[1]}`,
  }),
};

type MathBinary = keyof typeof mathBinaryRules;

/** A binary math function: floating point even for int32 operands, as PyTorch's. */
function floatBinary(op: MathBinary, x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = operands(x, y, op);
  const dtype = promoteTypes(a.dtype, b.dtype);
  const out = binaryKernel(op, a, b, op, isFloating(dtype) ? dtype : 'float32');
  return record(out, [a, b], mathBinaryRules[op]);
}

/**
 * The angle of the point (b, a) in (−π, π], as PyTorch's `atan2(input, other)`, broadcasting.
 *
 * @example
 * atan2(tensor([1, 1]), tensor([1, -1])); // ≈ [0.7854, 2.3562]
 */
export const atan2 = (a: TensorLike, b: TensorLike): Tensor => floatBinary('atan2', a, b);

/**
 * √(a² + b²) without overflow or underflow in the squares, as PyTorch's `hypot`.
 *
 * @example
 * hypot(tensor([3, 1e200], { dtype: 'float64' }), 4); // => [5, 1e200]
 */
export const hypot = (a: TensorLike, b: TensorLike): Tensor => floatBinary('hypot', a, b);

/**
 * |a| with the sign of b (−0 counts as negative), as PyTorch's `copysign`.
 *
 * @example
 * copysign(tensor([1, 2, 3]), tensor([-1, 0, -0])); // => [-1, 2, -3]
 */
export const copysign = (a: TensorLike, b: TensorLike): Tensor => floatBinary('copysign', a, b);

/**
 * log(e^a + e^b), computed without overflow, as PyTorch's `logaddexp`.
 *
 * @example
 * logaddexp(tensor([1000, 0], { dtype: 'float64' }), 0); // ≈ [1000, 0.6931]
 */
export const logaddexp = (a: TensorLike, b: TensorLike): Tensor => floatBinary('logaddexp', a, b);

/**
 * x·log(y), and 0 where x = 0 (unless y is NaN), as PyTorch's `xlogy`: the term of an entropy or
 * a KL divergence, finite at x = 0 where `x.mul(y.log())` gives 0·(−∞) = NaN.
 *
 * @example
 * xlogy(tensor([0, 2]), tensor([0, Math.E])); // => [0, 2]
 */
export const xlogy = (x: TensorLike, y: TensorLike): Tensor => floatBinary('xlogy', x, y);

/**
 * start + weight·(end − start), as PyTorch's `lerp`: computed from the nearer end (for weight
 * ≥ 0.5 as end − (end − start)·(1 − weight)), so the result is exactly `end` at weight 1. The
 * weight is a number or a tensor; all three broadcast. Differentiable in all three.
 *
 * @example
 * lerp(tensor([1, 1]), tensor([3, 5]), 0.5); // => [2, 3]
 * lerp(tensor([0]), tensor([10]), tensor([0.25])); // => [2.5]
 */
export function lerp(start: Tensor, end: TensorLike, weight: TensorLike): Tensor {
  expectTensor(start, 'lerp');
  operand(end, start, 'lerp');
  if (typeof weight !== 'number') expectTensor(weight, 'lerp', 'its weight (or a number)');
  const diff = sub(end, start);
  if (typeof weight === 'number') {
    return weight < 0.5 ? start.add(diff.mul(weight)) : sub(end, diff.mul(1 - weight));
  }
  const near = add(start, mul(weight, diff));
  const far = sub(end, mul(diff, sub(1, weight)));
  return where(weight.lt(0.5), near, far);
}
