import type { Backend } from '../backend.js';
import { copyStrided } from './copy.js';
import { coalesce, nextRow } from './strided.js';

/**
 * out[idx] = cond[idx·cStrides] !== 0 ? a[idx·aStrides] : b[idx·bStrides] over every multi-index
 * of `outShape`. A NaN condition counts as true (it is not 0).
 *
 * Paths: one contiguous loop when every operand has the output's layout (or `a` or `b` is a
 * single broadcast element, hoisted out of the loop); a broadcast copy of `a` or `b` when `cond`
 * is a single element; otherwise rows of the coalesced shape, each a strided loop.
 *
 * @example
 * const out = new Float32Array(3);
 * where(Int32Array.of(1, 0, 1), [1], Float32Array.of(1, 2, 3), [1], Float32Array.of(0), [0], out, [3]);
 * // out = [1, 0, 3]
 */
export const where: Backend['where'] = (
  cond,
  cStrides,
  a,
  aStrides,
  b,
  bStrides,
  out,
  outShape,
) => {
  const { shape, strides, size } = coalesce(outShape, [cStrides, aStrides, bStrides]);
  if (size === 0) return;
  const nd = shape.length;
  const sc = strides[0][nd - 1];
  const sa = strides[1][nd - 1];
  const sb = strides[2][nd - 1];

  if (cStrides.every((s) => s === 0)) {
    // One condition for every element: the result is a broadcast copy of one side.
    if (cond[0] !== 0) copyStrided(a, 0, aStrides, outShape, out);
    else copyStrided(b, 0, bStrides, outShape, out);
    return;
  }

  if (nd === 1 && sc === 1) {
    const n = size;
    if (sa === 1 && sb === 1) {
      for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? a[i] : b[i];
      return;
    }
    if (sa === 1 && sb === 0) {
      const y = b[0];
      for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? a[i] : y;
      return;
    }
    if (sa === 0 && sb === 1) {
      const x = a[0];
      for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? x : b[i];
      return;
    }
  }

  const rowLength = shape[nd - 1];
  const rows = size / rowLength;
  const counter = new Int32Array(nd);
  const offsets = [0, 0, 0];
  for (let r = 0, o = 0; r < rows; r++, o += rowLength) {
    let ic = offsets[0];
    let ia = offsets[1];
    let ib = offsets[2];
    const end = o + rowLength;
    for (let j = o; j < end; j++, ic += sc, ia += sa, ib += sb)
      out[j] = cond[ic] !== 0 ? a[ia] : b[ib];
    nextRow(shape, counter, strides, offsets);
  }
};
