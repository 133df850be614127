/**
 * Index arithmetic of the naive reference loops in the kernel tests (js-*.test.ts): sizes,
 * flat positions and multi-indices of row-major shapes, and broadcast reads.
 */

export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Flat row-major position → multi-index. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** Multi-index → flat row-major position. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + idx[d];
  return flat;
}

/** The element of an operand of shape `shape` read at output multi-index `idx` under broadcasting. */
export function broadcastRead(idx: readonly number[], shape: readonly number[]): number {
  const lead = idx.length - shape.length;
  const own = shape.map((size, d) => (size === 1 ? 0 : idx[d + lead]));
  return ravel(own, shape);
}
