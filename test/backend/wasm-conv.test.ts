import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Backend, NormLayout, Window2d } from '../../src/backend/backend.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { wasmBackend } from '../../src/backend/wasm/index.js';
import { wasmError, wasmModuleKernels } from '../../src/node/wasm.js';
import { slideLength } from '../../src/ops/window-args.js';
import {
  alloc,
  DTYPES,
  type Float,
  firstDifference,
  randomArray,
  rng,
  RUNS,
} from './native-helpers.js';

// The wasm kernels of convolutional networks (wasm/window.cc, norm.cc, channels.cc) against the
// reference kernels on random shapes: im2col, col2im, maxPool2d, normalize, normalizeBackward,
// the per-channel bias add and max pooling's scatter-add bit for bit; the channel sum (8
// interleaved partial sums) within rounding.

function wasm(): Backend {
  const kernels = wasmModuleKernels();
  if (kernels === undefined) throw new Error(`the wasm module did not load: ${wasmError()}`);
  return wasmBackend(kernels, { minMatmulWork: 0, minElements: 0 });
}
const backend = wasm();

interface Case {
  g: Window2d;
  seed: number;
}

/** A geometry with padding, stride, dilation and ceilMode's partial windows; one output at least. */
const caseArb: fc.Arbitrary<Case> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    c: fc.integer({ min: 1, max: 4 }),
    h: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(29)),
    w: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(31)),
    kh: fc.integer({ min: 1, max: 5 }),
    kw: fc.integer({ min: 1, max: 5 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    ph: fc.integer({ min: 0, max: 2 }),
    pw: fc.integer({ min: 0, max: 2 }),
    dh: fc.constantFrom(1, 1, 2, 3),
    dw: fc.constantFrom(1, 1, 2, 3),
    ceil: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map(({ ceil, seed, ...s }) => {
    const oh = slideLength(s.h, s.kh, s.sh, s.ph, s.dh, ceil);
    const ow = slideLength(s.w, s.kw, s.sw, s.pw, s.dw, ceil);
    return { g: { ...s, oh, ow }, seed };
  })
  .filter(({ g }) => g.oh > 0 && g.ow > 0);

/** `length` values from a few levels (many ties), with NaN, ±∞ and ±0 sprinkled in. */
function values(dtype: 'float32' | 'float64', length: number, seed: number, special = 0.05): Float {
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
const garbage = (dtype: 'float32' | 'float64', n: number): Float => alloc(dtype, n).fill(7.5);

/** im2col, col2im and maxPool2d of g on wasm and on the reference: the same bits. */
function expectWindowsLikeReference(dtype: 'float32' | 'float64', g: Window2d, x: Float): void {
  const run = (b: Backend) => {
    const out = {
      cols: garbage(dtype, columnsSize(g)),
      image: garbage(dtype, imageSize(g)),
      pooled: garbage(dtype, poolSize(g)),
      at: new Int32Array(poolSize(g)).fill(-7),
    };
    b.im2col(x, g, out.cols);
    // col2im sums what im2col made, NaN taken out (NaN + x would hide the order of the sums).
    b.col2im(
      out.cols.map((v) => (Number.isNaN(v) ? 1 : v)),
      g,
      out.image,
    );
    b.maxPool2d(x, g, out.pooled, out.at);
    return out;
  };
  const [got, want] = [run(backend), run(jsBackend)];
  expect(firstDifference(got.cols, want.cols)).toBe(-1);
  expect(firstDifference(got.image, want.image)).toBe(-1);
  expect(firstDifference(got.pooled, want.pooled)).toBe(-1);
  expect(Array.from(got.at)).toEqual(Array.from(want.at));
}

/** A window of one plane, stride and dilation 1 and no padding unless given. */
function geometry(s: Partial<Window2d>): Window2d {
  const one = { n: 1, c: 1, h: 1, w: 1, kh: 1, kw: 1, oh: 1, ow: 1 };
  return { ...one, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, ...s };
}

describe('wasm window kernels against the reference kernels, bit for bit', () => {
  for (const dtype of DTYPES) {
    it(`im2col, col2im, maxPool2d on random geometries (${dtype})`, () => {
      fc.assert(
        fc.property(caseArb, ({ g, seed }) =>
          expectWindowsLikeReference(dtype, g, values(dtype, imageSize(g), seed)),
        ),
        { ...RUNS, numRuns: 150 },
      );
    });

    it(`LeNet-5's shapes (${dtype})`, () => {
      const lenet: Partial<Window2d>[] = [
        { n: 13, c: 1, h: 28, w: 28, kh: 5, kw: 5, ph: 2, pw: 2, oh: 28, ow: 28 },
        { n: 17, c: 6, h: 14, w: 14, kh: 5, kw: 5, oh: 10, ow: 10 },
        { n: 8, c: 6, h: 28, w: 28, kh: 2, kw: 2, sh: 2, sw: 2, oh: 14, ow: 14 },
        { n: 8, c: 16, h: 10, w: 10, kh: 2, kw: 2, sh: 2, sw: 2, oh: 5, ow: 5 },
      ];
      lenet.forEach((s, i) => {
        const g = geometry(s);
        expectWindowsLikeReference(dtype, g, values(dtype, imageSize(g), i, 0.1));
      });
    });

    it(`rows 1 to 21 wide around the vectors of four, strides 1 and 2 (${dtype})`, () => {
      for (let ow = 1; ow <= 21; ow++) {
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
        const overlapping = { ...pool, kh: 3, kw: 3, w: 2 * ow + 1 };
        for (const g of [valid, padded, pool, overlapping])
          expectWindowsLikeReference(dtype, g, values(dtype, imageSize(g), ow, 0.3));
      }
    });
  }

  it('2×2 pooling, four windows at a time: ties, NaN (the last one) and −∞ in every lane', () => {
    const g = geometry({ h: 2, w: 16, kh: 2, kw: 2, sh: 2, sw: 2, oh: 1, ow: 8 });
    const [top, bottom] = [
      [1, 1, 0, 2, NaN, 5, 3, NaN, -Infinity, -Infinity, 2, 2, NaN, NaN, -0, 0],
      [1, 1, 2, 2, 9, NaN, NaN, 7, -Infinity, -Infinity, 2, NaN, 4, NaN, 0, -0],
    ];
    const out = new Float32Array(8);
    const at = new Int32Array(8);
    backend.maxPool2d(new Float32Array([...top, ...bottom]), g, out, at);
    expect(Array.from(out)).toEqual([1, 2, NaN, NaN, -Infinity, NaN, NaN, -0]);
    expect(Object.is(out[7], -0)).toBe(true);
    expect(Array.from(at)).toEqual([0, 3, 21, 22, 8, 27, 29, 14]);
  });

  it('int32 arrays go to the reference kernels', () => {
    const g = geometry({ h: 3, w: 3, kh: 2, kw: 2, oh: 2, ow: 2 });
    const x = Int32Array.from({ length: 9 }, (_, i) => (i * 5) % 7);
    const [out, want] = [new Int32Array(4), new Int32Array(4)];
    const [at, wantAt] = [new Int32Array(4), new Int32Array(4)];
    backend.maxPool2d(x, g, out, at);
    jsBackend.maxPool2d(x, g, want, wantAt);
    expect([Array.from(out), Array.from(at)]).toEqual([Array.from(want), Array.from(wantAt)]);
    expect([Array.from(out), Array.from(at)]).toEqual([
      [6, 6, 6, 6],
      [4, 4, 4, 4],
    ]);
  });
});

const normArb = fc.record({
  l: fc.record({
    outer: fc.integer({ min: 1, max: 5 }),
    channels: fc.integer({ min: 1, max: 7 }),
    inner: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constant(300)),
    eps: fc.constantFrom(1e-5, 1e-3, 0.1),
  }),
  affine: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

/** Values around a per-case offset (a mean far from 0 tests the centred variance). */
function around(dtype: 'float32' | 'float64', length: number, rand: () => number): Float {
  const offset = 10 * rand() - 5;
  return alloc(dtype, length).map(() => offset + 4 * rand() - 2);
}

describe('wasm normalization kernels against the reference kernels, bit for bit', () => {
  for (const dtype of DTYPES) {
    it(`normalize and normalizeBackward, with and without weight and bias (${dtype})`, () => {
      fc.assert(
        fc.property(normArb, ({ l, affine, seed }) => {
          const rand = rng(seed);
          const size = l.outer * l.channels * l.inner;
          const [x, g] = [around(dtype, size, rand), randomArray(dtype, size, rand)];
          const weight = affine ? around(dtype, l.channels, rand) : null;
          const bias = affine ? around(dtype, l.channels, rand) : null;
          const run = (b: Backend) => {
            const [out, mean, variance] = [size, l.channels, l.channels].map((n) =>
              garbage(dtype, n),
            );
            b.normalize(x, l as NormLayout, weight, bias, out, mean, variance);
            const grads = [size, l.channels, l.channels].map((n) => garbage(dtype, n));
            b.normalizeBackward(x, g, l, mean, variance, weight, grads[0], grads[1], grads[2]);
            return [out, mean, variance, ...grads];
          };
          const [got, want] = [run(backend), run(jsBackend)];
          got.forEach((a, i) => expect(firstDifference(a, want[i])).toBe(-1));
        }),
        RUNS,
      );
    });
  }
});

const stridesOf = (shape: number[]): number[] => {
  const s = shape.map(() => 0);
  for (let d = shape.length - 1, p = 1; d >= 0; p *= shape[d], d--) s[d] = p;
  return s;
};

const layoutArb = fc.record({
  outer: fc.integer({ min: 1, max: 5 }),
  channels: fc.integer({ min: 1, max: 7 }),
  inner: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constant(1029)),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('wasm channel kernels against the reference kernels', () => {
  for (const dtype of DTYPES) {
    it(`the per-channel bias add and scale, bit for bit, also in place (${dtype})`, () => {
      fc.assert(
        fc.property(layoutArb, fc.constantFrom('add' as const, 'mul' as const), (l, op) => {
          const { outer, channels, inner, seed } = l;
          const rand = rng(seed);
          const shape = [outer, channels, inner];
          const a = randomArray(dtype, outer * channels * inner, rand);
          const b = randomArray(dtype, channels, rand);
          const [got, want] = [alloc(dtype, a.length), alloc(dtype, a.length)];
          backend.binary(op, a, stridesOf(shape), b, [0, 1, 0], got, shape);
          jsBackend.binary(op, a, stridesOf(shape), b, [0, 1, 0], want, shape);
          expect(firstDifference(got, want)).toBe(-1);
          const inPlace = a.slice();
          backend.binary(op, inPlace, stridesOf(shape), b, [0, 1, 0], inPlace, shape);
          expect(firstDifference(inPlace, want)).toBe(-1);
        }),
        RUNS,
      );
    });

    it(`the channel sum within rounding of the reference's sequential sum (${dtype})`, () => {
      fc.assert(
        fc.property(layoutArb, ({ outer, channels, inner, seed }) => {
          const shape = [outer, channels, inner, 1];
          const x = randomArray(dtype, outer * channels * inner, rng(seed));
          const [got, want] = [alloc(dtype, channels), alloc(dtype, channels)];
          backend.reduce('sum', x, shape, [0, 2, 3], got);
          jsBackend.reduce('sum', x, shape, [0, 2, 3], want);
          // Both sum in double: they differ by the rounding of the float type at most.
          const tol = dtype === 'float32' ? 2 ** -23 : 2 ** -50;
          for (let c = 0; c < channels; c++) {
            let magnitude = 0;
            for (let i = 0; i < outer; i++)
              for (let j = 0; j < inner; j++)
                magnitude += Math.abs(x[(i * channels + c) * inner + j]);
            expect(Math.abs(got[c] - want[c])).toBeLessThanOrEqual(tol * magnitude);
          }
        }),
        RUNS,
      );
    });

    it(`max pooling's scatter-add along rows, bit for bit, repeated indices summed (${dtype})`, () => {
      fc.assert(
        fc.property(layoutArb, ({ outer, channels, seed }) => {
          const rand = rng(seed);
          const [rows, width, cols] = [
            outer * channels,
            1 + Math.floor(rand() * 9),
            1 + Math.floor(rand() * 12),
          ];
          const index = Int32Array.from({ length: rows * cols }, () => Math.floor(rand() * width));
          const src = randomArray(dtype, rows * cols, rand);
          const start = randomArray(dtype, rows * width, rand);
          const [got, want] = [start.slice(), start.slice()];
          backend.scatterAdd(got, [rows, width], 1, index, [rows, cols], src);
          jsBackend.scatterAdd(want, [rows, width], 1, index, [rows, cols], src);
          expect(firstDifference(got, want)).toBe(-1);
        }),
        RUNS,
      );
    });
  }
});
