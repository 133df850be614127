import type { TypedArray } from '../../tensor/dtype.js';
import { INDEX_SPAN, lineKeys, sortIndices } from './sort.js';

/**
 * Moves the k smallest of `keys[0..n)` to `keys[0..k)`, in order, by a max-heap of size k:
 * O(n log k) instead of a whole sort. The keys are distinct (each holds its position).
 */
function smallestFirst(keys: Float64Array, n: number, k: number): void {
  const heap = keys; // the heap lives in keys[0..k)
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= k) return;
      const c = l + 1 < k && heap[l + 1] > heap[l] ? l + 1 : l;
      if (heap[c] <= heap[i]) return;
      const t = heap[c];
      heap[c] = heap[i];
      heap[i] = t;
      i = c;
    }
  };
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let j = k; j < n; j++) {
    if (keys[j] < heap[0]) {
      heap[0] = keys[j];
      siftDown(0);
    }
  }
  keys.subarray(0, k).sort();
}

/**
 * The first k positions of each line's stable sorting order (largest first when `descending`),
 * into out [outer, k, inner]: a heap over the lines' order keys (see `sortIndices`) for float32
 * and integer data; float64 lines are sorted whole.
 *
 * @example
 * const out = new Int32Array(2);
 * topkIndices(Float32Array.of(1, 3, 2), 1, 3, 1, 2, true, out); // out = [1, 2]
 */
export function topkIndices(
  x: TypedArray,
  outer: number,
  size: number,
  inner: number,
  k: number,
  descending: boolean,
  out: Int32Array,
): void {
  if (k === 0) return;
  const keyed = !(x instanceof Float64Array) && size <= INDEX_SPAN;
  const keys = new Float64Array(size);
  const order = new Int32Array(keyed ? 0 : outer * size * inner);
  if (!keyed) sortIndices(x, outer, size, inner, descending, order);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const from = o * size * inner + i;
      const to = o * k * inner + i;
      if (!keyed) {
        for (let j = 0; j < k; j++) out[to + j * inner] = order[from + j * inner];
        continue;
      }
      lineKeys(x as Float32Array | Int32Array | Uint8Array, from, size, inner, descending, keys);
      smallestFirst(keys, size, k);
      for (let j = 0; j < k; j++) out[to + j * inner] = keys[j] % INDEX_SPAN;
    }
  }
}
