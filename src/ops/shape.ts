import { backend } from '../backend/index.js';
import { defineRules, record } from '../autograd/node.js';
import { fail } from '../tensor/check.js';
import { allocate } from '../tensor/dtype.js';
import type { Axes } from '../tensor/methods.js';
import {
  formatShape,
  normalizeAxes,
  normalizeAxis,
  shapesEqual,
  stridesOf,
  type Shape,
  sizeOf,
} from '../tensor/shape.js';
import { engine } from '../tensor/state.js';
import { Tensor } from '../tensor/tensor.js';
import type { Formulas } from './formula.js';
import { expandKernel, expectTensor } from './kernels.js';

/**
 * Shape primitives: reshape (no copy), permute (a strided copy) and expand (broadcast copy).
 * Transpose, flatten, squeeze and unsqueeze are built on them.
 */
export const shapeRules = defineRules({
  // reshape moves no values: the gradient takes the input's shape back
  reshape: (grad, [x]) => [reshapeGradient(grad, x.shape)],
  // permute moves values: the gradient goes back through the inverse permutation
  permute: (grad, _inputs, _out, { dims }: { dims: readonly number[] }) => [
    grad.permute(inversePermutation(dims)),
  ],
  // expand copies values: the engine sums the gradient over the copies (undoing the broadcast)
  expand: (grad) => [grad],
});

/** How the explanations write the rules above, in the lectures' words. */
export const shapeDerivatives: Formulas<keyof typeof shapeRules> = {
  reshape: ({ wrt }) => ({ formula: `${wrt} = 1` }),
  permute: ({ wrt }) => ({
    formula: `${wrt} = 1 for each element at its new place`,
    rule: 'upstream permuted back',
  }),
  expand: ({ wrt }) => ({
    formula: `${wrt} = 1 for each copy`,
    rule: 'upstream summed over the copies',
  }),
};

function inversePermutation(dims: readonly number[]): number[] {
  const inv = new Array<number>(dims.length);
  dims.forEach((d, i) => (inv[d] = i));
  return inv;
}

function checkSizes(shape: readonly number[], where: string): void {
  if (!Array.isArray(shape)) throw new TypeError(`${where}: the shape must be a list of sizes`);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < -1) {
      throw new RangeError(
        `${where}: invalid size ${d} in ${JSON.stringify(shape)}; sizes are non-negative integers (or -1)`,
      );
    }
  }
}

/** The same data in a new shape (no copy); one size may be -1, inferred from the others. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor(x, 'reshape');
  checkSizes(shape, 'reshape');
  let target: number[] = shape as number[];
  const unknown = shape.indexOf(-1);
  if (unknown !== -1) {
    if (shape.indexOf(-1, unknown + 1) !== -1) {
      throw new RangeError(`reshape: only one size can be -1, got ${formatShape(shape)}`);
    }
    const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (known === 0 || x.size % known !== 0) {
      throw new RangeError(
        `reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)}: the -1 cannot be inferred`,
      );
    }
    target = shape.map((d) => (d === -1 ? x.size / known : d));
  }
  if (sizeOf(target) !== x.size) {
    throw new RangeError(
      `reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(target)} (${sizeOf(target)} elements)`,
    );
  }
  if (shapesEqual(target, x.shape)) return x;
  const view = new Tensor(x.data, target.slice());
  x._shared = true;
  view._shared = true;
  return record(view, [x], shapeRules.reshape);
}

/**
 * A gradient in another shape, for a backward rule that uses `grad`'s storage through this view
 * alone (returning it alone, or reading it and dropping it). While a graph of the backward pass
 * is built (createGraph) it is `reshape`; otherwise a plain relabeling which, unlike `reshape`,
 * marks neither tensor as shared (the view inherits `grad`'s mark), so that the backward pass can
 * recycle the storage once the view is dead (autograd/engine.ts; the engine keeps a gradient whose
 * storage a rule's result reuses).
 */
export function reshapeGradient(grad: Tensor, shape: Shape): Tensor {
  if (engine.gradEnabled) return grad.reshape(shape);
  if (shapesEqual(shape, grad.shape)) return grad;
  const view = new Tensor(grad.data, shape.slice());
  view._shared = grad._shared;
  return view;
}

/** Reorders the dimensions: out.shape[i] = x.shape[dims[i]]. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  expectTensor(x, 'permute');
  if (!Array.isArray(dims)) fail({ where: 'permute' }, 'dims', 'an array of axes', dims, TypeError);
  if (dims.length !== x.ndim) {
    throw new RangeError(
      `permute: got ${dims.length} dimension(s) ${formatShape(dims)} for a tensor of shape ${formatShape(x.shape)}; name each of its ${x.ndim} dimensions once`,
    );
  }
  const order = dims.map((d) => normalizeAxis(d, x.ndim, 'permute'));
  if (new Set(order).size !== order.length) {
    throw new RangeError(
      `permute: ${formatShape(dims)} is not a permutation of the ${x.ndim} dimensions`,
    );
  }
  if (order.every((d, i) => d === i)) return x;
  const strides = stridesOf(x.shape);
  const shape = order.map((d) => x.shape[d]);
  const out = allocate(x.dtype, x.size);
  backend().copyStrided(
    x.data,
    0,
    order.map((d) => strides[d]),
    shape,
    out,
  );
  return record(new Tensor(out, shape), [x], shapeRules.permute, { dims: order });
}

/** Swaps two dimensions. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  expectTensor(x, 'transpose');
  const a = normalizeAxis(dim0, x.ndim, 'transpose');
  const b = normalizeAxis(dim1, x.ndim, 'transpose');
  if (x.ndim < 2) return x;
  const dims = x.shape.map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

/**
 * Broadcasts x to `shape` (NumPy rules: new leading dimensions, and size-1 dimensions stretched);
 * -1 keeps a size.
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor(x, 'expand');
  checkSizes(shape, 'expand');
  const lead = shape.length - x.ndim;
  if (lead < 0) {
    throw new RangeError(
      `expand: cannot expand shape ${formatShape(x.shape)} to ${formatShape(shape)}, which has fewer dimensions`,
    );
  }
  const target = shape.map((d, i) => {
    const own = i >= lead ? x.shape[i - lead] : undefined;
    if (d === -1) {
      if (own === undefined)
        throw new RangeError(
          `expand: -1 is not allowed for the new leading dimension ${i} in ${formatShape(shape)}`,
        );
      return own;
    }
    if (own !== undefined && own !== d && own !== 1) {
      throw new RangeError(
        `expand: cannot expand shape ${formatShape(x.shape)} to ${formatShape(shape)}: dimension ${i} has size ${own}, which is neither 1 nor ${d}`,
      );
    }
    return d;
  });
  if (shapesEqual(target, x.shape)) return x;
  return record(expandKernel(x, target), [x], shapeRules.expand);
}

/** Merges dimensions startDim…endDim (inclusive; default all) into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  expectTensor(x, 'flatten');
  if (x.ndim === 0) return x.reshape([1]);
  const s = normalizeAxis(startDim, x.ndim, 'flatten');
  const e = normalizeAxis(endDim, x.ndim, 'flatten');
  if (s > e) throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const merged = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  return x.reshape([...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/** Removes dimensions of size 1: all of them, or the given ones (a given dimension of another size stays). */
export function squeeze(x: Tensor, dim?: Axes): Tensor {
  expectTensor(x, 'squeeze');
  const axes = dim === undefined ? x.shape.map((_, i) => i) : normalizeAxes(dim, x.ndim, 'squeeze');
  return x.reshape(x.shape.filter((d, i) => !(d === 1 && axes.includes(i))));
}

/** Inserts a dimension of size 1 at `dim` (−1 appends). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  expectTensor(x, 'unsqueeze');
  if (!Number.isInteger(dim) || dim < -(x.ndim + 1) || dim > x.ndim) {
    throw new RangeError(
      `unsqueeze: dim ${dim} is out of range for shape ${formatShape(x.shape)}: a new dimension goes at ${-(x.ndim + 1)} to ${x.ndim}`,
    );
  }
  const at = dim < 0 ? dim + x.ndim + 1 : dim;
  const shape = x.shape.slice();
  shape.splice(at, 0, 1);
  return x.reshape(shape);
}

/** @internal Shape of a tensor with `dim` replaced by `size`. */
export function withSize(shape: Shape, dim: number, size: number): number[] {
  const out = shape.slice();
  out[dim] = size;
  return out;
}
