import { checkObject } from '../tensor/check.js';
import { isFloating } from '../tensor/dtype.js';
import type { Axes, CloseOptions, VarianceOptions } from '../tensor/methods.js';

export type { CloseOptions, VarianceOptions };
import { normalizeAxes, normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { expectTensor } from './kernels.js';
import { cumprod } from './scan.js';

/**
 * Reductions composed of primitives: products, variances, norms, and the comparisons of whole
 * tensors. Their gradients follow from the primitives'; where PyTorch defines a gradient at a
 * point where the formula has none (a norm or standard deviation of 0), the comment says how.
 */

const floating = (x: Tensor): Tensor => (isFloating(x.dtype) ? x : x.to('float32'));

/** √v with the gradient 0 where v = 0 (PyTorch's choice for `std` and `norm`, not ∞·0 = NaN). */
function sqrtZeroAtZero(v: Tensor): Tensor {
  const zero = v.eq(0);
  return where(zero, 0, where(zero, 1, v).sqrt());
}

/**
 * The product of all elements, or along `axis` (one axis, as PyTorch's `prod`). Taken as the last
 * running product, so the gradient is exact where x holds zeros (as PyTorch's).
 *
 * @example
 * prod(tensor([[1, 2], [3, 4]]), 1); // => [2, 12]
 */
export function prod(x: Tensor, axis?: number, keepdims = false): Tensor {
  expectTensor(x, 'prod');
  if (axis === undefined) {
    const all = prod(x.reshape([x.size]), 0);
    return keepdims ? all.reshape(x.shape.map(() => 1)) : all;
  }
  const ax = normalizeAxis(axis, x.ndim, 'prod');
  if (x.ndim === 0) return keepdims ? x : x.reshape([]);
  const n = x.shape[ax];
  // ∏ of nothing is 1; x.sum·0 keeps the result in the graph (gradient 0).
  const last = n === 0 ? x.sum(ax, true).mul(0).add(1) : cumprod(x, ax).narrow(ax, n - 1, 1);
  return keepdims ? last : last.squeeze(ax);
}

function varianceParts(
  x: Tensor,
  axis: Axes | undefined,
  options: VarianceOptions | undefined,
  op: string,
) {
  expectTensor(x, op);
  checkObject({ where: op }, 'options', options, true);
  const { correction = 1, keepdims = false } = options ?? {};
  if (typeof correction !== 'number' || !Number.isFinite(correction))
    throw new TypeError(`${op}: correction must be a finite number, got ${String(correction)}`);
  const axes = normalizeAxes(axis, x.ndim, op);
  let n = 1;
  for (const a of axes) n *= x.shape[a];
  const input = floating(x);
  const mean = input.mean(axes, true);
  const d = input.sub(mean);
  // Divided by max(0, n − correction), as PyTorch: 0/0 = NaN, a positive sum over 0 = ∞.
  const variance = d
    .mul(d)
    .sum(axes, keepdims)
    .div(Math.max(0, n - correction));
  return { variance, mean: keepdims ? mean : mean.squeeze(axes), keepdims };
}

/**
 * The variance over all elements or `axis`: Σ(x − mean)² / (n − correction), `correction` 1 by
 * default (the unbiased estimate), as PyTorch's `var`.
 *
 * @example
 * variance(tensor([1, 2, 3, 4])).item(); // ≈ 1.6667
 */
export const variance = (x: Tensor, axis?: Axes, options?: VarianceOptions): Tensor =>
  varianceParts(x, axis, options, 'variance').variance;

/**
 * The standard deviation √var (options as `var`), as PyTorch's `std`; its gradient is 0 where it
 * is 0 (all elements equal), as PyTorch's.
 *
 * @example
 * std(tensor([1, 2, 3, 4]), undefined, { correction: 0 }).item(); // ≈ 1.1180
 */
export const std = (x: Tensor, axis?: Axes, options?: VarianceOptions): Tensor =>
  sqrtZeroAtZero(varianceParts(x, axis, options, 'std').variance);

/**
 * The variance and the mean, as PyTorch's `var_mean` (a pair to destructure).
 *
 * @example
 * const [v, m] = varMean(tensor([1, 3])); // v => 2, m => 2
 */
export function varMean(x: Tensor, axis?: Axes, options?: VarianceOptions): [Tensor, Tensor] {
  const { variance: v, mean } = varianceParts(x, axis, options, 'varMean');
  return [v, mean];
}

/**
 * The standard deviation and the mean, as PyTorch's `std_mean`.
 *
 * @example
 * const [s, m] = stdMean(tensor([1, 3])); // s ≈ 1.4142, m => 2
 */
export function stdMean(x: Tensor, axis?: Axes, options?: VarianceOptions): [Tensor, Tensor] {
  const { variance: v, mean } = varianceParts(x, axis, options, 'stdMean');
  return [sqrtZeroAtZero(v), mean];
}

/**
 * Where |a − b| ≤ atol + rtol·|b| (both finite), or a equals b (infinities of one sign), or both
 * are NaN with `equalNan`, as PyTorch's `isclose`; broadcasts; not differentiable.
 *
 * @example
 * isclose(tensor([1, 2]), tensor([1.000001, 2.1])); // => [true, false]
 */
export const isclose = (a: Tensor, b: Tensor, options?: CloseOptions): Tensor =>
  closeness(a, b, options, 'isclose');

function closeness(a: Tensor, b: Tensor, options: CloseOptions | undefined, op: string): Tensor {
  expectTensor(a, op, 'its first input');
  expectTensor(b, op, 'its second input');
  checkObject({ where: op }, 'options', options, true);
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = options ?? {};
  if (typeof rtol !== 'number' || !(rtol >= 0) || typeof atol !== 'number' || !(atol >= 0))
    throw new RangeError(`${op}: rtol and atol must be numbers ≥ 0, got ${rtol} and ${atol}`);
  const within = a.sub(b).abs().le(b.abs().mul(rtol).add(atol));
  // An infinite b is close only to itself (∞ ≤ ∞ would say otherwise).
  let close = where(a.eq(b), 1, where(b.isfinite(), within, 0));
  if (equalNan) close = where(a.ne(a), b.ne(b), close);
  return close.ne(0);
}

/**
 * Whether every element of a is close to b (see `isclose`), as PyTorch's `allclose`.
 *
 * @example
 * allclose(tensor([1, 2]), tensor([1, 2 + 1e-7])); // => true
 */
export function allclose(a: Tensor, b: Tensor, options?: CloseOptions): boolean {
  const close = closeness(a, b, options, 'allclose').data;
  for (let i = 0; i < close.length; i++) if (close[i] === 0) return false;
  return true;
}
