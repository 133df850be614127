import type { TypedArray } from '../tensor/dtype.js';

/**
 * The scan and sorting kernels of the `Backend` interface. Each works along one axis of x viewed
 * as [outer, size, inner] (the axis in the middle, as `logSoftmax`); all arrays are contiguous.
 */

/**
 * Running reductions: `cumsum` (Σ), `cumprod` (∏) and `logcumsumexp` (log Σ exp, a running
 * log-add-exp so that no term underflows). Accumulated in double precision, each result rounded
 * once on store (as PyTorch's CPU kernels do).
 */
export type ScanKernel = 'cumsum' | 'cumprod' | 'logcumsumexp';

export interface ScanKernels {
  /**
   * out[j] = x[0] ⊕ … ⊕ x[j] along the axis (`reverse`: x[j] ⊕ … ⊕ x[size − 1]). `out` has x's
   * shape and is overwritten.
   */
  scan(
    op: ScanKernel,
    x: TypedArray,
    outer: number,
    size: number,
    inner: number,
    reverse: boolean,
    out: TypedArray,
  ): void;

  /**
   * The position along the axis of the running maximum (`cummax`) or minimum (`cummin`) up to
   * each element: the latest one on ties (≥ / ≤), and a NaN, once met, wins until the next NaN,
   * as PyTorch's.
   */
  scanIndex(
    op: 'cummax' | 'cummin',
    x: TypedArray,
    outer: number,
    size: number,
    inner: number,
    out: Int32Array,
  ): void;

  /**
   * The permutation that sorts each line along the axis, ascending (or `descending`), stably
   * (equal elements keep their order); NaN sorts as larger than every number, as in PyTorch.
   */
  sortIndices(
    x: TypedArray,
    outer: number,
    size: number,
    inner: number,
    descending: boolean,
    out: Int32Array,
  ): void;

  /**
   * The first k positions of each line's `sortIndices` order (largest first when `descending`):
   * out is [outer, k, inner]. The same positions as sorting the whole line, found without it.
   */
  topkIndices(
    x: TypedArray,
    outer: number,
    size: number,
    inner: number,
    k: number,
    descending: boolean,
    out: Int32Array,
  ): void;
}
