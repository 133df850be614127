import type { TypedArray } from '../tensor/dtype.js';

/** Indexing kernels beyond gather and scatter-add (backend.ts lists them by name). */
export interface IndexKernels {
  /** PyTorch's scatter: out[index[i][j]][j] = src[i][j] (dim 0), or *= ('multiply'); last repeat wins. */
  scatter(
    out: TypedArray,
    outShape: readonly number[],
    dim: number,
    index: Int32Array,
    indexShape: readonly number[],
    src: TypedArray,
    reduce: 'assign' | 'multiply',
  ): void;
}
