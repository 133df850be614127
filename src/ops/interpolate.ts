import {
  checkBoolean,
  checkChoice,
  checkInteger,
  checkPositive,
  fail,
  resolveOptions,
  type CheckContext,
} from '../tensor/check.js';
import { allocate, isFloating } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { expectTensor } from './kernels.js';

/*
 * Resizing by interpolation, one spatial axis at a time (columns first, then rows, the order in
 * which PyTorch's bilinear kernel adds). Each axis is a linear map made of index selections (whose
 * adjoint is an index addition, and back) and products with constant weights, so gradients of
 * every order follow.
 */

/** Options of `interpolate`, as PyTorch's `F.interpolate`. */
export interface InterpolateOptions {
  /** The output's spatial size: one size for every spatial dimension, or one per dimension. */
  size?: number | readonly number[] | null;
  /** Multiplier of the spatial sizes (the output size is ⌊size·scaleFactor⌋); give this or `size`. */
  scaleFactor?: number | readonly number[] | null;
  /** `nearest` (default) or `bilinear` (4-D input only). */
  mode?: 'nearest' | 'bilinear';
  /** Bilinear only: align the corner pixels' centres of input and output (default false). */
  alignCorners?: boolean | null;
}

/** One spatial axis to resize: input and output sizes, and the scale factor when one was given. */
interface Axis {
  dim: number;
  in: number;
  out: number;
  scale?: number;
}

/** Reads a size or factor given once or once per spatial dimension. */
function perAxis(
  ctx: CheckContext,
  key: string,
  value: unknown,
  count: number,
  read: (k: string, v: unknown) => number,
): number[] {
  if (typeof value === 'number') return Array.from({ length: count }, () => read(key, value));
  if (!Array.isArray(value) || value.length !== count)
    fail(ctx, key, `a number or a list of ${count} (one per spatial dimension)`, value, TypeError);
  return value.map((v, i) => read(`${key}[${i}]`, v));
}

function axesOf(ctx: CheckContext, x: Tensor, o: InterpolateOptions): Axis[] {
  const count = x.ndim - 2;
  const given = (v: unknown): boolean => v !== undefined && v !== null;
  if (given(o.size) === given(o.scaleFactor))
    throw new TypeError(`${ctx.where}: give exactly one of size and scaleFactor`);
  const dims = Array.from({ length: count }, (_, i) => ({ dim: i + 2, in: x.shape[i + 2] }));
  if (given(o.size)) {
    const sizes = perAxis(ctx, 'size', o.size, count, (k, v) => checkInteger(ctx, k, v, 1));
    return dims.map((d, i) => ({ ...d, out: sizes[i] }));
  }
  const scales = perAxis(ctx, 'scaleFactor', o.scaleFactor, count, (k, v) =>
    checkPositive(ctx, k, v),
  );
  return dims.map((d, i) => {
    const out = Math.floor(d.in * scales[i]);
    if (out < 1) {
      throw new RangeError(
        `${ctx.where}: scaleFactor ${scales[i]} makes dimension ${d.dim} of size ${d.in} empty (${d.in}·${scales[i]} < 1)`,
      );
    }
    return { ...d, out, scale: scales[i] };
  });
}

/**
 * PyTorch's nearest source index of output j: ⌊j·s⌋ (at most in − 1) with s = 1/scaleFactor, or
 * in/out without one, computed in float32 as PyTorch does; j itself when the size is unchanged,
 * j/2 when it doubles.
 */
function nearestSource(a: Axis, j: number): number {
  if (a.out === a.in) return j;
  if (a.out === 2 * a.in) return j >> 1;
  const s = Math.fround(a.scale !== undefined ? 1 / a.scale : a.in / a.out);
  return Math.min(Math.floor(Math.fround(j * s)), a.in - 1);
}

/** The index tensor of `pick` over the outputs of axis `a`. */
function indexOf(a: Axis, pick: (j: number) => number): Tensor {
  const index = new Int32Array(a.out);
  for (let j = 0; j < a.out; j++) index[j] = pick(j);
  return new Tensor(index, [a.out]);
}

/** The position in the input that output j of axis `a` samples, for linear interpolation. */
function linearSource(a: Axis, alignCorners: boolean, j: number): number {
  if (alignCorners) return a.out > 1 ? (j * (a.in - 1)) / (a.out - 1) : 0;
  const s = a.scale !== undefined ? 1 / a.scale : a.in / a.out;
  return Math.max(s * (j + 0.5) - 0.5, 0);
}

/** x resized along axis `a` by linear interpolation between the two nearest inputs. */
function linearAlong(x: Tensor, a: Axis, alignCorners: boolean): Tensor {
  const low = new Int32Array(a.out);
  const high = new Int32Array(a.out);
  const wLow = allocate(x.dtype, a.out);
  const wHigh = allocate(x.dtype, a.out);
  for (let j = 0; j < a.out; j++) {
    const src = linearSource(a, alignCorners, j);
    const i0 = Math.min(Math.floor(src), a.in - 1);
    const lambda = Math.min(Math.max(src - i0, 0), 1);
    low[j] = i0;
    high[j] = i0 < a.in - 1 ? i0 + 1 : i0;
    wLow[j] = 1 - lambda;
    wHigh[j] = lambda;
  }
  const shape = a.dim === x.ndim - 1 ? [a.out] : [a.out, 1];
  return x
    .indexSelect(a.dim, new Tensor(low, [a.out]))
    .mul(new Tensor(wLow, shape))
    .add(x.indexSelect(a.dim, new Tensor(high, [a.out])).mul(new Tensor(wHigh, shape)));
}

function checkInput(ctx: CheckContext, x: Tensor, mode: 'nearest' | 'bilinear'): void {
  const bilinear = mode === 'bilinear';
  const ok = bilinear ? x.ndim === 4 : x.ndim === 3 || x.ndim === 4;
  if (!ok || x.shape.slice(1).some((d) => d === 0)) {
    throw new RangeError(
      `${ctx.where}: ${mode} mode needs a ${bilinear ? '4-D [N, C, H, W]' : '3-D [N, C, L] or 4-D [N, C, H, W]'} input with non-empty C and spatial dimensions, got shape ${formatShape(x.shape)}`,
    );
  }
  if (bilinear && !isFloating(x.dtype)) {
    throw new TypeError(
      `${ctx.where}: bilinear mode needs a floating-point input (float32 or float64), got ${x.dtype}`,
    );
  }
}

/**
 * Resizes the spatial dimensions of [N, C, H, W] input (or [N, C, L] in `nearest` mode), as
 * PyTorch's `F.interpolate`. `nearest` copies input ⌊j·in/out⌋ (⌊j/scaleFactor⌋ when a factor is
 * given) to output j; `bilinear` interpolates between the two nearest inputs along each axis, the
 * output pixel centres placed at (j + ½)·in/out − ½ (clamped at 0), or with `alignCorners` at
 * j·(in − 1)/(out − 1), so that the corner pixels coincide.
 *
 * @example
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * interpolate(x, { scaleFactor: 2 }).shape; // => [1, 1, 4, 4]
 * const row = tensor([[[[1, 2]]]]);
 * interpolate(row, { size: [1, 3], mode: 'bilinear', alignCorners: true }).toArray(); // => [[[[1, 1.5, 2]]]]
 */
export function interpolate(input: Tensor, options: InterpolateOptions): Tensor {
  const ctx = { where: 'interpolate' };
  const x = expectTensor(input, ctx.where);
  const o = resolveOptions(ctx.where, options, {
    size: null,
    scaleFactor: null,
    mode: 'nearest',
    alignCorners: null,
  } as InterpolateOptions);
  const mode = checkChoice(ctx, 'mode', o.mode, ['nearest', 'bilinear']);
  checkInput(ctx, x, mode);
  const axes = axesOf(ctx, x, o).reverse();
  if (mode === 'nearest') {
    if (o.alignCorners !== null && o.alignCorners !== undefined)
      fail(
        ctx,
        'alignCorners',
        'left out in nearest mode (it applies to bilinear)',
        o.alignCorners,
      );
    return axes.reduce(
      (t, a) =>
        a.in === a.out
          ? t
          : t.indexSelect(
              a.dim,
              indexOf(a, (j) => nearestSource(a, j)),
            ),
      x,
    );
  }
  const align =
    o.alignCorners === null || o.alignCorners === undefined
      ? false
      : checkBoolean(ctx, 'alignCorners', o.alignCorners);
  return axes.reduce((t, a) => (a.in === a.out ? t : linearAlong(t, a, align)), x);
}
