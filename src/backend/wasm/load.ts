/**
 * Loading the wasm backend in a browser (or a worker): the module's bytes are fetched beside this
 * file (`new URL(…, import.meta.url)`, which bundlers such as Vite follow and emit as an asset),
 * compiled asynchronously, and instantiated. In Node the Node entry loads the file from disk
 * instead (node/wasm.ts), synchronously.
 */
import type { Backend } from '../backend.js';
import { wasmBackend } from './index.js';
import { wasmKernels } from './module.js';
import { wasmApi, wasmSimdSupported } from './webassembly.js';

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
    const module = await api.compile(await response.arrayBuffer());
    return wasmBackend(wasmKernels(api, module));
  } catch {
    return undefined;
  }
}
