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
