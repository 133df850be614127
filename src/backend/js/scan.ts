import type { TypedArray } from '../../tensor/dtype.js';
import type { ScanKernel } from '../scan-kernels.js';

/** log(eᵃ + eᵇ) without overflow; −∞ with −∞ gives −∞ (not NaN), NaN propagates. */
function logAddExp(a: number, b: number): number {
  const m = a > b ? a : b;
  if (m === -Infinity || m === Infinity) return m;
  if (m !== m) return NaN;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

const START: Record<ScanKernel, number> = { cumsum: 0, cumprod: 1, logcumsumexp: -Infinity };

/**
 * Running sums, products or log-sum-exps along the axis of x viewed as [outer, size, inner],
 * forward or in `reverse`, accumulated in double precision.
 *
 * @example
 * const out = new Float64Array(3);
 * scan('cumsum', Float64Array.of(1, 2, 3), 1, 3, 1, false, out); // out = [1, 3, 6]
 */
export function scan(
  op: ScanKernel,
  x: TypedArray,
  outer: number,
  size: number,
  inner: number,
  reverse: boolean,
  out: TypedArray,
): void {
  const step = reverse ? -inner : inner;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let p = o * size * inner + i + (reverse ? (size - 1) * inner : 0);
      let acc = START[op];
      for (let j = 0; j < size; j++, p += step) {
        const v = x[p];
        acc = op === 'cumsum' ? acc + v : op === 'cumprod' ? acc * v : logAddExp(acc, v);
        out[p] = acc;
      }
    }
  }
}

/**
 * The position of the running maximum (`cummax`) or minimum (`cummin`) along the axis: the
 * latest on ties, and a NaN takes over (and stays) as PyTorch's `cummax_helper` does.
 *
 * @example
 * const out = new Int32Array(4);
 * scanIndex('cummax', Float64Array.of(1, 3, 3, 2), 1, 4, 1, out); // out = [0, 1, 2, 2]
 */
export function scanIndex(
  op: 'cummax' | 'cummin',
  x: TypedArray,
  outer: number,
  size: number,
  inner: number,
  out: Int32Array,
): void {
  const max = op === 'cummax';
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let best = x[base];
      let at = 0;
      for (let j = 0, p = base; j < size; j++, p += inner) {
        const v = x[p];
        if (v !== v || (best === best && (max ? v >= best : v <= best))) {
          best = v;
          at = j;
        }
        out[p] = at;
      }
    }
  }
}
