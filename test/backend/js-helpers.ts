/**
 * Shared by the reference kernel tests (js-*.test.ts): the backend under test, the fast-check
 * settings, a seeded generator (the native tests' too), random arrays with special values, random
 * shapes and a tolerant element-wise comparison. Index arithmetic is in multi-index.ts.
 */
import { expect } from 'vitest';
import fc from 'fast-check';
import type { BinaryKernel } from '../../src/backend/backend.js';
import { binaryFormulas } from '../../src/backend/js/binary-table.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { unaryFormulas, type UnaryFormula } from '../../src/backend/js/unary-table.js';
import { allocate, dtypeOfArray } from '../../src/tensor/dtype.js';
import type { DType, TypedArray } from '../../src/tensor/dtype.js';

// Every kernel of the reference backend is compared with a deliberately naive implementation
// written in its test file: one element at a time, through explicit multi-indices, with no strides
// and no fast paths. Random cases come from fast-check with a fixed seed; values inside a case come
// from a small seeded generator so a failing case can be replayed from its printed arguments.

export const B = jsBackend;
export const RUNS = { seed: 42, numRuns: 100 };

/** A small seeded generator (mulberry32) returning numbers in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

export const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5];

/**
 * Random values: int32 gets integers in [-5, 5] and, with `specials`, some from the whole int32
 * range (so products overflow); floats get special values (NaN, ±Inf, ±0) with `specials`, small
 * integers (so ties and equalities happen) and uniform values in [-3, 3).
 */
export function randomArray(
  dtype: DType,
  n: number,
  rand: () => number,
  specials = true,
): TypedArray {
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (dtype === 'bool') out[i] = r < 0.5 ? 0 : 1;
    else if (dtype === 'int32') {
      out[i] = specials && r < 0.1 ? randInt(rand, -(2 ** 31), 2 ** 31 - 1) : randInt(rand, -5, 5);
    } else if (specials && r < 0.15) out[i] = SPECIALS[randInt(rand, 0, SPECIALS.length - 1)];
    else if (r < 0.5) out[i] = randInt(rand, -4, 4);
    else out[i] = -3 + 6 * rand();
  }
  return out;
}

export function defaultTolerance(dtype: DType): { rtol: number; atol: number } {
  if (dtype === 'int32') return { rtol: 0, atol: 0 };
  if (dtype === 'float32') return { rtol: 1e-6, atol: 1e-7 };
  return { rtol: 1e-12, atol: 1e-14 };
}

/** Element-wise comparison: same type and length; NaN matches NaN; ints exact. */
export function expectClose(
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

export const dimArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: fc.constant(0) },
);
export const shapeArb = (minLength = 0, maxLength = 4) =>
  fc.array(dimArb, { minLength, maxLength });
export const seedArb = fc.integer({ min: 0, max: 0x7fffffff });

/**
 * Checks `check` with fast-check (`RUNS`) on random shapes of rank `minRank` to 4, each with a
 * seeded generator for the values inside the case.
 */
export function forAllShapes(
  minRank: number,
  check: (shape: number[], rand: () => number) => void,
): void {
  fc.assert(
    fc.property(shapeArb(minRank, 4), seedArb, (shape, seed) => check(shape, rng(seed))),
    RUNS,
  );
}

/** A shape that broadcasts to `outShape`: the same, a single element, or with dims set to 1 / dropped. */
export function operandShape(outShape: readonly number[], rand: () => number): number[] {
  const r = rand();
  if (r < 0.3) return [...outShape];
  if (r < 0.45) return rand() < 0.5 ? [] : outShape.map(() => 1);
  const drop = rand() < 0.3 ? randInt(rand, 0, outShape.length) : 0;
  return outShape.slice(drop).map((d) => (rand() < 0.35 ? 1 : d));
}

/** Every unary kernel but `cast`: the formulas of the table, so that a new one is tested here. */
export const UNARY_OPS = Object.keys(unaryFormulas) as UnaryFormula[];

/** Every binary kernel: the formulas of the table, so that a new one is tested here. */
export const BINARY_OPS = Object.keys(binaryFormulas) as BinaryKernel[];

/** The sizes and layouts of a batched product, as `Backend.matmul` takes them (matmul tests). */
export interface MatmulDims {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}
