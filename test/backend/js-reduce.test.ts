import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ReduceKernel } from '../../src/backend/backend.js';
import { allocate, DTYPES } from '../../src/tensor/dtype.js';
import type { DType, TypedArray } from '../../src/tensor/dtype.js';
import { B, expectClose, forAllShapes, randInt, randomArray } from './js-helpers.js';
import { ravel, sizeOfShape, unravel } from './multi-index.js';

// reduce and argReduce against naive implementations.
// The helpers and the approach are in js-helpers.ts.

function naiveReduce(
  op: ReduceKernel,
  x: TypedArray,
  shape: readonly number[],
  axes: readonly number[],
  dtype: DType,
): TypedArray {
  const keep = shape.map((_, d) => !axes.includes(d));
  const outShape = shape.filter((_, d) => keep[d]);
  const acc: (number | undefined)[] = new Array(sizeOfShape(outShape)).fill(
    op === 'sum' ? 0 : undefined,
  );
  for (let i = 0; i < x.length; i++) {
    const idx = unravel(i, shape);
    const o = ravel(
      idx.filter((_, d) => keep[d]),
      outShape,
    );
    const v = x[i];
    const prev = acc[o];
    if (op === 'sum') acc[o] = (prev as number) + v;
    else if (prev === undefined) acc[o] = v;
    else acc[o] = op === 'max' ? Math.max(prev, v) : Math.min(prev, v); // NaN-propagating
  }
  const out = allocate(dtype, acc.length);
  for (let i = 0; i < acc.length; i++) out[i] = acc[i] as number;
  return out;
}

describe('reduce', () => {
  for (const op of ['sum', 'max', 'min'] as const) {
    for (const dtype of DTYPES) {
      it(`${op} over ${dtype} matches the naive loop for any set of axes`, () => {
        forAllShapes(0, (shape, rand) => {
          const axes = shape.map((_, d) => d).filter(() => rand() < 0.5);
          const outSize = sizeOfShape(shape.filter((_, d) => !axes.includes(d)));
          const reducesNothing = axes.some((d) => shape[d] === 0);
          fc.pre(op === 'sum' || outSize === 0 || !reducesNothing); // max/min of nothing is never asked
          const x = randomArray(dtype, sizeOfShape(shape), rand);
          const out = allocate(dtype, outSize).fill(7);
          B.reduce(op, x, shape, axes, out);
          const tol = dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : undefined;
          expectClose(out, naiveReduce(op, x, shape, axes, dtype), tol);
        });
      });
    }
  }

  it('sums along each axis of a 2×3 matrix', () => {
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    const cols = new Float32Array(3);
    B.reduce('sum', x, [2, 3], [0], cols);
    expect(Array.from(cols)).toEqual([5, 7, 9]);
    const rows = new Float32Array(2);
    B.reduce('sum', x, [2, 3], [1], rows);
    expect(Array.from(rows)).toEqual([6, 15]);
    const all = new Float32Array(1);
    B.reduce('sum', x, [2, 3], [0, 1], all);
    expect(all[0]).toBe(21);
  });

  it('reduces a middle axis and keeps the outer ones', () => {
    // x[i][j][k] = 100i + 10j + k, shape [2, 3, 2]; max over j → 100i + 20 + k
    const x = new Float64Array(12);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 2; k++) x[i * 6 + j * 2 + k] = 100 * i + 10 * j + k;
    const out = new Float64Array(4);
    B.reduce('max', x, [2, 3, 2], [1], out);
    expect(Array.from(out)).toEqual([20, 21, 120, 121]);
    const mins = new Float64Array(3);
    B.reduce('min', x, [2, 3, 2], [0, 2], mins);
    expect(Array.from(mins)).toEqual([0, 10, 20]);
  });

  it('sums nothing to 0 and propagates NaN through max and min', () => {
    const out = Float32Array.of(7, 7);
    B.reduce('sum', new Float32Array(0), [2, 0], [1], out);
    expect(Array.from(out)).toEqual([0, 0]);
    const m = new Float32Array(2);
    B.reduce('max', Float32Array.of(1, NaN, 3, 4, 5, 6), [2, 3], [1], m);
    expect(Array.from(m)).toEqual([NaN, 6]);
    const m0 = new Float32Array(3);
    B.reduce('min', Float32Array.of(1, 2, 3, 4, NaN, 6), [2, 3], [0], m0);
    expect(Array.from(m0)).toEqual([1, NaN, 3]);
    const s = new Float64Array(1);
    B.reduce('sum', Float64Array.of(4), [], [], s);
    expect(s[0]).toBe(4);
  });

  it('accumulates float32 sums in double precision', () => {
    const x = new Float32Array(1 << 20).fill(0.1);
    const out = new Float32Array(1);
    B.reduce('sum', x, [x.length], [0], out);
    expect(out[0]).toBe(Math.fround(Math.fround(0.1) * x.length));
  });
});

function naiveArgReduce(
  op: 'argmax' | 'argmin',
  x: TypedArray,
  shape: readonly number[],
  axis: number,
): Int32Array {
  const full = shape.length === 0 ? [1] : shape;
  const outShape = full.filter((_, d) => d !== axis);
  const out = new Int32Array(sizeOfShape(outShape));
  for (let o = 0; o < out.length; o++) {
    const oIdx = unravel(o, outShape);
    let best = NaN;
    let at = -1;
    for (let r = 0; r < full[axis]; r++) {
      const idx = [...oIdx.slice(0, axis), r, ...oIdx.slice(axis)];
      const v = x[ravel(idx, full)];
      if (Number.isNaN(v)) {
        at = r;
        break;
      }
      if (at === -1 || (op === 'argmax' ? v > best : v < best)) {
        best = v;
        at = r;
      }
    }
    out[o] = at;
  }
  return out;
}

describe('argReduce', () => {
  for (const op of ['argmax', 'argmin'] as const) {
    for (const dtype of DTYPES) {
      it(`${op} over ${dtype} gives the first extreme index, NaN winning`, () => {
        forAllShapes(0, (shape, rand) => {
          const axis = shape.length === 0 ? 0 : randInt(rand, 0, shape.length - 1);
          fc.pre(shape.length === 0 || shape[axis] > 0);
          const x = randomArray(dtype, sizeOfShape(shape), rand);
          const expected = naiveArgReduce(op, x, shape, axis);
          const out = new Int32Array(expected.length).fill(-7);
          B.argReduce(op, x, shape, axis, out);
          expectClose(out, expected);
        });
      });
    }
  }

  it('breaks ties toward the first index and lets NaN win', () => {
    // [[1, 5, 5, -2, -2], [2, 3, 3, NaN, NaN]]
    const x = Float32Array.of(1, 5, 5, -2, -2, 2, 3, 3, NaN, NaN);
    const rows = new Int32Array(2);
    B.argReduce('argmax', x, [2, 5], 1, rows);
    expect(Array.from(rows)).toEqual([1, 3]);
    B.argReduce('argmin', x, [2, 5], 1, rows);
    expect(Array.from(rows)).toEqual([3, 3]);
    const cols = new Int32Array(5);
    B.argReduce('argmax', x, [2, 5], 0, cols);
    expect(Array.from(cols)).toEqual([1, 0, 0, 1, 1]);
    B.argReduce('argmin', x, [2, 5], 0, cols);
    expect(Array.from(cols)).toEqual([0, 1, 1, 1, 1]);
  });

  it('returns 0 for a scalar and fills -1 for an empty axis', () => {
    const out = new Int32Array(1).fill(9);
    B.argReduce('argmax', Float64Array.of(3), [], 0, out);
    expect(out[0]).toBe(0);
    const empty = new Int32Array(2).fill(9);
    B.argReduce('argmin', new Float64Array(0), [2, 0], 1, empty);
    expect(Array.from(empty)).toEqual([-1, -1]);
  });
});
