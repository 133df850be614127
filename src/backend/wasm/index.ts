/**
 * The WebAssembly SIMD backend: the kernels of wasm/nabla.wasm where they gain (float32 and
 * float64 arrays large enough to pay for copying them into the module's memory), the reference
 * TypeScript kernels for everything else — as the native backend does over its addon.
 */
import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { sameFloat, type Float, type WasmKernels } from './module.js';

export { wasmKernels, WasmKernels, type WasmExports } from './module.js';

/**
 * Below these sizes the TypeScript kernels are faster: a wasm call costs the copies of its
 * operands in and its result out (measured in Node 20: see wasm/README.md).
 */
export const WASM_THRESHOLDS: WasmThresholds = Object.freeze({ minMatmulWork: 4096 });

/** Sizes below which a kernel runs in TypeScript: multiply-adds of a product. */
export interface WasmThresholds {
  minMatmulWork: number;
}

/**
 * The wasm backend over an instance of the module. The tests build it with thresholds of 0, so
 * that the operation suite runs every wasm kernel.
 */
export function wasmBackend(
  kernels: WasmKernels,
  thresholds: WasmThresholds = WASM_THRESHOLDS,
): Backend {
  const js = jsBackend;
  const product =
    (kernel: 'matmul' | 'matmulSum'): Backend['matmul'] =>
    (a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride) => {
      if (sameFloat(a, b, out) && out.length > 0 && batch * m * n * k >= thresholds.minMatmulWork) {
        const flags = [transA, transB, kernel === 'matmulSum'] as const;
        kernels.product(a as Float, b as Float, out as Float, [batch, m, n, k], flags, [
          aBatchStride,
          bBatchStride,
        ]);
      } else js[kernel](a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride);
    };
  return Object.freeze({
    ...js,
    name: 'wasm',
    matmul: product('matmul'),
    matmulSum: product('matmulSum'),
  } satisfies Backend);
}
