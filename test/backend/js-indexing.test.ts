import { describe, expect, it } from 'vitest';
import { allocate, DTYPES } from '../../src/tensor/dtype.js';
import { B, expectClose, forAllShapes, randInt, randomArray } from './js-helpers.js';
import { ravel, sizeOfShape, unravel } from './multi-index.js';

// indexSelect, indexAdd, gather and scatterAdd against naive implementations.
// The helpers and the approach are in js-helpers.ts.

/** A random dim of `shape` and an index along it (with repeats), as index_select takes. */
function randomSelection(shape: readonly number[], rand: () => number) {
  const dim = randInt(rand, 0, shape.length - 1);
  const count = shape[dim] === 0 ? 0 : randInt(rand, 0, 5);
  const index = Int32Array.from({ length: count }, () => randInt(rand, 0, shape[dim] - 1));
  const selShape = shape.map((d, i) => (i === dim ? count : d));
  return { dim, index, selShape };
}

describe('indexSelect and indexAdd', () => {
  for (const dtype of DTYPES) {
    it(`indexSelect over ${dtype} matches the naive loop`, () => {
      forAllShapes(1, (shape, rand) => {
        const { dim, index, selShape } = randomSelection(shape, rand);
        const x = randomArray(dtype, sizeOfShape(shape), rand);
        const out = allocate(dtype, sizeOfShape(selShape)).fill(7);
        B.indexSelect(x, shape, dim, index, out);
        const expected = allocate(dtype, out.length);
        for (let i = 0; i < out.length; i++) {
          const idx = unravel(i, selShape);
          idx[dim] = index[idx[dim]];
          expected[i] = x[ravel(idx, shape)];
        }
        expectClose(out, expected);
      });
    });

    it(`indexAdd over ${dtype} matches the naive loop, summing repeats`, () => {
      forAllShapes(1, (shape, rand) => {
        const { dim, index, selShape } = randomSelection(shape, rand);
        const src = randomArray(dtype, sizeOfShape(selShape), rand, false);
        const out = randomArray(dtype, sizeOfShape(shape), rand, false);
        const expected = out.slice();
        for (let i = 0; i < src.length; i++) {
          const idx = unravel(i, selShape);
          idx[dim] = index[idx[dim]];
          expected[ravel(idx, shape)] += src[i];
        }
        B.indexAdd(out, shape, dim, index, src);
        expectClose(out, expected);
      });
    });
  }

  it('selects and adds whole rows, long and short, and handles a 0-d tensor', () => {
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    const rows = new Float32Array(6);
    B.indexSelect(x, [3, 2], 0, Int32Array.of(2, 0, 2), rows);
    expect(Array.from(rows)).toEqual([5, 6, 1, 2, 5, 6]);
    const cols = new Float32Array(3);
    B.indexSelect(x, [3, 2], 1, Int32Array.of(1), cols);
    expect(Array.from(cols)).toEqual([2, 4, 6]);

    const big = Float64Array.from({ length: 2 * 3 * 40 }, (_, i) => i);
    const picked = new Float64Array(2 * 2 * 40);
    B.indexSelect(big, [2, 3, 40], 1, Int32Array.of(2, 0), picked);
    for (let a = 0; a < 2; a++) {
      for (let j = 0; j < 40; j++) {
        expect(picked[(a * 2 + 0) * 40 + j]).toBe((a * 3 + 2) * 40 + j);
        expect(picked[(a * 2 + 1) * 40 + j]).toBe((a * 3 + 0) * 40 + j);
      }
    }

    const acc = new Float32Array(3);
    B.indexAdd(acc, [3], 0, Int32Array.of(1, 1, 2), Float32Array.of(1, 2, 3));
    expect(Array.from(acc)).toEqual([0, 3, 3]);
    const grid = new Int32Array(6);
    B.indexAdd(grid, [3, 2], 0, Int32Array.of(0, 0), Int32Array.of(1, 2, 3, 4));
    expect(Array.from(grid)).toEqual([4, 6, 0, 0, 0, 0]);

    const s = new Float32Array(1);
    B.indexSelect(Float32Array.of(8), [], 0, Int32Array.of(0), s);
    expect(s[0]).toBe(8);
  });
});

/** A random gather: dim, an index shape no larger than x's except at dim, and indices. */
function randomGather(xShape: readonly number[], rand: () => number) {
  const dim = randInt(rand, 0, xShape.length - 1);
  const indexShape = xShape.map((d, i) => {
    if (i === dim) return d === 0 ? 0 : randInt(rand, 0, 4);
    return rand() < 0.6 ? d : randInt(rand, 0, d);
  });
  const index = Int32Array.from({ length: sizeOfShape(indexShape) }, () =>
    randInt(rand, 0, xShape[dim] - 1),
  );
  return { dim, indexShape, index };
}

describe('gather and scatterAdd', () => {
  for (const dtype of DTYPES) {
    it(`gather over ${dtype} matches the naive loop`, () => {
      forAllShapes(1, (xShape, rand) => {
        const { dim, indexShape, index } = randomGather(xShape, rand);
        const x = randomArray(dtype, sizeOfShape(xShape), rand);
        const out = allocate(dtype, index.length).fill(7);
        B.gather(x, xShape, dim, index, indexShape, out);
        const expected = allocate(dtype, out.length);
        for (let i = 0; i < out.length; i++) {
          const idx = unravel(i, indexShape);
          idx[dim] = index[i];
          expected[i] = x[ravel(idx, xShape)];
        }
        expectClose(out, expected);
      });
    });

    it(`scatterAdd over ${dtype} matches the naive loop, summing repeats`, () => {
      forAllShapes(1, (outShape, rand) => {
        const { dim, indexShape, index } = randomGather(outShape, rand);
        const src = randomArray(dtype, index.length, rand, false);
        const out = randomArray(dtype, sizeOfShape(outShape), rand, false);
        const expected = out.slice();
        for (let i = 0; i < src.length; i++) {
          const idx = unravel(i, indexShape);
          idx[dim] = index[i];
          expected[ravel(idx, outShape)] += src[i];
        }
        B.scatterAdd(out, outShape, dim, index, indexShape, src);
        expectClose(out, expected);
      });
    });
  }

  it('gathers along either dim of a matrix, and of a 0-d tensor', () => {
    const x = Float32Array.of(1, 2, 3, 4); // [[1, 2], [3, 4]]
    const byRow = new Float32Array(2);
    B.gather(x, [2, 2], 1, Int32Array.of(1, 0), [2, 1], byRow);
    expect(Array.from(byRow)).toEqual([2, 3]);
    const byCol = new Float32Array(2);
    B.gather(x, [2, 2], 0, Int32Array.of(1, 0), [1, 2], byCol);
    expect(Array.from(byCol)).toEqual([3, 2]);
    const s = new Float32Array(1);
    B.gather(Float32Array.of(6), [], 0, Int32Array.of(0), [], s);
    expect(s[0]).toBe(6);
  });

  it('scatter-adds with repeated indices', () => {
    const out = new Float32Array(3);
    B.scatterAdd(out, [3], 0, Int32Array.of(2, 0, 2), [3], Float32Array.of(1, 2, 3));
    expect(Array.from(out)).toEqual([2, 0, 4]);
    const grid = new Float64Array(4); // [2, 2], dim 1
    B.scatterAdd(grid, [2, 2], 1, Int32Array.of(1, 1, 0, 0), [2, 2], Float64Array.of(1, 2, 3, 4));
    expect(Array.from(grid)).toEqual([0, 3, 7, 0]);
    const s = Float32Array.of(1);
    B.scatterAdd(s, [], 0, Int32Array.of(0), [], Float32Array.of(2));
    expect(s[0]).toBe(3);
  });
});
