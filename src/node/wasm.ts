/**
 * The wasm backend in Node: wasm/nabla.wasm read from the package and compiled synchronously
 * (Node allows that for modules of any size), so that Node without a C++ compiler still gets
 * SIMD kernels. Chosen by default when the native addon does not load (native.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerBackend } from '../backend/index.js';
import { wasmBackend, wasmKernels, type WasmKernels } from '../backend/wasm/index.js';
import { wasmApi, wasmSimdSupported } from '../backend/wasm/webassembly.js';

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
    loaded.kernels = wasmKernels(api, new api.Module(readFileSync(WASM_MODULE_PATH)));
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
