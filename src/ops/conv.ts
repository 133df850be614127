import type { Window2d } from '../backend/index.js';
import {
  checkChoice,
  checkInteger,
  formatValue,
  resolveOptions,
  type CheckContext,
} from '../tensor/check.js';
import { isFloating } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { convolve, convolveTranspose } from './conv-rules.js';
import { expectTensor } from './kernels.js';
import { pair, slideLength, window2d, type Pair } from './window-args.js';

/*
 * The convolutions of the API (PyTorch's semantics and argument names): conv1d and conv2d, and
 * convTranspose2d, checked here and computed by the primitives of conv-rules.ts (conv1d is conv2d
 * on images of height 1).
 */

/** Padding of a convolution: zeros on both sides, or `'same'` (output as large as the input, stride 1 only) or `'valid'` (none). */
export type ConvPadding<P> = P | 'same' | 'valid';

/** Options of `conv1d`, as PyTorch's. */
export interface Conv1dOptions {
  /** Step between windows (default 1). */
  stride?: number;
  /** Zeros on both sides, `'same'` or `'valid'` (default 0). */
  padding?: ConvPadding<number>;
  /** Spacing between kernel taps (default 1). */
  dilation?: number;
  /** Channel groups (default 1; the input's channel count for a depthwise convolution). */
  groups?: number;
}

/** Options of `conv2d`, as PyTorch's: each size one number or a pair [along h, along w]. */
export interface Conv2dOptions {
  /** Step between windows (default 1). */
  stride?: Pair;
  /** Zeros on both sides, `'same'` or `'valid'` (default 0). */
  padding?: ConvPadding<Pair>;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Channel groups (default 1; the input's channel count for a depthwise convolution). */
  groups?: number;
}

/** Options of `convTranspose2d`, as PyTorch's. */
export interface ConvTranspose2dOptions {
  /** The stride of the convolution this one transposes (default 1). */
  stride?: Pair;
  /** The padding of the convolution this one transposes: removed from both sides (default 0). */
  padding?: Pair;
  /** Extra size added on the bottom and right of the output (default 0; less than stride or dilation). */
  outputPadding?: Pair;
  /** Channel groups (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
}

/** A convolution's tensors, batched (a sample dimension added to an unbatched input). */
interface Operands {
  x: Tensor;
  w: Tensor;
  b: Tensor | null;
  unbatched: boolean;
  /** Output channels. */
  out: number;
}

/** Checks the tensors of a convolution with `dims` spatial dimensions; `transposed` for convTranspose. */
function operands(
  where: string,
  [input, weight, bias]: readonly unknown[],
  dims: number,
  groups: number,
  transposed: boolean,
): Operands {
  const x = expectTensor(input, where, 'input');
  const w = expectTensor(weight, where, 'weight');
  const b = bias === null || bias === undefined ? null : expectTensor(bias, where, 'bias');
  if (!isFloating(x.dtype))
    throw new TypeError(`${where}: input must be float32 or float64, got ${x.dtype}`);
  for (const [name, t] of [
    ['weight', w],
    ['bias', b],
  ] as const) {
    if (t !== null && t.dtype !== x.dtype)
      throw new TypeError(
        `${where}: input is ${x.dtype} but ${name} is ${t.dtype}; give them one dtype`,
      );
  }
  const taps = ['kh', 'kw'].slice(2 - dims).join(', ');
  const layout = transposed ? `[in, out/groups, ${taps}]` : `[out, in/groups, ${taps}]`;
  if (w.ndim !== dims + 2)
    throw new RangeError(
      `${where}: weight must be ${dims + 2}-D ${layout}, got shape ${formatShape(w.shape)}`,
    );
  if (x.ndim !== dims + 1 && x.ndim !== dims + 2) {
    const space = ['H', 'W']
      .slice(2 - dims)
      .join(', ')
      .replace(/^W$/, 'L');
    throw new RangeError(
      `${where}: input must be ${dims + 2}-D [N, C, ${space}] or ${dims + 1}-D [C, ${space}], got shape ${formatShape(x.shape)}`,
    );
  }
  const unbatched = x.ndim === dims + 1;
  const c = x.shape[unbatched ? 0 : 1];
  const ws = `weight ${formatShape(w.shape)}, groups ${groups}`;
  if (c % groups !== 0)
    throw new RangeError(`${where}: groups ${groups} must divide the input's ${c} channels`);
  const expects = transposed ? w.shape[0] : w.shape[1] * groups;
  if (!transposed && w.shape[0] % groups !== 0)
    throw new RangeError(
      `${where}: groups ${groups} must divide the weight's ${w.shape[0]} output channels (${ws})`,
    );
  if (c !== expects)
    throw new RangeError(`${where}: input has ${c} channels but weight expects ${expects} (${ws})`);
  const out = transposed ? w.shape[1] * groups : w.shape[0];
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== out))
    throw new RangeError(
      `${where}: bias must have shape [${out}] (one per output channel), got shape ${formatShape(b.shape)}`,
    );
  return { x: unbatched ? x.unsqueeze(0) : x, w, b, unbatched, out };
}

/** The padding option: 'same', or a pair (with 'valid' as 0). */
function readPadding(ctx: CheckContext, value: unknown, dims: number): [number, number] | 'same' {
  if (typeof value === 'string') {
    const choice = checkChoice(ctx, 'padding', value, ['same', 'valid']);
    return choice === 'same' ? 'same' : [0, 0];
  }
  if (dims === 1) return [0, checkInteger(ctx, 'padding', value, 0)];
  return pair(ctx, 'padding', value, 0);
}

/** A convolution's window, read and checked. */
interface ConvSpec {
  stride: [number, number];
  padding: [number, number] | 'same';
  dilation: [number, number];
  groups: number;
  /** The stride as given, for messages. */
  given: unknown;
}

/**
 * The geometry of padding 'same' (stride 1): the output has the input's size; the zeros a window
 * needs, d·(k − 1), are split with the odd one on the bottom/right as in PyTorch. The window starts
 * ⌊d·(k − 1)/2⌋ before the input and every tap outside the input reads 0, so the extra zero on
 * the far side needs no padding of its own.
 */
function sameWindow(shape: readonly number[], w: Tensor, dilation: [number, number]): Window2d {
  const [n, c, h, wd] = shape;
  const [kh, kw] = [w.shape[2], w.shape[3]];
  const [dh, dw] = dilation;
  const ph = Math.floor((dh * (kh - 1)) / 2);
  const pw = Math.floor((dw * (kw - 1)) / 2);
  return { n, c, h, w: wd, kh, kw, sh: 1, sw: 1, ph, pw, dh, dw, oh: h, ow: wd };
}

/** conv2d of checked, batched operands. */
function convolveChecked(ctx: CheckContext, o: Operands, spec: ConvSpec): Tensor {
  const { x, w } = o;
  let g: Window2d;
  if (spec.padding === 'same') {
    if (spec.stride[0] !== 1 || spec.stride[1] !== 1) {
      throw new RangeError(
        `${ctx.where}: padding 'same' needs stride 1 (as in PyTorch), got stride ${formatValue(spec.given)}`,
      );
    }
    g = sameWindow(x.shape, w, spec.dilation);
  } else {
    const kernel: [number, number] = [w.shape[2], w.shape[3]];
    g = window2d(ctx, x.shape, {
      kernel,
      stride: spec.stride,
      padding: spec.padding,
      dilation: spec.dilation,
    });
  }
  const y = convolve(x, w, o.b, { g, groups: spec.groups });
  return o.unbatched ? y.squeeze(0) : y;
}

/**
 * 2-D convolution (cross-correlation, as PyTorch): input [N, C, H, W] (or [C, H, W]), weight
 * [O, C/groups, kh, kw], optional bias [O]; out[n, o, y, x] = b[o] + Σ W[o, c, i, j]·input[n, c,
 * y·s − p + i·d, x·s − p + j·d] over the c of o's group, zeros outside the input. Output size
 * ⌊(H + 2p − d·(kh − 1) − 1)/s⌋ + 1 (likewise for W); `padding: 'same'` keeps H × W (stride 1).
 *
 * @example
 * conv2d(randn([1, 3, 8, 8]), randn([4, 3, 3, 3]), null, { padding: 1 }).shape; // => [1, 4, 8, 8]
 * conv2d(randn([1, 6, 8, 8]), randn([6, 1, 3, 3]), null, { groups: 6, stride: 2 }).shape; // => [1, 6, 3, 3] (depthwise)
 */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options?: Conv2dOptions,
): Tensor {
  const ctx = { where: 'conv2d' };
  const opts = resolveOptions<Conv2dOptions>('conv2d', options, {
    stride: 1,
    padding: 0,
    dilation: 1,
    groups: 1,
  });
  const groups = checkInteger(ctx, 'groups', opts.groups, 1);
  const o = operands('conv2d', [input, weight, bias], 2, groups, false);
  return convolveChecked(ctx, o, {
    stride: pair(ctx, 'stride', opts.stride, 1),
    padding: readPadding(ctx, opts.padding, 2),
    dilation: pair(ctx, 'dilation', opts.dilation, 1),
    groups,
    given: opts.stride,
  });
}

/**
 * 1-D convolution (cross-correlation, as PyTorch): input [N, C, L] (or [C, L]), weight
 * [O, C/groups, K], optional bias [O]; out[n, o, t] = b[o] + Σ W[o, c, k]·input[n, c, t·s − p + k·d].
 *
 * @example
 * conv1d(randn([2, 4, 10]), randn([8, 4, 3]), null, { padding: 'same' }).shape; // => [2, 8, 10]
 */
export function conv1d(
  input: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options?: Conv1dOptions,
): Tensor {
  const ctx = { where: 'conv1d' };
  const opts = resolveOptions<Conv1dOptions>('conv1d', options, {
    stride: 1,
    padding: 0,
    dilation: 1,
    groups: 1,
  });
  const groups = checkInteger(ctx, 'groups', opts.groups, 1);
  const o = operands('conv1d', [input, weight, bias], 1, groups, false);
  const spec: ConvSpec = {
    stride: [1, checkInteger(ctx, 'stride', opts.stride, 1)],
    padding: readPadding(ctx, opts.padding, 1),
    dilation: [1, checkInteger(ctx, 'dilation', opts.dilation, 1)],
    groups,
    given: opts.stride,
  };
  const [k, s, d] = [o.w.shape[2], spec.stride[1], spec.dilation[1]];
  const p = spec.padding === 'same' ? 0 : spec.padding[1];
  if (spec.padding !== 'same' && slideLength(o.x.shape[2], k, s, p, d) < 1) {
    throw new RangeError(
      `conv1d: the kernel ${k} (dilation ${d}) does not fit the input ${formatShape(o.x.shape)} padded by ${p}`,
    );
  }
  const flat = { ...o, x: o.x.unsqueeze(2), w: o.w.unsqueeze(2), unbatched: false };
  const y = convolveChecked(ctx, flat, spec).squeeze(2);
  return o.unbatched ? y.squeeze(0) : y;
}

/**
 * 2-D transposed convolution (PyTorch's conv_transpose2d, the gradient of conv2d with respect to
 * its input): input [N, Cin, H, W] (or [Cin, H, W]), weight [Cin, Cout/groups, kh, kw], optional
 * bias [Cout]; each input value adds W·value into its window of the output. Output size
 * (H − 1)·s − 2p + d·(kh − 1) + outputPadding + 1 (likewise for W).
 *
 * @example
 * convTranspose2d(randn([1, 4, 5, 5]), randn([4, 2, 3, 3]), null, { stride: 2, padding: 1, outputPadding: 1 }).shape; // => [1, 2, 10, 10]
 */
export function convTranspose2d(
  input: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options?: ConvTranspose2dOptions,
): Tensor {
  const ctx = { where: 'convTranspose2d' };
  const opts = resolveOptions<ConvTranspose2dOptions>('convTranspose2d', options, {
    stride: 1,
    padding: 0,
    outputPadding: 0,
    groups: 1,
    dilation: 1,
  });
  const groups = checkInteger(ctx, 'groups', opts.groups, 1);
  const o = operands('convTranspose2d', [input, weight, bias], 2, groups, true);
  const [sh, sw] = pair(ctx, 'stride', opts.stride, 1);
  const [ph, pw] = pair(ctx, 'padding', opts.padding, 0);
  const [oph, opw] = pair(ctx, 'outputPadding', opts.outputPadding, 0);
  const [dh, dw] = pair(ctx, 'dilation', opts.dilation, 1);
  if ((oph >= sh && oph >= dh) || (opw >= sw && opw >= dw)) {
    throw new RangeError(
      `convTranspose2d: outputPadding must be smaller than either stride or dilation, got outputPadding [${oph}, ${opw}], stride [${sh}, ${sw}] and dilation [${dh}, ${dw}]`,
    );
  }
  const [n, , oh, ow] = o.x.shape;
  const [kh, kw] = [o.w.shape[2], o.w.shape[3]];
  const h = (oh - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
  const w = (ow - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
  if (h < 1 || w < 1) {
    throw new RangeError(
      `convTranspose2d: the output would be ${h}×${w} for the input ${formatShape(o.x.shape)}, kernel ${kh}×${kw} and padding ${ph}×${pw}; it must be at least 1×1`,
    );
  }
  const g: Window2d = { n, c: o.out, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
  const y = convolveTranspose(o.x, o.w, o.b, { g, groups });
  return o.unbatched ? y.squeeze(0) : y;
}
