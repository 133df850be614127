import { fail, formatValue } from './check.js';

/** A tensor's shape: the size of each dimension, outermost first. */
export type Shape = readonly number[];

/** The number of elements in a tensor of this shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major (C-order) strides, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `[2,3]` — the form used in every error message. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Checks that a user-supplied shape is a list of non-negative integers. */
export function checkShape(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape)) fail({ where }, 'shape', 'an array of sizes', shape, TypeError);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new RangeError(
        `${where}: shape ${JSON.stringify(shape)} must hold non-negative integers, got ${formatValue(d)}`,
      );
    }
  }
  return shape.slice() as number[];
}

/**
 * The shape two shapes broadcast to under NumPy's rules (align from the right; each pair of sizes
 * must be equal or one of them 1). Throws naming `op` and both shapes when they do not.
 */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  if (shapesEqual(a, b)) return a as number[];
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new RangeError(
        `${op}: cannot broadcast shapes ${formatShape(a)} and ${formatShape(b)}: ` +
          `dimension ${i - n} has sizes ${da} and ${db} (each pair must be equal or one of them 1)`,
      );
    }
  }
  return out;
}

/**
 * Strides for reading a tensor of shape `from` as if it had the broadcast shape `to`: a stride of 0
 * along every dimension that is broadcast.
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const strides = stridesOf(from);
  const out = new Array<number>(to.length).fill(0);
  const offset = to.length - from.length;
  for (let i = 0; i < from.length; i++) {
    out[i + offset] = from[i] === 1 && to[i + offset] !== 1 ? 0 : strides[i];
  }
  return out;
}

/** Resolves a possibly negative axis against `ndim`, naming `op` when it is out of range. */
export function normalizeAxis(axis: number, ndim: number, op: string): number {
  if (!Number.isInteger(axis)) {
    fail({ where: op }, 'axis', 'an integer', axis, TypeError);
  }
  const lo = ndim === 0 ? -1 : -ndim;
  const hi = ndim === 0 ? 0 : ndim - 1;
  if (axis < lo || axis > hi) {
    throw new RangeError(
      `${op}: axis ${axis} is out of range for a tensor with ${ndim} dimension${ndim === 1 ? '' : 's'} ` +
        `(expected ${lo} to ${hi})`,
    );
  }
  return axis < 0 ? axis + Math.max(ndim, 1) : axis;
}

/**
 * Resolves an axis argument (undefined = all axes, a number, or a list) to sorted, distinct,
 * non-negative axes.
 */
export function normalizeAxes(
  axes: number | readonly number[] | undefined,
  ndim: number,
  op: string,
): number[] {
  const out: number[] = [];
  if (axes === undefined) {
    for (let i = 0; i < ndim; i++) out.push(i);
    return out;
  }
  if (typeof axes === 'number') {
    const a = normalizeAxis(axes, ndim, op);
    if (ndim > 0) out.push(a);
    return out;
  }
  if (!Array.isArray(axes)) {
    fail({ where: op }, 'axis', 'a number, an array of numbers or undefined', axes, TypeError);
  }
  // Insertion into sorted order: the lists are a few axes long.
  for (const axis of axes) {
    const a = normalizeAxis(axis, ndim, op);
    let i = out.length;
    while (i > 0 && out[i - 1] > a) i--;
    if (out[i - 1] === a) {
      throw new RangeError(`${op}: axis ${a} appears more than once in ${JSON.stringify(axes)}`);
    }
    out.splice(i, 0, a);
  }
  // A scalar has no axes to reduce; axis 0 / -1 on a scalar means "the whole thing".
  return ndim === 0 ? [] : out;
}
