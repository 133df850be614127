import { backend } from '../backend/index.js';
import { defineRules, record } from '../autograd/node.js';
import { fail } from '../tensor/check.js';
import { allocate, promoteTypes } from '../tensor/dtype.js';
import type { SliceSpec } from '../tensor/methods.js';
import {
  formatShape,
  normalizeAxis,
  shapesEqual,
  stridesOf,
  type Shape,
  sizeOf,
} from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cast } from './elementwise.js';
import type { Formulas } from './formula.js';
import { expectTensor } from './kernels.js';
import { withSize } from './shape.js';

/** Where a slice starts in each dimension, its step (negative steps run backwards, as flip does), and the shape it is taken from. */
export interface SliceAttrs {
  begin: readonly number[];
  step: readonly number[];
  /** The shape sliced from. */
  from: Shape;
  /** The shape of the slice. */
  shape: Shape;
}

/**
 * Slicing and joining primitives, in adjoint pairs: slice ↔ unslice (place into zeros), and
 * concat, whose gradient is a slice per input. `select`, `narrow` and `stack` are built on them.
 */
export const slicingRules = defineRules({
  // slicing copies some elements: their gradients go back to where they came from, zeros elsewhere
  slice: (grad, _inputs, _out, attrs: SliceAttrs) => [unslice(grad, attrs)],
  unslice: (grad, _inputs, _out, attrs: SliceAttrs) => [slicePrimitive(grad, attrs)],
  // concat: each input gets its own stretch of the gradient
  concat: (grad, inputs, _out, { axis }: { axis: number }) => {
    let offset = 0;
    return inputs.map((t) => {
      const g = t.requiresGrad ? grad.narrow(axis, offset, t.shape[axis]) : null;
      offset += t.shape[axis];
      return g;
    });
  },
});

/** How the explanations write the rules above: each entry's formula, then its rule. */
export const slicingDerivatives: Formulas<keyof typeof slicingRules> = {
  slice: ({ wrt }) => ({
    formula: `${wrt} = 1 for the elements taken, 0 for the rest`,
    rule: 'upstream put back where the slice came from, zeros elsewhere',
  }),
  unslice: ({ wrt, x }) => ({
    formula: `${wrt} = 1 where ${x} was placed`,
    rule: `upstream at the place of ${x}`,
  }),
  concat: ({ wrt, x }) => ({
    formula: `${wrt} = 1 on the stretch ${x} fills`,
    rule: `upstream on the stretch ${x} fills`,
  }),
};

function sliceGeometry(attrs: SliceAttrs): { offset: number; strides: number[] } {
  const base = stridesOf(attrs.from);
  let offset = 0;
  const strides = base.map((s, d) => {
    offset += attrs.begin[d] * s;
    return s * attrs.step[d];
  });
  return { offset, strides };
}

/** @internal The slice primitive on resolved positions (flip uses it with step −1). */
export function slicePrimitive(x: Tensor, attrs: SliceAttrs): Tensor {
  const outShape = attrs.shape.slice();
  const { offset, strides } = sliceGeometry(attrs);
  const out = allocate(x.dtype, sizeOf(outShape));
  backend().copyStrided(x.data, offset, strides, outShape, out);
  return record(
    new Tensor(out, outShape),
    [x],
    slicingRules.slice,
    attrs as unknown as Record<string, unknown>,
  );
}

/** The adjoint of slice: zeros of the original shape with `src` placed at the sliced positions. */
function unslice(src: Tensor, attrs: SliceAttrs): Tensor {
  const { offset, strides } = sliceGeometry(attrs);
  const out = allocate(src.dtype, sizeOf(attrs.from));
  backend().assignStrided(src.data, src.shape, out, offset, strides);
  return record(
    new Tensor(out, attrs.from.slice()),
    [src],
    slicingRules.unslice,
    attrs as unknown as Record<string, unknown>,
  );
}

function parseIndex(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/^-?\d+$/.test(t)) throw new TypeError(`slice: ${JSON.stringify(text)} is not an integer`);
  return Number(t);
}

/** @internal One dimension of a slice, resolved against its size. */
export interface DimSlice {
  begin: number;
  count: number;
  step: number;
  drop: boolean;
}

/** @internal Reads one `SliceSpec` against a dimension of `size`. */
export function resolveSpec(spec: SliceSpec, size: number, dim: number): DimSlice {
  if (typeof spec === 'number' || (typeof spec === 'string' && /^\s*-?\d+\s*$/.test(spec))) {
    const i = typeof spec === 'number' ? spec : Number(spec);
    if (!Number.isInteger(i))
      throw new TypeError(`slice: index ${i} for dimension ${dim} is not an integer`);
    const at = i < 0 ? i + size : i;
    if (at < 0 || at >= size) {
      throw new RangeError(
        `slice: index ${i} is out of range for dimension ${dim} of size ${size}`,
      );
    }
    return { begin: at, count: 1, step: 1, drop: true };
  }
  let start: number | undefined;
  let end: number | undefined;
  let step: number | undefined;
  if (spec === null || spec === undefined) {
    // the whole dimension
  } else if (typeof spec === 'string') {
    const parts = spec.split(':');
    if (parts.length < 2 || parts.length > 3) {
      throw new TypeError(
        `slice: cannot read ${JSON.stringify(spec)} for dimension ${dim}; expected 'start:end' or 'start:end:step'`,
      );
    }
    start = parseIndex(parts[0]);
    end = parseIndex(parts[1]);
    step = parts.length === 3 ? parseIndex(parts[2]) : undefined;
  } else if (typeof spec === 'object') {
    ({ start, end, step } = spec);
  } else {
    throw new TypeError(`slice: unsupported spec ${String(spec)} for dimension ${dim}`);
  }
  const inc = step ?? 1;
  if (!Number.isInteger(inc) || inc <= 0) {
    throw new RangeError(
      `slice: step ${inc} for dimension ${dim} must be a positive integer (negative steps are not supported)`,
    );
  }
  const clampPos = (v: number | undefined, fallback: number): number => {
    if (v === undefined) return fallback;
    if (!Number.isInteger(v))
      throw new TypeError(`slice: position ${v} for dimension ${dim} is not an integer`);
    const p = v < 0 ? v + size : v;
    return Math.min(Math.max(p, 0), size);
  };
  const b = clampPos(start, 0);
  const e = clampPos(end, size);
  return { begin: b, count: Math.max(0, Math.ceil((e - b) / inc)), step: inc, drop: false };
}

/**
 * Slices x with one spec per leading dimension (see `SliceSpec`); dimensions not named are kept
 * whole, and numbers drop their dimension.
 */
export function slice(x: Tensor, specs: readonly SliceSpec[]): Tensor {
  expectTensor(x, 'slice');
  if (!Array.isArray(specs)) {
    fail({ where: 'slice' }, 'specs', 'an array of slice specs', specs, TypeError);
  }
  if (specs.length > x.ndim) {
    throw new RangeError(
      `slice: ${specs.length} indices given for a tensor of shape ${formatShape(x.shape)} (${x.ndim} dimensions)`,
    );
  }
  const dims = x.shape.map((n, d) =>
    d < specs.length ? resolveSpec(specs[d], n, d) : { begin: 0, count: n, step: 1, drop: false },
  );
  const whole = dims.every((s, d) => s.begin === 0 && s.step === 1 && s.count === x.shape[d]);
  const taken = whole
    ? x
    : slicePrimitive(x, {
        begin: dims.map((s) => s.begin),
        step: dims.map((s) => s.step),
        from: x.shape.slice(),
        shape: dims.map((s) => s.count),
      });
  return dims.some((s) => s.drop)
    ? taken.reshape(dims.filter((s) => !s.drop).map((s) => s.count))
    : taken;
}

/** The slice at `index` along `dim`, that dimension removed. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  expectTensor(x, 'select');
  const d = normalizeAxis(dim, x.ndim, 'select');
  if (x.ndim === 0) throw new RangeError('select: a 0-d tensor has no dimension to select from');
  const n = x.shape[d];
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new RangeError(`select: index ${index} is out of range for dimension ${d} of size ${n}`);
  }
  return slice(x, [...x.shape.slice(0, d).map(() => null), index]);
}

/** `length` elements along `dim`, starting at `start`. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  expectTensor(x, 'narrow');
  const d = normalizeAxis(dim, x.ndim, 'narrow');
  const n = x.shape[d];
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > n) {
    throw new RangeError(
      `narrow: start ${start} and length ${length} do not fit dimension ${d} of size ${n}`,
    );
  }
  return slice(x, [...x.shape.slice(0, d).map(() => null), { start: s, end: s + length }]);
}

/**
 * Joins tensors along an existing dimension `axis` (default 0); all other sizes must match. Mixed
 * dtypes are promoted.
 *
 * @example
 * concat([ones([2, 3]), zeros([1, 3])]).shape; // => [3, 3]
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0)
    throw new RangeError('concat: needs a non-empty list of tensors');
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`concat: element ${i} is not a Tensor`);
  });
  const first = tensors[0];
  if (first.ndim === 0) throw new RangeError('concat: cannot join 0-d tensors; use stack');
  const ax = normalizeAxis(axis, first.ndim, 'concat');
  let total = 0;
  let dtype = first.dtype;
  tensors.forEach((t, i) => {
    const same =
      t.ndim === first.ndim &&
      t.shape.every((d: number, j: number) => j === ax || d === first.shape[j]);
    if (!same) {
      throw new RangeError(
        `concat: tensor ${i} has shape ${formatShape(t.shape)}, which does not match ${formatShape(first.shape)} outside dimension ${ax}`,
      );
    }
    total += t.shape[ax];
    dtype = promoteTypes(dtype, t.dtype);
  });
  const inputs = tensors.map((t) => cast(t, dtype));
  const shape = withSize(first.shape, ax, total);
  const strides = stridesOf(shape);
  const out = allocate(dtype, sizeOf(shape));
  let offset = 0;
  for (const t of inputs) {
    backend().assignStrided(t.data, t.shape, out, offset * strides[ax], strides);
    offset += t.shape[ax];
  }
  return record(new Tensor(out, shape), inputs, slicingRules.concat, { axis: ax });
}

/** Joins same-shape tensors along a new dimension `axis` (default 0). */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0)
    throw new RangeError('stack: needs a non-empty list of tensors');
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`stack: element ${i} is not a Tensor`);
    if (!shapesEqual(t.shape, first.shape)) {
      throw new RangeError(
        `stack: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has ${formatShape(first.shape)}; all must match`,
      );
    }
  });
  const ax = normalizeAxis(axis, first.ndim + 1, 'stack');
  return concat(
    tensors.map((t) => t.unsqueeze(ax)),
    ax,
  );
}
