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
import type { MatmulDims } from './js-helpers.js';

// The native matmul (every kernel the CPU can run) against the reference kernel.

const ODD_SIZES = [1, 3, 17, 33, 65, 127, 130];

interface Case extends MatmulDims {
  /** Operand whose batch stride is 0 (one matrix broadcast over the batch), if any. */
  broadcast: 'none' | 'a' | 'b';
  /** Extra elements between consecutive matrices of an operand. */
  gap: number;
  seed: number;
}

const sizeArb = fc.oneof(fc.constantFrom(...ODD_SIZES), fc.integer({ min: 1, max: 40 }));
const caseArb: fc.Arbitrary<Case> = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  m: sizeArb,
  n: sizeArb,
  k: sizeArb,
  transA: fc.boolean(),
  transB: fc.boolean(),
  broadcast: fc.constantFrom('none', 'a', 'b'),
  gap: fc.integer({ min: 0, max: 5 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

/**
 * Runs one case on the addon and on the reference kernel; checks every output against the
 * reference within `tol` times the sum of |products| behind it (the scale of rounding error).
 */
function check(dtype: 'float32' | 'float64', c: Case, tol: number): void {
  const { batch, m, n, k, transA, transB } = c;
  const rand = rng(c.seed);
  const aStride = c.broadcast === 'a' ? 0 : m * k + c.gap;
  const bStride = c.broadcast === 'b' ? 0 : k * n + c.gap;
  const a = randomArray(dtype, (batch - 1) * aStride + m * k, rand);
  const b = randomArray(dtype, (batch - 1) * bStride + k * n, rand);
  const out =
    dtype === 'float32' ? new Float32Array(batch * m * n) : new Float64Array(batch * m * n);
  out.fill(NaN); // overwritten, never accumulated into
  addon().matmul(a, b, out, batch, m, n, k, transA, transB, aStride, bStride);
  const expected = new Float64Array(batch * m * n);
  jsBackend.matmul(
    Float64Array.from(a),
    Float64Array.from(b),
    expected,
    batch,
    m,
    n,
    k,
    transA,
    transB,
    aStride,
    bStride,
  );
  const scale = new Float64Array(batch * m * n);
  const absA = Float64Array.from(a, Math.abs);
  const absB = Float64Array.from(b, Math.abs);
  jsBackend.matmul(absA, absB, scale, batch, m, n, k, transA, transB, aStride, bStride);
  for (let i = 0; i < out.length; i++) {
    const err = Math.abs(out[i] - expected[i]);
    if (!(err <= tol * scale[i] + 1e-30)) {
      throw new Error(
        `${dtype} matmul ${JSON.stringify(c)}: out[${i}] = ${out[i]}, reference ${expected[i]}`,
      );
    }
  }
}

describe('native matmul against the reference kernel', () => {
  const available = (): KernelName[] => {
    const cpu = addon().cpu();
    const names: KernelName[] = ['generic'];
    if (cpu.avx2 && cpu.fma) names.push('avx2');
    if (cpu.avx512f && cpu.fma) names.push('avx512');
    return names;
  };
  const best = (): KernelName => available().at(-1) ?? 'generic';
  afterAll(() => {
    if (loaded.addon !== undefined) loaded.addon.setKernel(best());
  });

  for (const kernel of ['avx512', 'avx2', 'generic'] as const) {
    for (const [dtype, tol] of [
      ['float32', 1e-4],
      ['float64', 1e-12],
    ] as const) {
      it(`${kernel} kernel, ${dtype}: transposes, batches, broadcast operands, odd sizes`, (ctx) => {
        if (!available().includes(kernel)) ctx.skip();
        addon().setKernel(kernel);
        try {
          fc.assert(
            fc.property(caseArb, (c) => check(dtype, c, tol)),
            RUNS,
          );
          // Every transpose combination at a size with edge tiles in both directions.
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              const c: Case = {
                batch: 2,
                m: 130,
                n: 65,
                k: 127,
                transA,
                transB,
                broadcast: 'none',
                gap: 3,
                seed: 7,
              };
              check(dtype, c, tol);
            }
          }
        } finally {
          addon().setKernel(best());
        }
      });
    }
  }

  it('k = 0 writes zeros; an empty output touches nothing', () => {
    const out = Float32Array.of(5, 5, 5, 5);
    addon().matmul(new Float32Array(0), new Float32Array(0), out, 1, 2, 2, 0, false, false, 0, 0);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    const untouched = Float64Array.of(9);
    addon().matmul(
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

  it('uses typed arrays in place, at their byte offsets', () => {
    const buffer = new Float32Array(16);
    const a = new Float32Array(buffer.buffer, 4, 6); // [[1, 2, 3], [4, 5, 6]]
    a.set([1, 2, 3, 4, 5, 6]);
    const b = Float32Array.of(7, 8, 9, 10, 11, 12);
    const out = new Float32Array(buffer.buffer, 40, 4);
    addon().matmul(a, b, out, 1, 2, 2, 3, false, false, 0, 0);
    expect(Array.from(out)).toEqual([58, 64, 139, 154]);
    expect(buffer[0]).toBe(0);
  });

  it('rejects mixed or unsupported dtypes and operands too short for their shapes', () => {
    const f32 = new Float32Array(4);
    const f64 = new Float64Array(4);
    expect(() => addon().matmul(f32, f64, f32, 1, 2, 2, 2, false, false, 0, 0)).toThrow(TypeError);
    const i32 = new Int32Array(4) as unknown as Float32Array;
    expect(() => addon().matmul(i32, i32, i32, 1, 2, 2, 2, false, false, 0, 0)).toThrow(TypeError);
    expect(() => addon().matmul(f32, f32, f32, 2, 2, 2, 2, false, false, 4, 4)).toThrow(RangeError);
    expect(() => addon().matmul(f32, f32, f32, 1, 2, 2, 3, false, false, 0, 0)).toThrow(RangeError);
  });

  it('a thin product (n much smaller than m) equals the transpose of the swapped product, bit for bit', () => {
    // For 128×10 the driver computes Cᵀ = op(B)ᵀ·op(A)ᵀ (fewer padded register tiles) and
    // transposes it: the same sums in the same order, so (m, n) and (n, m) agree exactly.
    const rand = rng(5);
    try {
      for (const kernel of available()) {
        addon().setKernel(kernel);
        for (const [m, n, k] of [
          [128, 10, 128],
          [130, 3, 600],
          [50, 1, 17],
        ] as const) {
          for (const dtype of DTYPES) {
            for (const transA of [false, true]) {
              for (const transB of [false, true]) {
                const a = randomArray(dtype, m * k, rand);
                const b = randomArray(dtype, k * n, rand);
                const thin = alloc(dtype, m * n);
                addon().matmul(a, b, thin, 1, m, n, k, transA, transB, 0, 0);
                const wide = alloc(dtype, m * n);
                addon().matmul(b, a, wide, 1, n, m, k, !transB, !transA, 0, 0);
                const transposed = alloc(dtype, m * n);
                for (let i = 0; i < m; i++)
                  for (let j = 0; j < n; j++) transposed[i * n + j] = wide[j * m + i];
                expect(firstDifference(thin, transposed), `${kernel} ${dtype} ${m}×${n}×${k}`).toBe(
                  -1,
                );
              }
            }
            check(
              dtype,
              { batch: 2, m, n, k, transA: false, transB: true, broadcast: 'b', gap: 0, seed: 9 },
              dtype === 'float32' ? 1e-4 : 1e-12,
            );
          }
        }
      }
    } finally {
      addon().setKernel(best());
    }
  });

  it('an operand read transposed gives, bit for bit, the product of its transpose copied', () => {
    // Packing only moves values (the vectorized transposing pack included): x·Wᵀ with W read in
    // place and x·(Wᵀ copied) run the same sums. Sizes past the pack's blocks of 8 lines × 8 steps.
    const rand = rng(6);
    const copyT = (x: Float, rows: number, cols: number, dtype: 'float32' | 'float64'): Float => {
      const t = alloc(dtype, rows * cols);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
      return t;
    };
    try {
      for (const kernel of available()) {
        addon().setKernel(kernel);
        for (const [m, n, k] of [
          [128, 256, 784],
          [13, 37, 21],
          [7, 70, 9],
        ] as const) {
          for (const dtype of DTYPES) {
            const a = randomArray(dtype, m * k, rand); // m×k, and read as (k×m)ᵀ below
            const b = randomArray(dtype, n * k, rand); // n×k: read as Bᵀ
            const inPlace = alloc(dtype, m * n);
            addon().matmul(a, b, inPlace, 1, m, n, k, false, true, 0, 0);
            const copied = alloc(dtype, m * n);
            addon().matmul(a, copyT(b, n, k, dtype), copied, 1, m, n, k, false, false, 0, 0);
            const what = `${kernel} ${dtype} ${m}×${n}×${k}`;
            expect(firstDifference(inPlace, copied), what).toBe(-1);
            const aT = copyT(a, m, k, dtype); // k×m
            addon().matmul(aT, b, copied, 1, m, n, k, true, true, 0, 0);
            expect(firstDifference(inPlace, copied), `${what} transA`).toBe(-1);
          }
        }
      }
    } finally {
      addon().setKernel(best());
    }
  });

  it('gives the same result on 1 thread and on several for large products', () => {
    const native = addon();
    const before = native.getThreads();
    const rand = rng(3);
    try {
      for (const [batch, m, n, k, transA, transB] of [
        [1, 512, 512, 512, false, false],
        [1, 100, 700, 300, true, false],
        [3, 200, 150, 260, false, true],
        // rows shared out in blocks: odd sizes, both transposes, and k deep enough for B's
        // packed slices to take several column blocks (16 MiB of them at most)
        [1, 197, 61, 700, true, true],
        [1, 600, 600, 8192, false, false],
        // slabs of columns with few rows (B's whole panels read in place), and a thin product
        // computed transposed
        [1, 20, 3000, 200, false, false],
        [1, 1000, 40, 500, false, true],
      ] as const) {
        for (const dtype of ['float32', 'float64'] as const) {
          const a = randomArray(dtype, batch * m * k, rand);
          const b = randomArray(dtype, batch * k * n, rand);
          const run = (threads: number): Float => {
            native.setThreads(threads);
            const out =
              dtype === 'float32'
                ? new Float32Array(batch * m * n)
                : new Float64Array(batch * m * n);
            native.matmul(a, b, out, batch, m, n, k, transA, transB, m * k, k * n);
            return out;
          };
          const one = run(1);
          expect(firstDifference(run(2), one)).toBe(-1);
          expect(firstDifference(run(3), one)).toBe(-1);
          if (m === 512)
            check(
              dtype,
              { batch, m, n, k, transA, transB, broadcast: 'none', gap: 0, seed: 11 },
              dtype === 'float32' ? 1e-4 : 1e-12,
            );
        }
      }
    } finally {
      native.setThreads(before);
    }
  });
});
