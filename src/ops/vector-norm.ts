import { checkObject } from '../tensor/check.js';
import { isFloating } from '../tensor/dtype.js';
import type { Axes } from '../tensor/methods.js';
import { broadcastShapes, normalizeAxes, normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { clamp } from './composite.js';
import { expectTensor } from './kernels.js';

/** The order of a vector norm: a number (2, 1, ∞, −∞, 0, any p) or `'fro'` (the 2-norm). */
export type NormOrder = number | 'fro';

/** s^(1/p) with the gradient 0 where s = 0 (PyTorch's choice: a norm of zeros has gradient 0). */
function rootZeroAtZero(s: Tensor, p: number): Tensor {
  const zero = s.eq(0);
  const safe = where(zero, 1, s);
  return where(zero, 0, p === 2 ? safe.sqrt() : safe.pow(1 / p));
}

/**
 * The vector p-norm over all elements or `axis`, as PyTorch's `norm` / `linalg.vector_norm`:
 * (Σ|x|^p)^(1/p); p = ∞ the largest |x| (the gradient shared by ties), −∞ the smallest, 0 the
 * count of non-zeros (gradient 0), `'fro'` (the default) the 2-norm. The gradient at x = 0 is 0.
 *
 * @example
 * norm(tensor([3, -4])).item(); // => 5
 */
export function norm(x: Tensor, p: NormOrder = 'fro', axis?: Axes, keepdims = false): Tensor {
  expectTensor(x, 'norm');
  const order = p === 'fro' ? 2 : p;
  if (typeof order !== 'number' || Number.isNaN(order))
    throw new TypeError(`norm: p must be a number or 'fro', got ${String(p)}`);
  const axes = normalizeAxes(axis, x.ndim, 'norm');
  const input = isFloating(x.dtype) ? x : x.to('float32');
  if (order === Infinity) return input.abs().max(axes, keepdims);
  if (order === -Infinity) return input.abs().min(axes, keepdims);
  // A count: the constant mask sum, with x's sum beside it only to keep the result in the graph.
  if (order === 0)
    return where(1, input.ne(0).to(input.dtype).sum(axes, keepdims), input.sum(axes, keepdims));
  if (order === 1) return input.abs().sum(axes, keepdims);
  const powered = order === 2 ? input.mul(input) : input.abs().pow(order);
  return rootZeroAtZero(powered.sum(axes, keepdims), order);
}

/** Options of `normalize`, as PyTorch's `F.normalize`. */
export interface NormalizeOptions {
  /** The norm's order (default 2). */
  p?: number;
  /** The axis along which each vector lies (default 1). */
  dim?: number;
  /** The smallest divisor (default 1e-12), so that a zero vector stays zero. */
  eps?: number;
}

/**
 * x / max(‖x‖_p, eps) along `dim`, as PyTorch's `F.normalize`.
 *
 * @example
 * normalize(tensor([[3, 4]])); // => [[0.6, 0.8]]
 */
export function normalize(x: Tensor, options?: NormalizeOptions): Tensor {
  expectTensor(x, 'normalize');
  checkObject({ where: 'normalize' }, 'options', options, true);
  const { p = 2, dim = 1, eps = 1e-12 } = options ?? {};
  const ax = normalizeAxis(dim, x.ndim, 'normalize');
  return x.div(clamp(norm(x, p, ax, true), eps));
}

/** Options of `cosineSimilarity`, as PyTorch's `F.cosine_similarity`. */
export interface CosineSimilarityOptions {
  /** The axis of the vectors (default 1). */
  dim?: number;
  /** The smallest norm each vector is divided by (default 1e-8). */
  eps?: number;
}

/**
 * The cosine of the angle between x1 and x2 along `dim`, broadcasting: Σ (x1/‖x1‖)·(x2/‖x2‖),
 * each norm at least eps, as PyTorch's `F.cosine_similarity`.
 *
 * @example
 * cosineSimilarity(tensor([[1, 0]]), tensor([[1, 1]])); // ≈ [0.7071]
 */
export function cosineSimilarity(
  x1: Tensor,
  x2: Tensor,
  options?: CosineSimilarityOptions,
): Tensor {
  expectTensor(x1, 'cosineSimilarity', 'its first input');
  expectTensor(x2, 'cosineSimilarity', 'its second input');
  checkObject({ where: 'cosineSimilarity' }, 'options', options, true);
  const { dim = 1, eps = 1e-8 } = options ?? {};
  const shape = broadcastShapes(x1.shape, x2.shape, 'cosineSimilarity');
  const ax = normalizeAxis(dim, shape.length, 'cosineSimilarity');
  const unit = (x: Tensor): Tensor => {
    const v = x.expand(shape);
    return v.div(clamp(norm(v, 2, ax, true), eps));
  };
  return unit(x1).mul(unit(x2)).sum(ax);
}
