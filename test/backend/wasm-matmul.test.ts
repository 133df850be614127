import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import { ready } from '../../src/backend/index.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { wasmBackend } from '../../src/backend/wasm/index.js';
import { wasmError, wasmModuleKernels } from '../../src/node/wasm.js';
import { alloc, randomArray, rng, RUNS } from './native-helpers.js';
import type { MatmulDims } from './js-helpers.js';

// The wasm products (wasm/gemm.cc through src/backend/wasm) against the reference kernel, on
// random shapes: transposes, batches, broadcast operands, gaps between matrices, both float types.

/** The wasm backend with no size threshold: every product runs in the module. */
function wasm(): Backend {
  const kernels = wasmModuleKernels();
  if (kernels === undefined) throw new Error(`the wasm module did not load: ${wasmError()}`);
  return wasmBackend(kernels, { minMatmulWork: 0, minElements: 0 });
}

interface Case extends MatmulDims {
  kernel: 'matmul' | 'matmulSum';
  broadcast: 'none' | 'a' | 'b';
  gap: number;
  seed: number;
}

const sizeArb = fc.oneof(fc.constantFrom(1, 3, 4, 8, 17, 33, 130), fc.integer({ min: 1, max: 40 }));
const caseArb: fc.Arbitrary<Case> = fc.record({
  kernel: fc.constantFrom('matmul', 'matmulSum'),
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
 * One case on wasm and on the reference kernel (in float64): every output within `tol` times
 * the sum of |products| behind it, the scale of the rounding error.
 */
function check(backend: Backend, dtype: 'float32' | 'float64', c: Case, tol: number): void {
  const { kernel, batch, m, n, k, transA, transB } = c;
  const rand = rng(c.seed);
  const aStride = c.broadcast === 'a' ? 0 : m * k + c.gap;
  const bStride = c.broadcast === 'b' ? 0 : k * n + c.gap;
  const a = randomArray(dtype, (batch - 1) * aStride + m * k, rand);
  const b = randomArray(dtype, (batch - 1) * bStride + k * n, rand);
  const size = (kernel === 'matmul' ? batch : 1) * m * n;
  const out = alloc(dtype, size).fill(NaN); // overwritten, never accumulated into
  const args = [batch, m, n, k, transA, transB, aStride, bStride] as const;
  backend[kernel](a, b, out, ...args);
  const expected = new Float64Array(size);
  jsBackend[kernel](Float64Array.from(a), Float64Array.from(b), expected, ...args);
  const scale = new Float64Array(size);
  const abs = (x: Float32Array | Float64Array) => Float64Array.from(x, Math.abs);
  jsBackend[kernel](abs(a), abs(b), scale, ...args);
  for (let i = 0; i < size; i++) {
    const err = Math.abs(out[i] - expected[i]);
    if (!(err <= tol * scale[i] + 1e-30))
      throw new Error(
        `${dtype} ${JSON.stringify(c)}: out[${i}] = ${out[i]}, reference ${expected[i]}`,
      );
  }
}

describe('wasm matmul and matmulSum against the reference kernel', () => {
  for (const [dtype, tol] of [
    ['float32', 1e-5],
    ['float64', 1e-13],
  ] as const) {
    it(`${dtype}: transposes, batches, broadcast operands, odd sizes`, () => {
      const backend = wasm();
      fc.assert(
        fc.property(caseArb, (c) => check(backend, dtype, c, tol)),
        RUNS,
      );
      // Larger than one k slice (256) and one block of rows (120), every transpose.
      for (const kernel of ['matmul', 'matmulSum'] as const)
        for (const transA of [false, true])
          for (const transB of [false, true]) {
            const c: Case = {
              kernel,
              batch: 2,
              m: 130,
              n: 70,
              k: 600,
              transA,
              transB,
              broadcast: 'none',
              gap: 3,
              seed: 7,
            };
            check(backend, dtype, c, tol);
          }
    });
  }

  it('a thin product equals the transpose of the swapped product, bit for bit', () => {
    // For 128×10 the driver computes Cᵀ = op(B)ᵀ·op(A)ᵀ and transposes it: the same sums.
    const backend = wasm();
    const rand = rng(5);
    for (const dtype of ['float32', 'float64'] as const) {
      const [m, n, k] = [128, 10, 300];
      const a = randomArray(dtype, m * k, rand);
      const b = randomArray(dtype, k * n, rand);
      const thin = alloc(dtype, m * n);
      backend.matmul(a, b, thin, 1, m, n, k, false, false, 0, 0);
      const wide = alloc(dtype, m * n);
      backend.matmul(b, a, wide, 1, n, m, k, true, true, 0, 0);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) expect(thin[i * n + j]).toBe(wide[j * m + i]);
    }
  });

  it('k = 0 writes zeros; other dtypes and small products go to the reference kernel', () => {
    const backend = wasm();
    const out = Float32Array.of(5, 5, 5, 5);
    backend.matmul(new Float32Array(0), new Float32Array(0), out, 1, 2, 2, 0, false, false, 0, 0);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    const i32 = new Int32Array(4);
    backend.matmul(
      Int32Array.of(1, 2, 3, 4),
      Int32Array.of(1, 0, 0, 1),
      i32,
      1,
      2,
      2,
      2,
      false,
      false,
      0,
      0,
    );
    expect(Array.from(i32)).toEqual([1, 2, 3, 4]);
  });

  it('grows its memory for large operands and keeps working after', () => {
    const backend = wasm();
    const [m, n, k] = [300, 300, 700];
    const a = new Float32Array(m * k).fill(1);
    const b = new Float32Array(k * n).fill(0.5);
    const out = new Float32Array(m * n);
    backend.matmul(a, b, out, 1, m, n, k, false, false, 0, 0);
    expect(out.every((x) => x === 350)).toBe(true);
    const small = new Float64Array(4);
    backend.matmul(
      Float64Array.of(1, 2, 3, 4),
      Float64Array.of(5, 6, 7, 8),
      small,
      1,
      2,
      2,
      2,
      false,
      false,
      0,
      0,
    );
    expect(Array.from(small)).toEqual([19, 22, 43, 50]);
  });

  it('ready() resolves at once in Node, with the active backend', async () => {
    await expect(ready()).resolves.toBe('js');
  });
});
