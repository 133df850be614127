import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Window2d } from '../../src/backend/backend.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { nativeBackend } from '../../src/node/native.js';
import { slideLength } from '../../src/ops/window-args.js';
import { addon, alloc, DTYPES, type Float, firstDifference, rng, RUNS } from './native-helpers.js';

// The native sliding-window kernels (im2col, col2im, maxPool2d) against the reference kernels
// (src/backend/js/window.ts): bit for bit, on 1 and 2 threads, over random geometries.

const THREADS = addon().getThreads();
afterAll(() => addon().setThreads(THREADS));

interface Case {
  g: Window2d;
  seed: number;
}

/** A geometry with at least one output position per plane; sometimes one large enough to thread. */
const caseArb: fc.Arbitrary<Case> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    c: fc.integer({ min: 1, max: 4 }),
    h: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(40)),
    w: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(37)),
    kh: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 4 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    ph: fc.integer({ min: 0, max: 2 }),
    pw: fc.integer({ min: 0, max: 2 }),
    dh: fc.integer({ min: 1, max: 3 }),
    dw: fc.integer({ min: 1, max: 3 }),
    ceil: fc.boolean(),
    big: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map(({ ceil, big, seed, ...s }) => {
    const n = big ? 4 * s.n : s.n;
    const c = big ? 4 * s.c : s.c;
    const oh = slideLength(s.h, s.kh, s.sh, s.ph, s.dh, ceil);
    const ow = slideLength(s.w, s.kw, s.sw, s.pw, s.dw, ceil);
    return { g: { ...s, n, c, oh, ow }, seed };
  })
  .filter(({ g }) => g.oh > 0 && g.ow > 0);

/** `length` values from a few levels (many ties), with NaN, ±∞ and ±0 sprinkled in. */
function values(dtype: 'float32' | 'float64', length: number, seed: number, special = 0.03): Float {
  const rand = rng(seed);
  const specials = [NaN, Infinity, -Infinity, 0, -0];
  return alloc(dtype, length).map(() => {
    const r = rand();
    if (r < special) return specials[Math.floor(rand() * specials.length)];
    return r < 0.5 ? Math.floor(rand() * 4) - 2 : 4 * rand() - 2;
  });
}

const imageSize = (g: Window2d): number => g.n * g.c * g.h * g.w;
const columnsSize = (g: Window2d): number => g.n * g.c * g.kh * g.kw * g.oh * g.ow;
const poolSize = (g: Window2d): number => g.n * g.c * g.oh * g.ow;

/** Runs `kernel` on 1 and 2 threads, each into a fresh array filled with garbage. */
function onThreads<T>(run: () => T): T[] {
  return [1, 2].map((threads) => {
    addon().setThreads(threads);
    return run();
  });
}

/** A window of one plane, stride and dilation 1 and no padding unless given. */
function geometry(s: Partial<Window2d>): Window2d {
  const one = { n: 1, c: 1, h: 1, w: 1, kh: 1, kw: 1, oh: 1, ow: 1 };
  return { ...one, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, ...s };
}

function garbage(dtype: 'float32' | 'float64', length: number): Float {
  return alloc(dtype, length).fill(7.5);
}

describe('native window kernels against the reference kernels, bit for bit', () => {
  for (const dtype of DTYPES) {
    it(`im2col, ${dtype}, 1 and 2 threads`, () => {
      fc.assert(
        fc.property(caseArb, ({ g, seed }) => {
          const x = values(dtype, imageSize(g), seed);
          const want = garbage(dtype, columnsSize(g));
          jsBackend.im2col(x, g, want);
          for (const got of onThreads(() => {
            const out = garbage(dtype, columnsSize(g));
            addon().im2col(x, g, out);
            return out;
          }))
            expect(firstDifference(got, want)).toBe(-1);
        }),
        RUNS,
      );
    });

    it(`col2im, ${dtype}, 1 and 2 threads: the reference's sums in its order`, () => {
      fc.assert(
        fc.property(caseArb, ({ g, seed }) => {
          const cols = values(dtype, columnsSize(g), seed).map((v) => (Number.isNaN(v) ? 1 : v));
          const want = garbage(dtype, imageSize(g));
          jsBackend.col2im(cols, g, want);
          for (const got of onThreads(() => {
            const out = garbage(dtype, imageSize(g));
            addon().col2im(cols, g, out);
            return out;
          }))
            expect(firstDifference(got, want)).toBe(-1);
        }),
        RUNS,
      );
    });

    it(`maxPool2d, ${dtype}, 1 and 2 threads: values, argmax, ties and NaN`, () => {
      fc.assert(
        fc.property(caseArb, ({ g, seed }) => {
          const x = values(dtype, imageSize(g), seed);
          const want = garbage(dtype, poolSize(g));
          const wantAt = new Int32Array(poolSize(g)).fill(-7);
          jsBackend.maxPool2d(x, g, want, wantAt);
          for (const [got, at] of onThreads(() => {
            const out = garbage(dtype, poolSize(g));
            const argmax = new Int32Array(poolSize(g)).fill(-7);
            addon().maxPool2d(x, g, out, argmax);
            return [out, argmax] as const;
          })) {
            expect(firstDifference(got, want)).toBe(-1);
            expect(firstDifference(Float64Array.from(at), Float64Array.from(wantAt))).toBe(-1);
          }
        }),
        RUNS,
      );
    });
  }
});

/**
 * The geometries of the kernels' fast paths: windows 2, 3 or 5 wide at stride 1, 2, 3 or their
 * width (pooling 2×2 and 3×3, convolution 5×5), rows up to 31 wide (several blocks of four and a
 * last one that overlaps, or fewer than four), padding, ceilMode's partial last windows, and
 * dilation 1 mostly; values dense with ties, NaN and ±∞ when `special` is large.
 */
const fastArb: fc.Arbitrary<Case & { special: number }> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 31 }),
    w: fc.integer({ min: 1, max: 31 }),
    k: fc.constantFrom(2, 3, 5),
    kh: fc.constantFrom(0, 1, 2, 3),
    s: fc.constantFrom(0, 1, 2, 3),
    sh: fc.constantFrom(0, 1, 2),
    ph: fc.integer({ min: 0, max: 2 }),
    pw: fc.integer({ min: 0, max: 2 }),
    dh: fc.constantFrom(1, 1, 2),
    dw: fc.constantFrom(1, 1, 1, 2),
    ceil: fc.boolean(),
    special: fc.constantFrom(0.03, 0.3),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map(({ k, s, ceil, special, seed, ...r }) => {
    // 0 stands for "the window's width" (stride = kernel, the pooling default).
    const kh = r.kh === 0 ? k : r.kh;
    const [sw, sh] = [s === 0 ? k : s, r.sh === 0 ? kh : r.sh];
    const g = { ...r, kh, kw: k, sh, sw, oh: 0, ow: 0 };
    g.oh = slideLength(g.h, kh, sh, g.ph, g.dh, ceil);
    g.ow = slideLength(g.w, k, sw, g.pw, g.dw, ceil);
    return { g, seed, special };
  })
  .filter(({ g }) => g.oh > 0 && g.ow > 0);

/** im2col, col2im and maxPool2d of g against the reference, bit for bit, on 1 and 2 threads. */
function expectAllLikeReference(dtype: 'float32' | 'float64', g: Window2d, x: Float): void {
  const cols = garbage(dtype, columnsSize(g));
  jsBackend.im2col(x, g, cols);
  const image = garbage(dtype, imageSize(g));
  const finite = cols.map((v) => (Number.isNaN(v) ? 1 : v));
  jsBackend.col2im(finite, g, image);
  const pooled = garbage(dtype, poolSize(g));
  const at = new Int32Array(poolSize(g));
  jsBackend.maxPool2d(x, g, pooled, at);
  for (const got of onThreads(() => {
    const out = {
      cols: garbage(dtype, columnsSize(g)),
      image: garbage(dtype, imageSize(g)),
      pooled: garbage(dtype, poolSize(g)),
      at: new Int32Array(poolSize(g)).fill(-7),
    };
    addon().im2col(x, g, out.cols);
    addon().col2im(finite, g, out.image);
    addon().maxPool2d(x, g, out.pooled, out.at);
    return out;
  })) {
    expect(firstDifference(got.cols, cols)).toBe(-1);
    expect(firstDifference(got.image, image)).toBe(-1);
    expect(firstDifference(got.pooled, pooled)).toBe(-1);
    expect(firstDifference(Float64Array.from(got.at), Float64Array.from(at))).toBe(-1);
  }
}

describe('native window kernels on the geometries of their fast paths', () => {
  for (const dtype of DTYPES) {
    it(`2-, 3- and 5-wide windows, strides 1–3, padding, ceilMode (${dtype})`, () => {
      fc.assert(
        fc.property(fastArb, ({ g, seed, special }) =>
          expectAllLikeReference(dtype, g, values(dtype, imageSize(g), seed, special)),
        ),
        { ...RUNS, numRuns: 150 },
      );
    });

    it(`LeNet-5's shapes in batches large enough to thread (${dtype})`, () => {
      // Twice the samples the training step gives these kernels at once (native/window.cc's
      // grains keep those on one thread).
      const lenet: Partial<Window2d>[] = [
        { n: 26, c: 1, h: 28, w: 28, kh: 5, kw: 5, ph: 2, pw: 2, oh: 28, ow: 28 },
        { n: 34, c: 6, h: 14, w: 14, kh: 5, kw: 5, oh: 10, ow: 10 },
        { n: 128, c: 6, h: 28, w: 28, kh: 2, kw: 2, sh: 2, sw: 2, oh: 14, ow: 14 },
        { n: 128, c: 16, h: 10, w: 10, kh: 2, kw: 2, sh: 2, sw: 2, oh: 5, ow: 5 },
      ];
      lenet.forEach((s, i) => {
        const g = geometry(s);
        expectAllLikeReference(dtype, g, values(dtype, imageSize(g), i, 0.1));
      });
    });
  }

  for (const dtype of DTYPES) {
    it(`rows of every length around the 16-byte pieces, 1 to 34 wide (${dtype})`, () => {
      for (let ow = 1; ow <= 34; ow++) {
        // A valid 3×3 convolution (one copy loop per row of columns), the same padded by 1, and
        // 2×2 pooling at stride 2 over the same rows.
        const w = ow + 2;
        const valid = geometry({ n: 2, c: 2, h: 5, w, kh: 3, kw: 3, oh: 3, ow });
        const padded = { ...valid, ph: 1, pw: 1, oh: 5, ow: w };
        const pool = geometry({
          n: 2,
          c: 2,
          h: 4,
          w: 2 * ow,
          kh: 2,
          kw: 2,
          sh: 2,
          sw: 2,
          oh: 2,
          ow,
        });
        for (const g of [valid, padded, pool])
          expectAllLikeReference(dtype, g, values(dtype, imageSize(g), ow, 0.2));
      }
    });
  }

  it('2×2 pooling, four windows at a time: ties, NaN and −∞ in every lane', () => {
    // One row of 8 windows over 2 rows: each lane of both blocks sees a different case.
    const g = geometry({ h: 2, w: 16, kh: 2, kw: 2, sh: 2, sw: 2, oh: 1, ow: 8 });
    const [top, bottom] = [
      [1, 1, 0, 2, NaN, 5, 3, NaN, -Infinity, -Infinity, 2, 2, NaN, NaN, -0, 0],
      [1, 1, 2, 2, 9, NaN, NaN, 7, -Infinity, -Infinity, 2, NaN, 4, NaN, 0, -0],
    ];
    const out = new Float32Array(8);
    const at = new Int32Array(8);
    addon().maxPool2d(new Float32Array([...top, ...bottom]), g, out, at);
    expect(Array.from(out)).toEqual([1, 2, NaN, NaN, -Infinity, NaN, NaN, -0]);
    expect(Object.is(out[7], -0)).toBe(true);
    expect(Array.from(at)).toEqual([0, 3, 21, 22, 8, 27, 29, 14]);
  });
});

describe('native maxPool2d on hand-computed cases', () => {
  const g = geometry({ h: 2, w: 4, kh: 2, kw: 2, sh: 2, sw: 2, oh: 1, ow: 2 });
  for (const dtype of DTYPES) {
    it(`the first of equal maxima wins; a NaN wins, the last one if several (${dtype})`, () => {
      const out = alloc(dtype, 2);
      const argmax = new Int32Array(2);
      // Windows [3 1; 3 2] (a tie: index 0 wins) and [5 5; NaN 7] (NaN at index 6).
      addon().maxPool2d(
        alloc(dtype, 8).map((_, i) => [3, 1, 5, 5, 3, 2, NaN, 7][i]),
        g,
        out,
        argmax,
      );
      expect(Array.from(out)).toEqual([3, NaN]);
      expect(Array.from(argmax)).toEqual([0, 6]);
      // Windows [3 1; NaN 2] and [5 5; NaN NaN]: the last NaN, index 7.
      const nans = [3, 1, 5, 5, NaN, 2, NaN, NaN];
      addon().maxPool2d(
        alloc(dtype, 8).map((_, i) => nans[i]),
        g,
        out,
        argmax,
      );
      expect(Array.from(out)).toEqual([NaN, NaN]);
      expect(Array.from(argmax)).toEqual([4, 7]);
    });
  }

  it('reads −∞ in the padding: a window of −∞ values keeps its first element', () => {
    const pad = { ...g, h: 1, w: 2, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, oh: 1, ow: 2 };
    const out = new Float32Array(2);
    const argmax = new Int32Array(2);
    addon().maxPool2d(new Float32Array([-Infinity, -Infinity]), pad, out, argmax);
    expect(Array.from(out)).toEqual([-Infinity, -Infinity]);
    expect(Array.from(argmax)).toEqual([0, 0]);
  });
});

describe('the native backend uses the window kernels', () => {
  it('im2col, col2im and maxPool2d through nativeBackend equal the reference, int32 too', () => {
    const backend = nativeBackend(addon(), { minMatmulWork: 0, minElements: 0 });
    const g = geometry({ n: 2, c: 3, h: 5, w: 6, kh: 3, kw: 2, sw: 2, ph: 1, pw: 1, oh: 5, ow: 4 });
    for (const make of [
      (n: number) => new Float64Array(n),
      (n: number) => new Float32Array(n),
      (n: number) => new Int32Array(n),
    ]) {
      const rand = rng(3);
      const x = make(imageSize(g)).map(() => Math.floor(10 * rand()) - 5);
      const [got, want] = [make(columnsSize(g)), make(columnsSize(g))];
      backend.im2col(x, g, got);
      jsBackend.im2col(x, g, want);
      expect(Array.from(got)).toEqual(Array.from(want));
      const [back, backWant] = [make(imageSize(g)), make(imageSize(g))];
      backend.col2im(got, g, back);
      jsBackend.col2im(want, g, backWant);
      expect(Array.from(back)).toEqual(Array.from(backWant));
      const [pooled, pooledWant] = [make(poolSize(g)), make(poolSize(g))];
      const [at, atWant] = [new Int32Array(poolSize(g)), new Int32Array(poolSize(g))];
      backend.maxPool2d(x, g, pooled, at);
      jsBackend.maxPool2d(x, g, pooledWant, atWant);
      expect(Array.from(pooled)).toEqual(Array.from(pooledWant));
      expect(Array.from(at)).toEqual(Array.from(atWant));
    }
  });
});

describe('native window kernels refuse bad arguments', () => {
  const g = geometry({ h: 3, w: 3, kh: 2, kw: 2, oh: 2, ow: 2 });
  const x = new Float32Array(9);

  it('a geometry with a missing, fractional or zero field', () => {
    expect(() => addon().im2col(x, { ...g, kh: undefined } as never, new Float32Array(16))).toThrow(
      /im2col: g\.kh must be a number/,
    );
    expect(() => addon().col2im(new Float32Array(16), { ...g, w: 2.5 }, x)).toThrow(RangeError);
    expect(() => addon().im2col(x, { ...g, sw: 0 }, new Float32Array(16))).toThrow(/at least 1/);
    expect(() => addon().im2col(x, null as never, new Float32Array(16))).toThrow(TypeError);
  });

  it('arrays that are too short, of mixed types, or an argmax that is not an Int32Array', () => {
    expect(() => addon().im2col(x, g, new Float32Array(15))).toThrow(RangeError);
    expect(() => addon().col2im(new Float32Array(16), g, new Float32Array(8))).toThrow(RangeError);
    expect(() => addon().im2col(x, g, new Float64Array(16))).toThrow(/same type/);
    const out = new Float32Array(4);
    expect(() => addon().maxPool2d(x, g, out, new Float32Array(4) as never)).toThrow(/Int32Array/);
    expect(() => addon().maxPool2d(x, g, out, new Int32Array(3))).toThrow(RangeError);
    expect(() => addon().maxPool2d(new Float32Array(8), g, out, new Int32Array(4))).toThrow(
      RangeError,
    );
  });
});
