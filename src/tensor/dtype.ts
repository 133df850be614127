import { noteAllocated, takeCached } from './storage.js';

/** The element types a tensor can hold. `float32` is the default. */
export type DType = 'float32' | 'float64' | 'int32';

/** The typed array behind a tensor of each dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array;

/** Maps a dtype to its typed-array type. */
export interface TypedArrayOf {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
}

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

/** Bytes per element of each dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = {
  float32: 4,
  float64: 8,
  int32: 4,
};

/**
 * A zero-filled typed array of `n` elements for `dtype`: one the autograd engine released when
 * the caching allocator holds one of that length (tensor/storage.ts), else a fresh one.
 */
export function allocate(dtype: DType, n: number): TypedArray {
  const cached = takeCached(dtype, n, n * BYTES_PER_ELEMENT[dtype]);
  if (cached !== undefined) return cached;
  const fresh = allocateFresh(dtype, n);
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
  }
}

/** The dtype of a typed array, or undefined for other array kinds. */
export function dtypeOfArray(data: unknown): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return undefined;
}

export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'float64' || value === 'int32';
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
  return dtype !== 'int32';
}

/**
 * The dtype of a binary operation's result, as PyTorch promotes: int32 with a float gives that
 * float; float32 with float64 gives float64.
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'float64' || b === 'float64') return 'float64';
  return 'float32';
}

/**
 * The dtype of a tensor combined with a plain number: the tensor keeps its dtype unless it is
 * int32 and the number is not an integer (then float32), as PyTorch treats Python scalars.
 */
export function promoteWithScalar(t: DType, value: number): DType {
  if (t === 'int32' && !Number.isInteger(value)) return 'float32';
  return t;
}
