import type { Backend } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { coalesce, nextRow, SET_MIN } from './strided.js';

/**
 * Both directions of a copy between `dense` (contiguous, of `shape`) and the strided `view`
 * (positions offset + idx·strides): `copyStrided` when `gather`, else `assignStrided`. The
 * direction is decided once per row, each with its own loops.
 */
function strided(
  gather: boolean,
  view: TypedArray,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
  dense: TypedArray,
): void {
  const walk = coalesce(shape, [strides]);
  const { size } = walk;
  if (size === 0) return;
  const nd = walk.shape.length;
  const rowLength = walk.shape[nd - 1];
  const step = walk.strides[0][nd - 1];
  const rows = size / rowLength;
  const counter = new Int32Array(nd);
  const offsets = [offset];
  for (let r = 0, o = 0; r < rows; r++, o += rowLength) {
    const start = offsets[0];
    if (step === 1 && rowLength >= SET_MIN) {
      if (gather) dense.set(view.subarray(start, start + rowLength), o);
      else view.set(dense.subarray(o, o + rowLength), start);
    } else if (gather) {
      if (step === 0) dense.fill(view[start], o, o + rowLength);
      else for (let i = 0, j = start; i < rowLength; i++, j += step) dense[o + i] = view[j];
    } else {
      for (let i = 0, j = start; i < rowLength; i++, j += step) view[j] = dense[o + i];
    }
    nextRow(walk.shape, counter, walk.strides, offsets);
  }
}

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
export const copyStrided: Backend['copyStrided'] = (x, offset, strides, outShape, out) =>
  strided(true, x, offset, strides, outShape, out);

/**
 * Strided scatter, the inverse of {@link copyStrided}: out[offset + idx·strides] = src[idx] for
 * every multi-index of `srcShape`. The positions written must be distinct; the rest of `out` is
 * left as it was.
 *
 * @example
 * const out = new Float32Array(5);
 * assignStrided(Float32Array.of(7, 8), [2], out, 1, [2]); // out = [0, 7, 0, 8, 0]
 */
export const assignStrided: Backend['assignStrided'] = (src, srcShape, out, offset, strides) =>
  strided(false, out, offset, strides, srcShape, src);
