import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { BinaryKernel, ReduceKernel, UnaryKernel } from '../../src/backend/backend.js';
import { binaryFormulas } from '../../src/backend/js/binary-table.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { unaryFormulas, type UnaryFormula } from '../../src/backend/js/unary-table.js';
import { allocate, DTYPES, dtypeOfArray } from '../../src/tensor/dtype.js';
import type { DType, TypedArray } from '../../src/tensor/dtype.js';
import { broadcastStrides } from '../../src/tensor/shape.js';

// Every kernel of the reference backend is compared with a deliberately naive implementation
// written here: one element at a time, through explicit multi-indices, with no strides and no
// fast paths. Random cases come from fast-check with a fixed seed; values inside a case come from
// a small seeded generator so a failing case can be replayed from its printed arguments.

const B = jsBackend;
const RUNS = { seed: 42, numRuns: 100 };

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** A small seeded generator (mulberry32) returning numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5];

/**
 * Random values: int32 gets integers in [-5, 5] and, with `specials`, some from the whole int32
 * range (so products overflow); floats get special values (NaN, ±Inf, ±0) with `specials`, small
 * integers (so ties and equalities happen) and uniform values in [-3, 3).
 */
function randomArray(dtype: DType, n: number, rand: () => number, specials = true): TypedArray {
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (dtype === 'int32') {
      out[i] = specials && r < 0.1 ? randInt(rand, -(2 ** 31), 2 ** 31 - 1) : randInt(rand, -5, 5);
    } else if (specials && r < 0.15) out[i] = SPECIALS[randInt(rand, 0, SPECIALS.length - 1)];
    else if (r < 0.5) out[i] = randInt(rand, -4, 4);
    else out[i] = -3 + 6 * rand();
  }
  return out;
}

function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Flat row-major position → multi-index. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** Multi-index → flat row-major position. */
function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + idx[d];
  return flat;
}

/** The element of an operand of shape `shape` read at output multi-index `idx` under broadcasting. */
function broadcastRead(idx: readonly number[], shape: readonly number[]): number {
  const lead = idx.length - shape.length;
  const own = shape.map((size, d) => (size === 1 ? 0 : idx[d + lead]));
  return ravel(own, shape);
}

function defaultTolerance(dtype: DType): { rtol: number; atol: number } {
  if (dtype === 'int32') return { rtol: 0, atol: 0 };
  if (dtype === 'float32') return { rtol: 1e-6, atol: 1e-7 };
  return { rtol: 1e-12, atol: 1e-14 };
}

/** Element-wise comparison: same type and length; NaN matches NaN; ints exact. */
function expectClose(
  actual: TypedArray,
  expected: TypedArray,
  tol?: { rtol: number; atol: number },
) {
  const dtype = dtypeOfArray(expected)!;
  expect(dtypeOfArray(actual)).toBe(dtype);
  expect(actual.length).toBe(expected.length);
  const { rtol, atol } = tol ?? defaultTolerance(dtype);
  const bad: string[] = [];
  for (let i = 0; i < expected.length && bad.length < 5; i++) {
    const a = actual[i];
    const e = expected[i];
    const ok = Number.isNaN(e)
      ? Number.isNaN(a)
      : a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) bad.push(`[${i}] got ${a}, expected ${e}`);
  }
  expect(bad).toEqual([]);
}

const dimArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const shapeArb = (minLength = 0, maxLength = 4) => fc.array(dimArb, { minLength, maxLength });
const seedArb = fc.integer({ min: 0, max: 0x7fffffff });

/** A shape that broadcasts to `outShape`: the same, a single element, or with dims set to 1 / dropped. */
function operandShape(outShape: readonly number[], rand: () => number): number[] {
  const r = rand();
  if (r < 0.3) return [...outShape];
  if (r < 0.45) return rand() < 0.5 ? [] : outShape.map(() => 1);
  const drop = rand() < 0.3 ? randInt(rand, 0, outShape.length) : 0;
  return outShape.slice(drop).map((d) => (rand() < 0.35 ? 1 : d));
}

// ---------------------------------------------------------------------------------------------
// The backend object
// ---------------------------------------------------------------------------------------------

describe('jsBackend', () => {
  it('is named js and provides every kernel', () => {
    expect(B.name).toBe('js');
    const kernels = [
      'unary',
      'powScalar',
      'binary',
      'where',
      'reduce',
      'argReduce',
      'copyStrided',
      'assignStrided',
      'indexSelect',
      'indexAdd',
      'gather',
      'scatterAdd',
      'matmul',
    ] as const;
    for (const k of kernels) expect(typeof B[k]).toBe('function');
  });
});

// ---------------------------------------------------------------------------------------------
// unaryScalar, binaryScalar, powScalarScalar: the one-number forms must agree with the arrays
// ---------------------------------------------------------------------------------------------

/** Edge values each dtype can hold (stored through a one-element array of that dtype). */
function edgeValues(dtype: DType): number[] {
  const raw =
    dtype === 'int32'
      ? [0, 1, -1, 2, -3, 7, 65537, 2 ** 31 - 1, -(2 ** 31)]
      : [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -2.5, 3, 0.1, 1e30, -1e-30, 2 ** 31, 700];
  return raw.map((v) => allocate(dtype, 1).fill(v)[0]);
}

const EXACT = { rtol: 0, atol: 0 };

describe('scalar kernels', () => {
  for (const dtype of DTYPES) {
    const values = edgeValues(dtype);

    it(`unaryScalar over ${dtype} equals unary on a one-element array`, () => {
      for (const op of [...UNARY_OPS, 'cast'] as const) {
        for (const from of op === 'cast' ? DTYPES : [dtype]) {
          for (const v of edgeValues(from)) {
            const out = allocate(dtype, 1);
            B.unary(op, allocate(from, 1).fill(v), out);
            const one = allocate(dtype, 1).fill(B.unaryScalar(op, v, dtype));
            expectClose(one, out, EXACT);
          }
        }
      }
    });

    it(`binaryScalar over ${dtype} equals binary on one-element arrays`, () => {
      for (const op of BINARY_OPS) {
        for (const x of values) {
          for (const y of values) {
            const out = allocate(dtype, 1);
            B.binary(op, allocate(dtype, 1).fill(x), [], allocate(dtype, 1).fill(y), [], out, []);
            const one = allocate(dtype, 1).fill(B.binaryScalar(op, x, y, dtype));
            expectClose(one, out, EXACT);
          }
        }
      }
    });

    it(`powScalarScalar over ${dtype} equals powScalar on a one-element array`, () => {
      for (const p of [0, 1, 2, -1, 0.5, 3, -2, 1.5]) {
        for (const v of values) {
          const out = allocate(dtype, 1);
          B.powScalar(allocate(dtype, 1).fill(v), p, out);
          const one = allocate(dtype, 1).fill(B.powScalarScalar(v, p, dtype));
          expectClose(one, out, EXACT);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// unary, powScalar
// ---------------------------------------------------------------------------------------------

/** Every unary kernel but `cast`: the formulas of the table, so that a new one is tested here. */
const UNARY_OPS = Object.keys(unaryFormulas) as UnaryFormula[];

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
      it(`cast ${from} → ${to} converts like an assignment`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 40 }), seedArb, (n, seed) => {
            const x = randomArray(from, n, rng(seed));
            const out = allocate(to, n);
            B.unary('cast', x, out);
            const expected = allocate(to, n);
            for (let i = 0; i < n; i++) expected[i] = x[i];
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

// ---------------------------------------------------------------------------------------------
// binary, where
// ---------------------------------------------------------------------------------------------

/** Every binary kernel: the formulas of the table, so that a new one is tested here. */
const BINARY_OPS = Object.keys(binaryFormulas) as BinaryKernel[];

/**
 * One element of the naive binary kernel: the table's formula (checked on its own below), except
 * where an independent definition exists — int32 products through BigInt, maximum and minimum
 * through Math.max and Math.min.
 */
function naiveBinaryOp(op: BinaryKernel, x: number, y: number, dtype: DType): number {
  if (op === 'mul' && dtype === 'int32') return Number(BigInt.asIntN(32, BigInt(x) * BigInt(y)));
  if (op === 'maximum') return Math.max(x, y); // NaN if either is NaN
  if (op === 'minimum') return Math.min(x, y);
  return binaryFormulas[op](x, y);
}

function naiveBinary(
  op: BinaryKernel,
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  outShape: readonly number[],
  dtype: DType,
): TypedArray {
  const out = allocate(dtype, sizeOfShape(outShape));
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, outShape);
    out[i] = naiveBinaryOp(op, a[broadcastRead(idx, aShape)], b[broadcastRead(idx, bShape)], dtype);
  }
  return out;
}

describe('binary', () => {
  for (const op of BINARY_OPS) {
    for (const dtype of DTYPES) {
      it(`${op} over ${dtype} matches the naive loop on broadcast shapes`, () => {
        fc.assert(
          fc.property(shapeArb(), seedArb, (outShape, seed) => {
            const rand = rng(seed);
            const aShape = operandShape(outShape, rand);
            const bShape = operandShape(outShape, rand);
            const a = randomArray(dtype, sizeOfShape(aShape), rand);
            const b = randomArray(dtype, sizeOfShape(bShape), rand);
            const out = allocate(dtype, sizeOfShape(outShape)).fill(7);
            const aStrides = broadcastStrides(aShape, outShape);
            const bStrides = broadcastStrides(bShape, outShape);
            B.binary(op, a, aStrides, b, bStrides, out, outShape);
            expectClose(out, naiveBinary(op, a, aShape, b, bShape, outShape, dtype));
          }),
          RUNS,
        );
      });
    }
  }

  it('adds a row vector to every row and handles a 0-d pair', () => {
    const out = new Float32Array(6);
    const a = Float32Array.of(1, 2, 3, 4, 5, 6);
    B.binary('add', a, [3, 1], Float32Array.of(10, 20, 30), [0, 1], out, [2, 3]);
    expect(Array.from(out)).toEqual([11, 22, 33, 14, 25, 36]);
    const s = new Float64Array(1);
    B.binary('mul', Float64Array.of(3), [], Float64Array.of(-2), [], s, []);
    expect(s[0]).toBe(-6);
  });

  it('propagates NaN through maximum and minimum and compares NaN as unequal', () => {
    const a = Float64Array.of(NaN, 1, 2, NaN);
    const b = Float64Array.of(1, NaN, 1, NaN);
    const run = (op: BinaryKernel) => {
      const out = new Float64Array(4);
      B.binary(op, a, [1], b, [1], out, [4]);
      return Array.from(out);
    };
    expect(run('maximum')).toEqual([NaN, NaN, 2, NaN]);
    expect(run('minimum')).toEqual([NaN, NaN, 1, NaN]);
    expect(run('eq')).toEqual([0, 0, 0, 0]);
    expect(run('ne')).toEqual([1, 1, 1, 1]);
  });

  it('writes comparisons into an array of another type, and does int32 arithmetic as int32', () => {
    const cmp = new Int32Array(3);
    B.binary('lt', Float64Array.of(1, 2, 3), [1], Float64Array.of(2), [0], cmp, [3]);
    expect(Array.from(cmp)).toEqual([1, 0, 0]);
    const prod = new Int32Array(2);
    B.binary(
      'mul',
      Int32Array.of(2147483647, 7),
      [1],
      Int32Array.of(2147483647, -3),
      [1],
      prod,
      [2],
    );
    expect(Array.from(prod)).toEqual([1, -21]);
    const quot = new Int32Array(3);
    B.binary('div', Int32Array.of(7, -7, 1), [1], Int32Array.of(2, 2, 0), [1], quot, [3]);
    expect(Array.from(quot)).toEqual([3, -3, 0]);
    const sum = new Int32Array(1);
    B.binary('add', Int32Array.of(2147483647), [], Int32Array.of(1), [], sum, []);
    expect(sum[0]).toBe(-2147483648);
  });

  it('leaves an empty output alone', () => {
    const out = new Float32Array(0);
    B.binary('add', new Float32Array(0), [3, 1], Float32Array.of(1, 2, 3), [0, 1], out, [0, 3]);
    expect(out.length).toBe(0);
  });

  it('fuses the derivatives of tanh, sigmoid and relu: g times the slope of the activation', () => {
    // Independent of the formulas: the slope by central differences of the unary kernels.
    const slope = (op: UnaryKernel, x: number) => {
      const h = 1e-6;
      const y = new Float64Array(2);
      B.unary(op, Float64Array.of(x + h, x - h), y);
      return (y[0] - y[1]) / (2 * h);
    };
    const at = (op: UnaryKernel, x: number) => {
      const y = new Float64Array(1);
      B.unary(op, Float64Array.of(x), y);
      return y[0];
    };
    for (const x of [-3, -0.7, -0.1, 0.2, 1, 2.5]) {
      const g = 1.5;
      const run = (op: BinaryKernel, b: number) => {
        const out = new Float64Array(1);
        B.binary(op, Float64Array.of(g), [], Float64Array.of(b), [], out, []);
        return out[0];
      };
      expect(run('tanhGrad', at('tanh', x))).toBeCloseTo(g * slope('tanh', x), 8);
      expect(run('sigmoidGrad', at('sigmoid', x))).toBeCloseTo(g * slope('sigmoid', x), 8);
      expect(run('reluGrad', x)).toBeCloseTo(g * slope('relu', x), 8);
    }
    const kink = new Float64Array(2);
    B.binary('reluGrad', Float64Array.of(2, 2), [1], Float64Array.of(0, NaN), [1], kink, [2]);
    expect(Array.from(kink)).toEqual([0, 0]); // the kink at 0 takes 0; NaN is not > 0
  });
});

function naiveWhere(
  cond: TypedArray,
  cShape: readonly number[],
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  outShape: readonly number[],
  dtype: DType,
): TypedArray {
  const out = allocate(dtype, sizeOfShape(outShape));
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, outShape);
    const c = cond[broadcastRead(idx, cShape)];
    out[i] = c !== 0 ? a[broadcastRead(idx, aShape)] : b[broadcastRead(idx, bShape)];
  }
  return out;
}

describe('where', () => {
  for (const dtype of DTYPES) {
    it(`over ${dtype} matches the naive loop on broadcast shapes`, () => {
      fc.assert(
        fc.property(shapeArb(), seedArb, (outShape, seed) => {
          const rand = rng(seed);
          const cShape = operandShape(outShape, rand);
          const aShape = operandShape(outShape, rand);
          const bShape = operandShape(outShape, rand);
          const condType = DTYPES[randInt(rand, 0, 2)];
          const cond = allocate(condType, sizeOfShape(cShape));
          for (let i = 0; i < cond.length; i++) {
            const r = rand();
            cond[i] = r < 0.45 ? 0 : r < 0.9 ? 1 : condType === 'int32' ? -3 : NaN;
          }
          const a = randomArray(dtype, sizeOfShape(aShape), rand);
          const b = randomArray(dtype, sizeOfShape(bShape), rand);
          const out = allocate(dtype, sizeOfShape(outShape)).fill(7);
          B.where(
            cond,
            broadcastStrides(cShape, outShape),
            a,
            broadcastStrides(aShape, outShape),
            b,
            broadcastStrides(bShape, outShape),
            out,
            outShape,
          );
          expectClose(out, naiveWhere(cond, cShape, a, aShape, b, bShape, outShape, dtype));
        }),
        RUNS,
      );
    });
  }

  it('selects with a scalar on either side and with a scalar condition', () => {
    const out = new Float32Array(4);
    const cond = Int32Array.of(1, 0, 0, 1);
    const x = Float32Array.of(1, 2, 3, 4);
    B.where(cond, [1], x, [1], Float32Array.of(-1), [0], out, [4]);
    expect(Array.from(out)).toEqual([1, -1, -1, 4]);
    B.where(cond, [1], Float32Array.of(9), [0], x, [1], out, [4]);
    expect(Array.from(out)).toEqual([9, 2, 3, 9]);
    B.where(Float32Array.of(0), [0, 0], x, [2, 1], Float32Array.of(5, 6), [0, 1], out, [2, 2]);
    expect(Array.from(out)).toEqual([5, 6, 5, 6]);
    B.where(Float32Array.of(NaN), [], Float32Array.of(8), [], Float32Array.of(5), [], out, []);
    expect(out[0]).toBe(8); // NaN is not 0, so it counts as true
  });
});

// ---------------------------------------------------------------------------------------------
// reduce, argReduce
// ---------------------------------------------------------------------------------------------

function naiveReduce(
  op: ReduceKernel,
  x: TypedArray,
  shape: readonly number[],
  axes: readonly number[],
  dtype: DType,
): TypedArray {
  const keep = shape.map((_, d) => !axes.includes(d));
  const outShape = shape.filter((_, d) => keep[d]);
  const acc: (number | undefined)[] = new Array(sizeOfShape(outShape)).fill(
    op === 'sum' ? 0 : undefined,
  );
  for (let i = 0; i < x.length; i++) {
    const idx = unravel(i, shape);
    const o = ravel(
      idx.filter((_, d) => keep[d]),
      outShape,
    );
    const v = x[i];
    const prev = acc[o];
    if (op === 'sum') acc[o] = (prev as number) + v;
    else if (prev === undefined) acc[o] = v;
    else acc[o] = op === 'max' ? Math.max(prev, v) : Math.min(prev, v); // NaN-propagating
  }
  const out = allocate(dtype, acc.length);
  for (let i = 0; i < acc.length; i++) out[i] = acc[i] as number;
  return out;
}

describe('reduce', () => {
  for (const op of ['sum', 'max', 'min'] as const) {
    for (const dtype of DTYPES) {
      it(`${op} over ${dtype} matches the naive loop for any set of axes`, () => {
        fc.assert(
          fc.property(shapeArb(), seedArb, (shape, seed) => {
            const rand = rng(seed);
            const axes = shape.map((_, d) => d).filter(() => rand() < 0.5);
            const outSize = sizeOfShape(shape.filter((_, d) => !axes.includes(d)));
            const reducesNothing = axes.some((d) => shape[d] === 0);
            fc.pre(op === 'sum' || outSize === 0 || !reducesNothing); // max/min of nothing is never asked
            const x = randomArray(dtype, sizeOfShape(shape), rand);
            const out = allocate(dtype, outSize).fill(7);
            B.reduce(op, x, shape, axes, out);
            const tol = dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : undefined;
            expectClose(out, naiveReduce(op, x, shape, axes, dtype), tol);
          }),
          RUNS,
        );
      });
    }
  }

  it('sums along each axis of a 2×3 matrix', () => {
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    const cols = new Float32Array(3);
    B.reduce('sum', x, [2, 3], [0], cols);
    expect(Array.from(cols)).toEqual([5, 7, 9]);
    const rows = new Float32Array(2);
    B.reduce('sum', x, [2, 3], [1], rows);
    expect(Array.from(rows)).toEqual([6, 15]);
    const all = new Float32Array(1);
    B.reduce('sum', x, [2, 3], [0, 1], all);
    expect(all[0]).toBe(21);
  });

  it('reduces a middle axis and keeps the outer ones', () => {
    // x[i][j][k] = 100i + 10j + k, shape [2, 3, 2]; max over j → 100i + 20 + k
    const x = new Float64Array(12);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 2; k++) x[i * 6 + j * 2 + k] = 100 * i + 10 * j + k;
    const out = new Float64Array(4);
    B.reduce('max', x, [2, 3, 2], [1], out);
    expect(Array.from(out)).toEqual([20, 21, 120, 121]);
    const mins = new Float64Array(3);
    B.reduce('min', x, [2, 3, 2], [0, 2], mins);
    expect(Array.from(mins)).toEqual([0, 10, 20]);
  });

  it('sums nothing to 0 and propagates NaN through max and min', () => {
    const out = Float32Array.of(7, 7);
    B.reduce('sum', new Float32Array(0), [2, 0], [1], out);
    expect(Array.from(out)).toEqual([0, 0]);
    const m = new Float32Array(2);
    B.reduce('max', Float32Array.of(1, NaN, 3, 4, 5, 6), [2, 3], [1], m);
    expect(Array.from(m)).toEqual([NaN, 6]);
    const m0 = new Float32Array(3);
    B.reduce('min', Float32Array.of(1, 2, 3, 4, NaN, 6), [2, 3], [0], m0);
    expect(Array.from(m0)).toEqual([1, NaN, 3]);
    const s = new Float64Array(1);
    B.reduce('sum', Float64Array.of(4), [], [], s);
    expect(s[0]).toBe(4);
  });

  it('accumulates float32 sums in double precision', () => {
    const x = new Float32Array(1 << 20).fill(0.1);
    const out = new Float32Array(1);
    B.reduce('sum', x, [x.length], [0], out);
    expect(out[0]).toBe(Math.fround(Math.fround(0.1) * x.length));
  });
});

function naiveArgReduce(
  op: 'argmax' | 'argmin',
  x: TypedArray,
  shape: readonly number[],
  axis: number,
): Int32Array {
  const full = shape.length === 0 ? [1] : shape;
  const outShape = full.filter((_, d) => d !== axis);
  const out = new Int32Array(sizeOfShape(outShape));
  for (let o = 0; o < out.length; o++) {
    const oIdx = unravel(o, outShape);
    let best = NaN;
    let at = -1;
    for (let r = 0; r < full[axis]; r++) {
      const idx = [...oIdx.slice(0, axis), r, ...oIdx.slice(axis)];
      const v = x[ravel(idx, full)];
      if (Number.isNaN(v)) {
        at = r;
        break;
      }
      if (at === -1 || (op === 'argmax' ? v > best : v < best)) {
        best = v;
        at = r;
      }
    }
    out[o] = at;
  }
  return out;
}

describe('argReduce', () => {
  for (const op of ['argmax', 'argmin'] as const) {
    for (const dtype of DTYPES) {
      it(`${op} over ${dtype} gives the first extreme index, NaN winning`, () => {
        fc.assert(
          fc.property(shapeArb(), seedArb, (shape, seed) => {
            const rand = rng(seed);
            const axis = shape.length === 0 ? 0 : randInt(rand, 0, shape.length - 1);
            fc.pre(shape.length === 0 || shape[axis] > 0);
            const x = randomArray(dtype, sizeOfShape(shape), rand);
            const expected = naiveArgReduce(op, x, shape, axis);
            const out = new Int32Array(expected.length).fill(-7);
            B.argReduce(op, x, shape, axis, out);
            expectClose(out, expected);
          }),
          RUNS,
        );
      });
    }
  }

  it('breaks ties toward the first index and lets NaN win', () => {
    // [[1, 5, 5, -2, -2], [2, 3, 3, NaN, NaN]]
    const x = Float32Array.of(1, 5, 5, -2, -2, 2, 3, 3, NaN, NaN);
    const rows = new Int32Array(2);
    B.argReduce('argmax', x, [2, 5], 1, rows);
    expect(Array.from(rows)).toEqual([1, 3]);
    B.argReduce('argmin', x, [2, 5], 1, rows);
    expect(Array.from(rows)).toEqual([3, 3]);
    const cols = new Int32Array(5);
    B.argReduce('argmax', x, [2, 5], 0, cols);
    expect(Array.from(cols)).toEqual([1, 0, 0, 1, 1]);
    B.argReduce('argmin', x, [2, 5], 0, cols);
    expect(Array.from(cols)).toEqual([0, 1, 1, 1, 1]);
  });

  it('returns 0 for a scalar and fills -1 for an empty axis', () => {
    const out = new Int32Array(1).fill(9);
    B.argReduce('argmax', Float64Array.of(3), [], 0, out);
    expect(out[0]).toBe(0);
    const empty = new Int32Array(2).fill(9);
    B.argReduce('argmin', new Float64Array(0), [2, 0], 1, empty);
    expect(Array.from(empty)).toEqual([-1, -1]);
  });
});

// ---------------------------------------------------------------------------------------------
// copyStrided, assignStrided
// ---------------------------------------------------------------------------------------------

/**
 * Strides of a view of a larger contiguous tensor: dims in a random order, steps of 1 or 2,
 * padding, some flipped (negative). Distinct multi-indices reach distinct positions unless
 * `expand` lets some dims have stride 0. Otherwise (40% of the time when `expand`) any strides
 * in [-3, 3].
 */
function viewStrides(shape: readonly number[], rand: () => number, expand: boolean): number[] {
  if (expand && rand() < 0.4) return shape.map(() => randInt(rand, -3, 3));
  const order = shape.map((_, d) => d);
  if (rand() < 0.5) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = randInt(rand, 0, i);
      [order[i], order[j]] = [order[j], order[i]];
    }
  }
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let q = order.length - 1; q >= 0; q--) {
    const d = order[q];
    const step = rand() < 0.7 ? 1 : 2;
    strides[d] = s * step * (rand() < 0.15 ? -1 : 1);
    if (expand && rand() < 0.1) strides[d] = 0;
    s *= Math.max(shape[d], 1) * step + (rand() < 0.7 ? 0 : randInt(rand, 1, 3));
  }
  return strides;
}

/** The smallest offset keeping every position ≥ 0, plus some slack, and the array length needed. */
function placeView(shape: readonly number[], strides: readonly number[], rand: () => number) {
  let offset = randInt(rand, 0, 2);
  let span = 0;
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 0) continue;
    if (strides[d] < 0) offset += -strides[d] * (shape[d] - 1);
    else span += strides[d] * (shape[d] - 1);
  }
  return { offset, length: offset + span + 1 + randInt(rand, 0, 2) };
}

function viewPosition(idx: readonly number[], offset: number, strides: readonly number[]): number {
  let pos = offset;
  for (let d = 0; d < idx.length; d++) pos += idx[d] * strides[d];
  return pos;
}

describe('copyStrided', () => {
  for (const dtype of DTYPES) {
    it(`over ${dtype} reads every view like the naive loop`, () => {
      fc.assert(
        fc.property(shapeArb(0, 4), seedArb, (outShape, seed) => {
          const rand = rng(seed);
          const strides = viewStrides(outShape, rand, true);
          const { offset, length } = placeView(outShape, strides, rand);
          const x = randomArray(dtype, length, rand);
          const out = allocate(dtype, sizeOfShape(outShape)).fill(7);
          B.copyStrided(x, offset, strides, outShape, out);
          const expected = allocate(dtype, out.length);
          for (let i = 0; i < out.length; i++)
            expected[i] = x[viewPosition(unravel(i, outShape), offset, strides)];
          expectClose(out, expected);
        }),
        RUNS,
      );
    });
  }

  it('transposes, slices long rows (converting type), and expands', () => {
    const t = new Float32Array(6);
    B.copyStrided(Float32Array.of(0, 1, 2, 3, 4, 5), 0, [1, 3], [3, 2], t);
    expect(Array.from(t)).toEqual([0, 3, 1, 4, 2, 5]);

    const base = Float64Array.from({ length: 250 }, (_, i) => i + 0.25);
    const slice = new Float32Array(120);
    B.copyStrided(base, 55, [50, 1], [3, 40], slice);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 40; j++) expect(slice[i * 40 + j]).toBe(55 + i * 50 + j + 0.25);

    const wide = new Int32Array(80);
    B.copyStrided(Int32Array.of(4, 9), 0, [1, 0], [2, 40], wide);
    expect(Array.from(wide)).toEqual([...new Array(40).fill(4), ...new Array(40).fill(9)]);

    const scalar = new Float64Array(1);
    B.copyStrided(Float64Array.of(1, 2, 3), 2, [], [], scalar);
    expect(scalar[0]).toBe(3);
  });
});

describe('assignStrided', () => {
  for (const dtype of DTYPES) {
    it(`over ${dtype} writes every view like the naive loop and leaves the rest alone`, () => {
      fc.assert(
        fc.property(shapeArb(0, 4), seedArb, (srcShape, seed) => {
          const rand = rng(seed);
          const strides = viewStrides(srcShape, rand, false);
          const { offset, length } = placeView(srcShape, strides, rand);
          const src = randomArray(dtype, sizeOfShape(srcShape), rand);
          const out = randomArray(dtype, length, rand);
          const expected = out.slice();
          for (let i = 0; i < src.length; i++)
            expected[viewPosition(unravel(i, srcShape), offset, strides)] = src[i];
          B.assignStrided(src, srcShape, out, offset, strides);
          expectClose(out, expected);
        }),
        RUNS,
      );
    });
  }

  it('writes a slice of long rows into a larger matrix', () => {
    const out = new Float32Array(250).fill(-1);
    const src = Float32Array.from({ length: 120 }, (_, i) => i);
    B.assignStrided(src, [3, 40], out, 55, [50, 1]);
    for (let p = 0; p < 250; p++) {
      const r = Math.floor((p - 55) / 50);
      const c = (p - 55) % 50;
      const inside = p >= 55 && r < 3 && c >= 0 && c < 40;
      expect(out[p]).toBe(inside ? r * 40 + c : -1);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// indexSelect, indexAdd, gather, scatterAdd
// ---------------------------------------------------------------------------------------------

/** A random dim of `shape` and an index along it (with repeats), as index_select takes. */
function randomSelection(shape: readonly number[], rand: () => number) {
  const dim = randInt(rand, 0, shape.length - 1);
  const count = shape[dim] === 0 ? 0 : randInt(rand, 0, 5);
  const index = Int32Array.from({ length: count }, () => randInt(rand, 0, shape[dim] - 1));
  const selShape = shape.map((d, i) => (i === dim ? count : d));
  return { dim, index, selShape };
}

describe('indexSelect and indexAdd', () => {
  for (const dtype of DTYPES) {
    it(`indexSelect over ${dtype} matches the naive loop`, () => {
      fc.assert(
        fc.property(shapeArb(1, 4), seedArb, (shape, seed) => {
          const rand = rng(seed);
          const { dim, index, selShape } = randomSelection(shape, rand);
          const x = randomArray(dtype, sizeOfShape(shape), rand);
          const out = allocate(dtype, sizeOfShape(selShape)).fill(7);
          B.indexSelect(x, shape, dim, index, out);
          const expected = allocate(dtype, out.length);
          for (let i = 0; i < out.length; i++) {
            const idx = unravel(i, selShape);
            idx[dim] = index[idx[dim]];
            expected[i] = x[ravel(idx, shape)];
          }
          expectClose(out, expected);
        }),
        RUNS,
      );
    });

    it(`indexAdd over ${dtype} matches the naive loop, summing repeats`, () => {
      fc.assert(
        fc.property(shapeArb(1, 4), seedArb, (shape, seed) => {
          const rand = rng(seed);
          const { dim, index, selShape } = randomSelection(shape, rand);
          const src = randomArray(dtype, sizeOfShape(selShape), rand, false);
          const out = randomArray(dtype, sizeOfShape(shape), rand, false);
          const expected = out.slice();
          for (let i = 0; i < src.length; i++) {
            const idx = unravel(i, selShape);
            idx[dim] = index[idx[dim]];
            expected[ravel(idx, shape)] += src[i];
          }
          B.indexAdd(out, shape, dim, index, src);
          expectClose(out, expected);
        }),
        RUNS,
      );
    });
  }

  it('selects and adds whole rows, long and short, and handles a 0-d tensor', () => {
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    const rows = new Float32Array(6);
    B.indexSelect(x, [3, 2], 0, Int32Array.of(2, 0, 2), rows);
    expect(Array.from(rows)).toEqual([5, 6, 1, 2, 5, 6]);
    const cols = new Float32Array(3);
    B.indexSelect(x, [3, 2], 1, Int32Array.of(1), cols);
    expect(Array.from(cols)).toEqual([2, 4, 6]);

    const big = Float64Array.from({ length: 2 * 3 * 40 }, (_, i) => i);
    const picked = new Float64Array(2 * 2 * 40);
    B.indexSelect(big, [2, 3, 40], 1, Int32Array.of(2, 0), picked);
    for (let a = 0; a < 2; a++) {
      for (let j = 0; j < 40; j++) {
        expect(picked[(a * 2 + 0) * 40 + j]).toBe((a * 3 + 2) * 40 + j);
        expect(picked[(a * 2 + 1) * 40 + j]).toBe((a * 3 + 0) * 40 + j);
      }
    }

    const acc = new Float32Array(3);
    B.indexAdd(acc, [3], 0, Int32Array.of(1, 1, 2), Float32Array.of(1, 2, 3));
    expect(Array.from(acc)).toEqual([0, 3, 3]);
    const grid = new Int32Array(6);
    B.indexAdd(grid, [3, 2], 0, Int32Array.of(0, 0), Int32Array.of(1, 2, 3, 4));
    expect(Array.from(grid)).toEqual([4, 6, 0, 0, 0, 0]);

    const s = new Float32Array(1);
    B.indexSelect(Float32Array.of(8), [], 0, Int32Array.of(0), s);
    expect(s[0]).toBe(8);
  });
});

/** A random gather: dim, an index shape no larger than x's except at dim, and indices. */
function randomGather(xShape: readonly number[], rand: () => number) {
  const dim = randInt(rand, 0, xShape.length - 1);
  const indexShape = xShape.map((d, i) => {
    if (i === dim) return d === 0 ? 0 : randInt(rand, 0, 4);
    return rand() < 0.6 ? d : randInt(rand, 0, d);
  });
  const index = Int32Array.from({ length: sizeOfShape(indexShape) }, () =>
    randInt(rand, 0, xShape[dim] - 1),
  );
  return { dim, indexShape, index };
}

describe('gather and scatterAdd', () => {
  for (const dtype of DTYPES) {
    it(`gather over ${dtype} matches the naive loop`, () => {
      fc.assert(
        fc.property(shapeArb(1, 4), seedArb, (xShape, seed) => {
          const rand = rng(seed);
          const { dim, indexShape, index } = randomGather(xShape, rand);
          const x = randomArray(dtype, sizeOfShape(xShape), rand);
          const out = allocate(dtype, index.length).fill(7);
          B.gather(x, xShape, dim, index, indexShape, out);
          const expected = allocate(dtype, out.length);
          for (let i = 0; i < out.length; i++) {
            const idx = unravel(i, indexShape);
            idx[dim] = index[i];
            expected[i] = x[ravel(idx, xShape)];
          }
          expectClose(out, expected);
        }),
        RUNS,
      );
    });

    it(`scatterAdd over ${dtype} matches the naive loop, summing repeats`, () => {
      fc.assert(
        fc.property(shapeArb(1, 4), seedArb, (outShape, seed) => {
          const rand = rng(seed);
          const { dim, indexShape, index } = randomGather(outShape, rand);
          const src = randomArray(dtype, index.length, rand, false);
          const out = randomArray(dtype, sizeOfShape(outShape), rand, false);
          const expected = out.slice();
          for (let i = 0; i < src.length; i++) {
            const idx = unravel(i, indexShape);
            idx[dim] = index[i];
            expected[ravel(idx, outShape)] += src[i];
          }
          B.scatterAdd(out, outShape, dim, index, indexShape, src);
          expectClose(out, expected);
        }),
        RUNS,
      );
    });
  }

  it('gathers along either dim of a matrix, and of a 0-d tensor', () => {
    const x = Float32Array.of(1, 2, 3, 4); // [[1, 2], [3, 4]]
    const byRow = new Float32Array(2);
    B.gather(x, [2, 2], 1, Int32Array.of(1, 0), [2, 1], byRow);
    expect(Array.from(byRow)).toEqual([2, 3]);
    const byCol = new Float32Array(2);
    B.gather(x, [2, 2], 0, Int32Array.of(1, 0), [1, 2], byCol);
    expect(Array.from(byCol)).toEqual([3, 2]);
    const s = new Float32Array(1);
    B.gather(Float32Array.of(6), [], 0, Int32Array.of(0), [], s);
    expect(s[0]).toBe(6);
  });

  it('scatter-adds with repeated indices', () => {
    const out = new Float32Array(3);
    B.scatterAdd(out, [3], 0, Int32Array.of(2, 0, 2), [3], Float32Array.of(1, 2, 3));
    expect(Array.from(out)).toEqual([2, 0, 4]);
    const grid = new Float64Array(4); // [2, 2], dim 1
    B.scatterAdd(grid, [2, 2], 1, Int32Array.of(1, 1, 0, 0), [2, 2], Float64Array.of(1, 2, 3, 4));
    expect(Array.from(grid)).toEqual([0, 3, 7, 0]);
    const s = Float32Array.of(1);
    B.scatterAdd(s, [], 0, Int32Array.of(0), [], Float32Array.of(2));
    expect(s[0]).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// matmul
// ---------------------------------------------------------------------------------------------

interface MatmulCase {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
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
