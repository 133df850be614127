import type { ReduceKernel } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { nextRow, splitAt } from './strided.js';

/** The value a reduction starts from: the result over no elements. */
function identity(op: ReduceKernel): number {
  return op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
}

/**
 * Reduces `x` (contiguous, of shape `shape`) over the sorted, distinct `axes` into `out` (the shape
 * of `x` without those axes).
 *
 * Sums accumulate in doubles whatever the element type, in memory order, and are converted once
 * when stored. `max`/`min` propagate NaN: one NaN among the reduced elements makes the result NaN.
 * The sum of no elements is 0 (an empty `max`/`min`, which callers never ask for, gives -Infinity
 * / Infinity).
 *
 * Paths: when the reduced axes are the trailing ones (after dropping size-1 dimensions), each
 * output is one tight loop over a contiguous block. Otherwise `x` is walked once in memory order,
 * row by row, accumulating into a double buffer of the output's size: a row along a reduced axis
 * folds into one accumulator, a row along a kept axis adds element-wise into a row of the buffer
 * (so reducing leading axes, as a bias gradient does, streams through memory).
 *
 * @example
 * const out = new Float32Array(3);
 * reduce('sum', Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], [0], out); // out = [5, 7, 9]
 */
export function reduce(
  op: ReduceKernel,
  x: TypedArray,
  shape: readonly number[],
  axes: readonly number[],
  out: TypedArray,
): void {
  const layout = coalesceReduction(shape, axes);
  const { sizes, reduced, total, outSize } = layout;
  if (outSize === 0) return;
  if (total === 0) {
    out.fill(identity(op));
    return;
  }
  const q = sizes.length;
  if (q === 0 || (q === 1 && !reduced[0])) {
    out.set(x); // only size-1 axes are reduced
    return;
  }
  if (reduced[q - 1] && q <= 2) {
    reduceTrailing(op, x, out, outSize, sizes[q - 1]);
    return;
  }
  reduceInOrder(op, x, out, layout);
}

/** A reduction's shape with size-1 dimensions dropped and same-kind neighbours merged. */
interface ReductionLayout {
  /** Sizes of the coalesced dimensions, outermost first (none when every size is 1). */
  readonly sizes: number[];
  /** Whether each coalesced dimension is reduced. */
  readonly reduced: boolean[];
  /** Elements of the input. */
  readonly total: number;
  /** Elements of the output. */
  readonly outSize: number;
}

/** Drops size-1 dimensions of `shape` and merges neighbours that are both reduced or both kept. */
function coalesceReduction(shape: readonly number[], axes: readonly number[]): ReductionLayout {
  const sizes: number[] = [];
  const reduced: boolean[] = [];
  let total = 1;
  let outSize = 1;
  for (let d = 0, next = 0; d < shape.length; d++) {
    const n = shape[d];
    const isReduced = axes[next] === d;
    if (isReduced) next++;
    else outSize *= n;
    total *= n;
    if (n === 1) continue;
    const last = sizes.length - 1;
    if (last >= 0 && reduced[last] === isReduced) sizes[last] *= n;
    else {
      sizes.push(n);
      reduced.push(isReduced);
    }
  }
  return { sizes, reduced, total, outSize };
}

/**
 * The general case: one pass over `x` in memory order, row by row, into a double buffer of the
 * output's size (`out` itself when it holds doubles); `offsets[0]` is the output position of a row.
 */
function reduceInOrder(
  op: ReduceKernel,
  x: TypedArray,
  out: TypedArray,
  { sizes, reduced, total, outSize }: ReductionLayout,
): void {
  const q = sizes.length;
  const outStrides = new Array<number>(q);
  for (let d = q - 1, s = 1; d >= 0; d--) {
    outStrides[d] = reduced[d] ? 0 : s;
    if (!reduced[d]) s *= sizes[d];
  }
  const acc = out instanceof Float64Array ? out : new Float64Array(outSize);
  acc.fill(identity(op));
  const rowLength = sizes[q - 1];
  const rowReduced = reduced[q - 1];
  const rows = total / rowLength;
  const counter = new Int32Array(q);
  const offsets = [0];
  const strides = [outStrides];
  for (let r = 0, xo = 0; r < rows; r++, xo += rowLength) {
    const o = offsets[0];
    if (rowReduced) acc[o] = foldRow(op, x, xo, xo + rowLength, acc[o]);
    else combineRow(op, x, xo, xo + rowLength, acc, o);
    nextRow(sizes, counter, strides, offsets);
  }
  if (acc !== out) out.set(acc);
}

/** A row along a reduced axis: `m` folded with x[start … end) into one value. */
function foldRow(op: ReduceKernel, x: TypedArray, start: number, end: number, m: number): number {
  switch (op) {
    case 'sum':
      for (let i = start; i < end; i++) m += x[i];
      break;
    case 'max':
      for (let i = start; i < end; i++) {
        const v = x[i];
        if (v > m || v !== v) m = v;
      }
      break;
    case 'min':
      for (let i = start; i < end; i++) {
        const v = x[i];
        if (v < m || v !== v) m = v;
      }
      break;
  }
  return m;
}

/** A row along a kept axis: x[start … end) combined element-wise into acc[o …]. */
function combineRow(
  op: ReduceKernel,
  x: TypedArray,
  start: number,
  end: number,
  acc: Float64Array,
  o: number,
): void {
  switch (op) {
    case 'sum':
      for (let i = start, j = o; i < end; i++, j++) acc[j] += x[i];
      break;
    case 'max':
      for (let i = start, j = o; i < end; i++, j++) {
        const v = x[i];
        if (v > acc[j] || v !== v) acc[j] = v;
      }
      break;
    case 'min':
      for (let i = start, j = o; i < end; i++, j++) {
        const v = x[i];
        if (v < acc[j] || v !== v) acc[j] = v;
      }
      break;
  }
}

/** out[o] = op over the contiguous block x[o·n … (o+1)·n) for each o < count (n ≥ 1). */
function reduceTrailing(
  op: ReduceKernel,
  x: TypedArray,
  out: TypedArray,
  count: number,
  n: number,
): void {
  switch (op) {
    case 'sum':
      for (let o = 0, i = 0; o < count; o++) {
        let s = 0;
        for (const end = i + n; i < end; i++) s += x[i];
        out[o] = s;
      }
      return;
    case 'max':
      for (let o = 0; o < count; o++) {
        let m = -Infinity;
        for (let i = o * n, end = i + n; i < end; i++) {
          const v = x[i];
          if (v > m) m = v;
          else if (v !== v) {
            m = v;
            break;
          }
        }
        out[o] = m;
      }
      return;
    case 'min':
      for (let o = 0; o < count; o++) {
        let m = Infinity;
        for (let i = o * n, end = i + n; i < end; i++) {
          const v = x[i];
          if (v < m) m = v;
          else if (v !== v) {
            m = v;
            break;
          }
        }
        out[o] = m;
      }
      return;
  }
}

/**
 * Index of the first largest (`argmax`) or smallest (`argmin`) element along `axis`; `out` has the
 * shape of `x` without `axis`. As in PyTorch, NaN wins: the first NaN along the axis is the answer
 * for both. Ties go to the first index.
 *
 * `argmin` runs the `argmax` loop on -x (negation keeps NaN and ties, and is exact). Callers never
 * pass an empty axis (PyTorch throws); if they did, `out` would be filled with -1.
 *
 * @example
 * const out = new Int32Array(2);
 * argReduce('argmax', Float32Array.of(1, 5, 5, 0, NaN, 2), [2, 3], 1, out); // out = [1, 1]
 */
export function argReduce(
  op: 'argmax' | 'argmin',
  x: TypedArray,
  shape: readonly number[],
  axis: number,
  out: Int32Array,
): void {
  const [outer, n, inner] = splitAt(shape, axis);
  if (outer * inner === 0) return;
  if (n === 0) {
    out.fill(-1);
    return;
  }
  const sign = op === 'argmax' ? 1 : -1;
  if (inner === 1) {
    for (let a = 0; a < outer; a++) {
      const base = a * n;
      let best = sign * x[base];
      let at = 0;
      if (best === best) {
        for (let r = 1; r < n; r++) {
          const v = sign * x[base + r];
          if (v > best) {
            best = v;
            at = r;
          } else if (v !== v) {
            at = r;
            break;
          }
        }
      }
      out[a] = at;
    }
    return;
  }
  // Strided along the axis: keep a row of running bests and sweep rows of x contiguously.
  const best = new Float64Array(inner);
  for (let a = 0; a < outer; a++) {
    const base = a * n * inner;
    const o = a * inner;
    for (let j = 0; j < inner; j++) {
      best[j] = sign * x[base + j];
      out[o + j] = 0;
    }
    for (let r = 1; r < n; r++) {
      const row = base + r * inner;
      for (let j = 0; j < inner; j++) {
        const m = best[j];
        if (m !== m) continue; // an earlier NaN already won
        const v = sign * x[row + j];
        if (v > m || v !== v) {
          best[j] = v;
          out[o + j] = r;
        }
      }
    }
  }
}
