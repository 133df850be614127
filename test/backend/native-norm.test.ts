import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NormLayout } from '../../src/backend/backend.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { nativeBackend } from '../../src/node/native.js';
import { addon, alloc, DTYPES, type Float, firstDifference, rng, RUNS } from './native-helpers.js';

// The native normalization kernels (normalize, normalizeBackward) against the reference kernels
// (src/backend/js/norm.ts): bit for bit, on 1 and 2 threads.

const THREADS = addon().getThreads();
afterAll(() => addon().setThreads(THREADS));

interface Case {
  l: NormLayout;
  affine: boolean;
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  l: fc.record({
    outer: fc.integer({ min: 1, max: 5 }),
    channels: fc.oneof(fc.integer({ min: 1, max: 7 }), fc.constant(64)),
    inner: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constant(1024)),
    eps: fc.constantFrom(1e-5, 1e-3, 0.1),
  }),
  affine: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

/** `length` values around a per-case offset (a mean far from 0 tests the centred variance). */
function values(dtype: 'float32' | 'float64', length: number, rand: () => number): Float {
  const offset = 10 * rand() - 5;
  return alloc(dtype, length).map(() => offset + 4 * rand() - 2);
}

/** Runs `run` on 1 and 2 threads. */
function onThreads<T>(run: () => T): T[] {
  return [1, 2].map((threads) => {
    addon().setThreads(threads);
    return run();
  });
}

function expectSame(got: readonly Float[], want: readonly Float[]): void {
  got.forEach((a, i) => expect(firstDifference(a, want[i])).toBe(-1));
}

describe('native normalization kernels against the reference kernels, bit for bit', () => {
  for (const dtype of DTYPES) {
    it(`normalize, ${dtype}, 1 and 2 threads: out, mean and variance`, () => {
      fc.assert(
        fc.property(caseArb, ({ l, affine, seed }) => {
          const rand = rng(seed);
          const size = l.outer * l.channels * l.inner;
          const x = values(dtype, size, rand);
          const weight = affine ? values(dtype, l.channels, rand) : null;
          const bias = affine ? values(dtype, l.channels, rand) : null;
          const fresh = (): Float[] => [
            alloc(dtype, size),
            ...[0, 0].map(() => alloc(dtype, l.channels)),
          ];
          const want = fresh();
          jsBackend.normalize(x, l, weight, bias, want[0], want[1], want[2]);
          for (const got of onThreads(() => {
            const out = fresh();
            addon().normalize(x, l, weight, bias, out[0], out[1], out[2]);
            return out;
          }))
            expectSame(got, want);
        }),
        RUNS,
      );
    });

    it(`normalizeBackward, ${dtype}, 1 and 2 threads: gradInput, gradWeight and gradBias`, () => {
      fc.assert(
        fc.property(caseArb, ({ l, affine, seed }) => {
          const rand = rng(seed);
          const size = l.outer * l.channels * l.inner;
          const x = values(dtype, size, rand);
          const g = values(dtype, size, rand);
          const weight = affine ? values(dtype, l.channels, rand) : null;
          const [out, mean, variance] = [
            alloc(dtype, size),
            alloc(dtype, l.channels),
            alloc(dtype, l.channels),
          ];
          jsBackend.normalize(x, l, null, null, out, mean, variance);
          const fresh = (): Float[] => [
            alloc(dtype, size),
            ...[0, 0].map(() => alloc(dtype, l.channels)),
          ];
          const want = fresh();
          jsBackend.normalizeBackward(x, g, l, mean, variance, weight, want[0], want[1], want[2]);
          for (const got of onThreads(() => {
            const grads = fresh();
            addon().normalizeBackward(
              x,
              g,
              l,
              mean,
              variance,
              weight,
              grads[0],
              grads[1],
              grads[2],
            );
            return grads;
          }))
            expectSame(got, want);
        }),
        RUNS,
      );
    });
  }

  it('a hand-computed case: [1, 2, 3, 6] as one channel, eps 0', () => {
    const l = { outer: 1, channels: 1, inner: 4, eps: 0 };
    const [out, mean, variance] = [new Float64Array(4), new Float64Array(1), new Float64Array(1)];
    addon().normalize(new Float64Array([1, 2, 3, 6]), l, null, null, out, mean, variance);
    // mean 3, variance (4 + 1 + 0 + 9)/4 = 3.5
    expect([mean[0], variance[0]]).toEqual([3, 3.5]);
    expect(Array.from(out)).toEqual([-2, -1, 0, 3].map((d) => d * (1 / Math.sqrt(3.5))));
  });

  it('through nativeBackend; bad arguments refused', () => {
    const backend = nativeBackend(addon(), { minMatmulWork: 0, minElements: 0 });
    const l = { outer: 2, channels: 3, inner: 5, eps: 1e-5 };
    const x = new Float32Array(30).map((_, i) => Math.sin(i));
    const [out, mean, variance] = [new Float32Array(30), new Float32Array(3), new Float32Array(3)];
    const [o2, m2, v2] = [new Float32Array(30), new Float32Array(3), new Float32Array(3)];
    backend.normalize(x, l, null, null, out, mean, variance);
    jsBackend.normalize(x, l, null, null, o2, m2, v2);
    expectSame([out, mean, variance], [o2, m2, v2]);
    expect(() => addon().normalize(x, { ...l, inner: 6 }, null, null, out, mean, variance)).toThrow(
      RangeError,
    );
    expect(() =>
      addon().normalize(x, { ...l, eps: 'a' as never }, null, null, out, mean, variance),
    ).toThrow(/eps must be a number/);
    expect(() => addon().normalize(x, l, new Float64Array(3), null, out, mean, variance)).toThrow(
      /same type/,
    );
  });
});
