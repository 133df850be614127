import type { TypedArray } from '../../tensor/dtype.js';
import { coalesce, nextRow, SET_MIN } from './strided.js';

/**
 * Strided gather: out[idx] = x[offset + idx·strides] for every multi-index `idx` of `outShape`.
 * This is how a view (permute, expand with stride 0, slice with an offset and stride·step —
 * negative strides work too) is made contiguous. Values convert on store if the types differ.
 *
 * @example
 * const out = new Float32Array(6);
 * // the transpose of the 2×3 matrix [[0, 1, 2], [3, 4, 5]]
 * copyStrided(Float32Array.of(0, 1, 2, 3, 4, 5), 0, [1, 3], [3, 2], out); // out = [0, 3, 1, 4, 2, 5]
 */
export function copyStrided(
  x: TypedArray,
  offset: number,
  strides: readonly number[],
  outShape: readonly number[],
  out: TypedArray,
): void {
  const walk = coalesce(outShape, [strides]);
  const { shape, size } = walk;
  if (size === 0) return;
  const nd = shape.length;
  const rowLength = shape[nd - 1];
  const step = walk.strides[0][nd - 1];
  const rows = size / rowLength;
  const counter = new Int32Array(nd);
  const offsets = [offset];
  for (let r = 0, o = 0; r < rows; r++, o += rowLength) {
    const start = offsets[0];
    if (step === 1 && rowLength >= SET_MIN) {
      out.set(x.subarray(start, start + rowLength), o);
    } else if (step === 0) {
      out.fill(x[start], o, o + rowLength);
    } else {
      for (let i = 0, j = start; i < rowLength; i++, j += step) out[o + i] = x[j];
    }
    nextRow(shape, counter, walk.strides, offsets);
  }
}

/**
 * Strided scatter, the inverse of {@link copyStrided}: out[offset + idx·strides] = src[idx] for
 * every multi-index of `srcShape`. The positions written must be distinct; the rest of `out` is
 * left as it was.
 *
 * @example
 * const out = new Float32Array(5);
 * assignStrided(Float32Array.of(7, 8), [2], out, 1, [2]); // out = [0, 7, 0, 8, 0]
 */
export function assignStrided(
  src: TypedArray,
  srcShape: readonly number[],
  out: TypedArray,
  offset: number,
  strides: readonly number[],
): void {
  const walk = coalesce(srcShape, [strides]);
  const { shape, size } = walk;
  if (size === 0) return;
  const nd = shape.length;
  const rowLength = shape[nd - 1];
  const step = walk.strides[0][nd - 1];
  const rows = size / rowLength;
  const counter = new Int32Array(nd);
  const offsets = [offset];
  for (let r = 0, i0 = 0; r < rows; r++, i0 += rowLength) {
    const start = offsets[0];
    if (step === 1 && rowLength >= SET_MIN) {
      out.set(src.subarray(i0, i0 + rowLength), start);
    } else {
      for (let i = 0, j = start; i < rowLength; i++, j += step) out[j] = src[i0 + i];
    }
    nextRow(shape, counter, walk.strides, offsets);
  }
}
