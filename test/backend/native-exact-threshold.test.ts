import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsBackend } from '../../src/backend/js/index.js';
import { NATIVE_THRESHOLDS, nativeBackend } from '../../src/node/native.js';
import { addon, alloc, DTYPES, firstDifference, rng, RUNS } from './native-helpers.js';

// The native backend hands binary kernels and row/column sums to the addon from
// NATIVE_THRESHOLDS.minExactElements (256) elements, below the other kernels' threshold: only
// sound if their results are the reference kernels' to the bit, so that a tensor's size never
// decides its values. The same holds for exp, sigmoid and float32 tanh, which it runs from
// minCostlyElements (64) up.

describe('the kernels the native backend runs from minExactElements up', () => {
  const native = nativeBackend(addon());
  const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
  const dimArb = fc.integer({ min: 1, max: 48 });

  it('is a lower threshold than the others', () => {
    expect(NATIVE_THRESHOLDS.minExactElements).toBeLessThan(NATIVE_THRESHOLDS.minElements);
    expect(NATIVE_THRESHOLDS.minCostlyElements).toBeLessThan(NATIVE_THRESHOLDS.minExactElements);
  });

  for (const dtype of DTYPES) {
    const unaryOps: ('exp' | 'sigmoid' | 'tanh')[] =
      dtype === 'float32' ? ['exp', 'sigmoid', 'tanh'] : ['exp', 'sigmoid'];
    it(`${unaryOps.join(', ')} are the reference's to the bit on either side of it, ${dtype}`, () => {
      const lengthArb = fc.integer({ min: 1, max: 3 * NATIVE_THRESHOLDS.minCostlyElements });
      fc.assert(
        fc.property(lengthArb, seedArb, (n, seed) => {
          const rand = rng(seed);
          const x = alloc(dtype, n).map(() => 40 * rand() - 20);
          for (const op of unaryOps) {
            const [got, want] = [alloc(dtype, n), alloc(dtype, n)];
            native.unary(op, x, got);
            jsBackend.unary(op, x, want);
            expect(firstDifference(got, want)).toBe(-1);
          }
        }),
        RUNS,
      );
    });

    it(`sums of rows and of columns are the reference's to the bit, ${dtype}`, () => {
      fc.assert(
        fc.property(dimArb, dimArb, seedArb, (rows, cols, seed) => {
          const rand = rng(seed);
          const x = alloc(dtype, rows * cols).map(() => 20 * rand() - 10);
          for (const axis of [0, 1]) {
            const n = axis === 0 ? cols : rows;
            const [got, want] = [alloc(dtype, n), alloc(dtype, n)];
            addon()[axis === 0 ? 'sumAxis0' : 'sumRows'](x, rows, cols, got);
            jsBackend.reduce('sum', x, [rows, cols], [axis], want);
            expect(firstDifference(got, want)).toBe(-1);
          }
        }),
        RUNS,
      );
    });

    it(`a layer's bias add and gradient sum give the same bits on either side of it, ${dtype}`, () => {
      fc.assert(
        fc.property(dimArb, dimArb, seedArb, (rows, cols, seed) => {
          const rand = rng(seed);
          const a = alloc(dtype, rows * cols).map(() => 4 * rand() - 2);
          const b = alloc(dtype, cols).map(() => 4 * rand() - 2);
          const got = alloc(dtype, rows * cols);
          const want = alloc(dtype, rows * cols);
          native.binary('add', a, [cols, 1], b, [0, 1], got, [rows, cols]);
          jsBackend.binary('add', a, [cols, 1], b, [0, 1], want, [rows, cols]);
          expect(firstDifference(got, want)).toBe(-1);
          native.binary('tanhGrad', a, [cols, 1], got, [cols, 1], got, [rows, cols]);
          jsBackend.binary('tanhGrad', a, [cols, 1], want, [cols, 1], want, [rows, cols]);
          expect(firstDifference(got, want)).toBe(-1);
          const [s, t] = [alloc(dtype, cols), alloc(dtype, cols)];
          native.reduce('sum', got, [rows, cols], [0], s);
          jsBackend.reduce('sum', want, [rows, cols], [0], t);
          expect(firstDifference(s, t)).toBe(-1);
        }),
        RUNS,
      );
    });
  }
});
