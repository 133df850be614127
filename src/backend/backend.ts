import type { DType, TypedArray } from '../tensor/dtype.js';
import type { BinaryFormula } from './js/binary-table.js';
import type { IndexKernels } from './index-kernels.js';
import type { ScanKernels } from './scan-kernels.js';
import type { UnaryFormula } from './js/unary-table.js';

/**
 * The arguments of the batched matrix products (`matmul`, `matmulSum`): `batch` pairs of an
 * m×k op(A) (A stored k×m when `transA`) and a k×n op(B) (B stored n×k when `transB`), the
 * matrices of a pair `aBatchStride` / `bBatchStride` apart (0 to reuse one matrix).
 */
export type BatchedProduct = (
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  batch: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  aBatchStride: number,
  bBatchStride: number,
) => void;

/**
 * The kernel interface. A backend owns kernels and nothing else: it receives contiguous typed
 * arrays and shapes, and fills a preallocated output. Shapes, broadcasting, dtype promotion,
 * autograd and error messages are decided above it, so a kernel may assume its arguments are
 * consistent.
 *
 * Every array passed in is contiguous, row-major. "Strides" arguments describe how to read an
 * input as if it had the output's shape (0 along broadcast dimensions); they are in elements.
 * The scans and sorts (scan-kernels.ts) and PyTorch's scatter (index-kernels.ts) are declared
 * beside their kernels' notes.
 */
export interface Backend extends ScanKernels, IndexKernels {
  /** A short name: `js` for the reference TypeScript backend. */
  readonly name: string;

  /** out[i] = f(x[i]). `x` and `out` have the same length (dtypes may differ only for `cast`). */
  unary(op: UnaryKernel, x: TypedArray, out: TypedArray): void;

  /** out[i] = x[i] ** p. */
  powScalar(x: TypedArray, p: number, out: TypedArray): void;

  /**
   * `unary` on a single number: the result a one-element output array of `dtype` would hold.
   * One-element tensors are computed this way, as plain numbers, because a typed array per tiny
   * result dominates the cost of graphs of scalar operations.
   */
  unaryScalar(op: UnaryKernel, x: number, dtype: DType): number;

  /** `binary` on single numbers, rounded for an output of `dtype`. */
  binaryScalar(op: BinaryKernel, a: number, b: number, dtype: DType): number;

  /** `powScalar` on a single number, rounded for an output of `dtype`. */
  powScalarScalar(x: number, p: number, dtype: DType): number;

  /**
   * out[idx] = f(a[idx·aStrides], b[idx·bStrides]) over every multi-index `idx` of `outShape`.
   * Comparison kernels write 1 or 0. `out` may be `a` itself when `aStrides` are the packed
   * strides of `outShape` (in place: each element is read before it is written, e.g. `linear`
   * adds its bias row with `binary('add', out, [n, 1], bias, [0, 1], out, [m, n])`).
   */
  binary(op: BinaryKernel, ...operands: TwoStrided): void;

  /** out[idx] = cond[idx·cStrides] !== 0 ? a[idx·aStrides] : b[idx·bStrides]. */
  where(cond: TypedArray, cStrides: readonly number[], ...operands: TwoStrided): void;

  /**
   * Reduces `x` (of shape `shape`) over the sorted, distinct `axes`. `out` has the shape of `x`
   * with those axes removed, in order. `sum` of nothing is 0; `max`/`min` are never called on an
   * empty reduction. NaN propagates through `max` and `min`.
   */
  reduce(
    op: ReduceKernel,
    x: TypedArray,
    shape: readonly number[],
    axes: readonly number[],
    out: TypedArray,
  ): void;

  /**
   * Index of the first largest (`argmax`) or smallest (`argmin`) element along `axis`; `out` has
   * the shape of `x` with `axis` removed. NaN counts as larger than everything for argmax and
   * smaller than everything for argmin, as in PyTorch.
   */
  argReduce(
    op: 'argmax' | 'argmin',
    x: TypedArray,
    shape: readonly number[],
    axis: number,
    out: Int32Array,
  ): void;

  /**
   * Log-softmax along one axis of x viewed as [outer, size, inner] (the axis in the middle):
   * out = x − max − log Σ exp(x − max), computed stably in one pass per row.
   */
  logSoftmax(x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void;

  /**
   * Strided gather: out[idx] = x[offset + idx·strides] for every multi-index of `outShape`.
   * Implements permute, expand (stride 0) and slicing (offset, stride·step).
   */
  copyStrided(
    x: TypedArray,
    offset: number,
    strides: readonly number[],
    outShape: readonly number[],
    out: TypedArray,
  ): void;

  /**
   * Strided scatter, the inverse of `copyStrided`: out[offset + idx·strides] = src[idx] for every
   * multi-index of `srcShape`. The positions written are distinct. Used for slice gradients and
   * concatenation; `out` is not cleared first.
   */
  assignStrided(
    src: TypedArray,
    srcShape: readonly number[],
    out: TypedArray,
    offset: number,
    strides: readonly number[],
  ): void;

  /**
   * out = x taken at `index` along `dim`: out has x's shape with size index.length at `dim`.
   * Indices are already checked to lie in [0, shape[dim]).
   */
  indexSelect(
    x: TypedArray,
    shape: readonly number[],
    dim: number,
    index: Int32Array,
    out: TypedArray,
  ): void;

  /**
   * The adjoint of `indexSelect`: out (of shape `outShape`) += src scattered along `dim` at
   * `index`, summing where an index repeats. `src` has outShape with size index.length at `dim`.
   */
  indexAdd(
    out: TypedArray,
    outShape: readonly number[],
    dim: number,
    index: Int32Array,
    src: TypedArray,
  ): void;

  /**
   * PyTorch's gather: out[i][j][k] = x[index[i][j][k]][j][k] (for dim = 0; likewise for other
   * dims). `index` and `out` have shape `indexShape`, which matches x's shape except at `dim`
   * where it may be any size (and may be smaller elsewhere, as PyTorch allows).
   */
  gather(
    x: TypedArray,
    xShape: readonly number[],
    dim: number,
    index: Int32Array,
    indexShape: readonly number[],
    out: TypedArray,
  ): void;

  /** The adjoint of `gather`: out[index[i][j][k]][j][k] += src[i][j][k] (dim = 0), summing repeats. */
  scatterAdd(
    out: TypedArray,
    outShape: readonly number[],
    dim: number,
    index: Int32Array,
    indexShape: readonly number[],
    src: TypedArray,
  ): void;

  /**
   * Batched matrix product: for each of `batch` pairs, out (m×n) = op(A) · op(B), where op(A) is
   * m×k (A stored k×m when `transA`) and op(B) is k×n (B stored n×k when `transB`). `aBatchStride`
   * / `bBatchStride` are the distance between consecutive matrices (0 to reuse one matrix).
   * `out` is contiguous, batch×m×n, and is overwritten.
   */
  matmul: BatchedProduct;

  /**
   * The batched products of `matmul`, summed: out (m×n) = Σ_t op(A_t) · op(B_t) over the `batch`
   * pairs, with the same arguments (a convolution's weight gradient, Σₙ gy·colsᵀ, in one call).
   * `out` is overwritten (zeros when `batch` or `k` is 0). Backends may sum in any order.
   */
  matmulSum: BatchedProduct;

  /**
   * im2col: the sliding windows of x [n, c, h, w] laid out as columns. `out` is
   * `[n, c·kh·kw, oh·ow]`: row (ci·kh + ki)·kw + kj, column oy·ow + ox holds
   * x[ci, oy·sh − ph + ki·dh, ox·sw − pw + kj·dw], or 0 where that falls in the padding.
   * `out` is overwritten.
   */
  im2col(x: TypedArray, g: Window2d, out: TypedArray): void;

  /**
   * col2im, the adjoint of `im2col`: out [n, c, h, w] = Σ of every column entry at the input
   * position it was read from (entries that fell in the padding are dropped). `cols` is
   * [n, c·kh·kw, oh·ow]; `out` is overwritten (cleared, then summed into).
   */
  col2im(cols: TypedArray, g: Window2d, out: TypedArray): void;

  /**
   * Max pooling of x [n, c, h, w] (padding reads −∞): out [n, c, oh, ow] and, for each output,
   * `argmax` the flat index iy·w + ix of the chosen element in its channel's plane. The first
   * largest element in row-major window order wins ties; a NaN wins (the last NaN if several) and
   * propagates, as in PyTorch. A window entirely in the padding is never asked for.
   */
  maxPool2d(x: TypedArray, g: Window2d, out: TypedArray, argmax: Int32Array): void;

  /**
   * Normalization (batch, layer and group norm) of x viewed as [outer, channels, inner]: for each
   * channel c, over its n = outer·inner elements, `mean[c]` and the biased variance
   * `variance[c]` = Σ (x − mean[c])² / n (centred, two passes; sums in double precision), and
   * out = (x − mean[c]) / √(variance[c] + eps) · weight[c] + bias[c] (weight 1 and bias 0 when
   * null). n ≥ 1. `out`, `mean` and `variance` (length `channels`) are overwritten; all arrays
   * have x's type. The variance is centred on the mean before it is stored; `out` and
   * `normalizeBackward` use the stored (rounded) mean and variance.
   */
  normalize(
    x: TypedArray,
    l: NormLayout,
    weight: TypedArray | null,
    bias: TypedArray | null,
    out: TypedArray,
    mean: TypedArray,
    variance: TypedArray,
  ): void;

  /**
   * The first-order gradient of `normalize` for the upstream gradient g (x's shape), given the
   * `mean` and `variance` it returned: with rstd = 1/√(variance[c] + eps) and
   * x̂ = (x − mean[c])·rstd, gradBias[c] = Σ g and gradWeight[c] = Σ g·x̂ (over the channel's n
   * elements, in double precision), then gradInput = weight[c]·rstd·(g − gradBias[c]/n −
   * x̂·gradWeight[c]/n) (weight 1 when null). All outputs are overwritten.
   */
  normalizeBackward(
    x: TypedArray,
    g: TypedArray,
    l: NormLayout,
    mean: TypedArray,
    variance: TypedArray,
    weight: TypedArray | null,
    gradInput: TypedArray,
    gradWeight: TypedArray,
    gradBias: TypedArray,
  ): void;

  /**
   * Fused optimizer updates: one pass over a parameter `w`, its gradient `g` and its state
   * buffers, all updated in place, with the rules of src/optim (PyTorch's). Scalars that depend
   * on the step (bias corrections, a decayed learning rate) are computed by the optimizer.
   */
  sgdStep(w: TypedArray, g: TypedArray, momentumBuffer: TypedArray | null, h: SGDStep): void;
  adamStep(
    w: TypedArray,
    g: TypedArray,
    expAvg: TypedArray,
    expAvgSq: TypedArray,
    maxExpAvgSq: TypedArray | null,
    h: AdamStep,
  ): void;
  adagradStep(w: TypedArray, g: TypedArray, sum: TypedArray, h: AdagradStep): void;
  rmspropStep(
    w: TypedArray,
    g: TypedArray,
    squareAvg: TypedArray,
    momentumBuffer: TypedArray | null,
    gradAvg: TypedArray | null,
    h: RMSpropStep,
  ): void;
}

/**
 * Element-wise unary kernels: one per formula of `js/unary-table.ts` (where each is defined, with
 * its edge cases), plus `cast`, which copies converting the element type (floats to int32
 * truncate toward zero).
 */
export type UnaryKernel = UnaryFormula | 'cast';

/**
 * Element-wise binary kernels: one per formula of `js/binary-table.ts` (where each is defined,
 * with its edge cases). Comparisons write 1 (true) or 0 (false). `tanhGrad`, `sigmoidGrad` and
 * `reluGrad` are fused derivative kernels (for speed: one pass instead of three or four).
 */
export type BinaryKernel = BinaryFormula;

export type ReduceKernel = 'sum' | 'max' | 'min';

/**
 * The operands `binary` and `where` end with: two inputs, each with the strides that read it at
 * the output's positions, and the output with its shape.
 */
type TwoStrided = [
  a: TypedArray,
  aStrides: readonly number[],
  b: TypedArray,
  bStrides: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
];

/**
 * The scalars of one SGD step: the hyperparameters of `SGD` (src/optim/sgd.ts, which states its
 * update rule and their defaults), and `first`.
 */
export interface SGDStep {
  /** Learning rate η. */
  lr: number;
  /** Momentum factor μ (0: plain gradient descent). */
  momentum: number;
  /** Dampening τ of the momentum. */
  dampening: number;
  /** L2 penalty λ: adds λ·w to the gradient. */
  weightDecay: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Ascend the objective instead of descending it. */
  maximize: boolean;
  /** The momentum buffer is new: it takes the gradient. */
  first: boolean;
}

/**
 * The scalars of one Adam step: `stepSize` = η/(1 − β₁ᵗ), `bc2Sqrt` = √(1 − β₂ᵗ); `decay` the
 * decoupled (AdamW) factor 1 − η·λ (1: none); `l2` the coupled weight decay λ (0: none).
 */
export interface AdamStep {
  beta1: number;
  beta2: number;
  eps: number;
  stepSize: number;
  bc2Sqrt: number;
  decay: number;
  l2: number;
  maximize: boolean;
}

/** The scalars of one Adagrad step; `clr` = η / (1 + (t − 1)·lrDecay). */
export interface AdagradStep {
  clr: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
}

/** The scalars of one RMSprop step. */
export interface RMSpropStep {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  maximize: boolean;
}

/**
 * How `normalize` reads its input: x is [outer, channels, inner], row-major, and each channel is
 * normalized over its outer·inner elements with ε = `eps` (batch norm: [N, C, spatial]; layer
 * norm: [1, rows, normalized size]; group norm: [1, N·groups, channels per group·spatial]).
 */
export interface NormLayout {
  outer: number;
  channels: number;
  inner: number;
  eps: number;
}

/**
 * The geometry of a 2-D sliding window over an input [n, c, h, w] (1-D operations use h = 1,
 * kh = 1): kernel kh×kw, stride sh×sw, zero padding ph (top and bottom) × pw (left and right),
 * dilation dh×dw, and the output size oh×ow, which the caller has computed and checked:
 * oh = ⌊(h + 2·ph − dh·(kh − 1) − 1) / sh⌋ + 1, likewise ow.
 */
export interface Window2d {
  n: number;
  c: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  oh: number;
  ow: number;
}
