import type { Backend } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { stridesOf } from '../../tensor/shape.js';
import { nextRow, SET_MIN, splitAt } from './strided.js';

/**
 * out = x taken at `index` along `dim` (PyTorch's `index_select`): `out` has x's shape with size
 * `index.length` at `dim`, and out[…, i, …] = x[…, index[i], …]. Indices may repeat; they are
 * already checked to lie in [0, shape[dim]).
 *
 * @example
 * const out = new Float32Array(4);
 * // rows 2 and 0 of [[1, 2], [3, 4], [5, 6]]
 * indexSelect(Float32Array.of(1, 2, 3, 4, 5, 6), [3, 2], 0, Int32Array.of(2, 0), out); // out = [5, 6, 1, 2]
 */
export const indexSelect: Backend['indexSelect'] = (x, shape, dim, index, out) => {
  const [outer, size, inner] = splitAt(shape, dim);
  const count = index.length;
  if (inner === 1) {
    for (let a = 0; a < outer; a++) {
      const xo = a * size;
      const o = a * count;
      for (let i = 0; i < count; i++) out[o + i] = x[xo + index[i]];
    }
    return;
  }
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < count; i++) {
      const from = (a * size + index[i]) * inner;
      const to = (a * count + i) * inner;
      if (inner >= SET_MIN) out.set(x.subarray(from, from + inner), to);
      else for (let j = 0; j < inner; j++) out[to + j] = x[from + j];
    }
  }
};

/**
 * The adjoint of {@link indexSelect} (PyTorch's `index_add_`): out (of shape `outShape`) +=
 * `src` scattered along `dim` at `index`, so out[…, index[i], …] += src[…, i, …]. Where an index
 * repeats, every contribution is added. `src` has outShape with size `index.length` at `dim`.
 *
 * @example
 * const out = new Float32Array(3);
 * indexAdd(out, [3], 0, Int32Array.of(1, 1, 2), Float32Array.of(1, 2, 3)); // out = [0, 3, 3]
 */
export const indexAdd: Backend['indexAdd'] = (out, outShape, dim, index, src) => {
  const [outer, size, inner] = splitAt(outShape, dim);
  const count = index.length;
  if (inner === 1) {
    for (let a = 0; a < outer; a++) {
      const o = a * size;
      const s = a * count;
      for (let i = 0; i < count; i++) out[o + index[i]] += src[s + i];
    }
    return;
  }
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < count; i++) {
      const to = (a * size + index[i]) * inner;
      const from = (a * count + i) * inner;
      for (let j = 0; j < inner; j++) out[to + j] += src[from + j];
    }
  }
};

/**
 * PyTorch's `gather`: out[i][j][k] = x[index[i][j][k]][j][k] for dim = 0 (likewise for the other
 * dims). `index` and `out` have shape `indexShape`, of x's rank, which may differ from x's shape
 * at `dim` and be smaller elsewhere. Indices are already checked to lie in [0, xShape[dim]).
 *
 * @example
 * const out = new Float32Array(2);
 * // pick column 1 of row 0 and column 0 of row 1 of [[1, 2], [3, 4]]
 * gather(Float32Array.of(1, 2, 3, 4), [2, 2], 1, Int32Array.of(1, 0), [2, 1], out); // out = [2, 3]
 */
export const gather: Backend['gather'] = (x, xShape, dim, index, indexShape, out) =>
  alongIndex(false, x, xShape, dim, index, indexShape, out);

/**
 * The adjoint of {@link gather} (PyTorch's `scatter_add_`): out[index[i][j][k]][j][k] +=
 * src[i][j][k] for dim = 0 (likewise for the other dims), adding every contribution where
 * indices repeat. `index` and `src` have shape `indexShape`; `out` has shape `outShape`.
 *
 * @example
 * const out = new Float32Array(3);
 * scatterAdd(out, [3], 0, Int32Array.of(2, 0, 2), [3], Float32Array.of(1, 2, 3)); // out = [2, 0, 4]
 */
export const scatterAdd: Backend['scatterAdd'] = (out, outShape, dim, index, indexShape, src) =>
  alongIndex(true, out, outShape, dim, index, indexShape, src);

/**
 * Both of `gather` (`scatter` false) and `scatterAdd` (true): walks the index space, `dense` and
 * `index` of shape `indexShape`, reading or adding into `full` (of `fullShape`) at the position
 * the index gives along `dim`. The direction is decided once per row, each with its own loop.
 */
function alongIndex(
  scatter: boolean,
  full: TypedArray,
  fullShape: readonly number[],
  dim: number,
  index: Int32Array,
  indexShape: readonly number[],
  dense: TypedArray,
): void {
  const nd = indexShape.length;
  if (nd === 0) {
    if (scatter) full[index[0]] += dense[0];
    else dense[0] = full[index[0]];
    return;
  }
  let size = 1;
  for (let d = 0; d < nd; d++) size *= indexShape[d];
  if (size === 0) return;
  // The full tensor's strides with 0 at `dim`, as one operand: its position there is the index
  // value times `dimStride`. Along a row it steps by `rowStep` (0 when the row runs along `dim`).
  const fullStrides = stridesOf(fullShape);
  const dimStride = fullStrides[dim];
  fullStrides[dim] = 0;
  const strides = [fullStrides];
  const rowLength = indexShape[nd - 1];
  const rowStep = fullStrides[nd - 1];
  const rows = size / rowLength;
  const counter = new Int32Array(nd);
  const offsets = [0];
  for (let r = 0, p = 0; r < rows; r++) {
    const end = p + rowLength;
    let at = offsets[0];
    if (scatter) for (; p < end; p++, at += rowStep) full[at + index[p] * dimStride] += dense[p];
    else for (; p < end; p++, at += rowStep) dense[p] = full[at + index[p] * dimStride];
    nextRow(indexShape, counter, strides, offsets);
  }
}
