import { backend, type Window2d } from '../backend/index.js';
import { defineRules, record } from '../autograd/node.js';
import { resolveOptions, type CheckContext } from '../tensor/check.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Formulas } from './formula.js';
import { expectTensor } from './kernels.js';
import { pair, window2d, type Pair, type WindowSpec } from './window-args.js';

/*
 * The sliding-window primitives `im2col` (PyTorch's unfold) and `col2im` (fold) on their kernels.
 * They are adjoint linear maps, so each one's vector-Jacobian product is the other, and gradients
 * of any order work.
 */

interface WindowAttrs {
  g: Window2d;
}

export const unfoldRules = defineRules({
  // im2col copies each input value into every window entry that covers it: ∂/∂x = col2im(G)
  im2col: (grad, _inputs, _out, { g }: WindowAttrs) => [col2imOp(grad, g)],
  // col2im adds each entry into the position it came from: ∂/∂cols = im2col(G)
  col2im: (grad, _inputs, _out, { g }: WindowAttrs) => [im2colOp(grad, g)],
});

/** How the explanations write the rules above, in the lectures' words. */
export const unfoldDerivatives: Formulas<keyof typeof unfoldRules> = {
  im2col: ({ wrt }) => ({
    formula: `${wrt} = 1 for each window entry that copies the value`,
    rule: 'col2im(upstream): the upstream of every copy summed back at its position',
  }),
  col2im: ({ wrt }) => ({
    formula: `${wrt} = 1 (each entry adds into one position)`,
    rule: 'im2col(upstream): each entry takes the upstream of the position it adds into',
  }),
};

/** The windows of x [n, c, h, w] on the geometry `g` as columns [n, c·kh·kw, oh·ow]. */
export function im2colOp(x: Tensor, g: Window2d): Tensor {
  const rows = g.c * g.kh * g.kw;
  const out = allocate(x.dtype, g.n * rows * g.oh * g.ow);
  backend().im2col(x.data, g, out);
  return record(new Tensor(out, [g.n, rows, g.oh * g.ow]), [x], unfoldRules.im2col, { g });
}

/** Columns [n, c·kh·kw, oh·ow] summed back into an image [n, c, h, w] on the geometry `g`. */
export function col2imOp(cols: Tensor, g: Window2d): Tensor {
  const out = allocate(cols.dtype, g.n * g.c * g.h * g.w);
  backend().col2im(cols.data, g, out);
  return record(new Tensor(out, [g.n, g.c, g.h, g.w]), [cols], unfoldRules.col2im, { g });
}

/** Options of `unfold` and `fold`, as PyTorch's. */
export interface UnfoldOptions {
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Implicit zeros on both sides (default 0). */
  padding?: Pair;
  /** Step between windows (default 1). */
  stride?: Pair;
}

function windowSpec(ctx: CheckContext, kernelSize: unknown, options: unknown): WindowSpec {
  const o = resolveOptions<UnfoldOptions>(ctx.where, options, {
    dilation: 1,
    padding: 0,
    stride: 1,
  });
  return {
    kernel: pair(ctx, 'kernelSize', kernelSize, 1),
    dilation: pair(ctx, 'dilation', o.dilation, 1),
    padding: pair(ctx, 'padding', o.padding, 0),
    stride: pair(ctx, 'stride', o.stride, 1),
  };
}

/** Refuses an input whose rank is not `batched` or one less. */
function checkRank(where: string, x: Tensor, batched: number, layout: string): void {
  if (x.ndim !== batched && x.ndim !== batched - 1) {
    throw new RangeError(
      `${where}: input must be ${batched - 1}-D or ${batched}-D ${layout}, got shape ${formatShape(x.shape)}`,
    );
  }
}

/**
 * The sliding windows of an image batch as columns (PyTorch's `unfold`): input [N, C, H, W] (or
 * [C, H, W]) gives [N, C·kh·kw, L] (or [C·kh·kw, L]), L the number of windows; row
 * (c·kh + i)·kw + j of column l holds the tap (i, j) of channel c in window l, 0 in the padding.
 * Its gradient is `fold`.
 *
 * @example
 * unfold(arange(16).reshape([1, 1, 4, 4]), 2, { stride: 2 }).shape; // => [1, 4, 4]
 */
export function unfold(input: Tensor, kernelSize: Pair, options?: UnfoldOptions): Tensor {
  const ctx = { where: 'unfold' };
  expectTensor(input, 'unfold', 'input');
  checkRank('unfold', input, 4, '[N, C, H, W] ([C, H, W] unbatched)');
  const x = input.ndim === 3 ? input.unsqueeze(0) : input;
  const g = window2d(ctx, x.shape, windowSpec(ctx, kernelSize, options));
  const out = im2colOp(x, g);
  return input.ndim === 3 ? out.squeeze(0) : out;
}

/**
 * Sums sliding-window columns back into an image (PyTorch's `fold`, the adjoint of `unfold`):
 * input [N, C·kh·kw, L] (or [C·kh·kw, L]) gives [N, C, H, W] (or [C, H, W]) with
 * [H, W] = `outputSize`; each entry is added at the position `unfold` read it from, entries that
 * fall in the padding are dropped. L must be the number of windows `unfold` makes on that size.
 *
 * @example
 * const x = randn([1, 1, 4, 4]);
 * fold(unfold(x, 2, { stride: 2 }), [4, 4], 2, { stride: 2 }).sub(x).abs().max().item(); // => 0
 * fold(ones([1, 4, 4]), [3, 3], 2).toArray(); // => [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]
 */
export function fold(
  input: Tensor,
  outputSize: Pair,
  kernelSize: Pair,
  options?: UnfoldOptions,
): Tensor {
  const ctx = { where: 'fold' };
  expectTensor(input, 'fold', 'input');
  checkRank('fold', input, 3, '[N, C·kh·kw, L] ([C·kh·kw, L] unbatched)');
  const [h, w] = pair(ctx, 'outputSize', outputSize, 1);
  const spec = windowSpec(ctx, kernelSize, options);
  const cols = input.ndim === 2 ? input.unsqueeze(0) : input;
  const [n, rows, length] = cols.shape;
  const [kh, kw] = spec.kernel;
  if (rows % (kh * kw) !== 0) {
    throw new RangeError(
      `fold: the input's ${rows} rows (dimension ${input.ndim - 2}) must be a multiple of the kernel's ${kh}×${kw} = ${kh * kw} taps`,
    );
  }
  const g = window2d(ctx, [n, rows / (kh * kw), h, w], spec);
  if (length !== g.oh * g.ow) {
    throw new RangeError(
      `fold: the input has ${length} columns but outputSize [${h}, ${w}] with kernel ${kh}×${kw}, stride ${spec.stride.join('×')}, padding ${spec.padding.join('×')} and dilation ${spec.dilation.join('×')} makes ${g.oh}×${g.ow} = ${g.oh * g.ow} windows`,
    );
  }
  const out = col2imOp(cols, g);
  return input.ndim === 2 ? out.squeeze(0) : out;
}
