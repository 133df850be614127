import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsBackend } from '../../src/backend/js/index.js';
import {
  addon,
  alloc,
  DTYPES,
  expectClose,
  type Float,
  firstDifference,
  rng,
  RUNS,
} from './native-helpers.js';

// The native element-wise kernels (unary, binary, a row broadcast over rows) and reductions
// (row and column sums, log-softmax of rows) against the reference kernels.

type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'tanhGrad' | 'sigmoidGrad' | 'reluGrad';
const BINARY_OPS: readonly BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'tanhGrad',
  'sigmoidGrad',
  'reluGrad',
];

describe('native element-wise kernels and reductions against the reference kernels', () => {
  const lengthArb = fc.oneof(fc.integer({ min: 0, max: 70 }), fc.constant(40_000));
  const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

  for (const dtype of DTYPES) {
    // exp and sigmoid are fdlibm's exp as V8's Math.exp (native/vector_math.h), so their results
    // are the reference's bits; tanh is within 2 units in the last place of Math.tanh in double,
    // which rounds to the reference's float32 bits.
    for (const op of ['tanh', 'exp', 'relu', 'sigmoid'] as const) {
      const exact = op !== 'tanh' || dtype === 'float32';
      it(`unary ${op}, ${dtype}: ${exact ? 'bit-identical' : 'within 2 units in the last place'}`, () => {
        fc.assert(
          fc.property(lengthArb, seedArb, (n, seed) => {
            const rand = rng(seed);
            const x = alloc(dtype, n).map(() => 30 * rand() - 15);
            if (n > 3) x.set([NaN, 0, -0], 0);
            if (n > 12)
              x.set([Infinity, -Infinity, 1e-30, -1e-300, 1e-9, 710, -746, 88.8, -104], 3);
            const got = alloc(dtype, n);
            const want = alloc(dtype, n);
            addon().unary(op, x, got);
            jsBackend.unary(op, x, want);
            if (exact) expect(firstDifference(got, want)).toBe(-1);
            else expectClose(`${op} ${dtype}`, got, want, 4.5e-16);
          }),
          RUNS,
        );
      });
    }
    for (const op of BINARY_OPS) {
      it(`binarySame ${op}, ${dtype}: bit-identical`, () => {
        fc.assert(
          fc.property(lengthArb, seedArb, (n, seed) => {
            const rand = rng(seed);
            const a = alloc(dtype, n).map(() => 4 * rand() - 2);
            const b = alloc(dtype, n).map(() => 4 * rand() - 2);
            if (n > 4) {
              a.set([-0, NaN, Infinity, 0, 1], 0);
              b.set([1, 1, -0, NaN, 0], 0);
            }
            const got = alloc(dtype, n);
            const want = alloc(dtype, n);
            addon().binarySame(op, a, b, got);
            jsBackend.binary(op, a, [1], b, [1], want, [n]);
            expect(firstDifference(got, want)).toBe(-1);
          }),
          RUNS,
        );
      });
      it(`binaryRow ${op}, ${dtype}: a row broadcast over the rows, bit-identical, in place too`, () => {
        const dimArb = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(128, 700));
        fc.assert(
          fc.property(dimArb, dimArb, seedArb, (rows, cols, seed) => {
            const rand = rng(seed);
            const a = alloc(dtype, rows * cols).map(() => 4 * rand() - 2);
            const b = alloc(dtype, cols).map(() => 4 * rand() - 2);
            if (cols > 3) b.set([-0, NaN, 0], 0);
            const got = alloc(dtype, rows * cols);
            const want = alloc(dtype, rows * cols);
            addon().binaryRow(op, a, b, got, rows, cols);
            jsBackend.binary(op, a, [cols, 1], b, [0, 1], want, [rows, cols]);
            expect(firstDifference(got, want)).toBe(-1);
            addon().binaryRow(op, a, b, a, rows, cols); // out = a
            expect(firstDifference(a, want)).toBe(-1);
          }),
          { ...RUNS, numRuns: 30 },
        );
      });
    }
    it(`binaryRow rejects bad ops, mixed types and short arrays, ${dtype}`, () => {
      const x = alloc(dtype, 6);
      const other = dtype === 'float32' ? new Float64Array(6) : new Float32Array(6);
      expect(() => addon().binaryRow('pow' as BinaryOp, x, x, x, 2, 3)).toThrow(TypeError);
      expect(() => addon().binaryRow('add', x, other, x, 2, 3)).toThrow(TypeError);
      expect(() => addon().binaryRow('add', x, x, x, 3, 3)).toThrow(RangeError);
      expect(() => addon().binaryRow('add', x, alloc(dtype, 2), x, 2, 3)).toThrow(RangeError);
    });
    it(`sumRows, sumAxis0 and logSoftmaxRows, ${dtype}`, () => {
      const dimArb = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(700));
      fc.assert(
        fc.property(dimArb, dimArb, seedArb, (rows, cols, seed) => {
          const rand = rng(seed);
          const x = alloc(dtype, rows * cols).map(() => 20 * rand() - 10);
          const tol = dtype === 'float32' ? 1e-5 : 1e-12;
          const rowSums = [alloc(dtype, rows), alloc(dtype, rows)];
          addon().sumRows(x, rows, cols, rowSums[0]);
          jsBackend.reduce('sum', x, [rows, cols], [1], rowSums[1]);
          const colSums = [alloc(dtype, cols), alloc(dtype, cols)];
          addon().sumAxis0(x, rows, cols, colSums[0]);
          jsBackend.reduce('sum', x, [rows, cols], [0], colSums[1]);
          // Sums of values in [-10, 10] may cancel: compare with the scale of the terms.
          const pairs: [Float, Float, number][] = [
            [rowSums[0], rowSums[1], cols],
            [colSums[0], colSums[1], rows],
          ];
          for (const [got, want, n] of pairs) {
            let worst = 0;
            for (let i = 0; i < got.length; i++)
              worst = Math.max(worst, Math.abs(got[i] - want[i]));
            expect(worst).toBeLessThanOrEqual(tol * 10 * n);
          }
          const lsm = [alloc(dtype, rows * cols), alloc(dtype, rows * cols)];
          addon().logSoftmaxRows(x, rows, cols, lsm[0]);
          jsBackend.logSoftmax(x, rows, cols, 1, lsm[1]);
          let worst = 0;
          for (let i = 0; i < lsm[0].length; i++)
            worst = Math.max(worst, Math.abs(lsm[0][i] - lsm[1][i]));
          expect(worst).toBeLessThanOrEqual(tol * 30);
        }),
        { ...RUNS, numRuns: 30 },
      );
    });
  }
});
