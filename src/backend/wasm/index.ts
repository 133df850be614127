/**
 * The WebAssembly SIMD backend: the kernels of wasm/nabla.wasm where they gain (float32 and
 * float64 arrays large enough to pay for copying them into the module's memory), the reference
 * TypeScript kernels for everything else — as the native backend does over its addon.
 */
import type { TypedArray } from '../../tensor/dtype.js';
import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { channelKernels, wasmChannels } from './channels.js';
import { packed, rowBroadcast } from './layout.js';
import { sameFloat, WASM_BINARY, type Float, type WasmKernels } from './module.js';
import { normKernels } from './norm.js';
import { softmaxKernels } from './softmax.js';
import { windowKernels } from './window.js';

export { wasmKernels, WasmKernels, type WasmExports } from './module.js';

/**
 * Below these sizes the TypeScript kernels are faster: a wasm call costs the copies of its
 * operands in and its result out (measured in Node 20: see wasm/README.md).
 */
export const WASM_THRESHOLDS: WasmThresholds = Object.freeze({
  minMatmulWork: 4096,
  minElements: 1024,
});

/** Sizes below which a kernel runs in TypeScript: multiply-adds of a product, elements else. */
export interface WasmThresholds {
  minMatmulWork: number;
  minElements: number;
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
  const large = (x: TypedArray) => x.length >= thresholds.minElements && x.length > 0;
  const base = {
    ...js,
    name: 'wasm',
    matmul: product('matmul'),
    matmulSum: product('matmulSum'),
    binary(op, a, aStrides, b, bStrides, out, outShape) {
      const cols = outShape[outShape.length - 1];
      if (
        Object.hasOwn(WASM_BINARY, op) &&
        large(out) &&
        a.length === out.length &&
        sameFloat(a, b, out) &&
        packed(outShape, aStrides)
      ) {
        const wasmOp = op as keyof typeof WASM_BINARY;
        if (b.length === out.length && packed(outShape, bStrides))
          return kernels.binary(wasmOp, a as Float, b as Float, out as Float, out.length, 0);
        if (b.length === cols && rowBroadcast(outShape, bStrides))
          return kernels.binary(wasmOp, a as Float, b as Float, out as Float, cols, 0);
      }
      js.binary(op, a, aStrides, b, bStrides, out, outShape);
    },
    unary(op, x, out) {
      if (op === 'relu' && large(x) && sameFloat(x, out)) kernels.relu(x as Float, out as Float);
      else js.unary(op, x, out);
    },
    reduce(op, x, shape, axes, out) {
      const [rows, cols] = shape;
      // One row is copied as it is by the reference (−0 stays −0): left to it.
      const axis0 = op === 'sum' && shape.length === 2 && axes.length === 1 && axes[0] === 0;
      if (axis0 && rows > 1 && large(x) && sameFloat(x, out))
        return kernels.sumAxis0(x as Float, rows, cols, out as Float);
      js.reduce(op, x, shape, axes, out);
    },
    sgdStep(w, g, buf, h) {
      if (large(w) && sameFloat(w, g, buf))
        kernels.sgdStep(w as Float, g as Float, buf as Float | null, h);
      else js.sgdStep(w, g, buf, h);
    },
    adamStep(w, g, m, v, vmax, h) {
      if (large(w) && sameFloat(w, g, m, v, vmax))
        kernels.adamStep(w as Float, g as Float, m as Float, v as Float, vmax as Float | null, h);
      else js.adamStep(w, g, m, v, vmax, h);
    },
  } satisfies Backend;
  return Object.freeze({ ...base, ...convolutionKernels(kernels, base, thresholds.minElements) });
}

/** The kernels of convolutional networks (window.ts, norm.ts, channels.ts) and log-softmax in front of `inner`'s. */
function convolutionKernels(kernels: WasmKernels, inner: Backend, minElements: number) {
  return {
    ...windowKernels(kernels, inner, minElements),
    ...normKernels(kernels, inner, minElements),
    ...channelKernels(wasmChannels(kernels), inner, minElements),
    ...softmaxKernels(kernels, inner, minElements),
  } satisfies Partial<Backend>;
}
