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
export function indexSelect(
  x: TypedArray,
  shape: readonly number[],
  dim: number,
  index: Int32Array,
  out: TypedArray,
): void {
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
}

/**
 * The adjoint of {@link indexSelect} (PyTorch's `index_add_`): out (of shape `outShape`) +=
 * `src` scattered along `dim` at `index`, so out[…, index[i], …] += src[…, i, …]. Where an index
 * repeats, every contribution is added. `src` has outShape with size `index.length` at `dim`.
 *
 * @example
 * const out = new Float32Array(3);
 * indexAdd(out, [3], 0, Int32Array.of(1, 1, 2), Float32Array.of(1, 2, 3)); // out = [0, 3, 3]
 */
export function indexAdd(
  out: TypedArray,
  outShape: readonly number[],
  dim: number,
  index: Int32Array,
  src: TypedArray,
): void {
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
}

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
export function gather(
  x: TypedArray,
  xShape: readonly number[],
  dim: number,
  index: Int32Array,
  indexShape: readonly number[],
  out: TypedArray,
): void {
  const nd = indexShape.length;
  if (nd === 0) {
    out[0] = x[index[0]];
    return;
  }
  const walk = walkAlong(xShape, dim, indexShape);
  if (walk === undefined) return;
  const { strides, rowLength, rowStep, dimStride, rows } = walk;
  const counter = new Int32Array(nd);
  const offsets = [0];
  for (let r = 0, p = 0; r < rows; r++) {
    const end = p + rowLength;
    for (let at = offsets[0]; p < end; p++, at += rowStep) out[p] = x[at + index[p] * dimStride];
    nextRow(indexShape, counter, strides, offsets);
  }
}

/**
 * The adjoint of {@link gather} (PyTorch's `scatter_add_`): out[index[i][j][k]][j][k] +=
 * src[i][j][k] for dim = 0 (likewise for the other dims), adding every contribution where
 * indices repeat. `index` and `src` have shape `indexShape`; `out` has shape `outShape`.
 *
 * @example
 * const out = new Float32Array(3);
 * scatterAdd(out, [3], 0, Int32Array.of(2, 0, 2), [3], Float32Array.of(1, 2, 3)); // out = [2, 0, 4]
 */
export function scatterAdd(
  out: TypedArray,
  outShape: readonly number[],
  dim: number,
  index: Int32Array,
  indexShape: readonly number[],
  src: TypedArray,
): void {
  const nd = indexShape.length;
  if (nd === 0) {
    out[index[0]] += src[0];
    return;
  }
  const walk = walkAlong(outShape, dim, indexShape);
  if (walk === undefined) return;
  const { strides, rowLength, rowStep, dimStride, rows } = walk;
  const counter = new Int32Array(nd);
  const offsets = [0];
  for (let r = 0, p = 0; r < rows; r++) {
    const end = p + rowLength;
    for (let at = offsets[0]; p < end; p++, at += rowStep) out[at + index[p] * dimStride] += src[p];
    nextRow(indexShape, counter, strides, offsets);
  }
}

/** How gather/scatterAdd walk the index space (undefined when it is empty). */
interface IndexWalk {
  /** Strides of the full tensor with 0 at `dim` (its position comes from the index), as one operand. */
  readonly strides: number[][];
  /** Length of the last dimension of the index: one row. */
  readonly rowLength: number;
  /** The full tensor's step along a row (0 when the row runs along `dim`). */
  readonly rowStep: number;
  /** The full tensor's stride along `dim`, multiplied by the index value. */
  readonly dimStride: number;
  readonly rows: number;
}

/** Sets up the walk over `indexShape` for gather/scatterAdd into or out of a tensor of `fullShape`. */
function walkAlong(
  fullShape: readonly number[],
  dim: number,
  indexShape: readonly number[],
): IndexWalk | undefined {
  const nd = indexShape.length;
  let size = 1;
  for (let d = 0; d < nd; d++) size *= indexShape[d];
  if (size === 0) return undefined;
  const strides = stridesOf(fullShape);
  const dimStride = strides[dim];
  strides[dim] = 0;
  const rowLength = indexShape[nd - 1];
  return {
    strides: [strides],
    rowLength,
    rowStep: strides[nd - 1],
    dimStride,
    rows: size / rowLength,
  };
}
