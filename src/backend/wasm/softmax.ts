/**
 * The wasm backend's log-softmax over rows (`Backend.logSoftmax` with inner = 1, from
 * wasm/softmax.cc): fdlibm's exp (two at a time) and log, the engines' own Math.exp and Math.log
 * in V8 and SpiderMonkey, and the reference's order of sums — so the reference's bits there.
 */
import type { Backend } from '../backend.js';
import { input, output, sameFloat, type Float, type WasmKernels } from './module.js';

/** x, rows, cols, out and a scratch of cols doubles: pointers into the module's memory. */
type RowsExport = (x: number, rows: number, cols: number, out: number, scratch: number) => void;

/** What wasm/softmax.cc exports. */
export interface SoftmaxExports {
  log_softmax_rows_f32: RowsExport;
  log_softmax_rows_f64: RowsExport;
  /** fdlibm's exp and log of one number (for the tests). */
  fdlibm_exp(x: number): number;
  fdlibm_log(x: number): number;
}

/** `logSoftmax` of `inner` with the module's in front for float rows of `minElements` in all. */
export function softmaxKernels(
  kernels: WasmKernels,
  inner: Backend,
  minElements: number,
): Pick<Backend, 'logSoftmax'> {
  const x = kernels.exports;
  return {
    logSoftmax(xs, outer, size, innerSize, out) {
      if (innerSize !== 1 || size === 0 || xs.length < minElements || !sameFloat(xs, out))
        return inner.logSoftmax(xs, outer, size, innerSize, out);
      const f = xs instanceof Float32Array ? x.log_softmax_rows_f32 : x.log_softmax_rows_f64;
      kernels.run([input(xs as Float), output(out as Float)], 8 * size, ([px, po, ps]) =>
        f(px, outer, size, po, ps),
      );
    },
  };
}
