import { backend } from '../backend/index.js';
import { defineRules, record } from '../autograd/node.js';
import { allocateOverwritten, promoteTypes } from '../tensor/dtype.js';
import { fail } from '../tensor/check.js';
import { broadcastShapes, formatShape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Formulas } from './formula.js';
import { fusedGradInPlace } from './fused-grads.js';

interface MatmulAttrs {
  transA: boolean;
  transB: boolean;
}

/** The activations {@link linearActivation} fuses into a layer's forward pass. */
export type FusedActivation = 'relu' | 'tanh' | 'sigmoid';

/** Each fused activation's gradient, from its result y (relu's: where y > 0, as where x > 0). */
const ACTIVATION_GRAD = { relu: 'reluGrad', tanh: 'tanhGrad', sigmoid: 'sigmoidGrad' } as const;

/** linear(x, W, b)'s gradients given G, the gradient of its result. */
const linearGrads = (grad: Tensor, [x, w, b]: readonly Tensor[]): (Tensor | null)[] => [
  x.requiresGrad ? product(grad, w, false, false) : null,
  w.requiresGrad ? product(grad, x, true, false) : null,
  b.requiresGrad ? grad.sum(0) : null,
];

/**
 * The batched matrix-product primitive C = op(A)·op(B), where op transposes the last two
 * dimensions when `transA` / `transB` is set. Its gradients are products of the same kind, so no
 * transpose is ever copied; batch dimensions broadcast and the engine sums them back.
 */
export const matmulRules = defineRules({
  // ∂L/∂A = G·op(B)ᵀ (or its transpose when A was transposed); ∂L/∂B = op(A)ᵀ·G (likewise)
  matmul: (grad, [a, b], _out, { transA, transB }: MatmulAttrs) => [
    a.requiresGrad
      ? transA
        ? product(b, grad, transB, true)
        : product(grad, b, false, !transB)
      : null,
    b.requiresGrad
      ? transB
        ? product(grad, a, true, transA)
        : product(a, grad, !transA, false)
      : null,
  ],
  // linear(x, W, b) = x·Wᵀ + b: ∂/∂x = G·W, ∂/∂W = Gᵀ·x, ∂/∂b = Σ over the batch of G
  linear: linearGrads,
  // act(x·Wᵀ + b): G through the activation first (from the result), then linear's rule
  linearActivation: (grad, inputs, out, { activation }: { activation: FusedActivation }) =>
    linearGrads(fusedGradInPlace(ACTIVATION_GRAD[activation], grad, out), inputs),
});

const T = (name: string): string => `${name}ᵀ`;

/** How the explanations write the rules above, in the lectures' words. */
export const matmulDerivatives: Formulas<keyof typeof matmulRules> = {
  // C = op(A)·op(B), op transposing when transA / transB is set: ∂/∂op(A) = G·op(B)ᵀ, ∂/∂op(B) = op(A)ᵀ·G.
  matmul: ({ wrt, a, i, attrs }) => {
    const [A, B] = a;
    const opA = attrs.transA === true ? T(A) : A;
    const opB = attrs.transB === true ? T(B) : B;
    const opAT = attrs.transA === true ? A : T(A);
    const opBT = attrs.transB === true ? B : T(B);
    if (i === 0)
      return {
        formula: `${wrt} = ${opB} (${opA} is multiplied by it on the right)`,
        rule: attrs.transA === true ? `${opB}·upstreamᵀ` : `upstream·${opBT}`,
        local: ([, b]) => b,
      };
    return {
      formula: `${wrt} = ${opA} (${opB} is multiplied by it on the left)`,
      rule: attrs.transB === true ? `upstreamᵀ·${opA}` : `${opAT}·upstream`,
      local: ([x]) => x,
    };
  },
  // linear(x, W, b) = x·Wᵀ + b, the forward pass of a layer: s = o·Wᵀ + b.
  linear: ({ self, wrt, a, i }) => {
    const [x, W] = a;
    if (i === 0) return { formula: `${wrt} = ${W}`, rule: `upstream·${W}`, local: ([, w]) => w };
    if (i === 1)
      return {
        formula: `∂${self}ᵢ/∂${W}ᵢⱼ = ${x}ⱼ`,
        rule: `upstreamᵀ·${x} (the outer product δ·oᵀ)`,
      };
    return { formula: `${wrt} = 1`, rule: 'Σ upstream over the batch (its rows)' };
  },
  // act(x·Wᵀ + b), a layer and its activation in one node (trace and explain show the two).
  linearActivation: ({ wrt, a, i, attrs }) => {
    const [x, W] = a;
    const act = `${String(attrs.activation)}′(s)`;
    if (i === 0) return { formula: `${wrt} = ${act}·${W}`, rule: `(upstream ⊙ ${act})·${W}` };
    if (i === 1) return { formula: `${wrt} = ${act}·${x}`, rule: `(upstream ⊙ ${act})ᵀ·${x}` };
    return { formula: `${wrt} = ${act}`, rule: `Σ over the batch of upstream ⊙ ${act}` };
  },
};

/** x·Wᵀ + b into a fresh array (its dtype and [m, n] too), after checking the shapes. */
function linearForward(where: string, x: Tensor, w: Tensor, b: Tensor) {
  const [m, k] = x.shape;
  const n = w.shape[0];
  if (x.ndim !== 2 || w.ndim !== 2 || b.ndim !== 1 || w.shape[1] !== k || b.shape[0] !== n) {
    throw new RangeError(
      `${where}: expected x [batch, in], W [out, in] and b [out], got ${formatShape(x.shape)}, ${formatShape(w.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const dtype = promoteTypes(promoteTypes(x.dtype, w.dtype), b.dtype);
  const out = allocateOverwritten(dtype, m * n);
  backend().matmul(x.data, w.data, out, 1, m, n, k, false, true, 0, 0);
  // out += b broadcast over the rows, in place (a backend kernel: the native one is vectorized).
  backend().binary('add', out, [n, 1], b.data, [0, 1], out, [m, n]);
  return { out, shape: [m, n] };
}

/**
 * x·Wᵀ + b for x [batch, in], W [out, in] and b [out]: one fused primitive (for speed: one array and
 * one pass instead of two), the forward pass of a Linear layer.
 */
export function linear(x: Tensor, w: Tensor, b: Tensor): Tensor {
  const { out, shape } = linearForward('linear', x, w, b);
  return record(new Tensor(out, shape), [x, w, b], matmulRules.linear);
}

/**
 * act(x·Wᵀ + b): a Linear layer and the activation after it in one primitive, as `Sequential` runs
 * them. One array instead of two (the activation is applied in place) and one node instead of two;
 * the values and gradients are those of `linear` then the activation, to the bit. `trace` and
 * `explain` show it as the two operations.
 *
 * @example
 * const x = randn([4, 3]);
 * const [w, b] = [randn([2, 3]), randn([2])];
 * linearActivation(x, w, b, 'tanh').data; // the bits of linear(x, w, b).tanh().data
 */
export function linearActivation(
  x: Tensor,
  w: Tensor,
  b: Tensor,
  activation: FusedActivation,
): Tensor {
  if (!Object.hasOwn(ACTIVATION_GRAD, activation))
    fail({ where: 'linearActivation' }, 'activation', "'relu', 'tanh' or 'sigmoid'", activation);
  const { out, shape } = linearForward('linearActivation', x, w, b);
  backend().unary(activation, out, out);
  return record(new Tensor(out, shape), [x, w, b], matmulRules.linearActivation, { activation });
}

/** Rows and columns of op(X). */
function dims(x: Tensor, trans: boolean): [number, number] {
  const r = x.shape[x.ndim - 2];
  const c = x.shape[x.ndim - 1];
  return trans ? [c, r] : [r, c];
}

/**
 * op(a)·op(b) for tensors of at least 2 dimensions whose batch dimensions broadcast. A batch that
 * does not match the result is expanded first, except a batch of one matrix, which is reused.
 */
export function product(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const [m, k] = dims(a, transA);
  const [k2, n] = dims(b, transB);
  if (k !== k2) {
    throw new RangeError(
      `matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: inner dimensions ${k} and ${k2} differ`,
    );
  }
  if (a.ndim === 2 && b.ndim === 2) {
    // The common case, without batch bookkeeping.
    const out = allocateOverwritten(promoteTypes(a.dtype, b.dtype), m * n);
    backend().matmul(a.data, b.data, out, 1, m, n, k, transA, transB, 0, 0);
    return record(new Tensor(out, [m, n]), [a, b], matmulRules.matmul, { transA, transB });
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes(aBatch, bBatch, 'matmul');
  } catch {
    throw new RangeError(
      `matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: their batch dimensions ${formatShape(aBatch)} and ${formatShape(bBatch)} do not broadcast`,
    );
  }
  const count = sizeOf(batch);
  let left = a;
  let right = b;
  if (sizeOf(aBatch) !== 1 && !shapesEqual(aBatch, batch))
    left = a.expand([...batch, ...a.shape.slice(-2)]);
  if (sizeOf(bBatch) !== 1 && !shapesEqual(bBatch, batch))
    right = b.expand([...batch, ...b.shape.slice(-2)]);
  const shape = [...batch, m, n];
  const out = allocateOverwritten(promoteTypes(a.dtype, b.dtype), sizeOf(shape));
  backend().matmul(
    left.data,
    right.data,
    out,
    count,
    m,
    n,
    k,
    transA,
    transB,
    sizeOf(left.shape.slice(0, -2)) === 1 ? 0 : m * k,
    sizeOf(right.shape.slice(0, -2)) === 1 ? 0 : k * n,
  );
  return record(new Tensor(out, shape), [left, right], matmulRules.matmul, { transA, transB });
}

/**
 * Matrix product with PyTorch's rules: 1-D·1-D is a dot product (0-d result); a 1-D left operand
 * is a row vector and a 1-D right operand a column vector, their added dimension removed from the
 * result; operands of more than 2 dimensions are batches of matrices whose batch dimensions
 * broadcast.
 *
 * @example
 * matmul(ones([2, 3]), ones([3, 4])).shape; // => [2, 4]
 * matmul(ones([5, 2, 3]), ones([3])).shape; // => [5, 2]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor))
    throw new TypeError('matmul: both operands must be Tensors');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(
      `matmul: both operands need at least 1 dimension, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const left = a.ndim === 1 ? a.unsqueeze(0) : a;
  const right = b.ndim === 1 ? b.unsqueeze(1) : b;
  const ka = left.shape[left.ndim - 1];
  const kb = right.shape[right.ndim - 2];
  if (ka !== kb) {
    throw new RangeError(
      `matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: inner dimensions ${ka} and ${kb} differ`,
    );
  }
  let out = product(left, right, false, false);
  if (a.ndim === 1 && b.ndim === 1) return out.reshape([]);
  if (a.ndim === 1) out = out.squeeze(-2);
  if (b.ndim === 1) out = out.squeeze(-1);
  return out;
}
