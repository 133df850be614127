import type { DType } from './dtype.js';
import { engine } from './state.js';
import type { Tensor } from './tensor.js';

/** A tensor or a plain number, accepted wherever a binary operation takes an operand. */
export type TensorLike = Tensor | number;

/** One axis, several, or (when omitted) all of them. */
export type Axes = number | readonly number[];

/**
 * One dimension of a slice: a number selects that index and drops the dimension; `null` or `':'`
 * keeps it whole; a string in Python's form (`'1:3'`, `'::2'`, `'-2:'`, `'::-1'` is not supported)
 * or an object `{ start, end, step }` takes a range (negative positions count from the end; the
 * step is positive).
 */
export type SliceSpec = number | string | null | { start?: number; end?: number; step?: number };

/** Options of `backward()`, as in PyTorch. */
export interface BackwardOptions {
  /** Keep the graph so that backward can run through it again (default false). */
  retainGraph?: boolean;
  /** Record the backward pass itself as a graph, for higher-order gradients (default false). */
  createGraph?: boolean;
}

/** Options of `softplus`, as PyTorch's. */
export interface SoftplusOptions {
  /** β in (1/β)·log(1 + e^(βx)) (default 1); a positive finite number. */
  beta?: number;
  /** Where βx > threshold the result is x itself (default 20); `Infinity` never switches. */
  threshold?: number;
}

/** Options of `round`, as PyTorch's keyword argument. */
export interface RoundOptions {
  /** Digits after the decimal point to keep (default 0); negative rounds to tens, hundreds, … */
  decimals?: number;
}

/** Options of `nanToNum`, as PyTorch's keyword arguments. */
export interface NanToNumOptions {
  /** What NaN becomes (default 0). */
  nan?: number;
  /** What +Infinity becomes (default: the dtype's largest finite value). */
  posinf?: number;
  /** What −Infinity becomes (default: the dtype's most negative finite value). */
  neginf?: number;
}

/** Options of `var`, `std`, `varMean` and `stdMean`, as PyTorch's keyword arguments. */
export interface VarianceOptions {
  /** The divisor is n − correction (default 1, Bessel's correction; 0 for the population variance). */
  correction?: number;
  /** Keep the reduced axes as size 1 (default false). */
  keepdims?: boolean;
}

/** Options of `isclose` and `allclose`, as PyTorch's (same defaults). */
export interface CloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Count NaN as close to NaN (default false). */
  equalNan?: boolean;
}

/** Options of `sort` and `argsort`, as PyTorch's keyword arguments. */
export interface SortOptions {
  /** Keep equal elements in their order. nabla's sort is always stable, so this changes nothing. */
  stable?: boolean;
}

/** The result of an operation that picks elements: their values and their int32 positions along the axis (as PyTorch's `(values, indices)`). */
export interface ValuesAndIndices {
  values: Tensor;
  indices: Tensor;
}

/**
 * One entry of `index` / `indexPut`, as in Python's `x[…]`: a slice spec (a number selects and
 * drops the dim, `null` or `':'` keeps it whole, `'1:3'` or `{ start, end, step }` takes a range,
 * `'...'` stands for as many whole dims as needed), an int32 tensor of indices, or a mask (a bool
 * or uint8 tensor) covering as many dims as it has.
 */
export type IndexSpec = SliceSpec | Tensor;

/** Options of `indexPut`, as PyTorch's. */
export interface IndexPutOptions {
  /** Add the values to what is there (every repeat counted) instead of writing them. */
  accumulate?: boolean;
}

/** Options of `scatter`, as PyTorch's keyword arguments. */
export interface ScatterOptions {
  /** Combine with the value there instead of overwriting it (not differentiable for 'multiply'). */
  reduce?: 'add' | 'multiply';
}

/**
 * The operations behind the `Tensor` methods. The tensor layer declares them; the ops layer
 * supplies them when the library loads (`installTensorMethods`), so that `tensor/` never imports
 * the layers below it.
 */
export interface TensorMethods {
  add(self: Tensor, other: TensorLike): Tensor;
  sub(self: Tensor, other: TensorLike): Tensor;
  mul(self: Tensor, other: TensorLike): Tensor;
  div(self: Tensor, other: TensorLike, options?: { roundingMode?: 'trunc' | 'floor' }): Tensor;
  pow(self: Tensor, exponent: TensorLike): Tensor;
  maximum(self: Tensor, other: TensorLike): Tensor;
  minimum(self: Tensor, other: TensorLike): Tensor;
  neg(self: Tensor): Tensor;
  exp(self: Tensor): Tensor;
  log(self: Tensor): Tensor;
  log1p(self: Tensor): Tensor;
  sqrt(self: Tensor): Tensor;
  abs(self: Tensor): Tensor;
  sign(self: Tensor): Tensor;
  tanh(self: Tensor): Tensor;
  sigmoid(self: Tensor): Tensor;
  relu(self: Tensor): Tensor;
  leakyRelu(self: Tensor, negativeSlope?: number): Tensor;
  softplus(self: Tensor, options?: SoftplusOptions): Tensor;
  step(self: Tensor): Tensor;
  sin(self: Tensor): Tensor;
  cos(self: Tensor): Tensor;
  square(self: Tensor): Tensor;
  reciprocal(self: Tensor): Tensor;
  clamp(self: Tensor, min?: number | null, max?: number | null): Tensor;
  eq(self: Tensor, other: TensorLike): Tensor;
  ne(self: Tensor, other: TensorLike): Tensor;
  lt(self: Tensor, other: TensorLike): Tensor;
  le(self: Tensor, other: TensorLike): Tensor;
  gt(self: Tensor, other: TensorLike): Tensor;
  ge(self: Tensor, other: TensorLike): Tensor;
  isfinite(self: Tensor): Tensor;
  tan(self: Tensor): Tensor;
  asin(self: Tensor): Tensor;
  acos(self: Tensor): Tensor;
  atan(self: Tensor): Tensor;
  sinh(self: Tensor): Tensor;
  cosh(self: Tensor): Tensor;
  asinh(self: Tensor): Tensor;
  acosh(self: Tensor): Tensor;
  atanh(self: Tensor): Tensor;
  rsqrt(self: Tensor): Tensor;
  log2(self: Tensor): Tensor;
  log10(self: Tensor): Tensor;
  expm1(self: Tensor): Tensor;
  exp2(self: Tensor): Tensor;
  trunc(self: Tensor): Tensor;
  floor(self: Tensor): Tensor;
  ceil(self: Tensor): Tensor;
  frac(self: Tensor): Tensor;
  isnan(self: Tensor): Tensor;
  isinf(self: Tensor): Tensor;
  round(self: Tensor, options?: RoundOptions): Tensor;
  nanToNum(self: Tensor, options?: NanToNumOptions): Tensor;
  atan2(self: Tensor, other: TensorLike): Tensor;
  copysign(self: Tensor, other: TensorLike): Tensor;
  logaddexp(self: Tensor, other: TensorLike): Tensor;
  hypot(self: Tensor, other: TensorLike): Tensor;
  xlogy(self: Tensor, other: TensorLike): Tensor;
  lerp(self: Tensor, end: TensorLike, weight: TensorLike): Tensor;
  where(self: Tensor, condition: TensorLike, other: TensorLike): Tensor;
  to(self: Tensor, dtype: DType): Tensor;
  matmul(self: Tensor, other: Tensor): Tensor;
  transpose(self: Tensor, dim0: number, dim1: number): Tensor;
  permute(self: Tensor, dims: readonly number[]): Tensor;
  reshape(self: Tensor, shape: readonly number[]): Tensor;
  flatten(self: Tensor, startDim?: number, endDim?: number): Tensor;
  squeeze(self: Tensor, dim?: Axes): Tensor;
  unsqueeze(self: Tensor, dim: number): Tensor;
  expand(self: Tensor, shape: readonly number[]): Tensor;
  slice(self: Tensor, specs: readonly SliceSpec[]): Tensor;
  select(self: Tensor, dim: number, index: number): Tensor;
  narrow(self: Tensor, dim: number, start: number, length: number): Tensor;
  indexSelect(self: Tensor, dim: number, index: Tensor | readonly number[]): Tensor;
  gather(self: Tensor, dim: number, index: Tensor): Tensor;
  index(self: Tensor, indices: readonly IndexSpec[]): Tensor;
  indexPut(
    self: Tensor,
    indices: readonly IndexSpec[],
    values: TensorLike,
    options?: IndexPutOptions,
  ): Tensor;
  scatter(
    self: Tensor,
    dim: number,
    index: Tensor,
    src: TensorLike,
    options?: ScatterOptions,
  ): Tensor;
  scatterAdd(self: Tensor, dim: number, index: Tensor, src: Tensor): Tensor;
  indexAdd(
    self: Tensor,
    dim: number,
    index: Tensor | readonly number[],
    source: Tensor,
    options?: { alpha?: number },
  ): Tensor;
  take(self: Tensor, index: Tensor): Tensor;
  maskedFill(self: Tensor, mask: Tensor, value: TensorLike): Tensor;
  maskedSelect(self: Tensor, mask: Tensor): Tensor;
  nonzero(self: Tensor): Tensor;
  flip(self: Tensor, dims: Axes): Tensor;
  roll(self: Tensor, shifts: Axes, dims?: Axes): Tensor;
  repeat(self: Tensor, sizes: readonly number[]): Tensor;
  repeatInterleave(self: Tensor, repeats: number | Tensor, dim?: number): Tensor;
  tril(self: Tensor, diagonal?: number): Tensor;
  triu(self: Tensor, diagonal?: number): Tensor;
  diag(self: Tensor, diagonal?: number): Tensor;
  diagonal(self: Tensor, offset?: number, dim1?: number, dim2?: number): Tensor;
  diagEmbed(self: Tensor, offset?: number, dim1?: number, dim2?: number): Tensor;
  unflatten(self: Tensor, dim: number, sizes: readonly number[]): Tensor;
  split(self: Tensor, splitSize: number | readonly number[], dim?: number): Tensor[];
  chunk(self: Tensor, chunks: number, dim?: number): Tensor[];
  unbind(self: Tensor, dim?: number): Tensor[];
  unfold(self: Tensor, dimension: number, size: number, step: number): Tensor;
  sum(self: Tensor, axis?: Axes, keepdims?: boolean): Tensor;
  mean(self: Tensor, axis?: Axes, keepdims?: boolean): Tensor;
  max(self: Tensor, axis?: Axes, keepdims?: boolean): Tensor;
  min(self: Tensor, axis?: Axes, keepdims?: boolean): Tensor;
  logsumexp(self: Tensor, axis?: Axes, keepdims?: boolean): Tensor;
  softmax(self: Tensor, axis?: number): Tensor;
  logSoftmax(self: Tensor, axis?: number): Tensor;
  argmax(self: Tensor, axis?: number, keepdims?: boolean): Tensor;
  argmin(self: Tensor, axis?: number, keepdims?: boolean): Tensor;
  clone(self: Tensor): Tensor;
  cumsum(self: Tensor, axis: number): Tensor;
  cumprod(self: Tensor, axis: number): Tensor;
  logcumsumexp(self: Tensor, axis: number): Tensor;
  cummax(self: Tensor, axis: number): ValuesAndIndices;
  cummin(self: Tensor, axis: number): ValuesAndIndices;
  sort(self: Tensor, axis?: number, descending?: boolean, options?: SortOptions): ValuesAndIndices;
  argsort(self: Tensor, axis?: number, descending?: boolean, options?: SortOptions): Tensor;
  topk(
    self: Tensor,
    k: number,
    axis?: number,
    largest?: boolean,
    sorted?: boolean,
  ): ValuesAndIndices;
  kthvalue(self: Tensor, k: number, axis?: number, keepdims?: boolean): ValuesAndIndices;
  median(self: Tensor, axis?: number, keepdims?: boolean): Tensor | ValuesAndIndices;
  mode(self: Tensor, axis?: number, keepdims?: boolean): ValuesAndIndices;
  prod(self: Tensor, axis?: number, keepdims?: boolean): Tensor;
  var(self: Tensor, axis?: Axes, options?: VarianceOptions): Tensor;
  std(self: Tensor, axis?: Axes, options?: VarianceOptions): Tensor;
  isclose(self: Tensor, other: Tensor, options?: CloseOptions): Tensor;
  allclose(self: Tensor, other: Tensor, options?: CloseOptions): boolean;
  norm(self: Tensor, p?: number | 'fro', axis?: Axes, keepdims?: boolean): Tensor;
  /** Not a Tensor method: `stack`, for autograd's transforms (jacobian, vmap), which cannot import ops. */
  stack(tensors: readonly Tensor[], axis: number): Tensor;
  logicalNot(self: Tensor): Tensor;
  logicalAnd(self: Tensor, other: TensorLike): Tensor;
  logicalOr(self: Tensor, other: TensorLike): Tensor;
  logicalXor(self: Tensor, other: TensorLike): Tensor;
  any(self: Tensor, axis?: Axes, keepdims?: boolean): Tensor;
  all(self: Tensor, axis?: Axes, keepdims?: boolean): Tensor;
  remainder(self: Tensor, other: TensorLike): Tensor;
  fmod(self: Tensor, other: TensorLike): Tensor;
  floorDivide(self: Tensor, other: TensorLike): Tensor;
  bitwiseAnd(self: Tensor, other: TensorLike): Tensor;
  bitwiseOr(self: Tensor, other: TensorLike): Tensor;
  bitwiseXor(self: Tensor, other: TensorLike): Tensor;
  bitwiseNot(self: Tensor): Tensor;
  bitwiseLeftShift(self: Tensor, other: TensorLike): Tensor;
  bitwiseRightShift(self: Tensor, other: TensorLike): Tensor;
  backward(self: Tensor, gradient: TensorLike | undefined, options: BackwardOptions): void;
}

/** Called once by the ops layer when the library loads; kept in `engine.methods`. */
export function installTensorMethods(methods: TensorMethods): void {
  engine.methods = methods;
}

/** The installed operations; throws when only the tensor layer was loaded. */
export function tensorMethods(): TensorMethods {
  const installed = engine.methods;
  if (installed === undefined) {
    throw new Error(
      'nabla: tensor operations are not loaded; import from "nabla" (the package entry), not from an internal module',
    );
  }
  return installed;
}
