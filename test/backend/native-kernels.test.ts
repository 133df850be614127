import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsBackend } from '../../src/backend/js/index.js';
import type { AdagradStep, AdamStep, RMSpropStep, SGDStep } from '../../src/backend/backend.js';
import type { NativeAddon } from '../../src/node/native.js';

// The native addon (native/, built by `npm install` through scripts/build-native.mjs) is compared
// with the reference TypeScript kernels on random inputs from fast-check with a fixed seed. CI
// builds the addon in `npm ci`, so a missing addon is a failure here, not a skip.

type Float = Float32Array | Float64Array;
type KernelName = 'avx512' | 'avx2' | 'generic';
type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'tanhGrad' | 'sigmoidGrad' | 'reluGrad';
const BINARY_OPS: readonly BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'tanhGrad',
  'sigmoidGrad',
  'reluGrad',
];

// NABLA_TEST_ADDON tests another build of the addon (an absolute path), e.g. while tuning it.
const ADDON_PATH =
  process.env.NABLA_TEST_ADDON ??
  fileURLToPath(new URL('../../build/Release/nabla_native.node', import.meta.url));

function load(): { addon?: NativeAddon; error?: string } {
  if (!existsSync(ADDON_PATH)) {
    return {
      error:
        `the native build failed: ${ADDON_PATH} does not exist ` +
        '(run `node scripts/build-native.mjs` to see why)',
    };
  }
  try {
    return { addon: createRequire(import.meta.url)(ADDON_PATH) };
  } catch (e) {
    return { error: `the native build failed: the addon does not load (${String(e)})` };
  }
}

const loaded = load();

/** The addon, or a failure that says the native build failed. */
function addon(): NativeAddon {
  if (loaded.addon === undefined) throw new Error(loaded.error);
  return loaded.addon;
}

const RUNS = { seed: 42, numRuns: 40 };
const ODD_SIZES = [1, 3, 17, 33, 65, 127, 130];

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

function randomArray(dtype: 'float32' | 'float64', n: number, rand: () => number): Float {
  const x = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 4 * rand() - 2;
  return x;
}

interface Case {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
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

/** Index of the first element where x and y differ (NaN equals NaN), or -1. */
function firstDifference(x: Float, y: Float): number {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

describe('native addon', () => {
  it('was built and loads', () => {
    expect(loaded.error).toBeUndefined();
    expect(typeof addon().matmul).toBe('function');
  });

  it('cpu() reports the features and the kernel chosen from them', () => {
    const cpu = addon().cpu();
    expect(['avx512', 'avx2', 'generic']).toContain(cpu.kernel);
    for (const key of ['avx512f', 'avx2', 'fma'] as const) expect(typeof cpu[key]).toBe('boolean');
    expect(cpu.threads).toBe(addon().getThreads());
    const best: KernelName =
      cpu.avx512f && cpu.fma ? 'avx512' : cpu.avx2 && cpu.fma ? 'avx2' : 'generic';
    expect(cpu.kernel).toBe(best);
  });

  it('setThreads/getThreads change the pool size and reject bad counts', () => {
    const native = addon();
    const before = native.getThreads();
    expect(before).toBeGreaterThanOrEqual(1);
    try {
      for (const n of [1, 3, 2]) {
        native.setThreads(n);
        expect(native.getThreads()).toBe(n);
        expect(native.cpu().threads).toBe(n);
      }
      expect(() => native.setThreads(0)).toThrow(RangeError);
      expect(() => native.setThreads(1.5)).toThrow(RangeError);
    } finally {
      native.setThreads(before);
    }
  });
});

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

  it('gives the same result on 1 thread and on several for large products', () => {
    const native = addon();
    const before = native.getThreads();
    const rand = rng(3);
    try {
      for (const [batch, m, n, k, transA, transB] of [
        [1, 512, 512, 512, false, false],
        [1, 100, 700, 300, true, false],
        [3, 200, 150, 260, false, true],
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

const DTYPES = ['float32', 'float64'] as const;

function alloc(dtype: 'float32' | 'float64', n: number): Float {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** Checks got against want element by element: |got − want| ≤ tol·|want| (NaN matches NaN). */
function expectClose(what: string, got: Float, want: Float, tol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const ok =
      Object.is(got[i], want[i]) ||
      (Number.isNaN(got[i]) && Number.isNaN(want[i])) ||
      Math.abs(got[i] - want[i]) <= tol * Math.abs(want[i]);
    if (!ok) throw new Error(`${what}: element ${i} is ${got[i]}, reference ${want[i]}`);
  }
}

describe('native element-wise kernels and reductions against the reference kernels', () => {
  const lengthArb = fc.oneof(fc.integer({ min: 0, max: 70 }), fc.constant(40_000));
  const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

  for (const dtype of DTYPES) {
    for (const op of ['tanh', 'exp', 'relu', 'sigmoid'] as const) {
      it(`unary ${op}, ${dtype}`, () => {
        fc.assert(
          fc.property(lengthArb, seedArb, (n, seed) => {
            const rand = rng(seed);
            const x = alloc(dtype, n).map(() => 30 * rand() - 15);
            if (n > 3) x.set([NaN, 0, -0], 0);
            const got = alloc(dtype, n);
            const want = alloc(dtype, n);
            addon().unary(op, x, got);
            jsBackend.unary(op, x, want);
            expectClose(`${op} ${dtype}`, got, want, dtype === 'float32' ? 1e-7 : 1e-15);
          }),
          RUNS,
        );
      });
    }
    for (const op of BINARY_OPS) {
      it(`binarySame ${op}, ${dtype}: bit-identical`, () => {
        fc.assert(
          fc.property(lengthArb, seedArb, (n, seed) => {
            const rand = rng(seed);
            const a = alloc(dtype, n).map(() => 4 * rand() - 2);
            const b = alloc(dtype, n).map(() => 4 * rand() - 2);
            if (n > 4) {
              a.set([-0, NaN, Infinity, 0, 1], 0);
              b.set([1, 1, -0, NaN, 0], 0);
            }
            const got = alloc(dtype, n);
            const want = alloc(dtype, n);
            addon().binarySame(op, a, b, got);
            jsBackend.binary(op, a, [1], b, [1], want, [n]);
            expect(firstDifference(got, want)).toBe(-1);
          }),
          RUNS,
        );
      });
      it(`binaryRow ${op}, ${dtype}: a row broadcast over the rows, bit-identical, in place too`, () => {
        const dimArb = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(128, 700));
        fc.assert(
          fc.property(dimArb, dimArb, seedArb, (rows, cols, seed) => {
            const rand = rng(seed);
            const a = alloc(dtype, rows * cols).map(() => 4 * rand() - 2);
            const b = alloc(dtype, cols).map(() => 4 * rand() - 2);
            if (cols > 3) b.set([-0, NaN, 0], 0);
            const got = alloc(dtype, rows * cols);
            const want = alloc(dtype, rows * cols);
            addon().binaryRow(op, a, b, got, rows, cols);
            jsBackend.binary(op, a, [cols, 1], b, [0, 1], want, [rows, cols]);
            expect(firstDifference(got, want)).toBe(-1);
            addon().binaryRow(op, a, b, a, rows, cols); // out = a
            expect(firstDifference(a, want)).toBe(-1);
          }),
          { ...RUNS, numRuns: 30 },
        );
      });
    }
    it(`binaryRow rejects bad ops, mixed types and short arrays, ${dtype}`, () => {
      const x = alloc(dtype, 6);
      const other = dtype === 'float32' ? new Float64Array(6) : new Float32Array(6);
      expect(() => addon().binaryRow('pow' as BinaryOp, x, x, x, 2, 3)).toThrow(TypeError);
      expect(() => addon().binaryRow('add', x, other, x, 2, 3)).toThrow(TypeError);
      expect(() => addon().binaryRow('add', x, x, x, 3, 3)).toThrow(RangeError);
      expect(() => addon().binaryRow('add', x, alloc(dtype, 2), x, 2, 3)).toThrow(RangeError);
    });
    it(`sumRows, sumAxis0 and logSoftmaxRows, ${dtype}`, () => {
      const dimArb = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(700));
      fc.assert(
        fc.property(dimArb, dimArb, seedArb, (rows, cols, seed) => {
          const rand = rng(seed);
          const x = alloc(dtype, rows * cols).map(() => 20 * rand() - 10);
          const tol = dtype === 'float32' ? 1e-5 : 1e-12;
          const rowSums = [alloc(dtype, rows), alloc(dtype, rows)];
          addon().sumRows(x, rows, cols, rowSums[0]);
          jsBackend.reduce('sum', x, [rows, cols], [1], rowSums[1]);
          const colSums = [alloc(dtype, cols), alloc(dtype, cols)];
          addon().sumAxis0(x, rows, cols, colSums[0]);
          jsBackend.reduce('sum', x, [rows, cols], [0], colSums[1]);
          // Sums of values in [-10, 10] may cancel: compare with the scale of the terms.
          const pairs: [Float, Float, number][] = [
            [rowSums[0], rowSums[1], cols],
            [colSums[0], colSums[1], rows],
          ];
          for (const [got, want, n] of pairs) {
            let worst = 0;
            for (let i = 0; i < got.length; i++)
              worst = Math.max(worst, Math.abs(got[i] - want[i]));
            expect(worst).toBeLessThanOrEqual(tol * 10 * n);
          }
          const lsm = [alloc(dtype, rows * cols), alloc(dtype, rows * cols)];
          addon().logSoftmaxRows(x, rows, cols, lsm[0]);
          jsBackend.logSoftmax(x, rows, cols, 1, lsm[1]);
          let worst = 0;
          for (let i = 0; i < lsm[0].length; i++)
            worst = Math.max(worst, Math.abs(lsm[0][i] - lsm[1][i]));
          expect(worst).toBeLessThanOrEqual(tol * 30);
        }),
        { ...RUNS, numRuns: 30 },
      );
    });
  }
});

describe('native optimizer steps against the reference steps, bit for bit', () => {
  const STEPS = 4;
  const N = 1000;
  const B = jsBackend;

  /**
   * Runs `steps` updates natively and on the reference backend from the same random parameter,
   * gradients and (zeroed) state buffers, then checks that every array is bit-identical.
   */
  function compare(
    dtype: 'float32' | 'float64',
    buffers: number,
    step: (impl: 'native' | 'js', w: Float, g: Float, bufs: Float[], t: number) => void,
  ): void {
    const rand = rng(17);
    const w0 = alloc(dtype, N).map(() => 2 * rand() - 1);
    const grads = Array.from({ length: STEPS }, () => alloc(dtype, N).map(() => rand() - 0.5));
    const run = (impl: 'native' | 'js'): Float[] => {
      const w = w0.slice();
      const bufs = Array.from({ length: buffers }, () => alloc(dtype, N));
      grads.forEach((g, t) => step(impl, w, g, bufs, t + 1));
      return [w, ...bufs];
    };
    const native = run('native');
    const js = run('js');
    native.forEach((x, i) => expect(firstDifference(x, js[i]), `array ${i}`).toBe(-1));
  }

  for (const dtype of DTYPES) {
    for (const o of [
      { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false },
      { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0.01, maximize: true },
      { momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false },
      { momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 1e-3, maximize: false },
      { momentum: 0.8, dampening: 0, nesterov: true, weightDecay: 1e-2, maximize: true },
    ]) {
      it(`sgdStep, ${dtype}, ${JSON.stringify(o)}`, () => {
        compare(dtype, 1, (impl, w, g, [buf], t) => {
          const h: SGDStep = { lr: 0.05, ...o, first: o.momentum !== 0 && t === 1 };
          const b = o.momentum === 0 ? null : buf;
          if (impl === 'native') addon().sgdStep(w, g, b, h);
          else B.sgdStep(w, g, b, h);
        });
      });
    }
    for (const o of [
      { decoupled: false, weightDecay: 0, amsgrad: false, maximize: false },
      { decoupled: false, weightDecay: 0, amsgrad: false, maximize: false, beta1: 0.3 },
      { decoupled: false, weightDecay: 0.01, amsgrad: true, maximize: false },
      { decoupled: true, weightDecay: 0.01, amsgrad: false, maximize: true },
    ]) {
      it(`adamStep, ${dtype}, ${JSON.stringify(o)}`, () => {
        const [lr, beta2, eps] = [0.01, 0.999, 1e-8];
        // β1 = 0.3: the other form of lerp (weight 1 − β1 ≥ 0.5) in the vectorized plain loop
        const beta1 = o.beta1 ?? 0.9;
        compare(dtype, 3, (impl, w, g, [m, v, vmax], t) => {
          const h: AdamStep = {
            beta1,
            beta2,
            eps,
            stepSize: lr / (1 - beta1 ** t),
            bc2Sqrt: Math.sqrt(1 - beta2 ** t),
            decay: o.decoupled ? 1 - lr * o.weightDecay : 1,
            l2: o.decoupled ? 0 : o.weightDecay,
            maximize: o.maximize,
          };
          const max = o.amsgrad ? vmax : null;
          if (impl === 'native') addon().adamStep(w, g, m, v, max, h);
          else B.adamStep(w, g, m, v, max, h);
        });
      });
    }
    it(`adagradStep, ${dtype}`, () => {
      compare(dtype, 1, (impl, w, g, [sum], t) => {
        const h: AdagradStep = {
          clr: 0.1 / (1 + (t - 1) * 0.01),
          weightDecay: 0.01,
          eps: 1e-10,
          maximize: t === 2,
        };
        if (impl === 'native') addon().adagradStep(w, g, sum, h);
        else B.adagradStep(w, g, sum, h);
      });
    });
    for (const o of [
      { momentum: 0, centered: false },
      { momentum: 0.9, centered: false },
      { momentum: 0.5, centered: true },
    ]) {
      it(`rmspropStep, ${dtype}, ${JSON.stringify(o)}`, () => {
        compare(dtype, 3, (impl, w, g, [v, buf, avg], t) => {
          const h: RMSpropStep = {
            lr: 0.01,
            alpha: 0.99,
            eps: 1e-8,
            weightDecay: 1e-3,
            momentum: o.momentum,
            maximize: t === 3,
          };
          const b = o.momentum === 0 ? null : buf;
          const a = o.centered ? avg : null;
          if (impl === 'native') addon().rmspropStep(w, g, v, b, a, h);
          else B.rmspropStep(w, g, v, b, a, h);
        });
      });
    }
  }

  it('rejects state buffers of another type or too short', () => {
    const h: SGDStep = {
      lr: 0.1,
      momentum: 0.9,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: false,
      first: true,
    };
    const w = new Float32Array(4);
    expect(() => addon().sgdStep(w, w, new Float64Array(4), h)).toThrow(TypeError);
    expect(() => addon().sgdStep(w, w, new Float32Array(3), h)).toThrow(RangeError);
    expect(() => addon().sgdStep(w, w, null, { ...h, lr: 'x' } as unknown as SGDStep)).toThrow(
      TypeError,
    );
  });
});
