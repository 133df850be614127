import type { TypedArray } from '../../tensor/dtype.js';

/**
 * Log-softmax along one axis of a tensor viewed as [outer, size, inner]:
 * out = x − m − log Σ exp(x − m), with m the maximum along the axis (0 when it is not finite, so
 * that a row of −∞ gives NaN as in PyTorch rather than a misleading number).
 *
 * @example
 * const out = new Float64Array(2);
 * logSoftmax(Float64Array.of(0, 0), 1, 2, 1, out); // out = [−log 2, −log 2]
 */
export function logSoftmax(
  x: TypedArray,
  outer: number,
  size: number,
  inner: number,
  out: TypedArray,
): void {
  if (size === 0) return;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let m = -Infinity;
      for (let j = 0, p = base; j < size; j++, p += inner) {
        const v = x[p];
        if (v > m || v !== v) m = v;
      }
      if (m - m !== 0) m = 0;
      let s = 0;
      for (let j = 0, p = base; j < size; j++, p += inner) s += Math.exp(x[p] - m);
      const shift = m + Math.log(s);
      for (let j = 0, p = base; j < size; j++, p += inner) out[p] = x[p] - shift;
    }
  }
}
