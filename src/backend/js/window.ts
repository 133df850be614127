import type { Window2d } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';

/*
 * The sliding-window kernels of convolution and pooling (`Backend.im2col`, `col2im`, `maxPool2d`;
 * their contracts are in backend.ts). Each visits the output positions of one channel plane in
 * row-major order; input row iy = oy·sh − ph + ki·dh and column ix = ox·sw − pw + kj·dw.
 */

/** The windows of x as columns: out [n, c·kh·kw, oh·ow], 0 in the padding. */
export function im2col(x: TypedArray, g: Window2d, out: TypedArray): void {
  const { h, w, kh, kw, oh, ow } = g;
  const planes = g.n * g.c;
  const cols = oh * ow;
  for (let p = 0; p < planes; p++) {
    const src = p * h * w;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        let o = (p * kh * kw + ki * kw + kj) * cols;
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * g.sh - g.ph + ki * g.dh;
          const rowIn = iy >= 0 && iy < h;
          for (let ox = 0; ox < ow; ox++, o++) {
            const ix = ox * g.sw - g.pw + kj * g.dw;
            out[o] = rowIn && ix >= 0 && ix < w ? x[src + iy * w + ix] : 0;
          }
        }
      }
    }
  }
}

/** The adjoint of `im2col`: out [n, c, h, w] = the column entries summed where they were read. */
export function col2im(colsIn: TypedArray, g: Window2d, out: TypedArray): void {
  const { h, w, kh, kw, oh, ow } = g;
  const planes = g.n * g.c;
  const cols = oh * ow;
  out.fill(0);
  for (let p = 0; p < planes; p++) {
    const dst = p * h * w;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        let o = (p * kh * kw + ki * kw + kj) * cols;
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * g.sh - g.ph + ki * g.dh;
          if (iy < 0 || iy >= h) {
            o += ow;
            continue;
          }
          for (let ox = 0; ox < ow; ox++, o++) {
            const ix = ox * g.sw - g.pw + kj * g.dw;
            if (ix >= 0 && ix < w) out[dst + iy * w + ix] += colsIn[o];
          }
        }
      }
    }
  }
}

/** Max pooling with the position of each maximum (the first wins ties; a NaN wins, the last one if several, as in PyTorch). */
export function maxPool2d(x: TypedArray, g: Window2d, out: TypedArray, argmax: Int32Array): void {
  const { h, w, kh, kw, oh, ow } = g;
  const planes = g.n * g.c;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const src = p * h * w;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, o++) {
        let best = -Infinity;
        let at = -1;
        for (let ki = 0; ki < kh; ki++) {
          const iy = oy * g.sh - g.ph + ki * g.dh;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = ox * g.sw - g.pw + kj * g.dw;
            if (ix < 0 || ix >= w) continue;
            const v = x[src + iy * w + ix];
            if (at < 0 || v > best || Number.isNaN(v)) {
              best = v;
              at = iy * w + ix;
            }
          }
        }
        out[o] = best;
        argmax[o] = at;
      }
    }
  }
}
