import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { UnaryKernel } from '../../src/backend/backend.js';
import type { UnaryFormula } from '../../src/backend/js/unary-table.js';
import { allocate, DTYPES } from '../../src/tensor/dtype.js';
import { B, expectClose, randomArray, rng, RUNS, seedArb, UNARY_OPS } from './js-helpers.js';

// The unary kernels and powScalar against naive implementations.
// The helpers and the approach are in js-helpers.ts.

/** erf by Simpson's rule on 2/√π e^(−t²): slow, independent, accurate to ~1e-12. */
function simpsonErf(v: number): number {
  if (Number.isNaN(v)) return NaN;
  if (Math.abs(v) > 6) return Math.sign(v); // erfc(6) < 2e-17
  const n = 2000;
  const h = v / n;
  let s = 1 + Math.exp(-v * v);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
}

/** ln(1 + v) without Math.log1p: its Taylor series near 0, where 1 + v would round. */
function seriesLog1p(v: number): number {
  if (Math.abs(v) >= 1e-4) return Math.log(1 + v);
  return v - (v * v) / 2 + (v * v * v) / 3 - (v * v * v * v) / 4;
}

/**
 * Each formula written independently of the table (plain Math, or another way of computing it),
 * as the oracle of the array kernels. Typed over the table's names, so that a new formula needs
 * its own expectation here.
 */
const NAIVE_UNARY: Record<UnaryFormula, (v: number) => number> = {
  neg: (v) => -1 * v,
  exp: (v) => Math.exp(v),
  log: (v) => Math.log(v),
  log1p: seriesLog1p,
  sqrt: (v) => Math.sqrt(v),
  abs: (v) => Math.abs(v),
  sign: (v) => (Number.isNaN(v) ? NaN : Math.sign(v) + 0),
  tanh: (v) => Math.tanh(v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  relu: (v) => (Number.isNaN(v) ? NaN : Math.max(v, 0)),
  step: (v) => (Math.sign(v) === 1 ? 1 : 0),
  sin: (v) => Math.sin(v),
  cos: (v) => Math.cos(v),
  erf: simpsonErf,
  isfinite: (v) => (Number.isNaN(v - v) ? 0 : 1),
  isnan: (v) => (Number.isNaN(v) ? 1 : 0),
  isinf: (v) => (Math.abs(v) === Infinity ? 1 : 0),
  tan: (v) => Math.sin(v) / Math.cos(v),
  asin: (v) => Math.atan2(v, Math.sqrt((1 - v) * (1 + v))),
  acos: (v) => Math.PI / 2 - Math.atan2(v, Math.sqrt((1 - v) * (1 + v))),
  atan: (v) => Math.atan2(v, 1),
  sinh: (v) => (Math.expm1(v) - Math.expm1(-v)) / 2,
  cosh: (v) => (Math.exp(v) + Math.exp(-v)) / 2,
  asinh: (v) =>
    Math.abs(v) === Infinity
      ? v
      : Math.sign(v) * Math.log1p(Math.abs(v) + (v * v) / (1 + Math.sqrt(1 + v * v))),
  acosh: (v) => Math.log(v + Math.sqrt(v * v - 1)),
  atanh: (v) => 0.5 * Math.log1p((2 * v) / (1 - v)),
  rsqrt: (v) => (Object.is(v, -0) ? -Infinity : v < 0 ? NaN : Math.pow(v, -0.5)),
  log2: (v) => Math.log(v) / Math.LN2,
  log10: (v) => Math.log(v) / Math.LN10,
  expm1: (v) => (Math.abs(v) < 1e-5 ? v + (v * v) / 2 + (v * v * v) / 6 : Math.exp(v) - 1),
  exp2: (v) => (Number.isInteger(v) ? 2 ** v : Math.exp(v * Math.LN2)),
  trunc: (v) => (v < 0 ? Math.ceil(v) : Math.floor(v)),
  floor: (v) => -Math.ceil(-v),
  ceil: (v) => -Math.floor(-v),
  round: (v) => {
    const f = Math.floor(v);
    const d = v - f;
    return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  },
};

describe('unary', () => {
  for (const op of UNARY_OPS) {
    for (const dtype of DTYPES) {
      it(`${op} over ${dtype} matches Math`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 40 }), seedArb, (n, seed) => {
            const x = randomArray(dtype, n, rng(seed));
            const out = allocate(dtype, n).fill(7);
            B.unary(op, x, out);
            const expected = allocate(dtype, n);
            for (let i = 0; i < n; i++) expected[i] = NAIVE_UNARY[op](x[i]);
            expectClose(out, expected);
          }),
          RUNS,
        );
      });
    }
  }

  for (const from of DTYPES) {
    for (const to of DTYPES) {
      it(`cast ${from} → ${to} converts like an assignment (to bool: non-zero is 1)`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 40 }), seedArb, (n, seed) => {
            const x = randomArray(from, n, rng(seed));
            const out = allocate(to, n);
            B.unary('cast', x, out);
            const expected = allocate(to, n);
            for (let i = 0; i < n; i++) expected[i] = to === 'bool' && x[i] !== 0 ? 1 : x[i];
            expectClose(out, expected);
          }),
          RUNS,
        );
      });
    }
  }

  it('gives the documented values at the edges', () => {
    const x = Float64Array.of(-2, -0, 0, 3, NaN, -Infinity, Infinity);
    const run = (op: UnaryKernel) => {
      const out = new Float64Array(x.length);
      B.unary(op, x, out);
      return Array.from(out);
    };
    expect(run('sign')).toEqual([-1, 0, 0, 1, NaN, -1, 1]);
    expect(run('relu')).toEqual([0, 0, 0, 3, NaN, 0, Infinity]);
    expect(run('step')).toEqual([0, 0, 0, 1, 0, 0, 1]);
    expect(run('isfinite')).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(run('abs')).toEqual([2, 0, 0, 3, NaN, Infinity, Infinity]);
    expect(Object.is(run('sign')[1], 0)).toBe(true); // sign(-0) is +0

    const sig = new Float64Array(5);
    B.unary('sigmoid', Float64Array.of(0, 1000, -1000, -40, 2), sig);
    expect(sig[0]).toBe(0.5);
    expect(sig[1]).toBe(1);
    expect(sig[2]).toBe(0); // no NaN from e^1000 / (1 + e^1000)
    expect(sig[3]).toBeCloseTo(4.248354255291589e-18, 30);
    expect(sig[4]).toBeCloseTo(0.8807970779778823, 15);

    const tanh = new Float32Array(2);
    B.unary('tanh', Float32Array.of(0.5, -20), tanh);
    expect(tanh[0]).toBeCloseTo(0.46211715726000974, 6);
    expect(tanh[1]).toBe(-1);
  });

  it('casts floats to int32 truncating toward zero, NaN and ±Infinity to 0, wrapping beyond', () => {
    const out = new Int32Array(7);
    B.unary('cast', Float64Array.of(2.7, -2.7, NaN, Infinity, -Infinity, 3e9, -0.5), out);
    expect(Array.from(out)).toEqual([2, -2, 0, 0, 0, 3e9 - 2 ** 32, 0]);
    const f32 = new Float32Array(2);
    B.unary('cast', Float64Array.of(0.1, 16777217), f32);
    expect(f32[0]).toBe(Math.fround(0.1));
    expect(f32[1]).toBe(16777216);
  });

  it('wraps int32 results like int32 arithmetic', () => {
    const out = new Int32Array(2);
    B.unary('neg', Int32Array.of(-(2 ** 31), 5), out);
    expect(Array.from(out)).toEqual([-(2 ** 31), -5]);
  });
});

describe('powScalar', () => {
  for (const p of [0, 1, 2, -1, 0.5, 3, -2, 1.5]) {
    for (const dtype of DTYPES) {
      it(`x ** ${p} over ${dtype} matches Math.pow`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 40 }), seedArb, (n, seed) => {
            // Only x ** 2 promises exact int32 wrap-around; keep other powers of ints in range.
            const x = randomArray(dtype, n, rng(seed), dtype !== 'int32' || p === 2);
            const out = allocate(dtype, n);
            B.powScalar(x, p, out);
            const expected = allocate(dtype, n);
            for (let i = 0; i < n; i++) {
              expected[i] =
                dtype === 'int32' && p === 2
                  ? Number(BigInt.asIntN(32, BigInt(x[i]) ** 2n))
                  : Math.pow(x[i], p);
            }
            expectClose(out, expected);
          }),
          RUNS,
        );
      });
    }
  }

  it('squares int32 with exact wrap-around', () => {
    const out = new Int32Array(3);
    B.powScalar(Int32Array.of(2147483647, 65537, -3), 2, out);
    // (2^31 - 1)^2 = 2^62 - 2^32 + 1 ≡ 1 (mod 2^32); 65537^2 = 2^32 + 2^17 + 1 ≡ 131073
    expect(Array.from(out)).toEqual([1, 131073, 9]);
  });

  it('keeps Math.pow semantics at the edges', () => {
    const out = new Float64Array(4);
    B.powScalar(Float64Array.of(NaN, -8, 0, -0), 0, out);
    expect(Array.from(out)).toEqual([1, 1, 1, 1]);
    B.powScalar(Float64Array.of(-8, 0, -0, 4), -1, out);
    expect(Array.from(out)).toEqual([-0.125, Infinity, -Infinity, 0.25]);
    B.powScalar(Float64Array.of(-8, 4, 9, Infinity), 0.5, out);
    expect(Array.from(out)).toEqual([NaN, 2, 3, Infinity]);
  });
});
