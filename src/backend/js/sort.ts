import type { TypedArray } from '../../tensor/dtype.js';

/** a before b ascending: NaN after every number; equal elements compare as 0 (a stable sort keeps their order). */
function ascending(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The stable sorting permutation of each line along the axis of x viewed as [outer, size, inner]:
 * out holds, at each position along the axis, the index of the element that goes there.
 * `Array.prototype.sort` is stable (ECMAScript 2019), so equal elements keep their order.
 *
 * @example
 * const out = new Int32Array(3);
 * sortIndices(Float64Array.of(2, NaN, 1), 1, 3, 1, false, out); // out = [2, 0, 1]
 */
export function sortIndices(
  x: TypedArray,
  outer: number,
  size: number,
  inner: number,
  descending: boolean,
  out: Int32Array,
): void {
  const order = Array.from({ length: size }, (_, j) => j);
  const line = new Float64Array(size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      for (let j = 0; j < size; j++) {
        order[j] = j;
        line[j] = x[base + j * inner];
      }
      if (descending) order.sort((a, b) => ascending(line[b], line[a]));
      else order.sort((a, b) => ascending(line[a], line[b]));
      for (let j = 0; j < size; j++) out[base + j * inner] = order[j];
    }
  }
}
