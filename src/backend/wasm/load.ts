/**
 * Loading the wasm backend in a browser (or a worker): the module's bytes are fetched beside this
 * file (`new URL(…, import.meta.url)`, which bundlers such as Vite follow and emit as an asset),
 * compiled asynchronously, and instantiated. In Node the Node entry loads the file from disk
 * instead (node/wasm.ts), synchronously.
 */
import type { Backend } from '../backend.js';
import { wasmBackend } from './index.js';
import { moduleMemory, unsharedBytes } from './memory.js';
import { wasmKernels, type WasmKernels } from './module.js';
import { wasmApi, wasmSimdSupported, type WasmApi } from './webassembly.js';

/** The compiled module's address: wasm/nabla.wasm at the package's root (from src/ and dist/). */
function moduleUrl(): URL {
  return new URL('../../../wasm/nabla.wasm', import.meta.url);
}

/**
 * The wasm backend, or undefined where it cannot run: no WebAssembly SIMD, no `fetch`, or the
 * file could not be fetched or compiled (a page served without it, a bundle without
 * `import.meta.url`).
 */
export async function loadWasmBackend(): Promise<Backend | undefined> {
  const api = wasmApi();
  const get = (
    globalThis as {
      fetch?: (url: URL) => Promise<{ ok: boolean; arrayBuffer(): Promise<ArrayBuffer> }>;
    }
  ).fetch;
  if (api === undefined || get === undefined || !wasmSimdSupported()) return undefined;
  try {
    const response = await get(moduleUrl());
    if (!response.ok) return undefined;
    return wasmBackend(await browserKernels(api, new Uint8Array(await response.arrayBuffer())));
  } catch {
    return undefined;
  }
}

/**
 * The kernels with Web Workers where the page is cross-origin isolated (web-workers.ts, loaded
 * only then: other pages never fetch the pool's code); else, or when a shared memory cannot be
 * had, on one thread over an unshared memory (memory.ts).
 */
export async function browserKernels(api: WasmApi, bytes: Uint8Array): Promise<WasmKernels> {
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true) {
    const { threadedBrowserKernels } = await import('./web-workers.js');
    const threaded = await threadedBrowserKernels(api, bytes);
    if (threaded !== undefined) return threaded;
  }
  const single = unsharedBytes(bytes);
  return wasmKernels(api, await api.compile(single), moduleMemory(api, single, false));
}
