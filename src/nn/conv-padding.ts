/**
 * The padding modes of the convolution layers other than zeros: the input is padded first by
 * `pad` (src/ops/pad.ts) — mirrored ('reflect') or with its edge values ('replicate') — and
 * then convolved without padding, as PyTorch's `padding_mode` does.
 *
 * @module
 */
import { pad } from '../ops/pad.js';
import type { Tensor } from '../tensor/tensor.js';

/** What a convolution layer's padding holds. */
export const PADDING_MODES = ['zeros', 'reflect', 'replicate'] as const;

/** 'zeros' (default), 'reflect' or 'replicate'. */
export type ConvPaddingMode = (typeof PADDING_MODES)[number];

/**
 * The amounts to pad each spatial dimension by, in `pad`'s order (last dimension first,
 * [left, right, top, bottom]): p on both sides for a number, none for 'valid', and for 'same' the
 * total d·(k − 1) split with the odd one on the right, as PyTorch splits it.
 */
export function padAmounts(
  padding: readonly number[] | 'same' | 'valid',
  kernel: readonly number[],
  dilation: readonly number[],
): number[] {
  const out: number[] = [];
  for (let i = kernel.length - 1; i >= 0; i--) {
    if (padding === 'valid') out.push(0, 0);
    else if (padding === 'same') {
      const total = dilation[i] * (kernel[i] - 1);
      out.push(Math.floor(total / 2), total - Math.floor(total / 2));
    } else out.push(padding[i], padding[i]);
  }
  return out;
}

/** `x` padded for a convolution by `mode` (not 'zeros', which the convolution does itself). */
export function padForMode(
  x: Tensor,
  padding: readonly number[] | 'same' | 'valid',
  kernel: readonly number[],
  dilation: readonly number[],
  mode: Exclude<ConvPaddingMode, 'zeros'>,
): Tensor {
  return pad(x, padAmounts(padding, kernel, dilation), { mode });
}
