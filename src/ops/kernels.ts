import { backend, type BinaryKernel, type UnaryKernel } from '../backend/index.js';
import { formatValue, kindOf } from '../tensor/check.js';
import {
  allocate,
  allocateOverwritten,
  promoteTypes,
  promoteWithScalar,
  type DType,
} from '../tensor/dtype.js';
import type { TensorLike } from '../tensor/methods.js';
import {
  broadcastShapes,
  broadcastStrides,
  shapesEqual,
  sizeOf,
  stridesOf,
  type Shape,
} from '../tensor/shape.js';
import { engine } from '../tensor/state.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Forward helpers shared by the op families: they allocate the result, compute broadcast shapes
 * and strides, and call the active backend's kernel. No autograd here.
 */

/**
 * Plain numbers used as operands become 0-d constant tensors. They are never written to, so the
 * same number reuses one tensor: a chain of a million `y.mul(0.999)` keeps one constant, not a
 * million. Kept in `engine.caches.constants` (tensor/state.ts); bounded, cleared when full.
 */
const MAX_CONSTANTS = 4096;

/** Checks that an operation was given a tensor, naming the operation when it was not. */
export function expectTensor(x: unknown, where: string, what = 'its input'): Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${where}: expected a Tensor as ${what}, got ${kindOf(x)}`);
  }
  return x;
}

/** A plain number as a 0-d tensor of the dtype it takes next to `like`. */
export function operand(value: TensorLike, like: Tensor, where: string): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value !== 'number') {
    // A list is the likely slip here (`x.add([1, 2])`); it is named as JavaScript's typeof does.
    const got = Array.isArray(value)
      ? `object (the list ${formatValue(value)}: make it a tensor with tensor(...))`
      : kindOf(value);
    throw new TypeError(`${where}: expected a Tensor or a number, got ${got}`);
  }
  const dtype = promoteWithScalar(like.dtype, value);
  if (dtype === 'int32' && (value > 2147483647 || value < -2147483648)) {
    throw new RangeError(
      `${where}: ${value} does not fit in int32, the dtype of the other operand; convert the tensor with .to('float64') first`,
    );
  }
  const cache = engine.caches.constants[dtype];
  let t = cache.get(value);
  // The map cannot tell -0 from 0; -0 is rare enough to build each time.
  if (t === undefined || Object.is(value, -0)) {
    const data = allocate(dtype, 1);
    data[0] = value;
    t = new Tensor(data, []);
    if (Object.is(value, -0)) return t;
    if (cache.size >= MAX_CONSTANTS) cache.clear();
    cache.set(value, t);
  }
  return t;
}

/** Two operands as tensors: a number on either side takes its dtype from the other side. */
export function operands(a: TensorLike, b: TensorLike, where: string): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, operand(b, a, where)];
  if (b instanceof Tensor) return [operand(a, b, where), b];
  throw new TypeError(`${where}: at least one operand must be a Tensor`);
}

/** Applies a unary kernel, producing `dtype` (default: the input's). */
export function unaryKernel(kernel: UnaryKernel, x: Tensor, dtype: DType = x.dtype): Tensor {
  if (x._data === null)
    return new Tensor(backend().unaryScalar(kernel, x._value, dtype), x.shape, { dtype });
  const out = allocateOverwritten(dtype, x.size); // unary writes every element
  backend().unary(kernel, x.data, out);
  return new Tensor(out, x.shape);
}

/** Applies a binary kernel with broadcasting; `dtype` defaults to the promoted input dtype. */
export function binaryKernel(
  kernel: BinaryKernel,
  a: Tensor,
  b: Tensor,
  where: string,
  dtype?: DType,
): Tensor {
  const outDType = dtype ?? promoteTypes(a.dtype, b.dtype);
  if (
    a.size === 1 &&
    b.size === 1 &&
    (a.shape.length >= b.shape.length ? a.shape : b.shape).length === 0
  ) {
    // Two 0-d operands: a plain number in, a plain number out.
    const value = backend().binaryScalar(kernel, a._scalar(), b._scalar(), outDType);
    return new Tensor(value, a.shape, { dtype: outDType });
  }
  let shape: Shape;
  let aStrides: number[];
  let bStrides: number[];
  if (shapesEqual(a.shape, b.shape)) {
    shape = a.shape;
    aStrides = bStrides = stridesOf(shape);
  } else {
    shape = broadcastShapes(a.shape, b.shape, where);
    aStrides = broadcastStrides(a.shape, shape);
    bStrides = broadcastStrides(b.shape, shape);
  }
  // binary writes every element of its output (Backend.binary)
  const out = allocateOverwritten(outDType, shape === a.shape ? a.size : sizeOf(shape));
  backend().binary(kernel, a.data, aStrides, b.data, bStrides, out, shape);
  return new Tensor(out, shape);
}

/** The broadcast shape of several shapes, naming `where` on failure. */
export function broadcastAll(shapes: readonly Shape[], where: string): number[] {
  let out: number[] = [];
  for (const s of shapes) out = broadcastShapes(out, s, where);
  return out;
}

/** Reads `x` as if broadcast to `shape` (a copy). */
export function expandKernel(x: Tensor, shape: Shape): Tensor {
  const out = allocate(x.dtype, sizeOf(shape));
  backend().copyStrided(x.data, 0, broadcastStrides(x.shape, shape), shape, out);
  return new Tensor(out, shape);
}

/**
 * Runs `fn`, an operation that another one is built on, so that its errors name the operation the
 * user called: an error starting `from:` is thrown again as the same kind, starting `to:`.
 */
export function renamingErrors<T>(from: string, to: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof Error) || !e.message.startsWith(`${from}:`)) throw e;
    const Kind = e.constructor as new (message: string) => Error;
    throw new Kind(`${to}:${e.message.slice(from.length + 1)}`);
  }
}
