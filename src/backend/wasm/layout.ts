/**
 * How a binary kernel's strided operands lie, for the backends whose kernels take only plain
 * layouts: the wasm backend here and the native one in node/native.ts.
 */

/** Whether `strides` read a contiguous row-major array of `shape` (every stride as packed). */
export function packed(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && strides[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}

/**
 * Whether `strides` read one row of the last dimension of `shape` broadcast over all the others
 * (a bias row added to every row): 1 along the last dimension, 0 (or a dimension of 1) elsewhere.
 */
export function rowBroadcast(shape: readonly number[], strides: readonly number[]): boolean {
  const last = shape.length - 1;
  if (last < 1 || (shape[last] !== 1 && strides[last] !== 1)) return false;
  for (let d = 0; d < last; d++) if (shape[d] !== 1 && strides[d] !== 0) return false;
  return true;
}
