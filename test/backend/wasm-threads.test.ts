/**
 * The wasm backend's threads in Node (worker_threads over one shared memory): a product has the
 * same bits on 1, 2 and 3 threads — and as on the unshared, single-threaded instance a page
 * without cross-origin isolation gets — for every transpose, batch and awkward shape; the
 * workers take part; they leave when the count drops; and a process whose workers are idle exits.
 */
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MatmulDims } from './js-helpers.js';
import { moduleMemory, unsharedBytes } from '../../src/backend/wasm/memory.js';
import { wasmKernels, type WasmKernels } from '../../src/backend/wasm/module.js';
import {
  getWasmThreads,
  setWasmThreads,
  WASM_THREADED_UPDATE,
  WASM_THREADED_WORK,
} from '../../src/backend/wasm/thread-count.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { wasmApi } from '../../src/backend/wasm/webassembly.js';
import { nodeKernels, WASM_MODULE_PATH } from '../../src/node/wasm.js';

const repo = join(import.meta.dirname, '..', '..');
const api = wasmApi()!;
const bytes = readFileSync(WASM_MODULE_PATH);
const threaded = nodeKernels(api, bytes);
const pool = threaded.threads!;
const single = (() => {
  const plain = unsharedBytes(bytes);
  if (plain === bytes || !bytes.equals(readFileSync(WASM_MODULE_PATH)))
    throw new Error('unsharedBytes must copy, and leave its argument as it was');
  return wasmKernels(api, new api.Module(plain), moduleMemory(api, plain, false));
})();

afterAll(() => pool.setThreads(1));

/** A product's arguments (Backend.matmul's), float32 or float64, with seeded values. */
interface Case extends MatmulDims {
  f64: boolean;
  sum: boolean;
  broadcastB: boolean;
}

function values(length: number, seed: number, f64: boolean): Float32Array | Float64Array {
  const x = f64 ? new Float64Array(length) : new Float32Array(length);
  for (let i = 0; i < length; i++) x[i] = Math.sin(seed + i * 0.37) * (1 + (i % 7));
  return x;
}

/** The product of `c` on `kernels`, as bytes. */
function run(kernels: WasmKernels, c: Case): Uint8Array {
  const a = values(c.batch * c.m * c.k, 1, c.f64);
  const b = values((c.broadcastB ? 1 : c.batch) * c.k * c.n, 2, c.f64);
  const out = c.f64
    ? new Float64Array((c.sum ? 1 : c.batch) * c.m * c.n)
    : new Float32Array((c.sum ? 1 : c.batch) * c.m * c.n);
  const strides = [c.m * c.k, c.broadcastB ? 0 : c.k * c.n] as const;
  kernels.product(a, b, out, [c.batch, c.m, c.n, c.k], [c.transA, c.transB, c.sum], strides);
  return new Uint8Array(out.buffer);
}

/** The products of `cases` on `threads` threads, the workers up first. */
async function onThreads(threads: number, cases: Case[]): Promise<Uint8Array[]> {
  pool.setThreads(threads);
  await pool.start();
  return cases.map((c) => run(threaded, c));
}

const shape = fc.record({
  f64: fc.boolean(),
  batch: fc.integer({ min: 1, max: 4 }),
  m: fc.integer({ min: 1, max: 300 }),
  n: fc.integer({ min: 1, max: 300 }),
  k: fc.integer({ min: 1, max: 300 }),
  transA: fc.boolean(),
  transB: fc.boolean(),
  sum: fc.boolean(),
  broadcastB: fc.boolean(),
});

describe('the wasm backend on several threads', () => {
  it('gives the same bits on 1, 2 and 3 threads, and as the unshared instance', async () => {
    const cases = fc
      .sample(shape, { seed: 16, numRuns: 400 })
      .filter((c) => c.batch * c.m * c.n * c.k >= WASM_THREADED_WORK)
      .slice(0, 24);
    // Shapes the sample may miss: one row or column, thin products, a batch below the count.
    cases.push(
      { ...cases[0], f64: false, batch: 1, m: 1, n: 4099, k: 257, sum: false },
      { ...cases[0], f64: true, batch: 1, m: 2050, n: 1, k: 300, sum: true },
      { ...cases[0], f64: false, batch: 2, m: 131, n: 10, k: 784, sum: false },
      { ...cases[0], f64: false, batch: 5, m: 97, n: 61, k: 129, sum: true },
    );
    expect(cases.length).toBeGreaterThan(20);
    const reference = cases.map((c) => run(single, c));
    for (const threads of [1, 2, 3]) {
      const before = pool.taken();
      const results = await onThreads(threads, cases);
      cases.forEach((c, i) =>
        expect(Buffer.from(results[i]).equals(reference[i]), JSON.stringify(c)).toBe(true),
      );
      // The workers took part (the caller is index 0; products back to back find them awake).
      const after = pool.taken();
      for (let w = 1; w < threads; w++) expect(after[w]).toBeGreaterThan(before[w]);
    }
  });

  it("shares a large Adam update among the threads, with the reference's bits", async () => {
    const n = WASM_THREADED_UPDATE + 4093; // not a whole number of quads, nor of tasks
    for (const [f64, amsgrad, decay, l2, maximize] of [
      [false, false, 1, 0, false],
      [false, true, 0.99, 0.01, true],
      [true, false, 0.99, 0, false],
    ] as const) {
      const h = { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1e-3, bc2Sqrt: 0.3, decay, l2 };
      const step = { ...h, maximize };
      const state = () =>
        [1, 2, 3, 4, 5].map((seed) => values(n, seed, f64).map((x) => (seed > 3 ? x * x : x)));
      const [w0, g, m0, v0, vmax0] = state();
      jsBackend.adamStep(w0, g, m0, v0, amsgrad ? vmax0 : null, step);
      for (const threads of [1, 2, 3]) {
        pool.setThreads(threads);
        await pool.start();
        const before = pool.taken();
        const [w, , m, v, vmax] = state();
        threaded.adamStep(w, g, m, v, amsgrad ? vmax : null, step);
        const bytes = (xs: ArrayBufferView[]) =>
          Buffer.concat(xs.map((x) => Buffer.from(x.buffer)));
        const want = bytes([w0, m0, v0, amsgrad ? vmax0 : vmax]);
        expect(bytes([w, m, v, vmax]).equals(want), `${threads} threads, f64 ${f64}`).toBe(true);
        const after = pool.taken();
        expect(after[0] + after[1] + after[2] - before[0] - before[1] - before[2]).toBe(
          threads === 1 ? 0 : 2 * threads,
        );
      }
    }
  });

  it('computes the product (a check of the split against the sum of products)', async () => {
    pool.setThreads(3);
    await pool.start();
    const [m, n, k] = [67, 300, 90];
    const a = values(m * k, 3, true) as Float64Array;
    const b = values(k * n, 4, true) as Float64Array;
    const out = new Float64Array(m * n);
    threaded.product(a, b, out, [1, m, n, k], [false, false, false], [0, 0]);
    for (const [i, j] of [
      [0, 0],
      [66, 299],
      [33, 150],
      [5, 299],
    ]) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      expect(out[i * n + j]).toBeCloseTo(s, 9);
    }
  });

  it('throws, without hanging, when the tasks trap, and multiplies again after', async () => {
    pool.setThreads(3);
    await pool.start();
    // Operands past the end of the memory: every task traps (out of bounds).
    const far = 0x7fff0000;
    const args = [far, far, far, 1, 256, 256, 256, 0, 0, 0, 0, 0];
    for (let i = 0; i < 3; i++)
      expect(() =>
        pool.run({ kind: 0, args, scratch: far, each: 0, tasks: 8, threads: 3 }),
      ).toThrow();
    await pool.start(); // the workers that trapped are started again
    const c = {
      f64: false,
      batch: 1,
      m: 200,
      n: 210,
      k: 220,
      transA: false,
      transB: true,
    } as const;
    const product = { ...c, sum: false, broadcastB: false };
    expect(Buffer.from(run(threaded, product)).equals(run(single, product))).toBe(true);
  });

  it('retires the workers beyond a smaller count', async () => {
    pool.setThreads(3);
    await pool.start();
    expect(pool.span).toBe(3);
    pool.setThreads(1);
    for (let i = 0; i < 200 && pool.span > 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pool.span).toBe(1);
    expect(pool.threads).toBe(1);
  });

  it('setWasmThreads sets the count of every instance, and refuses a bad one', () => {
    const before = getWasmThreads();
    try {
      setWasmThreads(2);
      expect(pool.threads).toBe(2);
      expect(getWasmThreads()).toBe(2);
      setWasmThreads(100);
      expect(getWasmThreads()).toBe(8);
    } finally {
      setWasmThreads(before);
      pool.setThreads(1);
    }
    expect(() => setWasmThreads(0)).toThrow(RangeError);
    expect(() => setWasmThreads(1.5)).toThrow(/whole number/);
  });

  it('lets a process whose workers are idle exit', () => {
    const script = `
      import { readFileSync } from 'node:fs';
      import { nodeKernels, WASM_MODULE_PATH } from './src/node/wasm.ts';
      const k = nodeKernels(WebAssembly, readFileSync(WASM_MODULE_PATH));
      k.threads.setThreads(2);
      await k.threads.start();
      const a = new Float32Array(256 * 256).fill(1);
      const out = new Float32Array(256 * 256);
      for (let i = 0; i < 8; i++) k.product(a, a, out, [1, 256, 256, 256], [false, false, false], [0, 0]);
      console.log(out[0], k.threads.taken().slice(0, 2).every((t) => t > 0));`;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: repo,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe('256 true');
  });
});
