import { backend, type ReduceKernel } from '../backend/index.js';
import { defineRules, NOT_DIFFERENTIABLE, record } from '../autograd/node.js';
import { allocate, isFloating } from '../tensor/dtype.js';
import type { Axes } from '../tensor/methods.js';
import { formatShape, normalizeAxes, normalizeAxis, type Shape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import type { Formulas } from './formula.js';
import { checkedIntegerSum } from './integer.js';
import { expectTensor } from './kernels.js';

/** The shape with the reduced axes kept as size 1. */
function keptShape(shape: Shape, axes: readonly number[]): number[] {
  const out = shape.slice();
  for (const a of axes) out[a] = 1;
  return out;
}

/** The shape with the reduced axes removed. */
function droppedShape(shape: Shape, axes: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0, j = 0; i < shape.length; i++) {
    if (j < axes.length && axes[j] === i) j++;
    else out.push(shape[i]);
  }
  return out;
}

/** A reduced result (or its gradient) viewed with the reduced axes kept, ready to broadcast. */
function withKeptAxes(t: Tensor, xShape: Shape, axes: readonly number[]): Tensor {
  return t.reshape(keptShape(xShape, axes));
}

interface ReduceAttrs {
  axes: readonly number[];
}

/**
 * Reduction primitives. `sum` sends the gradient back to every element it added; `max`/`min`
 * route it to the elements equal to the result, split evenly among ties (as `torch.amax`).
 */
export const reduceRules = defineRules({
  // ∂(Σx)/∂xᵢ = 1
  sum: (grad, [x], _out, { axes }: ReduceAttrs) => [
    withKeptAxes(grad, x.shape, axes).expand(x.shape),
  ],
  // ∂max(x)/∂xᵢ = 1/k for the k elements equal to the maximum, else 0
  max: (grad, [x], out, { axes }: ReduceAttrs) => [routeToExtremes(grad, x, out, axes)],
  // ∂min(x)/∂xᵢ = 1/k for the k elements equal to the minimum, else 0
  min: (grad, [x], out, { axes }: ReduceAttrs) => [routeToExtremes(grad, x, out, axes)],
  // ∂ logsoftmax(x)ᵢ/∂xⱼ = δᵢⱼ − softmax(x)ⱼ, so the vector-Jacobian product is g − softmax·Σg
  logSoftmax: (grad, _inputs, out, { axis }: { axis: number }) => [
    grad.sub(out.exp().mul(grad.sum(axis, true))),
  ],
  argmax: NOT_DIFFERENTIABLE,
  argmin: NOT_DIFFERENTIABLE,
});

/** How the explanations write the rules above, in the lectures' words. */
export const reduceDerivatives: Formulas<keyof typeof reduceRules> = {
  sum: ({ self, x }) => ({ formula: `∂${self}/∂${x}ᵢ = 1` }),
  max: ({ self, x }) => ({
    formula: `∂${self}/∂${x}ᵢ = 1/k for the k elements equal to the maximum, else 0`,
  }),
  min: ({ self, x }) => ({
    formula: `∂${self}/∂${x}ᵢ = 1/k for the k elements equal to the minimum, else 0`,
  }),
  logSoftmax: ({ self, x }) => ({
    formula: `∂${self}ᵢ/∂${x}ⱼ = [i = j] − softmax(${x})ⱼ`,
    rule: `upstream − softmax(${x})·Σ upstream`,
    local: (_inputs, out) => out.exp(),
  }),
  argmax: null,
  argmin: null,
};

function routeToExtremes(grad: Tensor, x: Tensor, out: Tensor, axes: readonly number[]): Tensor {
  // The hits as numbers of the gradient's dtype: counted exactly, without an integer sum's check.
  const hits = x.eq(withKeptAxes(out, x.shape, axes)).to(grad.dtype);
  const count = hits.sum(axes, true);
  return withKeptAxes(grad, x.shape, axes).mul(hits).div(count);
}

function reduce(
  op: ReduceKernel,
  x: Tensor,
  axis: Axes | undefined,
  keepdims: boolean | undefined,
): Tensor {
  expectTensor(x, op);
  const axes = normalizeAxes(axis, x.ndim, op);
  if (op !== 'sum') {
    for (const a of axes) {
      if (x.shape[a] === 0) {
        throw new RangeError(
          `${op}: cannot reduce over an empty dimension (shape ${formatShape(x.shape)}, axis ${a}); there is no ${op === 'max' ? 'largest' : 'smallest'} element`,
        );
      }
    }
    if (x.size === 0 && axes.length === 0 && x.ndim > 0) {
      throw new RangeError(`${op}: cannot reduce an empty tensor (shape ${formatShape(x.shape)})`);
    }
  }
  const shape = keepdims ? keptShape(x.shape, axes) : droppedShape(x.shape, axes);
  const out = allocate(x.dtype, sizeOf(shape));
  backend().reduce(op, x.data, x.shape, axes, out);
  return record(new Tensor(out, shape), [x], reduceRules[op], {
    axes,
    keepdims: keepdims ?? false,
  });
}

/**
 * Sum over all elements, or over `axis` (one or several); `keepdims` keeps them as size 1. The sum
 * of an integer or bool tensor is int32, and a RangeError when it does not fit (never wrapped).
 */
export function sum(x: Tensor, axis?: Axes, keepdims?: boolean): Tensor {
  if (x instanceof Tensor && !isFloating(x.dtype))
    return checkedIntegerSum(reduce('sum', x.to('float64'), axis, keepdims));
  return reduce('sum', x, axis, keepdims);
}
/** Largest element over all elements or `axis` (values only; see `argmax` for positions). */
export const max = (x: Tensor, axis?: Axes, keepdims?: boolean): Tensor =>
  reduce('max', x, axis, keepdims);
/** Smallest element over all elements or `axis`. */
export const min = (x: Tensor, axis?: Axes, keepdims?: boolean): Tensor =>
  reduce('min', x, axis, keepdims);

/** Mean over all elements or `axis` (integer and bool input give float32; PyTorch refuses them). */
export function mean(x: Tensor, axis?: Axes, keepdims?: boolean): Tensor {
  expectTensor(x, 'mean');
  const axes = normalizeAxes(axis, x.ndim, 'mean');
  let n = 1;
  for (const a of axes) n *= x.shape[a];
  const input = isFloating(x.dtype) ? x : x.to('float32');
  return sum(input, axes, keepdims).div(n);
}

function argReduce(
  op: 'argmax' | 'argmin',
  x: Tensor,
  axis: number | undefined,
  keepdims: boolean | undefined,
): Tensor {
  expectTensor(x, op);
  if (x.size === 0)
    throw new RangeError(
      `${op}: cannot take the ${op} of an empty tensor (shape ${formatShape(x.shape)})`,
    );
  let source = x;
  let ax: number;
  let shape: number[];
  if (axis === undefined) {
    source = x.reshape([x.size]);
    ax = 0;
    shape = keepdims ? x.shape.map(() => 1) : [];
  } else {
    ax = normalizeAxis(axis, x.ndim, op);
    if (x.ndim === 0) {
      source = x.reshape([1]);
      shape = [];
      ax = 0;
    } else {
      shape = keepdims ? keptShape(x.shape, [ax]) : x.shape.filter((_, i) => i !== ax);
    }
  }
  const out = new Int32Array(sizeOf(shape));
  backend().argReduce(op, source.data, source.shape, ax, out);
  return record(new Tensor(out, shape), [x], reduceRules[op], {
    axis: ax,
    keepdims: keepdims ?? false,
  });
}

/** Index of the largest element (of the flattened tensor, or along `axis`), as int32; first on ties. */
export const argmax = (x: Tensor, axis?: number, keepdims?: boolean): Tensor =>
  argReduce('argmax', x, axis, keepdims);
/** Index of the smallest element, as int32; first on ties. */
export const argmin = (x: Tensor, axis?: number, keepdims?: boolean): Tensor =>
  argReduce('argmin', x, axis, keepdims);

/** x − max(x) over `axes` (kept), the maximum taken as a constant (0 where it is not finite). */
function shiftByMax(x: Tensor, axes: readonly number[]): { shifted: Tensor; shift: Tensor } {
  if (axes.some((a) => x.shape[a] === 0) || (x.size === 0 && axes.length === 0)) {
    // Nothing to take the maximum of: no shift (logsumexp of nothing is log 0 = −∞).
    return { shifted: x, shift: x.detach().sum(axes, true).mul(0) };
  }
  const m = x.detach().max(axes, true);
  const shift = where(m.isfinite(), m, 0);
  return { shifted: x.sub(shift), shift };
}

/**
 * log Σ exp(x) over all elements or `axis`, computed stably as m + log Σ exp(x − m) with m the
 * (constant) maximum; −∞ everywhere gives −∞. Its gradient is the softmax.
 */
export function logsumexp(x: Tensor, axis?: Axes, keepdims?: boolean): Tensor {
  expectTensor(x, 'logsumexp');
  const axes = normalizeAxes(axis, x.ndim, 'logsumexp');
  const input = isFloating(x.dtype) ? x : x.to('float32');
  const { shifted, shift } = shiftByMax(input, axes);
  const kept = shifted.exp().sum(axes, true).log().add(shift);
  return keepdims ? kept : kept.reshape(x.shape.filter((_, i) => !axes.includes(i)));
}

/**
 * exp(x) / Σ exp(x) along `axis` (default −1), computed stably as e / Σ e with e = exp(x − max),
 * so that large logits lose no precision.
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  expectTensor(x, 'softmax');
  normalizeAxis(axis, x.ndim, 'softmax');
  return logSoftmax(x, axis).exp();
}

/**
 * log softmax along `axis` (default −1): x − max − log Σ exp(x − max). One fused primitive, for
 * speed (it sits under every classification loss) and stability.
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  expectTensor(x, 'logSoftmax');
  const input = isFloating(x.dtype) ? x : x.to('float32');
  const ax = normalizeAxis(axis, x.ndim, 'logSoftmax');
  if (x.ndim === 0) return input.sub(input);
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < ax; d++) outer *= x.shape[d];
  for (let d = ax + 1; d < x.ndim; d++) inner *= x.shape[d];
  const out = allocate(input.dtype, input.size);
  backend().logSoftmax(input.data, outer, x.shape[ax], inner, out);
  return record(new Tensor(out, input.shape), [input], reduceRules.logSoftmax, { axis: ax });
}
