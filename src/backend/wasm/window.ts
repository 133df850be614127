/**
 * The wasm backend's sliding-window kernels (`Backend.im2col`, `col2im`, `maxPool2d`, from
 * wasm/window.cc) on float arrays of one type: the reference kernels' bits, faster. The geometry
 * goes to the module as 14 doubles, in Window2d's order.
 */
import type { Backend, Window2d } from '../backend.js';
import { input, output, sameFloat, type Float, type WasmKernels } from './module.js';

/** x (or cols), the geometry, out: pointers into the module's memory. */
type WindowExport = (x: number, g: number, out: number) => void;
type PoolExport = (x: number, g: number, out: number, argmax: number) => void;

/** What wasm/window.cc exports. */
export interface WindowExports {
  im2col_f32: WindowExport;
  im2col_f64: WindowExport;
  col2im_f32: WindowExport;
  col2im_f64: WindowExport;
  max_pool2d_f32: PoolExport;
  max_pool2d_f64: PoolExport;
}

/** Window2d's fields as the module reads them (wasm/window.cc's Read). */
function geometry(g: Window2d): Float64Array {
  const { n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  return Float64Array.of(n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
}

/** The window kernels of `inner` with the module's in front for float arrays of `minElements`. */
export function windowKernels(
  kernels: WasmKernels,
  inner: Backend,
  minElements: number,
): Pick<Backend, 'im2col' | 'col2im' | 'maxPool2d'> {
  const x = kernels.exports;
  const large = (a: { length: number }) => a.length >= minElements && a.length > 0;
  return {
    im2col(image, g, out) {
      if (!large(out) || !sameFloat(image, out)) return inner.im2col(image, g, out);
      const f = out instanceof Float32Array ? x.im2col_f32 : x.im2col_f64;
      const args = [input(image as Float), input(geometry(g)), output(out as Float)];
      kernels.run(args, 0, ([pi, pg, po]) => f(pi, pg, po));
    },
    col2im(cols, g, out) {
      if (!large(cols) || !sameFloat(cols, out)) return inner.col2im(cols, g, out);
      const f = out instanceof Float32Array ? x.col2im_f32 : x.col2im_f64;
      const args = [input(cols as Float), input(geometry(g)), output(out as Float)];
      kernels.run(args, 0, ([pc, pg, po]) => f(pc, pg, po));
    },
    maxPool2d(image, g, out, argmax) {
      if (!large(image) || !sameFloat(image, out)) return inner.maxPool2d(image, g, out, argmax);
      const f = out instanceof Float32Array ? x.max_pool2d_f32 : x.max_pool2d_f64;
      const args = [
        input(image as Float),
        input(geometry(g)),
        output(out as Float),
        output(argmax),
      ];
      kernels.run(args, 0, ([pi, pg, po, pa]) => f(pi, pg, po, pa));
    },
  };
}
