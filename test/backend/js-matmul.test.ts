import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, DTYPES } from '../../src/tensor/dtype.js';
import type { DType, TypedArray } from '../../src/tensor/dtype.js';
import { B, expectClose, type MatmulDims, randomArray, rng, RUNS, seedArb } from './js-helpers.js';

// matmul against a naive triple loop.
// The helpers and the approach are in js-helpers.ts.

interface MatmulCase extends MatmulDims {
  aStride: number;
  bStride: number;
}

function naiveMatmul(a: TypedArray, b: TypedArray, c: MatmulCase, dtype: DType): TypedArray {
  const { batch, m, n, k, transA, transB, aStride, bStride } = c;
  const out = allocate(dtype, batch * m * n);
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = transA ? a[t * aStride + p * m + i] : a[t * aStride + i * k + p];
          const bv = transB ? b[t * bStride + j * k + p] : b[t * bStride + p * n + j];
          s += av * bv;
        }
        out[(t * m + i) * n + j] = s;
      }
    }
  }
  return out;
}

function checkMatmul(c: MatmulCase, dtype: DType, rand: () => number): void {
  const { batch, m, n, k } = c;
  const aLength = batch === 0 ? 0 : (batch - 1) * c.aStride + m * k;
  const bLength = batch === 0 ? 0 : (batch - 1) * c.bStride + k * n;
  const a = randomArray(dtype, aLength, rand, false);
  const b = randomArray(dtype, bLength, rand, false);
  const out = allocate(dtype, batch * m * n).fill(99); // overwritten, not accumulated
  B.matmul(a, b, out, batch, m, n, k, c.transA, c.transB, c.aStride, c.bStride);
  const tol =
    dtype === 'float64'
      ? { rtol: 1e-10, atol: 1e-10 }
      : dtype === 'float32'
        ? { rtol: 1e-5, atol: 1e-5 }
        : undefined;
  expectClose(out, naiveMatmul(a, b, c, dtype), tol);
}

const FLAGS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

describe('matmul', () => {
  for (const dtype of DTYPES) {
    it(`over ${dtype} matches the naive triple loop for every transpose and batch stride`, () => {
      const caseArb = fc.record({
        batch: fc.integer({ min: 0, max: 3 }),
        m: fc.integer({ min: 0, max: 9 }),
        n: fc.integer({ min: 0, max: 9 }),
        k: fc.integer({ min: 0, max: 9 }),
        transA: fc.boolean(),
        transB: fc.boolean(),
        aReuse: fc.boolean(),
        bReuse: fc.boolean(),
        pad: fc.integer({ min: 0, max: 2 }),
      });
      fc.assert(
        fc.property(caseArb, seedArb, (r, seed) => {
          const c: MatmulCase = {
            ...r,
            aStride: r.aReuse ? 0 : r.m * r.k + r.pad,
            bStride: r.bReuse ? 0 : r.k * r.n + r.pad,
          };
          checkMatmul(c, dtype, rng(seed));
        }),
        RUNS,
      );
    });

    it(`over ${dtype} crosses tile, row-block and depth-block edges`, () => {
      const rand = rng(7);
      const sizes = [
        [130, 67, 300],
        [5, 6, 257],
        [4, 4, 4],
        [3, 50, 20],
        [50, 3, 20],
        [20, 9, 1],
      ];
      for (const [m, n, k] of sizes) {
        for (const [transA, transB] of FLAGS) {
          checkMatmul(
            { batch: 2, m, n, k, transA, transB, aStride: 0, bStride: k * n },
            dtype,
            rand,
          );
        }
      }
    });
  }

  // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]], A·B = [[58, 64], [139, 154]]
  const A = [1, 2, 3, 4, 5, 6];
  const At = [1, 4, 2, 5, 3, 6]; // A stored 3×2
  const Bm = [7, 8, 9, 10, 11, 12];
  const Bt = [7, 9, 11, 8, 10, 12]; // B stored 2×3
  const AB = [58, 64, 139, 154];

  it('multiplies a 2×3 by a 3×2 matrix with every transpose flag', () => {
    for (const [transA, transB] of FLAGS) {
      const out = new Float32Array(4).fill(-1);
      const a = Float32Array.from(transA ? At : A);
      const b = Float32Array.from(transB ? Bt : Bm);
      B.matmul(a, b, out, 1, 2, 2, 3, transA, transB, 0, 0);
      expect(Array.from(out)).toEqual(AB);
    }
  });

  it('reuses a matrix when its batch stride is 0', () => {
    const a = Float64Array.from(A);
    const b = Float64Array.from([...Bm, ...Bm.map((v) => 2 * v)]);
    const out = new Float64Array(8);
    B.matmul(a, b, out, 2, 2, 2, 3, false, false, 0, 6);
    expect(Array.from(out)).toEqual([...AB, ...AB.map((v) => 2 * v)]);
    const both = new Int32Array(12);
    B.matmul(Int32Array.from(A), Int32Array.from(Bm), both, 3, 2, 2, 3, false, false, 0, 0);
    expect(Array.from(both)).toEqual([...AB, ...AB, ...AB]);
  });

  it('writes zeros when k = 0 and nothing when the output is empty', () => {
    const out = new Float32Array(6).fill(5);
    B.matmul(new Float32Array(0), new Float32Array(0), out, 1, 2, 3, 0, false, false, 0, 0);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    const none = new Float32Array(0);
    B.matmul(new Float32Array(0), new Float32Array(12), none, 2, 0, 3, 4, false, false, 0, 12);
    expect(none.length).toBe(0);
  });

  it('propagates NaN and Infinity only into the rows and columns they touch', () => {
    const m = 6;
    const a = new Float64Array(m * m).fill(1);
    const b = new Float64Array(m * m).fill(1);
    a[2 * m + 3] = NaN; // row 2 of A
    b[1 * m + 4] = Infinity; // column 4 of B
    const out = new Float64Array(m * m);
    B.matmul(a, b, out, 1, m, m, m, false, false, 0, 0);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const expected = i === 2 ? NaN : j === 4 ? Infinity : m;
        expect(out[i * m + j]).toBe(expected);
      }
    }
  });

  it('accumulates float32 products in double precision', () => {
    // 1 + 2^-24 · 2^20 terms: float32 accumulation would stall at 1.
    const k = 1 << 20;
    const a = new Float32Array(k).fill(2 ** -12);
    a[0] = 1;
    const b = new Float32Array(k).fill(2 ** -12);
    b[0] = 1;
    const out = new Float32Array(1);
    B.matmul(a, b, out, 1, 1, 1, k, false, false, 0, 0);
    expect(out[0]).toBe(Math.fround(1 + (k - 1) * 2 ** -24));
  });
});
