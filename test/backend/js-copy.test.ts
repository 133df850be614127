import { describe, expect, it } from 'vitest';
import { allocate, DTYPES } from '../../src/tensor/dtype.js';
import { B, expectClose, forAllShapes, randInt, randomArray } from './js-helpers.js';
import { sizeOfShape, unravel } from './multi-index.js';

// copyStrided and assignStrided against naive implementations.
// The helpers and the approach are in js-helpers.ts.

/**
 * Strides of a view of a larger contiguous tensor: dims in a random order, steps of 1 or 2,
 * padding, some flipped (negative). Distinct multi-indices reach distinct positions unless
 * `expand` lets some dims have stride 0. Otherwise (40% of the time when `expand`) any strides
 * in [-3, 3].
 */
function viewStrides(shape: readonly number[], rand: () => number, expand: boolean): number[] {
  if (expand && rand() < 0.4) return shape.map(() => randInt(rand, -3, 3));
  const order = shape.map((_, d) => d);
  if (rand() < 0.5) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = randInt(rand, 0, i);
      [order[i], order[j]] = [order[j], order[i]];
    }
  }
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let q = order.length - 1; q >= 0; q--) {
    const d = order[q];
    const step = rand() < 0.7 ? 1 : 2;
    strides[d] = s * step * (rand() < 0.15 ? -1 : 1);
    if (expand && rand() < 0.1) strides[d] = 0;
    s *= Math.max(shape[d], 1) * step + (rand() < 0.7 ? 0 : randInt(rand, 1, 3));
  }
  return strides;
}

/** The smallest offset keeping every position ≥ 0, plus some slack, and the array length needed. */
function placeView(shape: readonly number[], strides: readonly number[], rand: () => number) {
  let offset = randInt(rand, 0, 2);
  let span = 0;
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 0) continue;
    if (strides[d] < 0) offset += -strides[d] * (shape[d] - 1);
    else span += strides[d] * (shape[d] - 1);
  }
  return { offset, length: offset + span + 1 + randInt(rand, 0, 2) };
}

function viewPosition(idx: readonly number[], offset: number, strides: readonly number[]): number {
  let pos = offset;
  for (let d = 0; d < idx.length; d++) pos += idx[d] * strides[d];
  return pos;
}

describe('copyStrided', () => {
  for (const dtype of DTYPES) {
    it(`over ${dtype} reads every view like the naive loop`, () => {
      forAllShapes(0, (outShape, rand) => {
        const strides = viewStrides(outShape, rand, true);
        const { offset, length } = placeView(outShape, strides, rand);
        const x = randomArray(dtype, length, rand);
        const out = allocate(dtype, sizeOfShape(outShape)).fill(7);
        B.copyStrided(x, offset, strides, outShape, out);
        const expected = allocate(dtype, out.length);
        for (let i = 0; i < out.length; i++)
          expected[i] = x[viewPosition(unravel(i, outShape), offset, strides)];
        expectClose(out, expected);
      });
    });
  }

  it('transposes, slices long rows (converting type), and expands', () => {
    const t = new Float32Array(6);
    B.copyStrided(Float32Array.of(0, 1, 2, 3, 4, 5), 0, [1, 3], [3, 2], t);
    expect(Array.from(t)).toEqual([0, 3, 1, 4, 2, 5]);

    const base = Float64Array.from({ length: 250 }, (_, i) => i + 0.25);
    const slice = new Float32Array(120);
    B.copyStrided(base, 55, [50, 1], [3, 40], slice);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 40; j++) expect(slice[i * 40 + j]).toBe(55 + i * 50 + j + 0.25);

    const wide = new Int32Array(80);
    B.copyStrided(Int32Array.of(4, 9), 0, [1, 0], [2, 40], wide);
    expect(Array.from(wide)).toEqual([...new Array(40).fill(4), ...new Array(40).fill(9)]);

    const scalar = new Float64Array(1);
    B.copyStrided(Float64Array.of(1, 2, 3), 2, [], [], scalar);
    expect(scalar[0]).toBe(3);
  });
});

describe('assignStrided', () => {
  for (const dtype of DTYPES) {
    it(`over ${dtype} writes every view like the naive loop and leaves the rest alone`, () => {
      forAllShapes(0, (srcShape, rand) => {
        const strides = viewStrides(srcShape, rand, false);
        const { offset, length } = placeView(srcShape, strides, rand);
        const src = randomArray(dtype, sizeOfShape(srcShape), rand);
        const out = randomArray(dtype, length, rand);
        const expected = out.slice();
        for (let i = 0; i < src.length; i++)
          expected[viewPosition(unravel(i, srcShape), offset, strides)] = src[i];
        B.assignStrided(src, srcShape, out, offset, strides);
        expectClose(out, expected);
      });
    });
  }

  it('writes a slice of long rows into a larger matrix', () => {
    const out = new Float32Array(250).fill(-1);
    const src = Float32Array.from({ length: 120 }, (_, i) => i);
    B.assignStrided(src, [3, 40], out, 55, [50, 1]);
    for (let p = 0; p < 250; p++) {
      const r = Math.floor((p - 55) / 50);
      const c = (p - 55) % 50;
      const inside = p >= 55 && r < 3 && c >= 0 && c < 40;
      expect(out[p]).toBe(inside ? r * 40 + c : -1);
    }
  });
});
