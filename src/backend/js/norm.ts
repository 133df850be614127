import type { NormLayout } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';

/*
 * The normalization kernels (`Backend.normalize`, `normalizeBackward`; their contracts are in
 * backend.ts). x is [outer, channels, inner]: channel c's elements are the `inner`-long runs that
 * start at (o·channels + c)·inner for each o. Sums are JavaScript numbers (double precision).
 */

/** Mean and biased variance of each channel (two passes: the mean, then the centred squares). */
function moments(x: TypedArray, l: NormLayout, mean: TypedArray, variance: TypedArray): void {
  const { outer, channels, inner } = l;
  const n = outer * inner;
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let o = 0; o < outer; o++) {
      const start = (o * channels + c) * inner;
      for (let i = start; i < start + inner; i++) s += x[i];
    }
    const m = s / n;
    let q = 0;
    for (let o = 0; o < outer; o++) {
      const start = (o * channels + c) * inner;
      for (let i = start; i < start + inner; i++) {
        const d = x[i] - m;
        q += d * d;
      }
    }
    mean[c] = m;
    variance[c] = q / n;
  }
}

/** out = (x − mean)/√(variance + eps)·weight + bias per channel; writes mean and variance too. */
export function normalize(
  x: TypedArray,
  l: NormLayout,
  weight: TypedArray | null,
  bias: TypedArray | null,
  out: TypedArray,
  mean: TypedArray,
  variance: TypedArray,
): void {
  const { outer, channels, inner } = l;
  moments(x, l, mean, variance);
  for (let c = 0; c < channels; c++) {
    const m = mean[c];
    const scale = (weight === null ? 1 : weight[c]) / Math.sqrt(variance[c] + l.eps);
    const shift = bias === null ? 0 : bias[c];
    for (let o = 0; o < outer; o++) {
      const start = (o * channels + c) * inner;
      for (let i = start; i < start + inner; i++) out[i] = (x[i] - m) * scale + shift;
    }
  }
}

/** gradInput, gradWeight and gradBias of `normalize` for the upstream gradient g. */
export function normalizeBackward(
  x: TypedArray,
  g: TypedArray,
  l: NormLayout,
  mean: TypedArray,
  variance: TypedArray,
  weight: TypedArray | null,
  gradInput: TypedArray,
  gradWeight: TypedArray,
  gradBias: TypedArray,
): void {
  const { outer, channels, inner } = l;
  const n = outer * inner;
  for (let c = 0; c < channels; c++) {
    const m = mean[c];
    const rstd = 1 / Math.sqrt(variance[c] + l.eps);
    let sg = 0;
    let sgx = 0;
    for (let o = 0; o < outer; o++) {
      const start = (o * channels + c) * inner;
      for (let i = start; i < start + inner; i++) {
        sg += g[i];
        sgx += g[i] * (x[i] - m);
      }
    }
    sgx *= rstd;
    gradBias[c] = sg;
    gradWeight[c] = sgx;
    const k = (weight === null ? 1 : weight[c]) * rstd;
    const a = sg / n;
    const b = (sgx / n) * rstd;
    for (let o = 0; o < outer; o++) {
      const start = (o * channels + c) * inner;
      for (let i = start; i < start + inner; i++) {
        gradInput[i] = k * (g[i] - a - (x[i] - m) * b);
      }
    }
  }
}
