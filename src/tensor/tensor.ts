import {
  allocate,
  checkDType,
  dtypeOfArray,
  storedAs,
  isFloating,
  type DType,
  type TypedArray,
} from './dtype.js';
import { formatValue, kindOf } from './check.js';
import { formatTensor } from './format.js';
import {
  tensorMethods as m,
  type Axes,
  type BackwardOptions,
  type IndexPutOptions,
  type IndexSpec,
  type ScatterOptions,
  type SliceSpec,
  type SoftplusOptions,
  type RoundOptions,
  type NanToNumOptions,
  type TensorLike,
  type ValuesAndIndices,
  type CloseOptions,
  type SortOptions,
  type VarianceOptions,
} from './methods.js';
import { toNested, type NestedArray } from './nested.js';
import { formatShape, sizeOf, type Shape } from './shape.js';

/**
 * The record autograd keeps for a tensor computed by an operation: the operation's name, the
 * tensors it was computed from, and its vector-Jacobian product. Named as PyTorch names them
 * (`MulBackward`), so that pictures of the graph can show them.
 */
export interface GradFn {
  /** `MulBackward`, `MatmulBackward`, … */
  readonly name: string;
  /** The primitive operation: `mul`, `matmul`, … */
  readonly op: string;
  /** The operation's tensor inputs, in order. */
  readonly inputs: readonly Tensor[];
  /** Non-tensor arguments of the operation (axes, exponent, …), for display. */
  readonly attrs: Readonly<Record<string, unknown>> | undefined;
  /** Where in the user's code the operation ran (recorded under `detectAnomaly`). */
  readonly createdAt: string | undefined;
  /** True once a backward pass without `retainGraph` went through this node. */
  readonly freed: boolean;
}

/** Options accepted when a tensor is built. */
export interface TensorInit {
  requiresGrad?: boolean;
  name?: string;
  /** The dtype of a tensor built from a single number (default float32). */
  dtype?: DType;
}

/**
 * An n-dimensional array of numbers that can take part in automatic differentiation.
 *
 * Data are held contiguously, row-major, in a typed array of the tensor's dtype. Operations never
 * change their inputs; they return new tensors, recording how they were made when an input
 * requires a gradient, so that `backward()` can apply the chain rule.
 *
 * @example
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * x.grad?.toArray(); // => [2, 4, 6]
 */
export class Tensor {
  /**
   * @internal The elements; null for a one-element tensor held as `_value` until its array is
   * first asked for. Small results of operations stay plain numbers: a typed array costs about
   * 200 bytes, which dominates graphs of scalar operations.
   */
  _data: TypedArray | null;
  /** @internal The single value while `_data` is null. */
  _value: number;
  /** The size of each dimension. */
  readonly shape: Shape;
  /** The element type. */
  readonly dtype: DType;
  /** @internal The gradient behind `grad`: the library's own code reads it here. */
  _grad: Tensor | null = null;
  /**
   * @internal Whether `_grad` may be held outside the library: read or set through `grad`, or
   * built with a graph. Clearing an unseen gradient gives its storage back to the caching
   * allocator (autograd/recycle.ts's `clearGrad`), for the next backward pass to write into.
   */
  _gradSeen = false;
  /** How this tensor was computed, or null for a leaf (a tensor made directly by the user). */
  gradFn: GradFn | null = null;
  /** A user-facing name, shown in printed graphs and explanations. */
  name: string | undefined;

  /** @internal Whether this leaf requires a gradient. */
  _leafRequiresGrad: boolean;
  /** @internal Whether a non-leaf keeps its gradient (`retainGrad`). */
  _retainsGrad = false;
  /** @internal Scratch used by the backward pass: visit mark, consumers not yet done, pending gradient. */
  _mark = 0;
  /** @internal */
  _deps = 0;
  /** @internal */
  _pending: Tensor | null = null;
  /** @internal True when another tensor may see this one's storage (views, detach, shared gradients). */
  _shared = false;
  /** @internal The backward pass that last handed this tensor out as a gradient. */
  _handed = 0;
  /**
   * @internal Set by the backward pass while a rule runs on this gradient when nothing else can
   * see it: a rule that reads it once may write its result into it (`ops/fused-grads.ts`).
   */
  _donatable = false;
  /** @internal Set on outputs of non-differentiable operations applied to tensors needing gradients. */
  _nondifferentiable: string | undefined;

  /**
   * Wraps a typed array as a tensor of the given shape, without copying; or holds a single number
   * (for a shape with one element, dtype from `init.dtype`). Most code should use `tensor()`,
   * `zeros()` and the other creation functions instead.
   */
  constructor(data: TypedArray | number, shape: Shape, init?: TensorInit) {
    if (!Array.isArray(shape)) {
      throw new TypeError(`Tensor: shape must be an array of sizes, got ${formatValue(shape)}`);
    }
    if (typeof data === 'number') {
      const dtype = init?.dtype === undefined ? 'float32' : checkDType(init.dtype, 'Tensor');
      if (sizeOf(shape) !== 1) {
        throw new RangeError(
          `Tensor: a single number needs a shape with one element, got ${formatShape(shape)}`,
        );
      }
      this._data = null;
      this._value = storedAs(dtype, data);
      this.dtype = dtype;
    } else {
      const dtype = dtypeOfArray(data);
      if (dtype === undefined) {
        throw new TypeError(
          `Tensor: data must be a Float32Array, Float64Array, Int32Array, Uint8Array or BoolArray (or a number), got ${kindOf(data)}`,
        );
      }
      if (sizeOf(shape) !== data.length) {
        throw new RangeError(
          `Tensor: shape ${formatShape(shape)} holds ${sizeOf(shape)} elements but the data has ${data.length}`,
        );
      }
      this._data = data;
      this._value = 0;
      this.dtype = dtype;
    }
    this.shape = shape;
    this.name = init?.name;
    this._leafRequiresGrad = false;
    if (init?.requiresGrad) this.requiresGrad = true;
  }

  /** The elements, row-major, in a typed array of the tensor's dtype. Shared, not copied: treat it as read-only unless you own the tensor. */
  get data(): TypedArray {
    const d = this._data;
    return d !== null ? d : this._materialize();
  }

  private _materialize(): TypedArray {
    const d = allocate(this.dtype, 1);
    d[0] = this._value;
    this._data = d;
    return d;
  }

  /** @internal The value of a one-element tensor, without building its array. */
  _scalar(): number {
    const d = this._data;
    return d !== null ? d[0] : this._value;
  }

  /** The number of elements. */
  get size(): number {
    const d = this._data;
    return d !== null ? d.length : 1;
  }

  /** The number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The number of elements (PyTorch's name). */
  numel(): number {
    return this.size;
  }

  /** The number of dimensions (PyTorch's name). */
  dim(): number {
    return this.shape.length;
  }

  /** The accumulated gradient after `backward()` (leaves and `retainGrad()` tensors only). */
  get grad(): Tensor | null {
    this._gradSeen = true;
    return this._grad;
  }

  set grad(value: Tensor | null) {
    this._grad = value;
    this._gradSeen = true;
  }

  /** True for tensors not computed by a recorded operation. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /**
   * Whether gradients flow to this tensor. Settable on leaves only (only floating-point tensors can
   * require gradients); a computed tensor requires a gradient when one of its inputs does.
   */
  get requiresGrad(): boolean {
    return this.gradFn !== null || this._leafRequiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (this.gradFn !== null) {
      throw new Error(
        `requiresGrad: can only be set on leaf tensors; this tensor was computed by ${this.gradFn.name} ` +
          '(use .detach() to get a leaf)',
      );
    }
    if (value && !isFloating(this.dtype)) {
      throw new TypeError(
        `requiresGrad: only floating-point tensors can require gradients, this one is ${this.dtype}`,
      );
    }
    this._leafRequiresGrad = value;
  }

  /** Sets `requiresGrad` in place and returns this tensor (PyTorch's `requires_grad_`). */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** Asks a computed tensor to keep its gradient in `.grad` after `backward()`. */
  retainGrad(): this {
    if (!this.requiresGrad) {
      throw new Error('retainGrad: this tensor does not require a gradient');
    }
    if (this.gradFn !== null) this._retainsGrad = true;
    return this;
  }

  /** Gives the tensor a name for graphs and explanations, and returns it. */
  named(name: string): this {
    this.name = name;
    return this;
  }

  /** The single value of a one-element tensor, as a number. */
  item(): number {
    if (this.size !== 1) {
      throw new RangeError(
        `item: only a tensor with exactly one element has an item; this one has shape ${formatShape(this.shape)} (${this.size} elements)`,
      );
    }
    return this._scalar();
  }

  /**
   * The values as nested arrays (a plain number for a 0-d tensor); a bool tensor gives true and
   * false, as PyTorch's `tolist`.
   */
  toArray(): NestedArray {
    const data = this.data;
    return toNested(this.dtype === 'bool' ? Array.from(data, (v) => v !== 0) : data, this.shape);
  }

  /** A readable rendering, in the manner of PyTorch's printing. */
  toString(): string {
    const suffixes: string[] = [];
    // A bool tensor's values name its dtype, as PyTorch prints it.
    if (this.dtype !== 'float32' && this.dtype !== 'bool') suffixes.push(`dtype=${this.dtype}`);
    if (this.gradFn !== null) suffixes.push(`gradFn=<${this.gradFn.name}>`);
    else if (this.requiresGrad) suffixes.push('requiresGrad=true');
    return formatTensor(this.data, this.shape, this.dtype, suffixes);
  }

  /** @internal Node's util.inspect uses this, so console.log shows the same text. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /**
   * Computes the gradient of this tensor with respect to every leaf that requires one, adding it
   * into their `.grad` (gradients accumulate until cleared). A non-scalar tensor needs `gradient`,
   * the upstream gradient of the same shape.
   *
   * The graph stays reachable from this tensor afterwards (so that it can be traced and drawn):
   * keep numbers such as `loss.item()` rather than tensors across training steps.
   *
   * @example
   * const x = tensor(3, { requiresGrad: true });
   * x.pow(2).backward();
   * x.grad?.item(); // => 6
   */
  backward(gradient?: TensorLike | BackwardOptions, options?: BackwardOptions): void {
    if (gradient !== undefined && typeof gradient !== 'number' && !(gradient instanceof Tensor)) {
      m().backward(this, undefined, gradient);
    } else {
      m().backward(this, gradient, options ?? {});
    }
  }

  /** A tensor sharing this one's data, cut from the graph (requires no gradient). */
  detach(): Tensor {
    const view = new Tensor(this.data, this.shape);
    this._shared = true;
    view._shared = true;
    return view;
  }

  /**
   * A copy of the data in a new tensor. Not differentiable in nabla: the copy is cut from the
   * graph, like `detach()` but with its own storage (unlike PyTorch's `clone`, which is
   * differentiable; use `x.mul(1)` for a differentiable copy).
   */
  clone(): Tensor {
    return m().clone(this);
  }

  /** Element-wise sum, broadcasting: `this + other`. */
  add(other: TensorLike): Tensor {
    return m().add(this, other);
  }
  /** Element-wise difference, broadcasting: `this - other`. */
  sub(other: TensorLike): Tensor {
    return m().sub(this, other);
  }
  /** Element-wise product, broadcasting: `this * other`. */
  mul(other: TensorLike): Tensor {
    return m().mul(this, other);
  }
  /**
   * Element-wise quotient, broadcasting: `this / other` (true division; integer and bool give
   * float32), or rounded with `roundingMode` 'trunc' or 'floor' in the promoted dtype.
   */
  div(other: TensorLike, options?: { roundingMode?: 'trunc' | 'floor' }): Tensor {
    return m().div(this, other, options);
  }
  /** The remainder of `this / other` with the sign of `other` (Python's `%`). */
  remainder(other: TensorLike): Tensor {
    return m().remainder(this, other);
  }
  /** The remainder of `this / other` with the sign of `this` (C's `fmod`, JavaScript's `%`). */
  fmod(other: TensorLike): Tensor {
    return m().fmod(this, other);
  }
  /** floor(`this / other`) in the promoted dtype (Python's `//`; not differentiable). */
  floorDivide(other: TensorLike): Tensor {
    return m().floorDivide(this, other);
  }
  /** Bitwise and (logical for bool); integer and bool tensors only. */
  bitwiseAnd(other: TensorLike): Tensor {
    return m().bitwiseAnd(this, other);
  }
  /** Bitwise or (logical for bool); integer and bool tensors only. */
  bitwiseOr(other: TensorLike): Tensor {
    return m().bitwiseOr(this, other);
  }
  /** Bitwise xor (logical for bool); integer and bool tensors only. */
  bitwiseXor(other: TensorLike): Tensor {
    return m().bitwiseXor(this, other);
  }
  /** Every bit flipped (logical not for bool); integer and bool tensors only. */
  bitwiseNot(): Tensor {
    return m().bitwiseNot(this);
  }
  /** `this << other`, wrapping in this dtype; integer tensors only. */
  bitwiseLeftShift(other: TensorLike): Tensor {
    return m().bitwiseLeftShift(this, other);
  }
  /** `this >> other`, arithmetic; integer tensors only. */
  bitwiseRightShift(other: TensorLike): Tensor {
    return m().bitwiseRightShift(this, other);
  }
  /** true where this is 0 (bool). */
  logicalNot(): Tensor {
    return m().logicalNot(this);
  }
  /** true where both this and `other` are non-zero (bool). */
  logicalAnd(other: TensorLike): Tensor {
    return m().logicalAnd(this, other);
  }
  /** true where this or `other` is non-zero (bool). */
  logicalOr(other: TensorLike): Tensor {
    return m().logicalOr(this, other);
  }
  /** true where exactly one of this and `other` is non-zero (bool). */
  logicalXor(other: TensorLike): Tensor {
    return m().logicalXor(this, other);
  }
  /** Whether any element is non-zero, over all or along `axis` (bool). */
  any(axis?: Axes, keepdims?: boolean): Tensor {
    return m().any(this, axis, keepdims);
  }
  /** Whether every element is non-zero, over all or along `axis` (bool). */
  all(axis?: Axes, keepdims?: boolean): Tensor {
    return m().all(this, axis, keepdims);
  }
  /** Element-wise power `this ** exponent` (a number, or a tensor broadcast against this one). */
  pow(exponent: TensorLike): Tensor {
    return m().pow(this, exponent);
  }
  /** Element-wise larger of the two; on ties the gradient is split evenly, as PyTorch does. */
  maximum(other: TensorLike): Tensor {
    return m().maximum(this, other);
  }
  /** Element-wise smaller of the two; on ties the gradient is split evenly, as PyTorch does. */
  minimum(other: TensorLike): Tensor {
    return m().minimum(this, other);
  }
  /** `-this`. */
  neg(): Tensor {
    return m().neg(this);
  }
  /** e to the power of each element. */
  exp(): Tensor {
    return m().exp(this);
  }
  /** Natural logarithm. */
  log(): Tensor {
    return m().log(this);
  }
  /** ln(1 + x), accurate for small |x|. */
  log1p(): Tensor {
    return m().log1p(this);
  }
  /** Square root. */
  sqrt(): Tensor {
    return m().sqrt(this);
  }
  /** Absolute value (gradient at 0 is 0). */
  abs(): Tensor {
    return m().abs(this);
  }
  /** -1, 0 or 1 (not differentiable: gradient 0). */
  sign(): Tensor {
    return m().sign(this);
  }
  /** Hyperbolic tangent. */
  tanh(): Tensor {
    return m().tanh(this);
  }
  /** The logistic function 1 / (1 + e^-x). */
  sigmoid(): Tensor {
    return m().sigmoid(this);
  }
  /** max(x, 0); the gradient at 0 is 0. */
  relu(): Tensor {
    return m().relu(this);
  }
  /** x where x > 0, else negativeSlope·x (default 0.01, as PyTorch). */
  leakyRelu(negativeSlope?: number): Tensor {
    return m().leakyRelu(this, negativeSlope);
  }
  /** (1/β)·log(1 + e^(βx)), linear where βx > threshold (defaults β = 1, threshold 20, as PyTorch). */
  softplus(options?: SoftplusOptions): Tensor {
    return m().softplus(this, options);
  }
  /** The unit step: 1 where x > 0, else 0. Its derivative is taken as 0 everywhere. */
  step(): Tensor {
    return m().step(this);
  }
  /** Sine. */
  sin(): Tensor {
    return m().sin(this);
  }
  /** Cosine. */
  cos(): Tensor {
    return m().cos(this);
  }
  /** `this * this`. */
  square(): Tensor {
    return m().square(this);
  }
  /** `1 / this`. */
  reciprocal(): Tensor {
    return m().reciprocal(this);
  }
  /** Limits every element to [min, max] (either bound may be omitted). */
  clamp(min?: number | null, max?: number | null): Tensor {
    return m().clamp(this, min, max);
  }
  /** true where equal (bool; not differentiable). */
  eq(other: TensorLike): Tensor {
    return m().eq(this, other);
  }
  /** true where not equal (bool; not differentiable). */
  ne(other: TensorLike): Tensor {
    return m().ne(this, other);
  }
  /** true where `this < other` (bool; not differentiable). */
  lt(other: TensorLike): Tensor {
    return m().lt(this, other);
  }
  /** true where `this <= other` (bool; not differentiable). */
  le(other: TensorLike): Tensor {
    return m().le(this, other);
  }
  /** true where `this > other` (bool; not differentiable). */
  gt(other: TensorLike): Tensor {
    return m().gt(this, other);
  }
  /** true where `this >= other` (bool; not differentiable). */
  ge(other: TensorLike): Tensor {
    return m().ge(this, other);
  }
  /** true where the element is finite, false for NaN and ±Infinity (bool; not differentiable). */
  isfinite(): Tensor {
    return m().isfinite(this);
  }
  /** Tangent. */
  tan(): Tensor {
    return m().tan(this);
  }
  /** Arcsine (NaN outside [−1, 1]). */
  asin(): Tensor {
    return m().asin(this);
  }
  /** Arccosine (NaN outside [−1, 1]). */
  acos(): Tensor {
    return m().acos(this);
  }
  /** Arctangent. */
  atan(): Tensor {
    return m().atan(this);
  }
  /** Hyperbolic sine. */
  sinh(): Tensor {
    return m().sinh(this);
  }
  /** Hyperbolic cosine. */
  cosh(): Tensor {
    return m().cosh(this);
  }
  /** Inverse hyperbolic sine. */
  asinh(): Tensor {
    return m().asinh(this);
  }
  /** Inverse hyperbolic cosine (NaN below 1). */
  acosh(): Tensor {
    return m().acosh(this);
  }
  /** Inverse hyperbolic tangent. */
  atanh(): Tensor {
    return m().atanh(this);
  }
  /** 1/√x. */
  rsqrt(): Tensor {
    return m().rsqrt(this);
  }
  /** Logarithm to base 2. */
  log2(): Tensor {
    return m().log2(this);
  }
  /** Logarithm to base 10. */
  log10(): Tensor {
    return m().log10(this);
  }
  /** e^x − 1, accurate for small |x|. */
  expm1(): Tensor {
    return m().expm1(this);
  }
  /** 2^x. */
  exp2(): Tensor {
    return m().exp2(this);
  }
  /** Rounds toward zero (gradient 0). */
  trunc(): Tensor {
    return m().trunc(this);
  }
  /** Rounds down (gradient 0). */
  floor(): Tensor {
    return m().floor(this);
  }
  /** Rounds up (gradient 0). */
  ceil(): Tensor {
    return m().ceil(this);
  }
  /** The fractional part x − trunc(x) (gradient 1). */
  frac(): Tensor {
    return m().frac(this);
  }
  /** 1 where NaN, else 0 (not differentiable). */
  isnan(): Tensor {
    return m().isnan(this);
  }
  /** 1 where ±Infinity, else 0 (not differentiable). */
  isinf(): Tensor {
    return m().isinf(this);
  }
  /** Rounds to the nearest integer, halves to even (or to `decimals` digits), as PyTorch (gradient 0). */
  round(options?: RoundOptions): Tensor {
    return m().round(this, options);
  }
  /** NaN, ±Infinity replaced by finite numbers (defaults 0 and the dtype's extremes), as PyTorch's `nan_to_num`. */
  nanToNum(options?: NanToNumOptions): Tensor {
    return m().nanToNum(this, options);
  }
  /** The angle of the point (other, this), as PyTorch's `atan2`. */
  atan2(other: TensorLike): Tensor {
    return m().atan2(this, other);
  }
  /** |this| with the sign of `other`. */
  copysign(other: TensorLike): Tensor {
    return m().copysign(this, other);
  }
  /** log(e^this + e^other), without overflow. */
  logaddexp(other: TensorLike): Tensor {
    return m().logaddexp(this, other);
  }
  /** √(this² + other²), without overflow. */
  hypot(other: TensorLike): Tensor {
    return m().hypot(this, other);
  }
  /** this·log(other), 0 where this is 0. */
  xlogy(other: TensorLike): Tensor {
    return m().xlogy(this, other);
  }
  /** this + weight·(end − this), as PyTorch's `lerp`. */
  lerp(end: TensorLike, weight: TensorLike): Tensor {
    return m().lerp(this, end, weight);
  }
  /** This tensor where `condition` is non-zero, `other` elsewhere (PyTorch's `Tensor.where`). */
  where(condition: TensorLike, other: TensorLike): Tensor {
    return m().where(this, condition, other);
  }
  /** A copy converted to `dtype` (differentiable between float types). */
  to(dtype: DType): Tensor {
    return m().to(this, dtype);
  }
  /** Converts to float32. */
  float(): Tensor {
    return m().to(this, 'float32');
  }
  /** Converts to float64. */
  double(): Tensor {
    return m().to(this, 'float64');
  }
  /** Converts to int32 (truncating toward zero). */
  int(): Tensor {
    return m().to(this, 'int32');
  }
  /**
   * Matrix product, as PyTorch's `matmul`: 1-D·1-D is a dot product, 2-D·2-D a matrix product,
   * a 1-D operand is treated as a row (left) or column (right) vector, and leading dimensions of
   * higher-dimensional operands are batch dimensions that broadcast.
   */
  matmul(other: Tensor): Tensor {
    return m().matmul(this, other);
  }
  /** Matrix product of two 2-D tensors (PyTorch's `mm`). */
  mm(other: Tensor): Tensor {
    if (this.ndim !== 2 || other.ndim !== 2) {
      throw new RangeError(
        `mm: both operands must be 2-D, got shapes ${formatShape(this.shape)} and ${formatShape(other.shape)}`,
      );
    }
    return m().matmul(this, other);
  }
  /** Swaps two dimensions. */
  transpose(dim0: number, dim1: number): Tensor {
    return m().transpose(this, dim0, dim1);
  }
  /** The transpose of a tensor of at most 2 dimensions (PyTorch's `t()`). */
  t(): Tensor {
    if (this.ndim > 2) {
      throw new RangeError(
        `t: expects a tensor of at most 2 dimensions, got shape ${formatShape(this.shape)}; use transpose(dim0, dim1)`,
      );
    }
    return this.ndim < 2 ? this : m().transpose(this, 0, 1);
  }
  /** The transpose of a 2-D tensor (alias of `t()`). */
  get T(): Tensor {
    return this.t();
  }
  /** Reorders the dimensions: `x.permute(2, 0, 1)` or `x.permute([2, 0, 1])`. */
  permute(...dims: number[] | [readonly number[]]): Tensor {
    return m().permute(this, flatArgs(dims));
  }
  /** The same data in a new shape; one size may be -1 (inferred). */
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    return m().reshape(this, flatArgs(shape));
  }
  /** Alias of `reshape` (data are always contiguous in nabla). */
  view(...shape: number[] | [readonly number[]]): Tensor {
    return m().reshape(this, flatArgs(shape));
  }
  /** Merges dimensions startDim…endDim (default all) into one. */
  flatten(startDim?: number, endDim?: number): Tensor {
    return m().flatten(this, startDim, endDim);
  }
  /** Removes dimensions of size 1 (all of them, or the given ones). */
  squeeze(dim?: Axes): Tensor {
    return m().squeeze(this, dim);
  }
  /** Inserts a dimension of size 1 at `dim`. */
  unsqueeze(dim: number): Tensor {
    return m().unsqueeze(this, dim);
  }
  /** Broadcasts to a larger shape (-1 keeps a size); its gradient sums over the copies. */
  expand(...shape: number[] | [readonly number[]]): Tensor {
    return m().expand(this, flatArgs(shape));
  }
  /**
   * Takes a slice, one spec per leading dimension: a number selects an index (dropping the
   * dimension), `':'` or `null` keeps it, `'1:3'` / `'::2'` / `{ start, end, step }` take a range.
   *
   * @example
   * const x = tensor([[1, 2, 3], [4, 5, 6]]);
   * // the first row, then columns 1 and 2 of every row:
   * x.slice(0); // => [1, 2, 3]
   * x.slice(':', '1:3'); // => [[2, 3], [5, 6]]
   */
  slice(...specs: SliceSpec[]): Tensor {
    return m().slice(this, specs);
  }
  /**
   * Indexes leading dimensions by number, as `x[i, j]` in Python: `x.get(1)` is row 1,
   * `x.get(1, 2)` the element in row 1, column 2 (a 0-d tensor). Negative indices count from the end.
   */
  get(...indices: number[]): Tensor {
    return m().slice(this, indices);
  }
  /** The slice at `index` along `dim`, with that dimension removed. */
  select(dim: number, index: number): Tensor {
    return m().select(this, dim, index);
  }
  /** `length` elements along `dim` from `start`. */
  narrow(dim: number, start: number, length: number): Tensor {
    return m().narrow(this, dim, start, length);
  }
  /** The entries at `index` (int32 tensor or numbers) along `dim`; repeats allowed. */
  indexSelect(dim: number, index: Tensor | readonly number[]): Tensor {
    return m().indexSelect(this, dim, index);
  }
  /** PyTorch's `gather`: out[i][j] = this[i][index[i][j]] for dim = 1. */
  gather(dim: number, index: Tensor): Tensor {
    return m().gather(this, dim, index);
  }
  /**
   * Indexes as `x[i0, i1, …]` does in PyTorch, with tensors too: numbers, ranges and `null` as in
   * `slice`, int32 index tensors (broadcast together) and bool/uint8 masks. See `index`.
   *
   * @example
   * const x = tensor([[1, 2], [3, 4]]);
   * x.index([tensor([1, 1, 0], { dtype: 'int32' })]); // => [[3, 4], [3, 4], [1, 2]]
   */
  index(indices: readonly IndexSpec[]): Tensor {
    return m().index(this, indices);
  }
  /** A copy with `values` written (or added, with `accumulate`) at `this.index(indices)`: PyTorch's `index_put`. */
  indexPut(indices: readonly IndexSpec[], values: TensorLike, options?: IndexPutOptions): Tensor {
    return m().indexPut(this, indices, values, options);
  }
  /** A copy with `src` written along `dim` at `index` (PyTorch's `scatter`). */
  scatter(dim: number, index: Tensor, src: TensorLike, options?: ScatterOptions): Tensor {
    return m().scatter(this, dim, index, src, options);
  }
  /** This plus `src` added along `dim` at `index` (PyTorch's `scatter_add`). */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return m().scatterAdd(this, dim, index, src);
  }
  /** This plus alpha·`source` added at the rows `index` names along `dim` (PyTorch's `index_add`). */
  indexAdd(
    dim: number,
    index: Tensor | readonly number[],
    source: Tensor,
    options?: { alpha?: number },
  ): Tensor {
    return m().indexAdd(this, dim, index, source, options);
  }
  /** The elements at flat positions `index`, in its shape (PyTorch's `take`). */
  take(index: Tensor): Tensor {
    return m().take(this, index);
  }
  /** A copy with `value` where `mask` is nonzero (PyTorch's `masked_fill`). */
  maskedFill(mask: Tensor, value: TensorLike): Tensor {
    return m().maskedFill(this, mask, value);
  }
  /** The elements where `mask` is nonzero, as a 1-D tensor (PyTorch's `masked_select`). */
  maskedSelect(mask: Tensor): Tensor {
    return m().maskedSelect(this, mask);
  }
  /** The indices of the nonzero elements, one row each: int32 of shape [count, ndim]. */
  nonzero(): Tensor {
    return m().nonzero(this);
  }
  /** The elements in reverse order along each of `dims`. */
  flip(dims: Axes): Tensor {
    return m().flip(this, dims);
  }
  /** Shifted cyclically by `shifts` along `dims` (the flattened tensor without `dims`). */
  roll(shifts: Axes, dims?: Axes): Tensor {
    return m().roll(this, shifts, dims);
  }
  /**
   * Tiled `sizes[i]` times along each dim (PyTorch's `Tensor.repeat`).
   *
   * @example
   * tensor([1, 2]).repeat(2); // => [1, 2, 1, 2]
   */
  repeat(...sizes: number[] | [readonly number[]]): Tensor {
    return m().repeat(this, flatArgs(sizes));
  }
  /** Each element (slice along `dim`) repeated in place `repeats` (or `repeats[i]`) times. */
  repeatInterleave(repeats: number | Tensor, dim?: number): Tensor {
    return m().repeatInterleave(this, repeats, dim);
  }
  /** The lower triangle of the last two dims (column − row ≤ `diagonal`), zeros above. */
  tril(diagonal?: number): Tensor {
    return m().tril(this, diagonal);
  }
  /** The upper triangle of the last two dims (column − row ≥ `diagonal`), zeros below. */
  triu(diagonal?: number): Tensor {
    return m().triu(this, diagonal);
  }
  /** A vector's diagonal matrix, or a matrix's diagonal (PyTorch's `diag`). */
  diag(diagonal?: number): Tensor {
    return m().diag(this, diagonal);
  }
  /** The diagonal `offset` of dims `dim1`, `dim2` (default 0, 1), appended as the last dim. */
  diagonal(offset?: number, dim1?: number, dim2?: number): Tensor {
    return m().diagonal(this, offset, dim1, dim2);
  }
  /** The last dim placed on the diagonal of new dims `dim1`, `dim2` (default −2, −1). */
  diagEmbed(offset?: number, dim1?: number, dim2?: number): Tensor {
    return m().diagEmbed(this, offset, dim1, dim2);
  }
  /** Dim `dim` split into dims of `sizes` (one may be −1). */
  unflatten(dim: number, sizes: readonly number[]): Tensor {
    return m().unflatten(this, dim, sizes);
  }
  /** Pieces of `splitSize` (or of the listed sizes) along `dim` (default 0). */
  split(splitSize: number | readonly number[], dim?: number): Tensor[] {
    return m().split(this, splitSize, dim);
  }
  /** At most `chunks` pieces of equal size along `dim` (the last may be shorter). */
  chunk(chunks: number, dim?: number): Tensor[] {
    return m().chunk(this, chunks, dim);
  }
  /** The slices along `dim` (default 0), each without that dim. */
  unbind(dim?: number): Tensor[] {
    return m().unbind(this, dim);
  }
  /**
   * PyTorch's `Tensor.unfold`: the windows of `size` elements along `dimension`, `step` apart, as
   * a new last dim (the function `unfold` is im2col, as `F.unfold`).
   *
   * @example
   * tensor([1, 2, 3, 4, 5]).unfold(0, 2, 2); // => [[1, 2], [3, 4]]
   */
  unfold(dimension: number, size: number, step: number): Tensor {
    return m().unfold(this, dimension, size, step);
  }
  /** Sum over all elements, or over `axis` (one or several), keeping reduced dims if `keepdims`. */
  sum(axis?: Axes, keepdims?: boolean): Tensor {
    return m().sum(this, axis, keepdims);
  }
  /** Mean over all elements or over `axis`. */
  mean(axis?: Axes, keepdims?: boolean): Tensor {
    return m().mean(this, axis, keepdims);
  }
  /** Largest value over all elements or over `axis` (values only; see `argmax`). Ties share the gradient. */
  max(axis?: Axes, keepdims?: boolean): Tensor {
    return m().max(this, axis, keepdims);
  }
  /** Smallest value over all elements or over `axis`. Ties share the gradient. */
  min(axis?: Axes, keepdims?: boolean): Tensor {
    return m().min(this, axis, keepdims);
  }
  /** log(Σ exp(x)) computed stably (shifted by the maximum). */
  logsumexp(axis?: Axes, keepdims?: boolean): Tensor {
    return m().logsumexp(this, axis, keepdims);
  }
  /** exp(x) / Σ exp(x) along `axis` (default -1), computed stably. */
  softmax(axis?: number): Tensor {
    return m().softmax(this, axis);
  }
  /** x − logsumexp(x) along `axis` (default -1). */
  logSoftmax(axis?: number): Tensor {
    return m().logSoftmax(this, axis);
  }
  /** Index of the largest element (of the flattened tensor, or along `axis`), int32. Not differentiable. */
  argmax(axis?: number, keepdims?: boolean): Tensor {
    return m().argmax(this, axis, keepdims);
  }
  /** Index of the smallest element, int32. Not differentiable. */
  argmin(axis?: number, keepdims?: boolean): Tensor {
    return m().argmin(this, axis, keepdims);
  }
  /** The running sum along `axis`. */
  cumsum(axis: number): Tensor {
    return m().cumsum(this, axis);
  }
  /** The running product along `axis` (gradient exact at zeros). */
  cumprod(axis: number): Tensor {
    return m().cumprod(this, axis);
  }
  /** log Σ_{k≤j} exp(x_k) along `axis`, computed stably. */
  logcumsumexp(axis: number): Tensor {
    return m().logcumsumexp(this, axis);
  }
  /** The running maximum along `axis` and its positions (int32, latest on ties). */
  cummax(axis: number): ValuesAndIndices {
    return m().cummax(this, axis);
  }
  /** The running minimum along `axis` and its positions. */
  cummin(axis: number): ValuesAndIndices {
    return m().cummin(this, axis);
  }
  /** Sorted along `axis` (default −1), stably, with the positions the values came from. */
  sort(axis?: number, descending?: boolean, options?: SortOptions): ValuesAndIndices {
    return m().sort(this, axis, descending, options);
  }
  /** The positions that sort this tensor along `axis` (default −1), int32. */
  argsort(axis?: number, descending?: boolean, options?: SortOptions): Tensor {
    return m().argsort(this, axis, descending, options);
  }
  /** The k largest (or smallest) elements along `axis` and their positions. */
  topk(k: number, axis?: number, largest?: boolean, sorted?: boolean): ValuesAndIndices {
    return m().topk(this, k, axis, largest, sorted);
  }
  /** The k-th smallest element along `axis` (k from 1) and its position. */
  kthvalue(k: number, axis?: number, keepdims?: boolean): ValuesAndIndices {
    return m().kthvalue(this, k, axis, keepdims);
  }
  /** The (lower) median of all elements, or along `axis` with its positions. */
  median(): Tensor;
  median(axis: number, keepdims?: boolean): ValuesAndIndices;
  median(axis?: number, keepdims?: boolean): Tensor | ValuesAndIndices {
    return m().median(this, axis, keepdims);
  }
  /** The most frequent value along `axis` (default −1) and its last position. */
  mode(axis?: number, keepdims?: boolean): ValuesAndIndices {
    return m().mode(this, axis, keepdims);
  }
  /** The product of all elements or along `axis` (gradient exact at zeros). */
  prod(axis?: number, keepdims?: boolean): Tensor {
    return m().prod(this, axis, keepdims);
  }
  /** The variance over all elements or `axis`, divided by n − correction (default 1). */
  var(axis?: Axes, options?: VarianceOptions): Tensor {
    return m().var(this, axis, options);
  }
  /** The standard deviation over all elements or `axis` (options as `var`). */
  std(axis?: Axes, options?: VarianceOptions): Tensor {
    return m().std(this, axis, options);
  }
  /** Where this tensor is close to `other`: |a − b| ≤ atol + rtol·|b|. */
  isclose(other: Tensor, options?: CloseOptions): Tensor {
    return m().isclose(this, other, options);
  }
  /** Whether every element is close to `other` (see `isclose`). */
  allclose(other: Tensor, options?: CloseOptions): boolean {
    return m().allclose(this, other, options);
  }
  /** The vector p-norm (default 2) over all elements or `axis`. */
  norm(p?: number | 'fro', axis?: Axes, keepdims?: boolean): Tensor {
    return m().norm(this, p, axis, keepdims);
  }
}

function flatArgs(args: number[] | [readonly number[]]): readonly number[] {
  if (args.length === 1 && Array.isArray(args[0])) return args[0] as readonly number[];
  return args as number[];
}
