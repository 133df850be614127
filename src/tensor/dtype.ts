import { engine } from './state.js';
import { BIG_BYTES, noteAllocated, takeCached } from './storage.js';

/**
 * The element types a tensor can hold. `float32` is the default; `bool` is what comparisons give
 * (as in PyTorch); `uint8` holds bytes (images).
 */
export type DType = 'float32' | 'float64' | 'int32' | 'uint8' | 'bool';

/**
 * The storage of a `bool` tensor: a Uint8Array holding only 0 and 1. Its own class, so that the
 * array alone says its dtype (a plain Uint8Array is `uint8`), as the other dtypes' arrays do;
 * `slice` and `subarray` keep the class.
 */
export class BoolArray extends Uint8Array {}

/** The typed array behind a tensor of each dtype (`bool`: a `BoolArray`). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Maps a dtype to its typed-array type. */
export interface TypedArrayOf {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  uint8: Uint8Array;
  bool: BoolArray;
}

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'uint8', 'bool'];

/** Bytes per element of each dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = {
  float32: 4,
  float64: 8,
  int32: 4,
  uint8: 1,
  bool: 1,
};

/**
 * A zero-filled typed array of `n` elements for `dtype`: one the autograd engine released when
 * the caching allocator holds one of that length (tensor/storage.ts), else a fresh one.
 */
export function allocate(dtype: DType, n: number): TypedArray {
  return allocateFor(dtype, n, true);
}

/**
 * `allocate` for a kernel that writes every element before anything reads one (a matrix
 * product's output, an element-wise kernel's): a cached array comes as it was left, not zeroed
 * first, and a fresh one, where the platform can make it so (Node), is not zeroed either.
 */
export function allocateOverwritten(dtype: DType, n: number): TypedArray {
  return allocateFor(dtype, n, false);
}

function allocateFor(dtype: DType, n: number, zeroed: boolean): TypedArray {
  const bytes = n * BYTES_PER_ELEMENT[dtype];
  const cached = takeCached(dtype, n, bytes, zeroed);
  if (cached !== undefined) return cached;
  const make = engine.caches.storage.uninitialized;
  const fresh =
    !zeroed && make !== undefined && bytes >= BIG_BYTES
      ? over(dtype, make(bytes), n)
      : allocateFresh(dtype, n);
  noteAllocated(fresh);
  return fresh;
}

function allocateFresh(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'uint8':
      return new Uint8Array(n);
    case 'bool':
      return new BoolArray(n);
  }
}

/** An array of `dtype` and n elements over `buffer`, from its start. */
function over(dtype: DType, buffer: ArrayBuffer, n: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, 0, n);
    case 'float64':
      return new Float64Array(buffer, 0, n);
    case 'int32':
      return new Int32Array(buffer, 0, n);
    case 'uint8':
      return new Uint8Array(buffer, 0, n);
    case 'bool':
      return new BoolArray(buffer, 0, n);
  }
}

/** The dtype of a typed array, or undefined for other array kinds. */
export function dtypeOfArray(data: unknown): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BoolArray) return 'bool';
  if (data instanceof Uint8Array) return 'uint8';
  return undefined;
}

export function isDType(value: unknown): value is DType {
  return (DTYPES as readonly unknown[]).includes(value);
}

/** Checks a user-supplied dtype, naming the caller when it is not one nabla knows. */
export function checkDType(value: unknown, where: string): DType {
  if (!isDType(value)) {
    throw new TypeError(
      `${where}: unknown dtype ${JSON.stringify(value)}; expected one of ${DTYPES.join(', ')}`,
    );
  }
  return value;
}

export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** PyTorch's order of promotion among nabla's dtypes: a result takes the later of two. */
const RANK: Readonly<Record<DType, number>> = {
  bool: 0,
  uint8: 1,
  int32: 2,
  float32: 3,
  float64: 4,
};

/**
 * The dtype of a binary operation's result, as PyTorch promotes: the later of the two in
 * bool < uint8 < int32 < float32 < float64 (int32 with a float gives that float; bool with uint8
 * gives uint8). PyTorch's lower priority for 0-d tensors is not followed: every tensor counts.
 */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The dtype of a tensor combined with a plain number, as PyTorch treats Python scalars: a float
 * tensor keeps its dtype; an integer or bool tensor with a fractional number gives float32; a
 * bool tensor with a whole number gives int32 (PyTorch: int64, which nabla lacks); uint8 and
 * int32 keep theirs (uint8 arithmetic wraps modulo 256, as PyTorch's does).
 */
export function promoteWithScalar(t: DType, value: number): DType {
  if (isFloating(t)) return t;
  if (!Number.isInteger(value)) return 'float32';
  return t === 'bool' ? 'int32' : t;
}

/**
 * A number as storing it into an array of `dtype` leaves it: float32 rounded to nearest, int32
 * truncated and wrapped modulo 2³², uint8 truncated and wrapped modulo 2⁸ (NaN → 0 for both),
 * bool 1 for anything but 0 (NaN → 1, as PyTorch's `bool()`).
 */
export function storedAs(dtype: DType, v: number): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(v);
    case 'float64':
      return v;
    case 'int32':
      return v | 0;
    case 'uint8':
      return v & 255;
    case 'bool':
      return v !== 0 ? 1 : 0;
  }
}

/**
 * Copies `values` into `out` as storing each into it converts it: `set` for most arrays, and for
 * a bool array 1 for anything but 0 (a plain `set` would store 2 as 2, 0.5 as 0).
 */
export function setStored(out: TypedArray, values: ArrayLike<number>): void {
  if (out instanceof BoolArray)
    for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  else out.set(values);
}
