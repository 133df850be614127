/**
 * The kernels over a channel dimension of the native and wasm backends: the per-channel bias add
 * of a convolution (`binary('add')` with b broadcast along one middle dimension), its gradient (a
 * sum over every dimension but one) and the row scatter-add of max pooling's backward pass
 * (`scatterAdd` along the last dimension). Each recognises its layout and calls the addon's or
 * the module's kernel, else hands the call to the kernel it wraps. Their contracts are in
 * native/channels.h (wasm/channels.cc: the same, without threads).
 */
import type { Backend } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { both, input, output, type Float, type WasmKernels } from './module.js';

/** The channel kernels of the addon (native/channels.h) or of the module (wasm/channels.cc). */
export interface ChannelAddon {
  addChannels(a: Float, b: Float, out: Float, outer: number, channels: number, inner: number): void;
  /** out = a·b[c] along the channel dimension (eval-mode batch norm's scale), where there is one. */
  mulChannels?(
    a: Float,
    b: Float,
    out: Float,
    outer: number,
    channels: number,
    inner: number,
  ): void;
  sumChannels(x: Float, outer: number, channels: number, inner: number, out: Float): void;
  scatterAddRows(
    out: Float,
    rows: number,
    width: number,
    index: Int32Array,
    cols: number,
    src: Float,
  ): void;
}

const product = (xs: readonly number[], from: number, to: number): number => {
  let p = 1;
  for (let i = from; i < to; i++) p *= xs[i];
  return p;
};

/** Float arrays all of the first one's type. */
function floats(...arrays: TypedArray[]): boolean {
  const first = arrays[0];
  if (!(first instanceof Float32Array || first instanceof Float64Array)) return false;
  return arrays.every((a) => a.constructor === first.constructor);
}

/** Whether `strides` read a contiguous row-major array of `shape`. */
function contiguous(shape: readonly number[], strides: readonly number[]): boolean {
  for (let d = shape.length - 1, expected = 1; d >= 0; expected *= shape[d], d--)
    if (shape[d] !== 1 && strides[d] !== expected) return false;
  return true;
}

/**
 * The dimension d along which `strides` read one vector of `shape[d]` elements broadcast over
 * every other dimension (stride 1 there, 0 or a dimension of 1 elsewhere), or −1.
 */
function channelDim(shape: readonly number[], strides: readonly number[]): number {
  let found = -1;
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1 || strides[d] === 0) continue;
    if (strides[d] !== 1 || found >= 0) return -1;
    found = d;
  }
  return found;
}

/** The one dimension of `shape` (of rank ≥ 3) that `axes` (ascending) leave out, or −1. */
function keptDim(shape: readonly number[], axes: readonly number[]): number {
  const n = shape.length;
  if (n < 3 || axes.length !== n - 1) return -1;
  let kept = n - 1;
  for (let i = 0; i < n - 1; i++) if (axes[i] !== i) kept = Math.min(kept, i);
  for (let i = 0; i < n - 1; i++) if (axes[i] !== (i < kept ? i : i + 1)) return -1;
  return kept;
}

/** `binary`, `reduce` and `scatterAdd` of `inner` with the addon's channel kernels in front. */
export function channelKernels(
  addon: ChannelAddon,
  inner: Backend,
  minElements: number,
): Pick<Backend, 'binary' | 'reduce' | 'scatterAdd'> {
  return {
    binary(op, a, aStrides, b, bStrides, out, outShape) {
      const kernel =
        op === 'add' ? addon.addChannels : op === 'mul' ? addon.mulChannels : undefined;
      const d = kernel && out.length >= minElements ? channelDim(outShape, bStrides) : -1;
      if (
        d >= 0 &&
        d < outShape.length - 1 &&
        a.length === out.length &&
        floats(a, b, out) &&
        contiguous(outShape, aStrides)
      ) {
        const n = outShape.length;
        const [o, c, i] = [product(outShape, 0, d), outShape[d], product(outShape, d + 1, n)];
        return kernel?.call(addon, a as Float, b as Float, out as Float, o, c, i);
      }
      inner.binary(op, a, aStrides, b, bStrides, out, outShape);
    },
    reduce(op, x, shape, axes, out) {
      const kept = op === 'sum' && x.length >= minElements ? keptDim(shape, axes) : -1;
      if (kept >= 0 && floats(x, out)) {
        const n = shape.length;
        const [o, c, i] = [product(shape, 0, kept), shape[kept], product(shape, kept + 1, n)];
        return addon.sumChannels(x as Float, o, c, i, out as Float);
      }
      inner.reduce(op, x, shape, axes, out);
    },
    scatterAdd(out, outShape, dim, index, indexShape, src) {
      const n = outShape.length;
      if (
        n >= 2 &&
        dim === n - 1 &&
        indexShape.length === n &&
        src.length >= minElements &&
        src.length === index.length &&
        indexShape.every((s, i) => i === dim || s === outShape[i]) &&
        floats(out, src)
      ) {
        const rows = product(outShape, 0, dim);
        const [width, cols] = [outShape[dim], indexShape[dim]];
        return addon.scatterAddRows(out as Float, rows, width, index, cols, src as Float);
      }
      inner.scatterAdd(out, outShape, dim, index, indexShape, src);
    },
  };
}

/** out, the pointers into the module's memory, and the sizes of ChannelAddon's kernels. */
type AddExport = (
  a: number,
  b: number,
  out: number,
  outer: number,
  c: number,
  inner: number,
) => void;
type SumExport = (x: number, outer: number, c: number, inner: number, out: number) => void;
type ScatterExport = (
  out: number,
  rows: number,
  width: number,
  index: number,
  cols: number,
  src: number,
) => void;

/** outer, channels, inner. */
type Sizes = [outer: number, channels: number, inner: number];

/** What wasm/channels.cc exports. */
export interface ChannelExports {
  add_channels_f32: AddExport;
  add_channels_f64: AddExport;
  mul_channels_f32: AddExport;
  mul_channels_f64: AddExport;
  sum_channels_f32: SumExport;
  sum_channels_f64: SumExport;
  scatter_add_rows_f32: ScatterExport;
  scatter_add_rows_f64: ScatterExport;
}

/** The module's channel kernels behind the addon's face. */
export function wasmChannels(kernels: WasmKernels): ChannelAddon {
  const x = kernels.exports;
  const f32 = (a: Float) => a instanceof Float32Array;
  const channels = (f: AddExport, a: Float, b: Float, out: Float, sizes: Sizes) => {
    // out is often a itself (a bias added in place): one array in and out then.
    const args = out === a ? [both(a), input(b)] : [input(a), input(b), output(out)];
    kernels.run(args, 0, ([pa, pb, po]) => f(pa, pb, out === a ? pa : po, ...sizes));
  };
  return {
    addChannels(a, b, out, outer, c, inner) {
      channels(f32(a) ? x.add_channels_f32 : x.add_channels_f64, a, b, out, [outer, c, inner]);
    },
    mulChannels(a, b, out, outer, c, inner) {
      channels(f32(a) ? x.mul_channels_f32 : x.mul_channels_f64, a, b, out, [outer, c, inner]);
    },
    sumChannels(xs, outer, c, inner, out) {
      const f = f32(xs) ? x.sum_channels_f32 : x.sum_channels_f64;
      kernels.run([input(xs), output(out)], 0, ([px, po]) => f(px, outer, c, inner, po));
    },
    scatterAddRows(out, rows, width, index, cols, src) {
      const f = f32(out) ? x.scatter_add_rows_f32 : x.scatter_add_rows_f64;
      kernels.run([both(out), input(index), input(src)], 0, ([po, pi, ps]) =>
        f(po, rows, width, pi, cols, ps),
      );
    },
  };
}
