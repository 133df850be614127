import { fail, kindOf } from './check.js';
import {
  allocate,
  checkDType,
  dtypeOfArray,
  isFloating,
  setStored,
  type DType,
  type TypedArray,
} from './dtype.js';
import { flattenNested } from './nested.js';
import type { Generator } from './random.js';
import { checkShape, formatShape, sizeOf } from './shape.js';
import { engine } from './state.js';
import { Tensor } from './tensor.js';

/** Options shared by the creation functions. */
export interface CreateOptions {
  /** Element type (default float32). */
  dtype?: DType;
  /** Whether the new tensor is a leaf that collects gradients (default false). */
  requiresGrad?: boolean;
  /** A name for graphs and explanations. */
  name?: string;
}

/** Options of `tensor()`. */
export interface TensorOptions extends CreateOptions {
  /** Shape to give flat data (a typed array or a flat list); by default it is inferred. */
  shape?: readonly number[];
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreateOptions {
  /** The generator to draw from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** A shape given as a list of sizes or, for one dimension, a single size. */
export type ShapeLike = readonly number[] | number;

function finish(
  data: TypedArray,
  shape: readonly number[],
  options: CreateOptions | undefined,
  where: string,
): Tensor {
  const t = new Tensor(data, shape, { name: options?.name });
  if (options?.requiresGrad) {
    try {
      t.requiresGrad = true;
    } catch (e) {
      throw new TypeError(`${where}: ${(e as Error).message.replace(/^requiresGrad: /, '')}`);
    }
  }
  return t;
}

function resolveDType(
  options: CreateOptions | undefined,
  where: string,
  fallback: DType = 'float32',
): DType {
  return options?.dtype === undefined ? fallback : checkDType(options.dtype, where);
}

function resolveShape(shape: ShapeLike, where: string): number[] {
  return checkShape(typeof shape === 'number' ? [shape] : shape, where);
}

/**
 * Makes a tensor from nested arrays, a number, or a typed array (copied). The dtype is float32
 * unless given, or taken from a typed array (a Uint8Array gives uint8); booleans only give bool.
 *
 * @example
 * tensor([[1, 2], [3, 4]]);                       // float32, shape [2, 2]
 * tensor([0, 2, 1], { dtype: 'int32' });
 * tensor([true, false]).dtype;                    // => 'bool'
 * tensor(new Float64Array(6), { shape: [2, 3] });
 * tensor(2.5, { requiresGrad: true, name: 'x' }); // a 0-d tensor
 */
export function tensor(data: unknown, options?: TensorOptions): Tensor {
  const where = 'tensor';
  let values: ArrayLike<number>;
  let shape: number[];
  let dtype: DType;
  const arrayType = dtypeOfArray(data);
  if (data instanceof Tensor) {
    values = data.data;
    shape = data.shape.slice();
    dtype = resolveDType(options, where, data.dtype);
  } else if (arrayType !== undefined) {
    values = data as TypedArray;
    shape = [(data as TypedArray).length];
    dtype = resolveDType(options, where, arrayType);
  } else if (
    data instanceof DataView ||
    data instanceof BigInt64Array ||
    data instanceof BigUint64Array
  ) {
    throw new TypeError(
      `tensor: cannot read a ${data.constructor.name}; give nested arrays of numbers or a Float32Array, Float64Array, Int32Array or other numeric typed array`,
    );
  } else if (ArrayBuffer.isView(data)) {
    const view = data as unknown as ArrayLike<number>;
    values = view;
    shape = [view.length];
    dtype = resolveDType(options, where);
  } else {
    const flat = flattenNested(data, where);
    values = flat.values;
    shape = flat.shape;
    dtype = resolveDType(options, where, onlyBooleans(data) ? 'bool' : 'float32');
  }
  if (options?.shape !== undefined) {
    const target = checkShape(options.shape, where);
    if (sizeOf(target) !== values.length) {
      throw new RangeError(
        `tensor: shape ${formatShape(target)} holds ${sizeOf(target)} elements but the data has ${values.length}`,
      );
    }
    shape = target;
  }
  const out = allocate(dtype, values.length);
  setStored(out, values);
  return finish(out, shape, options, where);
}

/**
 * Whether nested data (already checked by `flattenNested`) holds booleans only, and at least one:
 * such data makes a bool tensor, as in PyTorch (`tensor([true, false])`).
 */
function onlyBooleans(data: unknown): boolean {
  if (typeof data === 'boolean') return true;
  if (!Array.isArray(data) || data.length === 0) return false;
  return data.every(onlyBooleans);
}

/** A 0-d tensor holding one number. */
export function scalar(value: number, options?: CreateOptions): Tensor {
  if (typeof value !== 'number') {
    throw new TypeError(`scalar: expected a number, got ${kindOf(value)}`);
  }
  const dtype = resolveDType(options, 'scalar');
  const out = allocate(dtype, 1);
  out[0] = dtype === 'bool' && value !== 0 ? 1 : value;
  return finish(out, [], options, 'scalar');
}

/** A tensor of the given shape filled with `value`. */
export function full(shape: ShapeLike, value: number, options?: CreateOptions): Tensor {
  return filled(resolveShape(shape, 'full'), value, options, 'full');
}

/** A tensor of zeros. */
export function zeros(shape: ShapeLike, options?: CreateOptions): Tensor {
  return filled(resolveShape(shape, 'zeros'), 0, options, 'zeros');
}

/** A tensor of ones. */
export function ones(shape: ShapeLike, options?: CreateOptions): Tensor {
  return filled(resolveShape(shape, 'ones'), 1, options, 'ones');
}

/** Zeros with the shape (and, unless given, the dtype) of `like`. */
export function zerosLike(like: Tensor, options?: CreateOptions): Tensor {
  return filledLike(like, 0, options, 'zerosLike');
}

/** Ones with the shape (and, unless given, the dtype) of `like`. */
export function onesLike(like: Tensor, options?: CreateOptions): Tensor {
  return filledLike(like, 1, options, 'onesLike');
}

/** `value` everywhere, with the shape (and, unless given, the dtype) of `like`. */
export function fullLike(like: Tensor, value: number, options?: CreateOptions): Tensor {
  return filledLike(like, value, options, 'fullLike');
}

/** A tensor of shape `s` (already checked) holding `value` everywhere. */
function filled(
  s: number[],
  value: number,
  options: CreateOptions | undefined,
  where: string,
): Tensor {
  if (typeof value !== 'number') {
    throw new TypeError(`${where}: fill value must be a number, got ${kindOf(value)}`);
  }
  const dtype = resolveDType(options, where);
  const out = allocate(dtype, sizeOf(s));
  if (value !== 0) out.fill(dtype === 'bool' ? 1 : value);
  return finish(out, s, options, where);
}

/** `filled` with the shape and, unless `options` gives one, the dtype of `like`. */
function filledLike(
  like: unknown,
  value: number,
  options: CreateOptions | undefined,
  where: string,
): Tensor {
  if (!(like instanceof Tensor)) {
    throw new TypeError(`${where}: expected a Tensor, got ${kindOf(like)}`);
  }
  const dtype = options?.dtype ?? like.dtype;
  return filled(like.shape.slice(), value, { ...options, dtype }, where);
}

function floatDType(options: CreateOptions | undefined, where: string): 'float32' | 'float64' {
  const dtype = resolveDType(options, where);
  if (!isFloating(dtype)) {
    throw new TypeError(
      `${where}: draws floating-point numbers; dtype must be float32 or float64, got ${dtype}`,
    );
  }
  return dtype as 'float32' | 'float64';
}

/**
 * Uniform random numbers in [0, 1) (or [low, high) with `rand(shape, { low, high })`), from the
 * default generator or `options.generator`.
 */
export function rand(
  shape: ShapeLike,
  options?: RandomOptions & { low?: number; high?: number },
): Tensor {
  const s = resolveShape(shape, 'rand');
  const low = options?.low ?? 0;
  const high = options?.high ?? 1;
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
    throw new RangeError(`rand: need finite low < high, got low=${low}, high=${high}`);
  }
  const out = allocate(floatDType(options, 'rand'), sizeOf(s)) as Float32Array | Float64Array;
  (options?.generator ?? engine.generator).fillUniform(out, low, high);
  return finish(out, s, options, 'rand');
}

/** Standard normal random numbers (or `{ mean, std }`), from the default generator or `options.generator`. */
export function randn(
  shape: ShapeLike,
  options?: RandomOptions & { mean?: number; std?: number },
): Tensor {
  const s = resolveShape(shape, 'randn');
  const mean = options?.mean ?? 0;
  const std = options?.std ?? 1;
  if (!(Number.isFinite(mean) && Number.isFinite(std) && std >= 0)) {
    throw new RangeError(`randn: need a finite mean and std >= 0, got mean=${mean}, std=${std}`);
  }
  const out = allocate(floatDType(options, 'randn'), sizeOf(s)) as Float32Array | Float64Array;
  (options?.generator ?? engine.generator).fillNormal(out, mean, std);
  return finish(out, s, options, 'randn');
}

/** Random integers in [low, high) (int32 by default). */
export function randint(
  low: number,
  high: number,
  shape: ShapeLike,
  options?: RandomOptions,
): Tensor {
  const s = resolveShape(shape, 'randint');
  if (!(Number.isInteger(low) && Number.isInteger(high) && low < high)) {
    throw new RangeError(`randint: need integers low < high, got low=${low}, high=${high}`);
  }
  if (high - low > 2 ** 32)
    throw new RangeError(`randint: the range [${low}, ${high}) is wider than 2^32`);
  const gen = options?.generator ?? engine.generator;
  const out = allocate(resolveDType(options, 'randint', 'int32'), sizeOf(s));
  for (let i = 0; i < out.length; i++) out[i] = low + gen.uniformInt(high - low);
  return finish(out, s, options, 'randint');
}

/**
 * Evenly spaced values in [start, end): `arange(5)` is 0…4, `arange(1, 2, 0.25)` is
 * 1, 1.25, 1.5, 1.75. float32 unless a dtype is given.
 */
export function arange(
  startOrEnd: number,
  end?: number | CreateOptions,
  step?: number | CreateOptions,
  options?: CreateOptions,
): Tensor {
  let opts = options;
  if (typeof end === 'object') {
    opts = end;
    end = undefined;
  }
  if (typeof step === 'object') {
    opts = step;
    step = undefined;
  }
  const start = end === undefined ? 0 : startOrEnd;
  const stop = end === undefined ? startOrEnd : end;
  const inc = step ?? 1;
  if (![start, stop, inc].every(Number.isFinite) || inc === 0) {
    throw new RangeError(
      `arange: need finite start, end and a non-zero step, got ${start}, ${stop}, ${inc}`,
    );
  }
  const n = Math.max(0, Math.ceil((stop - start) / inc));
  if (n > 2 ** 31) throw new RangeError(`arange: ${n} elements is too many`);
  const out = allocate(resolveDType(opts, 'arange'), n);
  for (let i = 0; i < n; i++) out[i] = start + i * inc;
  return finish(out, [n], opts, 'arange');
}

/** `steps` evenly spaced values from start to end, both included. */
export function linspace(
  start: number,
  end: number,
  steps: number,
  options?: CreateOptions,
): Tensor {
  if (!Number.isInteger(steps) || steps < 0) {
    fail({ where: 'linspace' }, 'steps', 'a non-negative integer', steps);
  }
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new RangeError(`linspace: start and end must be finite, got ${start} and ${end}`);
  }
  const out = allocate(resolveDType(options, 'linspace'), steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends so that the last value is exactly `end`, as PyTorch does.
  const half = steps === 1 ? 1 : Math.floor(steps / 2);
  for (let i = 0; i < steps; i++)
    out[i] = i < half ? start + i * delta : end - (steps - 1 - i) * delta;
  return finish(out, [steps], options, 'linspace');
}

/** The n×m identity matrix (m defaults to n). */
export function eye(n: number, m?: number | CreateOptions, options?: CreateOptions): Tensor {
  let opts = options;
  let cols = n;
  if (typeof m === 'object') opts = m;
  else if (m !== undefined) cols = m;
  const s = checkShape([n, cols], 'eye');
  const out = allocate(resolveDType(opts, 'eye'), n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) out[i * cols + i] = 1;
  return finish(out, s, opts, 'eye');
}
