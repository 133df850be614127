import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsBackend } from '../../src/backend/js/index.js';
import { nativeBackend } from '../../src/node/native.js';
import { addon, alloc, DTYPES, firstDifference, randomArray, rng, RUNS } from './native-helpers.js';
import type { Float } from './native-helpers.js';

// The native channel kernels (native/channels.h) behind the native backend's binary, reduce and
// scatterAdd: the per-channel bias add and scatter-add bit for bit against the reference kernels,
// the channel sum within rounding of them, and all three the same bits on 1 and 2 threads.

const THREADS = addon().getThreads();
afterAll(() => addon().setThreads(THREADS));
const native = nativeBackend(addon(), { minMatmulWork: 0, minElements: 0 });

/** Runs `run` on 1 and 2 threads. */
const onThreads = <T>(run: () => T): T[] =>
  [1, 2].map((threads) => {
    addon().setThreads(threads);
    return run();
  });

const stridesOf = (shape: number[]): number[] => {
  const s = shape.map(() => 0);
  for (let d = shape.length - 1, p = 1; d >= 0; p *= shape[d], d--) s[d] = p;
  return s;
};

/** [outer, channels, inner] sizes, sometimes large enough to thread, and a seed. */
const layoutArb = fc.record({
  outer: fc.integer({ min: 1, max: 5 }),
  channels: fc.integer({ min: 1, max: 7 }),
  inner: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constant(16411)),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('native per-channel bias add', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: bit for bit as the reference, 1 and 2 threads, also in place`, () => {
      fc.assert(
        fc.property(layoutArb, ({ outer, channels, inner, seed }) => {
          const rand = rng(seed);
          const shape = [outer, channels, inner];
          const a = randomArray(dtype, outer * channels * inner, rand);
          const b = randomArray(dtype, channels, rand);
          const bStrides = [0, 1, 0];
          const want = alloc(dtype, a.length);
          jsBackend.binary('add', a, stridesOf(shape), b, bStrides, want, shape);
          for (const got of onThreads(() => {
            const out = alloc(dtype, a.length);
            native.binary('add', a, stridesOf(shape), b, bStrides, out, shape);
            return out;
          }))
            expect(firstDifference(got, want)).toBe(-1);
          const inPlace = a.slice();
          native.binary('add', inPlace, stridesOf(shape), b, bStrides, inPlace, shape);
          expect(firstDifference(inPlace, want)).toBe(-1);
        }),
        RUNS,
      );
    });
  }

  it('adds b[c] along the channel dimension of a 4-D [n, c, h, w] layout', () => {
    const a = Float32Array.from({ length: 2 * 2 * 2 }, (_, i) => i);
    const out = new Float32Array(8);
    native.binary('add', a, [4, 2, 1, 1], Float32Array.of(10, 20), [0, 1, 0, 0], out, [2, 2, 2, 1]);
    expect(Array.from(out)).toEqual([10, 11, 22, 23, 14, 15, 26, 27]);
  });

  it('leaves other ops and layouts to the reference kernels', () => {
    const a = Float32Array.of(1, 2, 3, 4);
    const out = new Float32Array(4);
    native.binary('mul', a, [2, 1], Float32Array.of(2, 3), [1, 0], out, [2, 2]);
    expect(Array.from(out)).toEqual([2, 4, 9, 12]);
  });
});

/** |got − want| within `tol` times the sum of magnitudes of what was summed, per channel. */
function expectSums(got: Float, want: Float, scale: Float64Array, tol: number): void {
  for (let c = 0; c < want.length; c++)
    expect(Math.abs(got[c] - want[c])).toBeLessThanOrEqual(tol * scale[c] + 1e-300);
}

describe('native sum over all dimensions but one', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: within rounding of the reference, the same bits on 1 and 2 threads`, () => {
      fc.assert(
        fc.property(layoutArb, fc.integer({ min: 0, max: 2 }), (l, keep) => {
          const { outer, channels, inner, seed } = l;
          const x = randomArray(dtype, outer * channels * inner, rng(seed));
          // the kept dimension first, in the middle or last
          const shape = [
            [channels, outer, inner],
            [outer, channels, inner],
            [outer, inner, channels],
          ][keep];
          const kept = keep;
          const axes = [0, 1, 2].filter((d) => d !== kept);
          const size = shape[kept];
          const want = alloc(dtype, size);
          jsBackend.reduce('sum', x, shape, axes, want);
          const scale = new Float64Array(size);
          jsBackend.reduce('sum', x.map(Math.abs), shape, axes, scale);
          const [one, two] = onThreads(() => {
            const out = alloc(dtype, size).fill(7);
            native.reduce('sum', x, shape, axes, out);
            return out;
          });
          expect(firstDifference(one, two)).toBe(-1);
          expectSums(one, want, scale, dtype === 'float32' ? 1e-6 : 1e-14);
        }),
        RUNS,
      );
    });
  }

  it('sums a [2, 3, 2] layout over dimensions 0 and 2 (hand-computed)', () => {
    const x = Float64Array.from({ length: 12 }, (_, i) => i);
    const out = new Float64Array(3);
    native.reduce('sum', x, [2, 3, 2], [0, 2], out);
    expect(Array.from(out)).toEqual([0 + 1 + 6 + 7, 2 + 3 + 8 + 9, 4 + 5 + 10 + 11]);
  });
});

describe('native scatter-add along the last dimension', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: bit for bit as the reference (repeats summed in order), 1 and 2 threads`, () => {
      fc.assert(
        fc.property(layoutArb, ({ outer, channels, inner, seed }) => {
          const rand = rng(seed);
          const [rows, width, cols] = [outer * channels, inner, Math.max(1, inner >> 1)];
          const src = randomArray(dtype, rows * cols, rand);
          const index = Int32Array.from(src, () => Math.floor(rand() * width));
          const want = randomArray(dtype, rows * width, rng(seed + 1));
          const start = want.slice();
          jsBackend.scatterAdd(want, [rows, width], 1, index, [rows, cols], src);
          for (const got of onThreads(() => {
            const out = start.slice();
            native.scatterAdd(out, [rows, width], 1, index, [rows, cols], src);
            return out;
          }))
            expect(firstDifference(got, want)).toBe(-1);
        }),
        RUNS,
      );
    });
  }

  it('adds into the given positions of each row (hand-computed)', () => {
    const out = new Float32Array(6);
    const index = Int32Array.of(2, 2, 0, 1);
    native.scatterAdd(out, [2, 3], 1, index, [2, 2], Float32Array.of(1, 2, 3, 4));
    expect(Array.from(out)).toEqual([0, 0, 3, 3, 4, 0]);
  });

  it('refuses an index outside the row, before writing anything', () => {
    const out = new Float32Array(4);
    expect(() =>
      addon().scatterAddRows(out, 2, 2, Int32Array.of(0, 2), 1, Float32Array.of(1, 1)),
    ).toThrow(RangeError);
    for (const bad of [-1, -(2 ** 31), 2 ** 31 - 1])
      expect(() =>
        addon().scatterAddRows(
          out,
          2,
          2,
          Int32Array.of(0, 1, 1, 0, 1, bad),
          3,
          new Float32Array(6),
        ),
      ).toThrow(/outside \[0, 2\)/);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  it('sums repeats within a group of four in order, and the rest past the last four', () => {
    const out = new Float64Array(3);
    const src = Float64Array.of(1e16, 1, -1e16, 1, 2, 3);
    addon().scatterAddRows(out, 1, 3, Int32Array.of(0, 0, 0, 1, 2, 2), 6, src);
    // ((1e16 + 1) − 1e16): the 1 is lost to rounding in this order.
    expect(Array.from(out)).toEqual([0, 1, 5]);
  });
});
