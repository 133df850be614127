/**
 * The wasm backend in Node: wasm/nabla.wasm read from the package and compiled synchronously
 * (Node allows that for modules of any size), so that Node without a C++ compiler still gets
 * SIMD kernels. Chosen by default when the native addon does not load (native.ts). Its large
 * products are shared among worker_threads (`NABLA_THREADS`, else every core), started at the
 * first such product and unref'd: idle, they never keep the process alive.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { registerBackend } from '../backend/index.js';
import { wasmBackend, type WasmKernels } from '../backend/wasm/index.js';
import { moduleMemory } from '../backend/wasm/memory.js';
import { threadedKernels, type Spawn } from '../backend/wasm/threads.js';
import { nodeWorkerSource } from '../backend/wasm/worker.js';
import { wasmApi, wasmSimdSupported, type WasmApi } from '../backend/wasm/webassembly.js';

/** The module's file: wasm/ beside src/ (from src/node/ and from dist/node/ alike). */
export const WASM_MODULE_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'wasm',
  'nabla.wasm',
);

const loaded: { kernels?: WasmKernels; error?: string; tried: boolean } = { tried: false };

/** The module's kernels, or undefined (with the reason in `wasmError()`) when it cannot load. */
export function wasmModuleKernels(): WasmKernels | undefined {
  if (loaded.tried) return loaded.kernels;
  loaded.tried = true;
  const api = wasmApi();
  if (api === undefined || !wasmSimdSupported()) {
    loaded.error = 'this Node has no WebAssembly SIMD';
    return undefined;
  }
  try {
    loaded.kernels = nodeKernels(api, readFileSync(WASM_MODULE_PATH));
  } catch (e) {
    loaded.error = `the wasm module failed to load: ${(e as Error).message.split('\n')[0]}`;
  }
  return loaded.kernels;
}

/** Why the wasm backend is unavailable, or undefined when it loaded. */
export function wasmError(): string | undefined {
  wasmModuleKernels();
  return loaded.error;
}

/** Registers the wasm backend when its module loads; returns whether it did. */
export function registerWasmBackend(): boolean {
  const kernels = wasmModuleKernels();
  if (kernels !== undefined) registerBackend(wasmBackend(kernels));
  return kernels !== undefined;
}

/** A worker thread running worker.ts's loop, unref'd once up; its messages and end reported. */
export const nodeSpawn: Spawn = (init, message) => {
  // No flags of the parent's: `--input-type=module` would make the CommonJS source ESM, and a
  // loader such as tsx's would only slow the start.
  const worker = new Worker(nodeWorkerSource(), { eval: true, workerData: init, execArgv: [] });
  worker.on('message', (m: string) => {
    // Held until it is up (start() awaits that), then never keeping the process alive.
    if (m === 'up') worker.unref();
    message(m);
  });
  worker.on('error', () => message('gone'));
  worker.on('exit', () => message('gone'));
  return { terminate: () => void worker.terminate() };
};

/**
 * `NABLA_THREADS` as a thread count: undefined when unset or empty; NaN when it is not a whole
 * number ≥ 1 (the Node entry reports that once, in initBackends).
 */
export function envThreads(): number | undefined {
  const text = process.env.NABLA_THREADS?.trim();
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : Number.NaN;
}

/** Threads for the wasm products: `NABLA_THREADS` when it is a whole number ≥ 1, else the cores. */
export function nodeThreads(): number {
  const n = envThreads();
  return n !== undefined && !Number.isNaN(n) ? n : availableParallelism();
}

/** The module's kernels over a shared memory, with worker threads. */
export function nodeKernels(api: WasmApi, bytes: Uint8Array): WasmKernels {
  const memory = moduleMemory(api, bytes, true);
  return threadedKernels(api, new api.Module(bytes), memory, {
    spawn: nodeSpawn,
    threads: nodeThreads(),
  });
}
