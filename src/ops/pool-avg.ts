import {
  checkBoolean,
  checkInteger,
  fail,
  resolveOptions,
  type CheckContext,
} from '../tensor/check.js';
import type { Window2d } from '../backend/backend.js';
import { allocate, isFloating, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { poolWindow, spatial, spatialInput, unbatch } from './pool.js';
import { im2colOp } from './unfold.js';
import { pair, type Pair } from './window-args.js';

/*
 * Average pooling as a linear map built from differentiable operations, so that its gradients
 * (and theirs) come for free: window sums divided by window sizes. When the windows tile the
 * input (kernel = stride, no padding: the usual case in a network) the sums are one reshape and
 * one sum. Otherwise `avgPool2d` sums the columns of the im2col primitive (unfold.ts; its adjoint
 * is col2im), and `adaptiveAvgPool2d`, whose windows vary in size, multiplies by a 0/1 band matrix
 * along each axis (the windows are separable), which runs on the GEMM.
 */

/** One window along one axis: the input positions [start, end) it sums, and its divisor. */
interface Span {
  start: number;
  end: number;
  divisor: number;
}

/** The windows of `avg_pool2d` along one axis (PyTorch's rule for the clipped divisor). */
function poolSpans(
  size: number,
  kernel: number,
  stride: number,
  pad: number,
  count: number,
  countIncludePad: boolean,
): Span[] {
  return Array.from({ length: count }, (_, i) => {
    const from = i * stride - pad;
    const to = Math.min(from + kernel, size + pad);
    const start = Math.max(from, 0);
    const end = Math.min(to, size);
    return { start, end, divisor: countIncludePad ? to - from : end - start };
  });
}

/** The windows of `adaptive_avg_pool2d`: output i averages ⌊i·in/out⌋ ≤ j < ⌈(i+1)·in/out⌉. */
function adaptiveSpans(size: number, count: number): Span[] {
  return Array.from({ length: count }, (_, i) => {
    const start = Math.floor((i * size) / count);
    const end = Math.ceil(((i + 1) * size) / count);
    return { start, end, divisor: end - start };
  });
}

/** The 0/1 matrix that sums the spans: [out, size] (rows, `transpose` false) or [size, out]. */
function band(spans: readonly Span[], size: number, dtype: DType, transpose: boolean): Tensor {
  const m = spans.length;
  const data = allocate(dtype, m * size);
  spans.forEach(({ start, end }, i) => {
    for (let j = start; j < end; j++) data[transpose ? j * m + i : i * size + j] = 1;
  });
  return new Tensor(data, transpose ? [size, m] : [m, size]);
}

/** The window length when the spans tile the axis from 0 (start i·k, end (i+1)·k), else 0. */
function tileLength(spans: readonly Span[]): number {
  const k = spans[0].end - spans[0].start;
  return spans.every((s, i) => s.start === i * k && s.end === (i + 1) * k) ? k : 0;
}

/** x [n, c, h, w] summed over windows of kh × kw that tile it from the top left corner. */
function tiledSums(x: Tensor, kh: number, kw: number, oh: number, ow: number): Tensor {
  const [n, c, h, w] = x.shape;
  if (kh === 1 && kw === 1 && oh === h && ow === w) return x;
  const used = x.narrow(2, 0, oh * kh).narrow(3, 0, ow * kw);
  return used.reshape([n, c, oh, kh, ow, kw]).sum([3, 5]);
}

/** x [n, c, h, w] summed over the windows of `g`, through the im2col primitive (0 in the padding). */
function im2colSums(x: Tensor, g: Window2d): Tensor {
  const cols = im2colOp(x, g).reshape([g.n, g.c, g.kh * g.kw, g.oh * g.ow]);
  return cols.sum(2).reshape([g.n, g.c, g.oh, g.ow]);
}

/** x [n, c, h, w] summed over the windows `spans` along `axis` (2: rows, 3: columns) by a band matrix. */
function bandSums(x: Tensor, axis: 2 | 3, spans: readonly Span[]): Tensor {
  const size = x.shape[axis];
  return axis === 3
    ? x.matmul(band(spans, size, x.dtype, true))
    : band(spans, size, x.dtype, false).matmul(x);
}

/**
 * The window sums of x [n, c, h, w] over `rows` × `cols`: tiled, else on the im2col geometry `g`
 * when there is one (avgPool2d), else by band matrices (adaptiveAvgPool2d).
 */
function windowSums(x: Tensor, rows: readonly Span[], cols: readonly Span[], g?: Window2d): Tensor {
  const kh = tileLength(rows);
  const kw = tileLength(cols);
  if (kh > 0 && kw > 0) return tiledSums(x, kh, kw, rows.length, cols.length);
  if (g !== undefined) return im2colSums(x, g);
  return bandSums(bandSums(x, 3, cols), 2, rows);
}

/**
 * The window averages of x [n, c, h, w]: sums over `rows` × `cols` divided by `divisor`, or by
 * the product of the spans' own divisors when it is null.
 */
function averageWindows(
  x: Tensor,
  rows: readonly Span[],
  cols: readonly Span[],
  divisor: number | null,
  g?: Window2d,
): Tensor {
  const sums = windowSums(x, rows, cols, g);
  if (divisor !== null) return sums.div(divisor);
  const first = rows[0].divisor * cols[0].divisor;
  if (
    rows.every((r) => r.divisor === rows[0].divisor) &&
    cols.every((c) => c.divisor === cols[0].divisor)
  )
    return sums.div(first);
  const d = allocate(x.dtype, rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (d[i * cols.length + j] = r.divisor * c.divisor)));
  return sums.div(new Tensor(d, [rows.length, cols.length]));
}

function floatingInput(where: string, input: unknown): [Tensor, boolean] {
  const [x, unbatched] = spatialInput(where, input);
  if (!isFloating(x.dtype)) {
    throw new TypeError(
      `${where}: expected a floating-point input (float32 or float64), got ${x.dtype}`,
    );
  }
  return [x, unbatched];
}

/** Options of `avgPool2d`, as PyTorch's `avg_pool2d`. */
export interface AvgPool2dOptions {
  /** Step between windows (default: `kernelSize`). */
  stride?: Pair | null;
  /** Implicit zero padding on both sides, at most half the kernel (default 0). */
  padding?: Pair;
  /** Use ⌈⌉ instead of ⌊⌋ for the output size, keeping a last partial window (default false). */
  ceilMode?: boolean;
  /** Count the padding zeros in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead (default null: by the window's size). */
  divisorOverride?: number | null;
}

function divisorOption(ctx: CheckContext, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value === 0)
    fail(ctx, 'divisorOverride', 'a non-zero integer or null', value);
  return value;
}

/**
 * 2-D average pooling over [N, C, H, W] (or [C, H, W]) input, as PyTorch's `avg_pool2d`: each
 * output is the sum of its window divided by the window's size — the padded size when
 * `countIncludePad` (the default), else the number of input elements in it — or by
 * `divisorOverride`. A window kept by `ceilMode` past the padding counts only up to it.
 *
 * @example
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * avgPool2d(x, 2).toArray(); // => [[[[2.5]]]]
 */
export function avgPool2d(input: Tensor, kernelSize: Pair, options?: AvgPool2dOptions): Tensor {
  const ctx = { where: 'avgPool2d' };
  const [x, unbatched] = floatingInput(ctx.where, input);
  const o = resolveOptions(ctx.where, options, {
    stride: null as Pair | null,
    padding: 0 as Pair,
    ceilMode: false,
    countIncludePad: true,
    divisorOverride: null as number | null,
  });
  const g = poolWindow(ctx, x.shape, kernelSize, o);
  const include = checkBoolean(ctx, 'countIncludePad', o.countIncludePad);
  const divisor = divisorOption(ctx, o.divisorOverride);
  const rows = poolSpans(g.h, g.kh, g.sh, g.ph, g.oh, include);
  const cols = poolSpans(g.w, g.kw, g.sw, g.pw, g.ow, include);
  return unbatch(averageWindows(x, rows, cols, divisor, g), unbatched);
}

function outputSizeOf(
  ctx: CheckContext,
  value: unknown,
  [h, w]: [number, number],
): [number, number] {
  const one = (key: string, v: unknown, size: number): number =>
    v === null ? size : checkInteger(ctx, key, v, 1);
  if (typeof value === 'number') return pair(ctx, 'outputSize', value, 1);
  if (!Array.isArray(value) || value.length !== 2)
    fail(
      ctx,
      'outputSize',
      'a positive integer or a pair of them (null keeps a size)',
      value,
      TypeError,
    );
  return [one('outputSize[0]', value[0], h), one('outputSize[1]', value[1], w)];
}

/**
 * 2-D adaptive average pooling over [N, C, H, W] (or [C, H, W]) input, as PyTorch's
 * `adaptive_avg_pool2d`: the output has `outputSize` (a size or [h, w], null keeping the input's
 * size), and output i along an axis of size `in` averages the inputs ⌊i·in/out⌋ … ⌈(i+1)·in/out⌉ − 1.
 *
 * @example
 * const x = tensor([[[[1, 2, 3], [4, 5, 6]]]]);
 * adaptiveAvgPool2d(x, 1).toArray(); // => [[[[3.5]]]]
 */
export function adaptiveAvgPool2d(
  input: Tensor,
  outputSize: number | readonly [number | null, number | null],
): Tensor {
  const ctx = { where: 'adaptiveAvgPool2d' };
  const [x, unbatched] = floatingInput(ctx.where, input);
  const [h, w] = spatial(x.shape);
  const [oh, ow] = outputSizeOf(ctx, outputSize, [h, w]);
  return unbatch(averageWindows(x, adaptiveSpans(h, oh), adaptiveSpans(w, ow), null), unbatched);
}
