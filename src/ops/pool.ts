import type { Window2d } from '../backend/backend.js';
import { backend } from '../backend/index.js';
import { defineRules, record } from '../autograd/node.js';
import { checkBoolean, resolveOptions, type CheckContext } from '../tensor/check.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, type Shape } from '../tensor/shape.js';
import { release } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import type { Formulas } from './formula.js';
import { scatterAdd } from './indexing.js';
import { reshapeGradient } from './shape.js';
import { expectTensor } from './kernels.js';
import { pair, window2d, type Pair } from './window-args.js';

/*
 * Pooling over the two spatial dimensions of NCHW input. Max pooling is a primitive (the
 * backend's `maxPool2d` kernel finds each window's maximum and where it is); average pooling is
 * a linear map built from other differentiable operations, in pool-avg.ts.
 */

interface MaxPoolAttrs {
  /** [n·c, oh·ow]: the flat position iy·w + ix, in its channel's plane, of each output's maximum. */
  indices: Tensor;
  /** The indices' array, recycled with the node (autograd/engine.ts). */
  workspace: readonly Int32Array[];
}

export const poolRules = defineRules({
  // ∂out/∂xᵢ = 1 at the position the window's maximum came from, else 0: max routes the
  // gradient. The adjoint is a scatter at those positions, whose own gradient is a gather.
  maxPool2d: (grad, [x], _out, { indices }: MaxPoolAttrs) => {
    const [n, c, h, w] = x.shape;
    const flat = reshapeGradient(grad, [n * c, indices.shape[1]]);
    return [reshapeGradient(scatterAdd(flat, 1, indices, [n * c, h * w]), x.shape)];
  },
});

/** How the explanations write the rule above, in the lectures' words. */
export const poolDerivatives: Formulas<keyof typeof poolRules> = {
  maxPool2d: ({ wrt }) => ({
    formula: `${wrt} = 1 at the maximum of each window (the first of equal ones), 0 elsewhere`,
    rule: 'upstream routed to the position of each maximum (summed where windows overlap)',
  }),
};

/**
 * `input` as [n, c, h, w], and whether it was given without a batch dimension ([c, h, w]),
 * refusing other ranks and empty channel or spatial dimensions (an empty batch is allowed).
 */
export function spatialInput(where: string, input: unknown): [Tensor, boolean] {
  const x = expectTensor(input, where);
  if ((x.ndim !== 3 && x.ndim !== 4) || x.shape.slice(x.ndim - 3).some((d) => d === 0)) {
    throw new RangeError(
      `${where}: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input with non-empty C, H and W, got shape ${formatShape(x.shape)}`,
    );
  }
  return x.ndim === 3 ? [x.unsqueeze(0), true] : [x, false];
}

/** The result of an op on `spatialInput`'s batch, without the batch dimension again if it had none. */
export function unbatch(out: Tensor, unbatched: boolean): Tensor {
  return unbatched ? out.squeeze(0) : out;
}

/** The window options pooling reads (`dilation` only for max pooling). */
export interface PoolWindowOptions {
  stride: Pair | null;
  padding: Pair;
  dilation?: Pair;
  ceilMode: unknown;
}

/**
 * The window of a pooling over an input of `shape`, read as PyTorch reads it: the stride defaults
 * to the kernel, and the padding is at most half the kernel along each dimension.
 */
export function poolWindow(
  ctx: CheckContext,
  shape: Shape,
  kernelSize: unknown,
  o: PoolWindowOptions,
): Window2d {
  const kernel = pair(ctx, 'kernelSize', kernelSize, 1);
  const padding = pair(ctx, 'padding', o.padding, 0);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
    throw new RangeError(
      `${ctx.where}: padding must be at most half of kernelSize, got padding ${padding[0]}×${padding[1]} for kernelSize ${kernel[0]}×${kernel[1]}`,
    );
  }
  return window2d(ctx, shape, {
    kernel,
    stride: o.stride === null ? kernel : pair(ctx, 'stride', o.stride, 1),
    padding,
    dilation: o.dilation === undefined ? [1, 1] : pair(ctx, 'dilation', o.dilation, 1),
    ceil: checkBoolean(ctx, 'ceilMode', o.ceilMode),
  });
}

/**
 * Refuses a window whose elements all fall in the padding (possible with dilation): it would
 * have no maximum (PyTorch returns −∞ there and routes its gradient outside the input).
 */
function checkWindowsReachInput(ctx: CheckContext, g: Window2d): void {
  const axes = [
    ['row', g.h, g.oh, g.kh, g.sh, g.ph, g.dh],
    ['column', g.w, g.ow, g.kw, g.sw, g.pw, g.dw],
  ] as const;
  for (const [name, size, count, k, s, p, d] of axes) {
    for (let o = 0; o < count; o++) {
      let reaches = false;
      for (let i = 0; i < k && !reaches; i++)
        reaches = o * s - p + i * d >= 0 && o * s - p + i * d < size;
      if (!reaches) {
        throw new RangeError(
          `${ctx.where}: the window of output ${name} ${o} lies entirely in the padding (kernelSize ${g.kh}×${g.kw}, dilation ${g.dh}×${g.dw}, padding ${g.ph}×${g.pw}, input ${formatShape([g.n, g.c, g.h, g.w])}); use less padding or dilation`,
        );
      }
    }
  }
}

/** Options of `maxPool2d`, as PyTorch's `max_pool2d`. */
export interface MaxPool2dOptions {
  /** Step between windows (default: `kernelSize`). */
  stride?: Pair | null;
  /** Implicit −∞ padding on both sides, at most half the kernel (default 0). */
  padding?: Pair;
  /** Spacing between the elements of a window (default 1). */
  dilation?: Pair;
  /** Use ⌈⌉ instead of ⌊⌋ for the output size, keeping a last partial window (default false). */
  ceilMode?: boolean;
}

/**
 * 2-D max pooling over [N, C, H, W] (or [C, H, W]) input, as PyTorch's `max_pool2d`: each output
 * is the largest element of its window. The gradient goes to that element only; among equal
 * elements the first in row-major window order is chosen, and a NaN in a window wins and
 * propagates.
 *
 * @example
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * maxPool2d(x, 2).toArray(); // => [[[[4]]]]
 */
export function maxPool2d(input: Tensor, kernelSize: Pair, options?: MaxPool2dOptions): Tensor {
  const ctx = { where: 'maxPool2d' };
  const [x, unbatched] = spatialInput(ctx.where, input);
  const o = resolveOptions(ctx.where, options, {
    stride: null as Pair | null,
    padding: 0 as Pair,
    dilation: 1 as Pair,
    ceilMode: false,
  });
  const g = poolWindow(ctx, x.shape, kernelSize, o);
  checkWindowsReachInput(ctx, g);
  const planes = g.n * g.c;
  const out = allocate(x.dtype, planes * g.oh * g.ow);
  const argmax = allocate('int32', planes * g.oh * g.ow) as Int32Array;
  backend().maxPool2d(x.data, g, out, argmax);
  const indices = new Tensor(argmax, [planes, g.oh * g.ow]);
  // The positions are the node's workspace: the backward pass recycles them with the node.
  const y = record(new Tensor(out, [g.n, g.c, g.oh, g.ow]), [x], poolRules.maxPool2d, {
    indices,
    workspace: [argmax],
  });
  if (y.gradFn === null) release(argmax, 'int32'); // no node keeps them
  return unbatch(y, unbatched);
}

/** A shape's spatial sizes [h, w]. */
export const spatial = (shape: Shape): [number, number] => [shape[2], shape[3]];
