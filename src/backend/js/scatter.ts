import type { Backend } from '../backend.js';
import { stridesOf } from '../../tensor/shape.js';

/**
 * PyTorch's `scatter_` (`reduce` 'assign') and `scatter_(…, reduce='multiply')`: for dim = 0,
 * out[index[i][j][k]][j][k] = src[i][j][k] (or *=). `index` and `src` have shape `indexShape`,
 * of out's rank, at most out's size outside `dim`; indices are checked to lie in [0, outShape[dim]).
 * Positions are visited in row-major order of the index, so where an index repeats the last
 * value written wins (as PyTorch's CPU kernel; PyTorch leaves the order unspecified).
 *
 * @example
 * const out = Float32Array.of(9, 9, 9);
 * scatter(out, [3], 0, Int32Array.of(2, 0, 2), [3], Float32Array.of(1, 2, 3), 'assign'); // out = [2, 9, 3]
 */
export const scatter: Backend['scatter'] = (out, outShape, dim, index, indexShape, src, reduce) => {
  const nd = indexShape.length;
  let size = 1;
  for (let d = 0; d < nd; d++) size *= indexShape[d];
  if (size === 0) return;
  const strides = stridesOf(outShape);
  const counter = new Int32Array(nd);
  const multiply = reduce === 'multiply';
  for (let p = 0; p < size; p++) {
    let at = 0;
    for (let d = 0; d < nd; d++) at += (d === dim ? index[p] : counter[d]) * strides[d];
    if (nd === 0) at = index[p];
    if (multiply) out[at] *= src[p];
    else out[at] = src[p];
    for (let d = nd - 1; d >= 0; d--) {
      if (++counter[d] < indexShape[d]) break;
      counter[d] = 0;
    }
  }
};
