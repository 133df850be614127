import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdamStep, Backend, SGDStep } from '../../src/backend/backend.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { wasmBackend } from '../../src/backend/wasm/index.js';
import { WASM_BINARY } from '../../src/backend/wasm/module.js';
import { wasmError, wasmModuleKernels } from '../../src/node/wasm.js';
import { alloc, randomArray, rng, RUNS } from './native-helpers.js';

// The wasm element-wise kernels give the reference kernels' bits, on random shapes and values
// (with zeros, −0, NaN and infinities mixed in), in both float types.

function wasm(): Backend {
  const kernels = wasmModuleKernels();
  if (kernels === undefined) throw new Error(`the wasm module did not load: ${wasmError()}`);
  return wasmBackend(kernels, { minMatmulWork: 0, minElements: 0 });
}

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1e-40];

/** Random values with a few special ones. */
function values(dtype: 'float32' | 'float64', n: number, rand: () => number) {
  const x = randomArray(dtype, n, rand);
  for (let i = 0; i < n; i++) if (rand() < 0.1) x[i] = SPECIAL[Math.floor(rand() * SPECIAL.length)];
  return x;
}

const shapeArb = fc.record({
  rows: fc.integer({ min: 1, max: 9 }),
  cols: fc.integer({ min: 1, max: 37 }),
  dtype: fc.constantFrom('float32' as const, 'float64' as const),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('wasm element-wise kernels against the reference kernels, bit for bit', () => {
  it('binary add, sub, mul, div, reluGrad: same shapes and a row broadcast over rows', () => {
    const backend = wasm();
    const ops = Object.keys(WASM_BINARY) as (keyof typeof WASM_BINARY)[];
    fc.assert(
      fc.property(shapeArb, fc.constantFrom(...ops), fc.boolean(), (s, op, row) => {
        const rand = rng(s.seed);
        const n = s.rows * s.cols;
        const a = values(s.dtype, n, rand);
        const b = values(s.dtype, row ? s.cols : n, rand);
        const shape = [s.rows, s.cols];
        const bStrides = row ? [0, 1] : [s.cols, 1];
        const got = alloc(s.dtype, n);
        const want = alloc(s.dtype, n);
        backend.binary(op, a, [s.cols, 1], b, bStrides, got, shape);
        jsBackend.binary(op, a, [s.cols, 1], b, bStrides, want, shape);
        expect(got).toEqual(want);
      }),
      RUNS,
    );
  });

  it('relu, with NaN kept and −0 made 0', () => {
    const backend = wasm();
    fc.assert(
      fc.property(shapeArb, (s) => {
        const x = values(s.dtype, s.rows * s.cols, rng(s.seed));
        const got = alloc(s.dtype, x.length);
        const want = alloc(s.dtype, x.length);
        backend.unary('relu', x, got);
        jsBackend.unary('relu', x, want);
        expect(got).toEqual(want);
      }),
      RUNS,
    );
  });

  it('sum over the rows (axis 0) of a matrix, in the reference order', () => {
    const backend = wasm();
    fc.assert(
      fc.property(shapeArb, (s) => {
        const x = values(s.dtype, s.rows * s.cols, rng(s.seed));
        const got = alloc(s.dtype, s.cols);
        const want = alloc(s.dtype, s.cols);
        backend.reduce('sum', x, [s.rows, s.cols], [0], got);
        jsBackend.reduce('sum', x, [s.rows, s.cols], [0], want);
        expect(got).toEqual(want);
      }),
      RUNS,
    );
  });

  it('the SGD update: momentum, dampening, Nesterov, weight decay, maximize, first step', () => {
    const backend = wasm();
    const hArb = fc.record({
      lr: fc.double({ min: 1e-4, max: 1, noNaN: true }),
      momentum: fc.constantFrom(0, 0.9),
      dampening: fc.constantFrom(0, 0.1),
      weightDecay: fc.constantFrom(0, 1e-3),
      nesterov: fc.boolean(),
      maximize: fc.boolean(),
      first: fc.boolean(),
    });
    fc.assert(
      fc.property(shapeArb, hArb, fc.boolean(), (s, h, withBuffer) => {
        const rand = rng(s.seed);
        const n = s.rows * s.cols;
        const w = randomArray(s.dtype, n, rand);
        const g = randomArray(s.dtype, n, rand);
        const buf = withBuffer ? randomArray(s.dtype, n, rand) : null;
        const [w2, buf2] = [w.slice(), buf?.slice() ?? null];
        backend.sgdStep(w, g, buf, h as SGDStep);
        jsBackend.sgdStep(w2, g, buf2, h as SGDStep);
        expect(w).toEqual(w2);
        expect(buf).toEqual(buf2);
      }),
      RUNS,
    );
  });

  it('the Adam update: AdamW decay, L2, AMSGrad, maximize', () => {
    const backend = wasm();
    const hArb = fc.record({
      beta1: fc.constantFrom(0.9, 0.3),
      beta2: fc.constantFrom(0.999, 0.5),
      eps: fc.constantFrom(1e-8, 1e-3),
      stepSize: fc.double({ min: 1e-4, max: 1, noNaN: true }),
      bc2Sqrt: fc.double({ min: 0.01, max: 1, noNaN: true }),
      decay: fc.constantFrom(1, 0.99),
      l2: fc.constantFrom(0, 1e-2),
      maximize: fc.boolean(),
    });
    fc.assert(
      fc.property(shapeArb, hArb, fc.boolean(), (s, h, amsgrad) => {
        const rand = rng(s.seed);
        const n = s.rows * s.cols;
        const [w, g, m] = [0, 1, 2].map(() => randomArray(s.dtype, n, rand));
        const v = randomArray(s.dtype, n, rand).map(Math.abs);
        const vmax = amsgrad ? randomArray(s.dtype, n, rand).map(Math.abs) : null;
        const copies = [w, m, v].map((x) => x.slice());
        const vmax2 = vmax?.slice() ?? null;
        backend.adamStep(w, g, m, v, vmax, h as AdamStep);
        jsBackend.adamStep(copies[0], g, copies[1], copies[2], vmax2, h as AdamStep);
        expect([w, m, v, vmax]).toEqual([...copies, vmax2]);
      }),
      RUNS,
    );
  });
});
