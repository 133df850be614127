import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsBackend } from '../../src/backend/js/index.js';
import {
  addon,
  alloc,
  DTYPES,
  type Float,
  firstDifference,
  type KernelName,
  loaded,
  randomArray,
  rng,
  RUNS,
} from './native-helpers.js';

// matmulSum (the batch's products summed: a convolution's weight gradient) on the addon against
// the reference kernel, and the register tile choice of the packed GEMM (bit for bit).

interface SumCase {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  /** Operand whose batch stride is 0 (one matrix for every sample), if any. */
  broadcast: 'none' | 'a' | 'b';
  /** Extra elements between consecutive matrices of an operand. */
  gap: number;
  seed: number;
}

const sizeArb = fc.oneof(
  fc.constantFrom(1, 3, 6, 16, 25, 33, 100),
  fc.integer({ min: 1, max: 40 }),
);
const caseArb: fc.Arbitrary<SumCase> = fc.record({
  batch: fc.integer({ min: 1, max: 5 }),
  m: sizeArb,
  n: sizeArb,
  k: fc.oneof(sizeArb, fc.constant(0)),
  transA: fc.boolean(),
  transB: fc.boolean(),
  broadcast: fc.constantFrom('none', 'a', 'b'),
  gap: fc.integer({ min: 0, max: 5 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

/** The operands of a case (random), and their batch strides. */
function operands(dtype: 'float32' | 'float64', c: SumCase) {
  const rand = rng(c.seed);
  const aStride = c.broadcast === 'a' ? 0 : c.m * c.k + c.gap;
  const bStride = c.broadcast === 'b' ? 0 : c.k * c.n + c.gap;
  const a = randomArray(dtype, Math.max(0, (c.batch - 1) * aStride + c.m * c.k), rand);
  const b = randomArray(dtype, Math.max(0, (c.batch - 1) * bStride + c.k * c.n), rand);
  return { a, b, aStride, bStride };
}

/**
 * The addon's matmulSum against the reference within `tol` times the sum of |products| behind
 * each output (the scale of rounding error), and against the reference's own definition: the
 * reference matmul's products summed in doubles.
 */
function check(dtype: 'float32' | 'float64', c: SumCase, tol: number): void {
  const { batch, m, n, k, transA, transB } = c;
  const { a, b, aStride, bStride } = operands(dtype, c);
  const args = [batch, m, n, k, transA, transB, aStride, bStride] as const;
  const out = alloc(dtype, m * n).fill(NaN); // overwritten, never accumulated into
  addon().matmulSum(a, b, out, ...args);
  const [a64, b64] = [Float64Array.from(a), Float64Array.from(b)];
  const expected = new Float64Array(m * n);
  jsBackend.matmulSum(a64, b64, expected, ...args);
  const scale = new Float64Array(m * n);
  jsBackend.matmulSum(a64.map(Math.abs), b64.map(Math.abs), scale, ...args);
  const products = new Float64Array(Math.max(1, batch) * m * n);
  jsBackend.matmul(a64, b64, products, ...args);
  for (let i = 0; i < m * n; i++) {
    let sum = 0;
    for (let t = 0; t < batch; t++) sum += k === 0 ? 0 : products[t * m * n + i];
    const err = Math.abs(out[i] - expected[i]);
    if (!(err <= tol * scale[i] + 1e-30) || Math.abs(expected[i] - sum) > 1e-12 * scale[i])
      throw new Error(
        `${dtype} matmulSum ${JSON.stringify(c)}: out[${i}] = ${out[i]}, reference ${expected[i]}`,
      );
  }
}

const available = (): KernelName[] => {
  const cpu = addon().cpu();
  const names: KernelName[] = ['generic'];
  if (cpu.avx2 && cpu.fma) names.push('avx2');
  if (cpu.avx512f && cpu.fma) names.push('avx512');
  return names;
};
const best = (): KernelName => available().at(-1) ?? 'generic';

/** Runs `body` once per kernel set the CPU has, then restores the best one. */
function eachKernel(body: (kernel: KernelName) => void): void {
  try {
    for (const kernel of available()) {
      addon().setKernel(kernel);
      body(kernel);
    }
  } finally {
    addon().setKernel(best());
  }
}

/** Runs `body` on `threads` threads, then restores the count. */
function onThreads<T>(threads: number, body: () => T): T {
  const before = addon().getThreads();
  addon().setThreads(threads);
  try {
    return body();
  } finally {
    addon().setThreads(before);
  }
}

const TOL = { float32: 1e-4, float64: 1e-12 } as const;

describe('native matmulSum against the reference kernel', () => {
  afterAll(() => {
    if (loaded.addon !== undefined) loaded.addon.setKernel(best());
  });

  it('the reference sums the products of matmul: [1, 2]·[3, 4]ᵀ + [5, 6]·[7, 8]ᵀ = 94', () => {
    const out = new Float32Array(1);
    const [a, b] = [Float32Array.of(1, 2, 5, 6), Float32Array.of(3, 4, 7, 8)];
    jsBackend.matmulSum(a, b, out, 2, 1, 1, 2, false, true, 2, 2);
    expect(out[0]).toBe(94);
    addon().matmulSum(a, b, out, 2, 1, 1, 2, false, true, 2, 2);
    expect(out[0]).toBe(94);
  });

  for (const dtype of DTYPES) {
    it(`${dtype}: random shapes, transposes, broadcast operands, batch 1, k = 0, every kernel set`, () => {
      eachKernel(() => {
        fc.assert(
          fc.property(caseArb, (c) => check(dtype, c, TOL[dtype])),
          RUNS,
        );
        // The convolution weight gradients of LeNet-5 (the dot kernel and the packed path), and
        // every transpose combination with edge tiles in both directions.
        const lenet: [number, number, number, number][] = [
          [13, 6, 25, 784],
          [17, 16, 150, 100],
          [3, 7, 9, 17],
        ];
        for (const [batch, m, n, k] of lenet)
          check(
            dtype,
            { batch, m, n, k, transA: false, transB: true, broadcast: 'none', gap: 0, seed: 1 },
            TOL[dtype],
          );
        for (const transA of [false, true])
          for (const transB of [false, true])
            check(
              dtype,
              {
                batch: 3,
                m: 130,
                n: 65,
                k: 127,
                transA,
                transB,
                broadcast: 'none',
                gap: 3,
                seed: 2,
              },
              TOL[dtype],
            );
      });
    });
  }

  it('batch 0 and k = 0 write zeros; an empty output touches nothing', () => {
    const out = Float32Array.of(5, 5, 5, 5);
    addon().matmulSum(
      new Float32Array(4),
      new Float32Array(4),
      out,
      0,
      2,
      2,
      1,
      false,
      false,
      1,
      1,
    );
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    out.fill(5);
    addon().matmulSum(new Float32Array(0), new Float32Array(0), out, 3, 2, 2, 0, false, true, 0, 0);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    const untouched = Float64Array.of(9);
    addon().matmulSum(
      new Float64Array(3),
      new Float64Array(0),
      untouched,
      1,
      3,
      0,
      1,
      false,
      false,
      0,
      0,
    );
    expect(untouched[0]).toBe(9);
  });

  it('rejects mixed dtypes, an output shorter than m×n and operands too short for the batch', () => {
    const f32 = new Float32Array(8);
    const f64 = new Float64Array(8);
    expect(() => addon().matmulSum(f32, f64, f32, 1, 2, 2, 2, false, false, 0, 0)).toThrow(
      TypeError,
    );
    expect(() =>
      addon().matmulSum(f32, f32, f32.subarray(0, 3), 1, 2, 2, 2, false, false, 0, 0),
    ).toThrow(/out has 3 elements, needs 4/);
    expect(() => addon().matmulSum(f32, f32, f32, 3, 2, 2, 2, false, false, 4, 4)).toThrow(
      RangeError,
    );
    // out is m×n, not batch×m×n: a 4-element output is enough for a batch of 2
    addon().matmulSum(f32, f32, f32.subarray(0, 4), 2, 2, 2, 2, false, false, 4, 4);
  });

  it('gives the same bits on 1, 2 and 3 threads', () => {
    const rand = rng(3);
    for (const [batch, m, n, k, transA, transB] of [
      [13, 6, 25, 784, false, true],
      [17, 16, 150, 100, false, true],
      [4, 120, 90, 300, true, false],
      [2, 40, 300, 200, false, false],
      [3, 200, 64, 1500, false, false],
    ] as const) {
      for (const dtype of DTYPES) {
        const a = randomArray(dtype, batch * m * k, rand);
        const b = randomArray(dtype, batch * k * n, rand);
        const run = (threads: number): Float =>
          onThreads(threads, () => {
            const out = alloc(dtype, m * n);
            addon().matmulSum(a, b, out, batch, m, n, k, transA, transB, m * k, k * n);
            return out;
          });
        const one = run(1);
        expect(firstDifference(run(2), one), `${dtype} ${batch}×${m}×${n}×${k}`).toBe(-1);
        expect(firstDifference(run(3), one), `${dtype} ${batch}×${m}×${n}×${k}`).toBe(-1);
      }
    }
  });
});

describe('the register tile of the packed GEMM', () => {
  it('rows 0..m of a product equal, bit for bit, the first m rows of a 30-row product (m = 1…30)', () => {
    // Each m picks its own tile height (4, 6, 8 or 12 rows with AVX-512): every element is the
    // same sum in the same order whichever tile computes it, on any number of threads.
    const rand = rng(8);
    eachKernel((kernel) => {
      for (const dtype of DTYPES) {
        for (const [n, k, transB] of [
          [100, 150, false],
          [784, 25, false],
          [150, 600, true],
        ] as const) {
          const a = randomArray(dtype, 30 * k, rand);
          const b = randomArray(dtype, k * n, rand);
          const full = alloc(dtype, 30 * n);
          addon().matmul(a, b, full, 1, 30, n, k, false, transB, 0, 0);
          for (let m = 1; m <= 30; m++) {
            for (const threads of [1, 2]) {
              const out = onThreads(threads, () => {
                const o = alloc(dtype, m * n);
                addon().matmul(a, b, o, 1, m, n, k, false, transB, 0, 0);
                return o;
              });
              const what = `${kernel} ${dtype} m ${m} n ${n} k ${k} on ${threads}`;
              expect(firstDifference(out, full.subarray(0, m * n) as Float), what).toBe(-1);
            }
          }
          const expected = new Float64Array(30 * n);
          jsBackend.matmul(
            Float64Array.from(a),
            Float64Array.from(b),
            expected,
            1,
            30,
            n,
            k,
            false,
            transB,
            0,
            0,
          );
          let worst = 0;
          for (let i = 0; i < full.length; i++)
            worst = Math.max(worst, Math.abs(full[i] - expected[i]));
          expect(worst).toBeLessThanOrEqual(TOL[dtype] * k * 4);
        }
      }
    });
  });

  it('columns 0..n of a product equal, bit for bit, those of a 128-column product (half-width last panel)', () => {
    // A last panel of at most nr/2 columns is computed by a tile half as wide: the same sums.
    const rand = rng(9);
    eachKernel((kernel) => {
      for (const dtype of DTYPES) {
        const [m, k, wide] = [37, 150, 128];
        const a = randomArray(dtype, m * k, rand);
        const b = randomArray(dtype, wide * k, rand); // B stored n×k: its first n rows are a product's B
        const full = alloc(dtype, m * wide);
        addon().matmul(a, b, full, 1, m, wide, k, false, true, 0, 0);
        for (const n of [1, 4, 10, 16, 20, 40, 100, 112, 127]) {
          const out = alloc(dtype, m * n);
          addon().matmul(a, b, out, 1, m, n, k, false, true, 0, 0);
          const same = alloc(dtype, m * n);
          for (let i = 0; i < m; i++) same.set(full.subarray(i * wide, i * wide + n), i * n);
          expect(firstDifference(out, same), `${kernel} ${dtype} n ${n}`).toBe(-1);
        }
      }
    });
  });
});
