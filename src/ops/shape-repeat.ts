import { fail } from '../tensor/check.js';
import { formatShape, normalizeAxes, normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { expectTensor } from './kernels.js';
import { concat, slicePrimitive } from './slicing.js';

/**
 * Shape operations that move or copy values: flip, roll, repeat, repeatInterleave. Each is built
 * on the shape and slicing primitives (flip is a slice with step −1), so each differentiates
 * again.
 */

function checkCount(n: number, what: string, where: string): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`${where}: ${what} must be a non-negative integer, got ${n}`);
  }
}

/**
 * PyTorch's `flip`: x with the order of its elements reversed along each of `dims`.
 *
 * @example
 * flip(tensor([[1, 2], [3, 4]]), 1); // => [[2, 1], [4, 3]]
 */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  expectTensor(x, 'flip');
  const axes = normalizeAxes(dims, x.ndim, 'flip');
  if (axes.every((d) => x.shape[d] <= 1)) return x;
  const reversed = (d: number): boolean => axes.includes(d);
  return slicePrimitive(x, {
    begin: x.shape.map((n, d) => (reversed(d) && n > 0 ? n - 1 : 0)),
    step: x.shape.map((_, d) => (reversed(d) ? -1 : 1)),
    from: x.shape.slice(),
    shape: x.shape.slice(),
  });
}

/**
 * PyTorch's `roll`: x shifted cyclically by `shifts` along `dims` (elements pushed off the end come
 * back at the start); without `dims`, the flattened tensor is rolled and reshaped back.
 *
 * @example
 * roll(tensor([1, 2, 3, 4]), 1); // => [4, 1, 2, 3]
 * roll(tensor([[1, 2], [3, 4]]), [1, -1], [0, 1]); // => [[4, 3], [2, 1]]
 */
export function roll(
  x: Tensor,
  shifts: number | readonly number[],
  dims?: number | readonly number[],
): Tensor {
  expectTensor(x, 'roll');
  const ctx = { where: 'roll' };
  if (typeof shifts !== 'number' && !Array.isArray(shifts))
    fail(ctx, 'shifts', 'an integer or an array of integers', shifts, TypeError);
  if (dims !== undefined && typeof dims !== 'number' && !Array.isArray(dims))
    fail(ctx, 'dims', 'an axis or an array of axes', dims, TypeError);
  const s = typeof shifts === 'number' ? [shifts] : shifts;
  if (dims === undefined) {
    if (s.length !== 1) throw new RangeError('roll: several shifts need as many dims');
    return roll(x.reshape([-1]), s[0], 0).reshape(x.shape);
  }
  const d = typeof dims === 'number' ? [dims] : dims;
  if (s.length !== d.length) {
    throw new RangeError(`roll: got ${s.length} shift(s) for ${d.length} dim(s); give one each`);
  }
  let out = x;
  s.forEach((shift, i) => {
    if (!Number.isInteger(shift)) throw new TypeError(`roll: shift ${shift} is not an integer`);
    const axis = normalizeAxis(d[i], Math.max(x.ndim, 1), 'roll');
    const n = out.ndim === 0 ? 1 : out.shape[axis];
    const k = n === 0 ? 0 : ((shift % n) + n) % n;
    if (k !== 0) out = concat([out.narrow(axis, n - k, k), out.narrow(axis, 0, n - k)], axis);
  });
  return out;
}

/**
 * PyTorch's `Tensor.repeat`: x tiled `sizes[i]` times along each dimension (x is first given
 * leading dims of size 1 when `sizes` is longer than its shape).
 *
 * @example
 * repeat(tensor([1, 2]), [2, 2]); // => [[1, 2, 1, 2], [1, 2, 1, 2]]
 */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  expectTensor(x, 'repeat');
  if (!Array.isArray(sizes))
    fail({ where: 'repeat' }, 'sizes', 'a list of counts', sizes, TypeError);
  if (sizes.length < x.ndim) {
    throw new RangeError(
      `repeat: ${sizes.length} count(s) for a tensor of shape ${formatShape(x.shape)}; give at least one per dimension`,
    );
  }
  sizes.forEach((r) => checkCount(r, 'each count', 'repeat'));
  const shape = [...sizes.slice(0, sizes.length - x.ndim).map(() => 1), ...x.shape];
  // [1, s0, 1, s1, …] broadcast to [r0, s0, r1, s1, …], then each pair merged
  const spread = x.reshape(shape.flatMap((n) => [1, n]));
  const tiled = spread.expand(shape.flatMap((n, i) => [sizes[i], n]));
  return tiled.reshape(shape.map((n, i) => n * sizes[i]));
}

/**
 * PyTorch's `repeat_interleave`: each element (each slice along `dim`) repeated `repeats` times
 * in place, or `repeats[i]` times for element i; without `dim` the flattened tensor is used.
 *
 * @example
 * repeatInterleave(tensor([1, 2]), 2); // => [1, 1, 2, 2]
 * repeatInterleave(tensor([[1, 2], [3, 4]]), tensor([1, 2], { dtype: 'int32' }), 0); // => [[1, 2], [3, 4], [3, 4]]
 */
export function repeatInterleave(x: Tensor, repeats: number | Tensor, dim?: number): Tensor {
  expectTensor(x, 'repeatInterleave');
  const source = dim === undefined || x.ndim === 0 ? x.reshape([-1]) : x;
  const d = dim === undefined ? 0 : normalizeAxis(dim, source.ndim, 'repeatInterleave');
  const n = source.shape[d];
  if (typeof repeats === 'number') {
    checkCount(repeats, 'repeats', 'repeatInterleave');
    const wide = source.shape.slice();
    wide.splice(d + 1, 0, repeats);
    const merged = source.shape.slice();
    merged[d] = n * repeats;
    return source
      .unsqueeze(d + 1)
      .expand(wide)
      .reshape(merged);
  }
  const counts = repeatCounts(repeats, n);
  const index: number[] = [];
  counts.forEach((r, i) => {
    for (let k = 0; k < r; k++) index.push(i);
  });
  return source.indexSelect(d, index);
}

/** The repeat count of each of n elements, from an int32 tensor of one count or n. */
function repeatCounts(repeats: Tensor, n: number): number[] {
  expectTensor(repeats, 'repeatInterleave', 'repeats');
  if (repeats.ndim > 1 || (repeats.size !== 1 && repeats.size !== n)) {
    throw new RangeError(
      `repeatInterleave: repeats has shape ${formatShape(repeats.shape)}; expected one count or ${n} (one per element)`,
    );
  }
  if (repeats.dtype !== 'int32') {
    throw new TypeError(`repeatInterleave: repeats must be an int32 tensor, got ${repeats.dtype}`);
  }
  const r = repeats.data;
  r.forEach((v) => checkCount(v, 'each repeat', 'repeatInterleave'));
  return Array.from({ length: n }, (_, i) => r[r.length === 1 ? 0 : i]);
}
