import type { Window2d } from '../backend/backend.js';
import { checkInteger, fail, type CheckContext } from '../tensor/check.js';
import { formatShape } from '../tensor/shape.js';

/*
 * The arguments convolution and pooling share, read as PyTorch reads them: a size is one integer
 * (the same along both spatial dimensions) or a pair [along h, along w].
 */

/** A number or a pair, as `kernelSize`, `stride`, `padding` and `dilation` are given. */
export type Pair = number | readonly [number, number];

/** `value` as [along h, along w], each an integer ≥ `min`; `key` names it in the error. */
export function pair(
  ctx: CheckContext,
  key: string,
  value: unknown,
  min: number,
): [number, number] {
  if (typeof value === 'number') {
    const v = checkInteger(ctx, key, value, min);
    return [v, v];
  }
  if (!Array.isArray(value) || value.length !== 2) {
    const what = min === 1 ? 'a positive integer' : `an integer >= ${min}`;
    fail(ctx, key, `${what} or a pair of them`, value, TypeError);
  }
  return [
    checkInteger(ctx, `${key}[0]`, value[0], min),
    checkInteger(ctx, `${key}[1]`, value[1], min),
  ];
}

/**
 * The output length of a sliding window along one dimension of `size` (PyTorch's formula):
 * ⌊(size + 2·pad − dilation·(kernel − 1) − 1) / stride⌋ + 1, or with ⌈⌉ when `ceil` (then a
 * last window that would start in the right padding is dropped, as PyTorch does).
 */
export function slideLength(
  size: number,
  kernel: number,
  stride: number,
  pad: number,
  dilation: number,
  ceil = false,
): number {
  const span = size + 2 * pad - dilation * (kernel - 1) - 1;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceil && out > 0 && (out - 1) * stride >= size + pad) out--;
  // With ceilMode a window larger than the padded input still gives one output, as in PyTorch.
  return Math.max(0, out);
}

/** The sizes of one sliding window over an input [n, c, h, w], before the output is known. */
export interface WindowSpec {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  ceil?: boolean;
}

/**
 * The full `Window2d` for `shape` [n, c, h, w] and `spec`, refusing a window larger than the
 * padded input: `<where>: the kernel 5×5 (dilation 1×1) does not fit the input [1, 1, 3, 3] padded by 0×0`.
 */
export function window2d(ctx: CheckContext, shape: readonly number[], spec: WindowSpec): Window2d {
  const [n, c, h, w] = shape;
  const [kh, kw] = spec.kernel;
  const [sh, sw] = spec.stride;
  const [ph, pw] = spec.padding;
  const [dh, dw] = spec.dilation;
  const oh = slideLength(h, kh, sh, ph, dh, spec.ceil);
  const ow = slideLength(w, kw, sw, pw, dw, spec.ceil);
  if (oh < 1 || ow < 1) {
    throw new RangeError(
      `${ctx.where}: the kernel ${kh}×${kw} (dilation ${dh}×${dw}) does not fit the input ${formatShape(shape)} padded by ${ph}×${pw}`,
    );
  }
  return { n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}
