import { backend, type Window2d } from '../backend/index.js';
import { defineRules, record } from '../autograd/node.js';
import { allocate, type DType, type TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { engine } from '../tensor/state.js';
import type { Formulas } from './formula.js';

/*
 * The convolution primitives, on the im2col kernel and the batched GEMM. Three linear maps share
 * one geometry `g` (a Window2d: the image [n, c, h, w], the kernel, stride, padding, dilation, and
 * the output size oh × ow) and a weight W [o, c/groups, kh, kw]:
 *
 *   conv2d           image → output:  y = W·cols(x) (+ b)
 *   convTranspose2d  output → image:  x = col2im(Wᵀ·y) (+ b), the adjoint of conv2d in x
 *   conv2dWeight     (image, output) → weight: Σₙ gy·cols(x)ᵀ, the adjoint of conv2d in W
 *
 * Each one's vector-Jacobian product is made of the other two, so gradients of any order work.
 * None keeps its columns: they are made in chunks of the batch (at most COLUMN_BUDGET elements at
 * a time) and dropped, so a convolution holds only its inputs and output between the forward and
 * the backward pass; the backward pass makes the columns again.
 */

/** The attributes of a convolution primitive (its graph node's `attrs`). */
export type ConvAttrs = {
  /** The geometry: image [n, c, h, w], window, and output oh × ow. */
  g: Window2d;
  /** Channel groups: image channels and output channels are split into this many groups. */
  groups: number;
};

/** The most column elements made at once; the batch is cut into chunks (at least one sample each). */
const COLUMN_BUDGET = 1 << 18;

/** The sizes a convolution of `a` with `o` output channels works with. */
interface Sizes {
  /** Output channels (weight rows), and per group. */
  o: number;
  og: number;
  /** Column rows per group, c/groups·kh·kw (a weight row's length), and in all. */
  k: number;
  rows: number;
  /** Output positions oh·ow. */
  l: number;
  /** Elements of one image sample. */
  image: number;
  /** Samples per chunk. */
  step: number;
  /** The windows are the input itself (a 1×1 kernel at stride 1 without padding): no im2col. */
  pointwise: boolean;
}

function sizes({ g, groups }: ConvAttrs, o: number): Sizes {
  const rows = g.c * g.kh * g.kw;
  const l = g.oh * g.ow;
  const step = Math.max(1, Math.min(g.n, Math.floor(COLUMN_BUDGET / Math.max(1, rows * l))));
  const pointwise =
    g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.ph === 0 && g.pw === 0;
  return {
    o,
    og: o / groups,
    k: rows / groups,
    rows,
    l,
    image: g.c * g.h * g.w,
    step,
    pointwise: pointwise && g.oh === g.h && g.ow === g.w,
  };
}

/**
 * Work buffers kept between calls (in `engine.caches.convolution`), by dtype and slot (0:
 * columns, 1: the weight gradient's chunk sum), so that a training step does not allocate (and
 * fault in) fresh megabytes per convolution: each holds at most SCRATCH_LIMIT elements; larger requests are allocated per call. Every user overwrites what it
 * reads, so reuse changes no result.
 */
const SCRATCH_LIMIT = 4 * COLUMN_BUDGET;

function scratch(dtype: DType, size: number, slot: number): TypedArray {
  if (size > SCRATCH_LIMIT) return allocate(dtype, size);
  const key = `${dtype}/${slot}`;
  const buffers = engine.caches.convolution;
  let buffer = buffers.get(key);
  if (buffer === undefined || buffer.length < size) {
    buffer = allocate(dtype, Math.max(size, Math.min(SCRATCH_LIMIT, 2 * (buffer?.length ?? 0))));
    buffers.set(key, buffer);
  }
  return buffer;
}

const part = (a: TypedArray, from: number, count: number): TypedArray =>
  a.subarray(from, from + count) as TypedArray;

/** The columns of samples [s, s + nb) of x: x itself when pointwise, else made into `cols`. */
function columns(
  x: TypedArray,
  a: ConvAttrs,
  z: Sizes,
  s: number,
  nb: number,
  cols: TypedArray | null,
): TypedArray {
  const xs = part(x, s * z.image, nb * z.image);
  if (cols === null) return xs;
  const out = part(cols, 0, nb * z.rows * z.l);
  backend().im2col(xs, { ...a.g, n: nb }, out);
  return out;
}

/**
 * out = op(W_g)·B_g for each sample of a chunk and each group g: W [groups, m or inner, …] is the
 * weight (transposed when `transW`), B holds per sample `groups` matrices [inner, n]; out per
 * sample `groups` matrices [m, n]. One GEMM call for the chunk when groups = 1.
 */
function weightProducts(
  w: TypedArray,
  b: TypedArray,
  out: TypedArray,
  nb: number,
  groups: number,
  dims: { m: number; n: number; inner: number; transW: boolean },
): void {
  const { m, n, inner, transW } = dims;
  if (groups === 1) {
    backend().matmul(w, b, out, nb, m, n, inner, transW, false, 0, inner * n);
    return;
  }
  for (let i = 0; i < nb; i++) {
    const bi = part(b, i * groups * inner * n, groups * inner * n);
    const oi = part(out, i * groups * m * n, groups * m * n);
    backend().matmul(w, bi, oi, groups, m, n, inner, transW, false, m * inner, inner * n);
  }
}

/** out [n, channels, size] += b [channels], in place. */
function addBias(out: TypedArray, b: Tensor | null, n: number, channels: number, size: number) {
  if (b === null) return;
  const shape = [n, channels, size];
  backend().binary('add', out, [channels * size, size, 1], b.data, [0, 1, 0], out, shape);
}

/** conv2d on the geometry `a`: x [n, c, h, w], w [o, c/groups, kh, kw], b [o] or null. */
export function convolve(x: Tensor, w: Tensor, b: Tensor | null, a: ConvAttrs): Tensor {
  const { g } = a;
  const z = sizes(a, w.shape[0]);
  const out = allocate(x.dtype, g.n * z.o * z.l);
  const cols = z.pointwise ? null : scratch(x.dtype, z.step * z.rows * z.l, 0);
  const dims = { m: z.og, n: z.l, inner: z.k, transW: false };
  for (let s = 0; s < g.n; s += z.step) {
    const nb = Math.min(z.step, g.n - s);
    const c = columns(x.data, a, z, s, nb, cols);
    weightProducts(w.data, c, part(out, s * z.o * z.l, nb * z.o * z.l), nb, a.groups, dims);
  }
  addBias(out, b, g.n, z.o, z.l);
  const inputs = b === null ? [x, w] : [x, w, b];
  return record(new Tensor(out, [g.n, z.o, g.oh, g.ow]), inputs, convRules.conv2d, a);
}

/** The transposed convolution on the geometry `a`: y [n, o, oh, ow] → [n, c, h, w], plus b [c]. */
export function convolveTranspose(y: Tensor, w: Tensor, b: Tensor | null, a: ConvAttrs): Tensor {
  const { g } = a;
  const z = sizes(a, w.shape[0]);
  const out = allocate(y.dtype, g.n * z.image);
  const cols = z.pointwise ? null : scratch(y.dtype, z.step * z.rows * z.l, 0);
  const dims = { m: z.k, n: z.l, inner: z.og, transW: true };
  for (let s = 0; s < g.n; s += z.step) {
    const nb = Math.min(z.step, g.n - s);
    const image = part(out, s * z.image, nb * z.image);
    const target = cols === null ? image : part(cols, 0, nb * z.rows * z.l);
    weightProducts(w.data, part(y.data, s * z.o * z.l, nb * z.o * z.l), target, nb, a.groups, dims);
    if (cols !== null) backend().col2im(target, { ...g, n: nb }, image);
  }
  addBias(out, b, g.n, g.c, g.h * g.w);
  const inputs = b === null ? [y, w] : [y, w, b];
  return record(new Tensor(out, [g.n, g.c, g.h, g.w]), inputs, convRules.convTranspose2d, a);
}

/**
 * The weight gradient of conv2d on the geometry `a`: Σₙ gy·cols(x)ᵀ, of shape `wShape`. Group by
 * group, one `matmulSum` per chunk of the batch sums the samples' products gy_g [og, l]·cols_gᵀ
 * [l, k] into the group's rows of the weight [o, k]; the chunks' sums are added in order.
 */
export function convWeight(x: Tensor, gy: Tensor, a: ConvAttrs, wShape: Shape): Tensor {
  const { g, groups } = a;
  const z = sizes(a, wShape[0]);
  const size = z.o * z.k;
  const sum = allocate(x.dtype, size);
  const chunk = part(scratch(x.dtype, size, 1), 0, size);
  const cols = z.pointwise ? null : scratch(x.dtype, z.step * z.rows * z.l, 0);
  const from = (t: TypedArray, offset: number) => part(t, offset, t.length - offset);
  for (let s = 0; s < g.n; s += z.step) {
    const nb = Math.min(z.step, g.n - s);
    const c = columns(x.data, a, z, s, nb, cols);
    const gys = part(gy.data, s * z.o * z.l, nb * z.o * z.l);
    const target = s === 0 ? sum : chunk;
    for (let i = 0; i < groups; i++) {
      const [gi, ci, oi] = [from(gys, i * z.og * z.l), from(c, i * z.k * z.l), i * z.og * z.k];
      const out = part(target, oi, z.og * z.k);
      backend().matmulSum(gi, ci, out, nb, z.og, z.k, z.l, false, true, z.o * z.l, z.rows * z.l);
    }
    if (s > 0) backend().binary('add', sum, [1], chunk, [1], sum, [size]);
  }
  return record(new Tensor(sum, wShape.slice()), [x, gy], convRules.conv2dWeight, a);
}

const biasGrad = (grad: Tensor, b: Tensor | undefined): (Tensor | null)[] =>
  b === undefined ? [] : [b.requiresGrad ? grad.sum([0, 2, 3]) : null];

/** The rules: each primitive's vector-Jacobian product is made of the other two. */
export const convRules = defineRules({
  // y = W ⋆ x + b: ∂/∂x = convTranspose2d(G, W) (the full correlation of G with the flipped
  // kernel), ∂/∂W = Σₙ G·cols(x)ᵀ (the correlation of x with G), ∂/∂b = G summed over n, u, v
  conv2d: (grad, [x, w, b], _out, a: ConvAttrs) => [
    x.requiresGrad ? convolveTranspose(grad, w, null, a) : null,
    w.requiresGrad ? convWeight(x, grad, a, w.shape) : null,
    ...biasGrad(grad, b),
  ],
  // x = Wᵀ ⋆ y + b, the adjoint of conv2d: ∂/∂y = conv2d(G, W), ∂/∂W = Σₙ y·cols(G)ᵀ, ∂/∂b = ΣG
  convTranspose2d: (grad, [y, w, b], _out, a: ConvAttrs) => [
    y.requiresGrad ? convolve(grad, w, null, a) : null,
    w.requiresGrad ? convWeight(grad, y, a, w.shape) : null,
    ...biasGrad(grad, b),
  ],
  // ∇W = Σₙ gy·cols(x)ᵀ is bilinear: ⟨G, ∇W⟩ = ⟨gy, conv2d(x, G)⟩ = ⟨x, convTranspose2d(gy, G)⟩
  conv2dWeight: (grad, [x, gy], _out, a: ConvAttrs) => [
    x.requiresGrad ? convolveTranspose(gy, grad, null, a) : null,
    gy.requiresGrad ? convolve(x, grad, null, a) : null,
  ],
});

/** The input position output (u, v) reads at tap (i, j), as the formulas write it: stride s, padding p, dilation d. */
function windowText(attrs: Readonly<Record<string, unknown>>): string {
  const g = attrs.g as Window2d | undefined;
  if (g === undefined) return 'u·s − p + i·d, v·s − p + j·d';
  const one = (s: number, p: number, d: number, v: string, k: string): string =>
    `${v}${s === 1 ? '' : `·${s}`}${p === 0 ? '' : ` − ${p}`} + ${k}${d === 1 ? '' : `·${d}`}`;
  return `${one(g.sh, g.ph, g.dh, 'u', 'i')}, ${one(g.sw, g.pw, g.dw, 'v', 'j')}`;
}

/** How the explanations write the rules above, in the lectures' words. */
export const convDerivatives: Formulas<keyof typeof convRules> = {
  // y[o, u, v] = Σ W[o, c, i, j]·x[c, u·s − p + i·d, v·s − p + j·d] + b[o]
  conv2d: ({ self, a, i, attrs }) => {
    const [X, W] = a;
    const at = windowText(attrs);
    if (i === 0)
      return {
        formula: `∂${self}[o, u, v]/∂${X}[c, ${at}] = ${W}[o, c, i, j]`,
        rule: `the full correlation of upstream with the flipped kernel (convTranspose2d(upstream, ${W}))`,
      };
    if (i === 1)
      return {
        formula: `∂${self}[o, u, v]/∂${W}[o, c, i, j] = ${X}[c, ${at}]`,
        rule: `the correlation of ${X} with upstream, summed over the batch`,
      };
    return { formula: `∂${self}[o, u, v]/∂${a[2]}[o] = 1`, rule: 'Σ upstream over n, u and v' };
  },
  // x[c, u·s − p + i·d, v·s − p + j·d] += Σ W[o, c, i, j]·y[o, u, v] + b[c]
  convTranspose2d: ({ self, a, i, attrs }) => {
    const [Y, W] = a;
    const at = windowText(attrs);
    if (i === 0)
      return {
        formula: `∂${self}[c, ${at}]/∂${Y}[o, u, v] = ${W}[o, c, i, j]`,
        rule: `conv2d(upstream, ${W}): the transpose of a transpose`,
      };
    if (i === 1)
      return {
        formula: `∂${self}[c, ${at}]/∂${W}[o, c, i, j] = ${Y}[o, u, v]`,
        rule: `the correlation of upstream with ${Y}, summed over the batch`,
      };
    return { formula: `∂${self}[c, ·, ·]/∂${a[2]}[c] = 1`, rule: 'Σ upstream over n, h and w' };
  },
  // ∇W[o, c, i, j] = Σ gy[o, u, v]·x[c, u·s − p + i·d, v·s − p + j·d]
  conv2dWeight: ({ self, a, i, attrs }) => {
    const [X, G] = a;
    const at = windowText(attrs);
    if (i === 0)
      return {
        formula: `∂${self}[o, c, i, j]/∂${X}[c, ${at}] = ${G}[o, u, v]`,
        rule: `convTranspose2d(${G}, upstream)`,
      };
    return {
      formula: `∂${self}[o, c, i, j]/∂${G}[o, u, v] = ${X}[c, ${at}]`,
      rule: `conv2d(${X}, upstream)`,
    };
  },
};
