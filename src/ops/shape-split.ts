import { renamingErrors } from './kernels.js';
import { fail } from '../tensor/check.js';
import { zeros, type CreateOptions } from '../tensor/creation.js';
import { formatShape, normalizeAxis, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { expectTensor } from './kernels.js';

/**
 * Shape operations that cut a tensor into pieces or relabel its dims: split, chunk, unbind,
 * unflatten, Tensor.unfold (sliding windows), meshgrid, empty. All are compositions of narrow,
 * select, reshape, expand and indexSelect.
 */

/**
 * PyTorch's `split`: pieces of `splitSize` along `dim` (the last one shorter if need be), or
 * pieces of the listed sizes, which must add up to the dim's size.
 *
 * @example
 * split(tensor([1, 2, 3, 4, 5]), 2).map((t) => t.toArray()); // => [[1, 2], [3, 4], [5]]
 * split(tensor([1, 2, 3]), [1, 2]).map((t) => t.toArray()); // => [[1], [2, 3]]
 */
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  expectTensor(x, 'split');
  if (x.ndim === 0) throw new RangeError('split: a 0-d tensor has no dimension to split');
  const d = normalizeAxis(dim, x.ndim, 'split');
  const n = x.shape[d];
  let sizes: readonly number[];
  if (typeof splitSize === 'number') {
    if (!Number.isInteger(splitSize) || splitSize < 0 || (splitSize === 0 && n > 0)) {
      throw new RangeError(`split: splitSize must be a positive integer, got ${splitSize}`);
    }
    const count = n === 0 ? 1 : Math.ceil(n / splitSize);
    sizes = Array.from({ length: count }, (_, i) => Math.min(splitSize, n - i * splitSize));
  } else {
    if (!Array.isArray(splitSize)) {
      fail({ where: 'split' }, 'splitSize', 'a size or a list of sizes', splitSize, TypeError);
    }
    const total = splitSize.reduce((p, s) => p + s, 0);
    if (splitSize.some((s) => !Number.isInteger(s) || s < 0) || total !== n) {
      throw new RangeError(
        `split: sizes ${formatShape(splitSize)} must be non-negative integers adding up to ${n}, the size of dimension ${d}`,
      );
    }
    sizes = splitSize;
  }
  let start = 0;
  return sizes.map((s) => {
    const piece = x.narrow(d, start, s);
    start += s;
    return piece;
  });
}

/**
 * PyTorch's `chunk`: at most `chunks` pieces of equal size ⌈n / chunks⌉ along `dim` (the last one
 * may be shorter, and there may be fewer pieces, as in PyTorch).
 *
 * @example
 * chunk(tensor([1, 2, 3, 4, 5]), 3).map((t) => t.toArray()); // => [[1, 2], [3, 4], [5]]
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  expectTensor(x, 'chunk');
  if (!Number.isInteger(chunks) || chunks < 1) {
    throw new RangeError(`chunk: chunks must be a positive integer, got ${chunks}`);
  }
  if (x.ndim === 0) throw new RangeError('chunk: a 0-d tensor has no dimension to split');
  const d = normalizeAxis(dim, x.ndim, 'chunk');
  const n = x.shape[d];
  if (n === 0) return Array.from({ length: chunks }, () => x.narrow(d, 0, 0));
  return split(x, Math.ceil(n / chunks), d);
}

/**
 * PyTorch's `unbind`: the slices along `dim`, each with that dim removed.
 *
 * @example
 * unbind(tensor([[1, 2], [3, 4]]), 1).map((t) => t.toArray()); // => [[1, 3], [2, 4]]
 */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  expectTensor(x, 'unbind');
  if (x.ndim === 0) throw new RangeError('unbind: a 0-d tensor has no dimension to unbind');
  const d = normalizeAxis(dim, x.ndim, 'unbind');
  return Array.from({ length: x.shape[d] }, (_, i) => x.select(d, i));
}

/**
 * PyTorch's `unflatten`: dim `dim` split into dims of `sizes` (one of them may be −1).
 *
 * @example
 * unflatten(zeros([2, 6]), 1, [3, -1]).shape; // => [2, 3, 2]
 */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  expectTensor(x, 'unflatten');
  const d = normalizeAxis(dim, x.ndim, 'unflatten');
  if (!Array.isArray(sizes) || sizes.length === 0) {
    fail({ where: 'unflatten' }, 'sizes', 'a non-empty list of sizes', sizes, TypeError);
  }
  const known = sizes.reduce((p, s) => (s === -1 ? p : p * s), 1);
  const n = x.shape[d];
  const filled = sizes.map((s) => (s === -1 && known > 0 ? n / known : s));
  if (filled.reduce((p, s) => p * s, 1) !== n || filled.some((s) => !Number.isInteger(s))) {
    throw new RangeError(
      `unflatten: sizes ${formatShape(sizes)} do not multiply to ${n}, the size of dimension ${d}`,
    );
  }
  return x.reshape([...x.shape.slice(0, d), ...filled, ...x.shape.slice(d + 1)]);
}

/**
 * PyTorch's `Tensor.unfold` (sliding windows, not the im2col function `unfold`): every window of
 * `size` elements along `dimension`, `step` apart, as a new last dim; `dimension` becomes the
 * window count ⌊(n − size) / step⌋ + 1. Windows may overlap; their gradients add up.
 */
export function unfoldWindows(x: Tensor, dimension: number, size: number, step: number): Tensor {
  expectTensor(x, 'Tensor.unfold');
  const source = x.ndim === 0 ? x.reshape([1]) : x;
  const d = normalizeAxis(dimension, source.ndim, 'Tensor.unfold');
  const n = source.shape[d];
  if (!Number.isInteger(size) || size < 0 || size > n) {
    throw new RangeError(
      `Tensor.unfold: size ${size} must be an integer from 0 to ${n}, the size of dimension ${d}`,
    );
  }
  if (!Number.isInteger(step) || step < 1) {
    throw new RangeError(`Tensor.unfold: step must be a positive integer, got ${step}`);
  }
  const count = Math.floor((n - size) / step) + 1;
  const index: number[] = [];
  for (let w = 0; w < count; w++) for (let j = 0; j < size; j++) index.push(w * step + j);
  const picked = source.indexSelect(d, index);
  const windows = picked.reshape([
    ...source.shape.slice(0, d),
    count,
    size,
    ...source.shape.slice(d + 1),
  ]);
  const order = windows.shape.map((_, i) => i).filter((i) => i !== d + 1);
  const out = windows.permute([...order, d + 1]);
  return x.ndim === 0 ? out.reshape([size]) : out;
}

/** Options of `meshgrid`, as PyTorch's. */
export interface MeshgridOptions {
  /** 'ij' (matrix indexing, the default) or 'xy' (Cartesian: the first two dims swapped). */
  indexing?: 'ij' | 'xy';
}

/**
 * PyTorch's `meshgrid`: for 1-D tensors of sizes n0, n1, …, tensors of shape [n0, n1, …] ('ij';
 * [n1, n0, …] for 'xy') where the i-th varies along its own dim.
 *
 * @example
 * const [a, b] = meshgrid([tensor([1, 2]), tensor([3, 4, 5])]);
 * a.toArray(); // => [[1, 1, 1], [2, 2, 2]]
 * b.toArray(); // => [[3, 4, 5], [3, 4, 5]]
 */
export function meshgrid(tensors: readonly Tensor[], options: MeshgridOptions = {}): Tensor[] {
  if (!Array.isArray(tensors)) {
    fail({ where: 'meshgrid' }, 'tensors', 'a list of tensors', tensors, TypeError);
  }
  const indexing = options.indexing ?? 'ij';
  if (indexing !== 'ij' && indexing !== 'xy') {
    throw new RangeError(
      `meshgrid: indexing must be 'ij' or 'xy', got ${JSON.stringify(indexing)}`,
    );
  }
  tensors.forEach((t, i) => {
    expectTensor(t, 'meshgrid', `tensor ${i}`);
    if (t.ndim > 1)
      throw new RangeError(
        `meshgrid: tensor ${i} has shape ${formatShape(t.shape)}; each must be 0-d or 1-D`,
      );
  });
  // the dim each input varies along in the result
  const place = tensors.map((_, i) =>
    indexing === 'xy' && i < 2 && tensors.length >= 2 ? 1 - i : i,
  );
  const shape: number[] = [];
  tensors.forEach((t, i) => (shape[place[i]] = t.size));
  return tensors.map((t, i) => {
    const own: Shape = shape.map((n, j) => (j === place[i] ? n : 1));
    return t.reshape(own).expand(shape);
  });
}

/**
 * PyTorch's `empty`. nabla's is filled with zeros (a fresh typed array is zeroed in JavaScript,
 * so leaving it unset would save nothing).
 *
 * @example
 * empty([2]).toArray(); // => [0, 0]
 */
export function empty(shape: readonly number[] | number, options?: CreateOptions): Tensor {
  return renamingErrors('zeros', 'empty', () => zeros(shape, options));
}
