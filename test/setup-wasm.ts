/**
 * Runs a test file on the wasm backend: the `wasm` Vitest project (vitest.config.ts) runs the
 * operation, autograd, nn, optimizer and training suites again with this setup. The thresholds
 * below which the wasm backend hands small arrays to the TypeScript kernels are 0 here, so every
 * wasm kernel runs on the suite's small tensors too. wasm/nabla.wasm is committed; when it does
 * not load, every file of the project fails with the reason.
 */
import { getBackend, registerBackend, setBackend } from '../src/backend/index.js';
import { WASM_THRESHOLDS, wasmBackend, type WasmThresholds } from '../src/backend/wasm/index.js';
import { wasmError, wasmModuleKernels } from '../src/node/wasm.js';

const kernels = wasmModuleKernels();
if (kernels === undefined) throw new Error(`the wasm backend is not available: ${wasmError()}`);
const zero = { ...WASM_THRESHOLDS };
for (const key of Object.keys(zero) as (keyof WasmThresholds)[]) zero[key] = 0;
registerBackend(wasmBackend(kernels, zero));
setBackend('wasm');
if (getBackend() !== 'wasm') throw new Error(`expected the wasm backend, got ${getBackend()}`);
