/**
 * Iteration helpers shared by the strided kernels (binary, where, copies, reductions).
 *
 * Every strided kernel walks a contiguous output of some shape while reading (or writing) other
 * arrays through per-dimension strides. The walk is done row by row: all dimensions but the last
 * are stepped by an n-d counter ({@link nextRow}), and the last dimension is a tight loop in the
 * kernel itself. {@link coalesce} first shrinks the iteration space so rows are as long as they can
 * be — two same-shape contiguous operands become a single row.
 */

/** A simplified iteration space, as returned by {@link coalesce}. */
export interface Coalesced {
  /** Sizes, outermost first; always at least one dimension. */
  readonly shape: number[];
  /** One stride list per operand, parallel to `shape`. */
  readonly strides: number[][];
  /** The number of elements (the product of `shape`). */
  readonly size: number;
}

/**
 * Simplifies the walk over a contiguous output of shape `shape` whose operands are read through
 * `strides` (one list per operand, in elements): drops size-1 dimensions and merges each dimension
 * into the one before it when every operand steps through the pair as through one dimension (the
 * contiguous output always does).
 *
 * The result has at least one dimension. A shape holding a 0 gives shape `[0]` (size 0); a shape
 * of only 1s (including the 0-d shape `[]`) gives shape `[1]` with stride 0 for every operand.
 */
export function coalesce(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): Coalesced {
  const nOps = strides.length;
  const outShape: number[] = [];
  const outStrides: number[][] = [];
  for (let o = 0; o < nOps; o++) outStrides.push([]);
  let size = 1;
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    size *= n;
    if (n === 1) continue;
    if (n === 0) {
      for (let o = 0; o < nOps; o++) outStrides[o] = [0];
      return { shape: [0], strides: outStrides, size: 0 };
    }
    const last = outShape.length - 1;
    let merge = last >= 0;
    for (let o = 0; merge && o < nOps; o++) merge = outStrides[o][last] === strides[o][d] * n;
    if (merge) {
      outShape[last] *= n;
      for (let o = 0; o < nOps; o++) outStrides[o][last] = strides[o][d];
    } else {
      outShape.push(n);
      for (let o = 0; o < nOps; o++) outStrides[o].push(strides[o][d]);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (let o = 0; o < nOps; o++) outStrides[o].push(0);
  }
  return { shape: outShape, strides: outStrides, size };
}

/**
 * Steps `counter` — the multi-index over dimensions `0 … shape.length - 2`, the last dimension
 * being the row — to the next row, and moves each operand's offset in `offsets` by its strides.
 * Called once per row, never per element.
 */
export function nextRow(
  shape: readonly number[],
  counter: Int32Array,
  strides: readonly (readonly number[])[],
  offsets: number[],
): void {
  const nOps = offsets.length;
  for (let d = shape.length - 2; d >= 0; d--) {
    if (++counter[d] < shape[d]) {
      for (let o = 0; o < nOps; o++) offsets[o] += strides[o][d];
      return;
    }
    counter[d] = 0;
    for (let o = 0; o < nOps; o++) offsets[o] -= strides[o][d] * (shape[d] - 1);
  }
}

/** The sizes before, at and after `dim`, so a tensor can be read as `[outer, size, inner]`. */
export function splitAt(
  shape: readonly number[],
  dim: number,
): [outer: number, size: number, inner: number] {
  if (shape.length === 0) return [1, 1, 1];
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d];
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d];
  return [outer, shape[dim], inner];
}

/** Rows at least this long are copied with `TypedArray.prototype.set` instead of a loop. */
export const SET_MIN = 32;
