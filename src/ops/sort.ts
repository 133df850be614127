import { backend } from '../backend/index.js';
import { scalar } from '../tensor/creation.js';
import { isFloating } from '../tensor/dtype.js';
import type { SortOptions, ValuesAndIndices } from '../tensor/methods.js';

export type { SortOptions };
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { expectTensor } from './kernels.js';
import { along, type Along } from './scan.js';

/**
 * Sorting and order statistics. A kernel finds the positions (a stable sort); `gather` takes the
 * values, so each value's gradient goes to the element it was taken from, as PyTorch's. Ties are
 * decided by the stable order: the first of equal elements comes first (PyTorch's `topk`,
 * `kthvalue` and `median(dim)` leave the choice among ties to their selection algorithm).
 */

/** The sorting permutation of x along its axis, as an int32 tensor of x's (≥ 1-D) shape. */
function order(a: Along, descending: boolean): Tensor {
  const positions = new Int32Array(a.source.size);
  backend().sortIndices(a.source.data, a.outer, a.size, a.inner, descending, positions);
  return new Tensor(positions, a.source.shape);
}

function checkK(k: number, lo: number, size: number, op: string): void {
  if (!Number.isInteger(k) || k < lo || k > size)
    throw new RangeError(`${op}: k must be an integer from ${lo} to ${size}, got ${k}`);
}

/** Values and indices picked at positions `at` (shape of `a.source` but size 1 or k at the axis). */
function pick(a: Along, at: Tensor, x: Tensor, keep: boolean): ValuesAndIndices {
  let values = a.source.gather(a.axis, at);
  let indices = at;
  if (!keep) {
    values = values.squeeze(a.axis);
    indices = indices.squeeze(a.axis);
  } else if (x.ndim === 0) {
    values = values.reshape([]);
    indices = indices.reshape([]);
  }
  return { values, indices };
}

/**
 * The positions that sort x along `axis` (default −1), ascending or `descending`, int32; NaN
 * sorts last (first when descending), as PyTorch's `argsort`.
 *
 * @example
 * argsort(tensor([3, 1, 2])); // => [1, 2, 0]
 */
export function argsort(x: Tensor, axis = -1, descending = false, _options?: SortOptions): Tensor {
  const positions = order(along(x, axis, 'argsort'), descending);
  return x.ndim === 0 ? positions.reshape([]) : positions;
}

/**
 * x sorted along `axis` (default −1), with the positions the values came from, as PyTorch's
 * `sort`; stable, NaN last (first when descending).
 *
 * @example
 * sort(tensor([3, 1, 2])).values; // => [1, 2, 3]
 */
export function sort(
  x: Tensor,
  axis = -1,
  descending = false,
  _options?: SortOptions,
): ValuesAndIndices {
  const a = along(x, axis, 'sort');
  return pick(a, order(a, descending), x, true);
}

/**
 * The k largest (or, with `largest` false, smallest) elements along `axis` (default −1), in
 * order, with their positions, as PyTorch's `topk` (results are always sorted).
 *
 * @example
 * topk(tensor([1, 3, 2]), 2).indices; // => [1, 2]
 */
export function topk(
  x: Tensor,
  k: number,
  axis = -1,
  largest = true,
  _sorted = true,
): ValuesAndIndices {
  const a = along(x, axis, 'topk');
  checkK(k, 0, a.size, 'topk');
  const positions = new Int32Array(a.outer * k * a.inner);
  backend().topkIndices(a.source.data, a.outer, a.size, a.inner, k, largest, positions);
  const shape = a.source.shape.slice();
  shape[a.axis] = k;
  return pick(a, new Tensor(positions, shape), x, true);
}

/**
 * The k-th smallest element along `axis` (default −1; k from 1) and its position, as PyTorch's
 * `kthvalue`.
 *
 * @example
 * kthvalue(tensor([3, 1, 2]), 2).values.item(); // => 2
 */
export function kthvalue(x: Tensor, k: number, axis = -1, keepdims = false): ValuesAndIndices {
  const a = along(x, axis, 'kthvalue');
  checkK(k, 1, a.size, 'kthvalue');
  return pick(a, order(a, false).narrow(a.axis, k - 1, 1), x, keepdims);
}

/**
 * The median: of all elements (a tensor; the lower of the two middle values for an even count,
 * and the gradient shared by the elements equal to it, as PyTorch's), or along `axis` (values and
 * positions, the gradient to the position).
 *
 * @example
 * median(tensor([4, 1, 3, 2])).item(); // => 2
 */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, axis: number, keepdims?: boolean): ValuesAndIndices;
export function median(x: Tensor, axis?: number, keepdims = false): Tensor | ValuesAndIndices {
  expectTensor(x, 'median');
  if (axis !== undefined) {
    const a = along(x, axis, 'median');
    if (a.size === 0)
      throw new RangeError(
        `median: cannot take the median over an empty dimension (shape ${formatShape(x.shape)}, axis ${a.axis})`,
      );
    const shape = a.source.shape.map((d, i) => (i === a.axis ? 1 : d));
    const positions = linePositions(a, order(a, false).data as Int32Array, middleOrNaN);
    return pick(a, new Tensor(positions, shape), x, keepdims);
  }
  if (x.size === 0) return scalar(NaN, { dtype: isFloating(x.dtype) ? x.dtype : 'float32' });
  const flat = x.reshape([x.size]);
  const { values } = median(flat, 0);
  const v = values.item();
  if (!isFloating(x.dtype) || Number.isNaN(v)) return values;
  // The maximum of the elements equal to the median: that value, its gradient split among them.
  return where(x.eq(v), x, -Infinity).max();
}

/** Picks the original position of one element from a line of values in ascending order. */
type LinePick = (sorted: Float64Array, at: Int32Array) => number;

/** For each line along the axis, `choose` given the line's values sorted and their positions. */
function linePositions(a: Along, sorted: Int32Array, choose: LinePick): Int32Array {
  const x = a.source.data;
  const out = new Int32Array(a.outer * a.inner);
  const values = new Float64Array(a.size);
  const at = new Int32Array(a.size);
  for (let o = 0; o < a.outer; o++) {
    for (let i = 0; i < a.inner; i++) {
      const base = o * a.size * a.inner + i;
      for (let j = 0; j < a.size; j++) {
        at[j] = sorted[base + j * a.inner];
        values[j] = x[base + at[j] * a.inner];
      }
      out[o * a.inner + i] = choose(values, at);
    }
  }
  return out;
}

/** The lower middle element, or the first NaN (NaN sorts last): the median propagates NaN, as PyTorch's. */
const middleOrNaN: LinePick = (values, at) => {
  let n = values.length;
  while (n > 0 && Number.isNaN(values[n - 1])) n--;
  return at[n < values.length ? n : (n - 1) >> 1];
};

/** The last element of the longest run of equal values (the smallest value on ties). */
const lastOfLongestRun: LinePick = (values, at) => {
  let best = 0;
  let bestCount = 0;
  for (let j = 0; j < values.length;) {
    let end = j + 1;
    while (end < values.length && values[end] === values[j]) end++;
    if (end - j > bestCount) {
      bestCount = end - j;
      best = at[end - 1];
    }
    j = end;
  }
  return best;
};

/**
 * The most frequent value along `axis` (default −1; the smallest of equally frequent ones) and
 * its last position, as PyTorch's `mode`.
 *
 * @example
 * mode(tensor([2, 1, 2, 1, 3])).values.item(); // => 1
 */
export function mode(x: Tensor, axis = -1, keepdims = false): ValuesAndIndices {
  const a = along(x, axis, 'mode');
  if (a.size === 0)
    throw new RangeError(
      `mode: cannot take the mode over an empty dimension (shape ${formatShape(x.shape)}, axis ${a.axis})`,
    );
  const positions = linePositions(a, order(a, false).data as Int32Array, lastOfLongestRun);
  const shape = a.source.shape.map((d, i) => (i === a.axis ? 1 : d));
  return pick(a, new Tensor(positions, shape), x, keepdims);
}
