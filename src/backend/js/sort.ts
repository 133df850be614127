import type { TypedArray } from '../../tensor/dtype.js';

/** a before b ascending: NaN after every number; equal elements compare as 0 (a stable sort keeps their order). */
function ascending(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Line lengths up to this fit an index beside a 32-bit key in one double's 53 bits. */
export const INDEX_SPAN = 2 ** 21;
const bits = new Float32Array(1);
const word = new Uint32Array(bits.buffer);

/**
 * A 32-bit key whose unsigned order is the order of float32 (or int32) values: the sign bit
 * flipped for positives, all bits for negatives; −0 as +0 (equal, so a stable sort keeps their
 * order) and every NaN as one NaN above +Infinity.
 */
function orderKey(v: number, int: boolean): number {
  if (int) return (v ^ 0x80000000) >>> 0;
  if (v !== v) return 0xffc00000;
  bits[0] = v === 0 ? 0 : v;
  const w = word[0];
  return w & 0x80000000 ? ~w >>> 0 : (w | 0x80000000) >>> 0;
}

/**
 * The order keys of one line: key·2²¹ + position, doubles that are all distinct, so that a numeric
 * sort of them gives the stable order (for float32 and integer data, whose keys are exact).
 */
export function lineKeys(
  x: Float32Array | Int32Array | Uint8Array,
  base: number,
  size: number,
  inner: number,
  descending: boolean,
  keys: Float64Array,
): void {
  const int = !(x instanceof Float32Array);
  for (let j = 0; j < size; j++) {
    const key = orderKey(x[base + j * inner], int);
    keys[j] = (descending ? 0xffffffff - key : key) * INDEX_SPAN + j;
  }
}

/** One line sorted by a numeric sort of its order keys: about 3× a comparator. */
function sortLineByKeys(
  x: Float32Array | Int32Array | Uint8Array,
  base: number,
  size: number,
  inner: number,
  descending: boolean,
  keys: Float64Array,
  out: Int32Array,
): void {
  lineKeys(x, base, size, inner, descending, keys);
  keys.sort();
  for (let j = 0; j < size; j++) out[base + j * inner] = keys[j] % INDEX_SPAN;
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
  if (!(x instanceof Float64Array) && size <= INDEX_SPAN) {
    const keys = new Float64Array(size);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        sortLineByKeys(x, o * size * inner + i, size, inner, descending, keys, out);
      }
    }
    return;
  }
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
