import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsBackend } from '../../src/backend/js/index.js';
import { wasmBackend } from '../../src/backend/wasm/index.js';
import { wasmError, wasmModuleKernels } from '../../src/node/wasm.js';
import { alloc, DTYPES, firstDifference, rng, RUNS } from './native-helpers.js';

// The wasm log-softmax (wasm/softmax.cc) against the reference kernel, and its fdlibm exp and log
// against the engine's Math.exp and Math.log: V8 computes those with fdlibm too, so bit for bit.

function kernels() {
  const k = wasmModuleKernels();
  if (k === undefined) throw new Error(`the wasm module did not load: ${wasmError()}`);
  return k;
}
const backend = wasmBackend(kernels(), { minMatmulWork: 0, minElements: 0 });
const { fdlibm_exp: exp, fdlibm_log: log } = kernels().exports;

const EDGES = [0, -0, NaN, Infinity, -Infinity, 5e-324, 1e-310, 2 ** -28, -(2 ** -28), 2 ** -29];
/** Around fdlibm's case boundaries: ½ln2, 1.5ln2, the overflow and underflow thresholds. */
const EXP_EDGES = [0.34657359027997264, 1.0397207708399179, 709.782712893384, 709.79, -745.1332];

describe("wasm's fdlibm exp and log, bit for bit as Math.exp and Math.log", () => {
  it('at the edges of their cases', () => {
    for (const v of [...EDGES, ...EXP_EDGES, ...EXP_EDGES.map((e) => -e), -708.5, -720, 709.5])
      expect(Object.is(exp(v), Math.exp(v))).toBe(true);
    for (const v of [...EDGES, -1, 1, 2, 0.5, Math.E, 1 + 2 ** -30, 1 - 2 ** -30, 1e300])
      expect(Object.is(log(v), Math.log(v))).toBe(true);
  });

  it('on 200,000 random numbers of every magnitude', () => {
    const rand = rng(7);
    let differ = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = (rand() * 2 - 1) * 2 ** Math.floor(rand() * 70 - 40);
      const e = -800 * rand();
      if (!Object.is(exp(v), Math.exp(v)) || !Object.is(exp(e), Math.exp(e))) differ++;
      if (!Object.is(log(Math.abs(v)), Math.log(Math.abs(v)))) differ++;
    }
    expect(differ).toBe(0);
  });
});

const rowsArb = fc.record({
  rows: fc.integer({ min: 1, max: 6 }),
  cols: fc.oneof(fc.integer({ min: 1, max: 13 }), fc.constant(1000)),
  scale: fc.constantFrom(1, 30, 1000),
  special: fc.constantFrom(0, 0.1),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('wasm logSoftmax over rows against the reference kernel, bit for bit', () => {
  for (const dtype of DTYPES) {
    it(`random rows, wide ranges, NaN and ±∞ (${dtype})`, () => {
      const specials = [NaN, Infinity, -Infinity, -0];
      fc.assert(
        fc.property(rowsArb, ({ rows, cols, scale, special, seed }) => {
          const rand = rng(seed);
          const x = alloc(dtype, rows * cols).map(() =>
            rand() < special
              ? specials[Math.floor(rand() * specials.length)]
              : scale * (2 * rand() - 1),
          );
          const [got, want] = [alloc(dtype, x.length).fill(7), alloc(dtype, x.length).fill(7)];
          backend.logSoftmax(x, rows, cols, 1, got);
          jsBackend.logSoftmax(x, rows, cols, 1, want);
          expect(firstDifference(got, want)).toBe(-1);
        }),
        RUNS,
      );
    });
  }

  it('a row of −∞ gives NaN, as the reference does; other layouts go to the reference', () => {
    const out = new Float32Array(3);
    backend.logSoftmax(Float32Array.of(-Infinity, -Infinity, -Infinity), 1, 3, 1, out);
    expect(Array.from(out)).toEqual([NaN, NaN, NaN]);
    const x = Float64Array.of(1, 2, 3, 4);
    const [got, want] = [new Float64Array(4), new Float64Array(4)];
    backend.logSoftmax(x, 1, 2, 2, got);
    jsBackend.logSoftmax(x, 1, 2, 2, want);
    expect(Array.from(got)).toEqual(Array.from(want));
    expect(got[0]).toBeCloseTo(-2.1269280110429727, 15);
  });
});
