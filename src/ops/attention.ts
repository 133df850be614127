import { checkObject, fail } from '../tensor/check.js';
import { isFloating } from '../tensor/dtype.js';
import type { Generator } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import { engine } from '../tensor/state.js';
import { Tensor } from '../tensor/tensor.js';
import { where as whereNonzero } from './binary.js';
import { expectTensor } from './kernels.js';
import { matmul, product } from './matmul.js';

/** Options of `scaledDotProductAttention`, as PyTorch's keyword arguments. */
export interface ScaledDotProductAttentionOptions {
  /**
   * Broadcastable to [..., L, S]. A floating-point mask is added to the scores; any other dtype
   * (int32 today, bool where it exists) is a boolean mask: nonzero means "takes part in
   * attention", zero gives the score −∞ (PyTorch's bool mask, where True means "attend").
   */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (default 0; PyTorch applies it whenever > 0). */
  dropoutP?: number;
  /** Let position i attend only to positions j ≤ i (a lower-triangular mask); not with `attnMask`. */
  isCausal?: boolean;
  /** The factor on q·kᵀ (default 1/√E, E the query's last dimension). */
  scale?: number | null;
  /** Where the dropout masks are drawn from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** A tensor with the attention shapes: at least 2-D. */
function checkInput(where: string, key: string, t: unknown): Tensor {
  const x = expectTensor(t, where, key);
  if (x.ndim < 2)
    throw new RangeError(
      `${where}: ${key} must have at least 2 dimensions (…, L, E), got shape ${formatShape(x.shape)}`,
    );
  return x;
}

/** The lower-triangular causal mask [L, S] (1 where j ≤ i), top-left aligned as PyTorch's. */
function causalMask(l: number, s: number): Tensor {
  const data = new Int32Array(l * s);
  for (let i = 0; i < l; i++) for (let j = 0; j <= i && j < s; j++) data[i * s + j] = 1;
  return new Tensor(data, [l, s]);
}

/** Inverted dropout of `w`: each weight zeroed with probability p, the others scaled by 1/(1 − p). */
function dropout(w: Tensor, p: number, generator: Generator | undefined): Tensor {
  const keep = new Float64Array(w.size);
  if (p < 1) {
    (generator ?? engine.generator).fillUniform(keep, 0, 1);
    for (let i = 0; i < keep.length; i++) keep[i] = keep[i] < 1 - p ? 1 / (1 - p) : 0;
  }
  return w.mul(new Tensor(keep, w.shape).to(w.dtype));
}

/** The options, checked, with PyTorch's defaults. */
function checkOptions(
  where: string,
  options: unknown,
): ScaledDotProductAttentionOptions & { dropoutP: number; isCausal: boolean } {
  const o = checkObject({ where }, 'options', options, true) as ScaledDotProductAttentionOptions;
  const dropoutP = o.dropoutP ?? 0;
  if (typeof dropoutP !== 'number' || !(dropoutP >= 0 && dropoutP <= 1))
    fail({ where }, 'dropoutP', 'a probability in [0, 1]', dropoutP);
  if (o.scale != null && (typeof o.scale !== 'number' || !Number.isFinite(o.scale)))
    fail({ where }, 'scale', 'a finite number', o.scale);
  if (o.attnMask != null) expectTensor(o.attnMask, where, 'attnMask');
  const isCausal = o.isCausal ?? false;
  if (isCausal && o.attnMask != null)
    throw new Error(`${where}: pass either attnMask or isCausal, not both (as PyTorch)`);
  return { ...o, dropoutP, isCausal };
}

/**
 * The attention scores softmax(q·kᵀ·scale + mask) of query [..., L, E] and key [..., S, E], the
 * weights `scaledDotProductAttention` applies to the values. Exported for `MultiheadAttention`,
 * which also returns them.
 */
export function attentionWeights(
  query: Tensor,
  key: Tensor,
  options: ScaledDotProductAttentionOptions = {},
  where = 'scaledDotProductAttention',
): Tensor {
  const q = checkInput(where, 'query', query);
  const k = checkInput(where, 'key', key);
  const o = checkOptions(where, options);
  const e = q.shape[q.ndim - 1];
  if (k.shape[k.ndim - 1] !== e) {
    throw new RangeError(
      `${where}: query and key must share their last dimension (E), got ${formatShape(q.shape)} and ${formatShape(k.shape)}`,
    );
  }
  // q·kᵀ with k transposed inside the product, not copied
  let scores = product(q, k, false, true).mul(o.scale ?? 1 / Math.sqrt(e));
  const mask = o.isCausal ? causalMask(q.shape[q.ndim - 2], k.shape[k.ndim - 2]) : o.attnMask;
  if (mask != null)
    scores = isFloating(mask.dtype) ? scores.add(mask) : whereNonzero(mask, scores, -Infinity);
  const weights = scores.softmax(-1);
  return o.dropoutP > 0 ? dropout(weights, o.dropoutP, o.generator) : weights;
}

/**
 * Attention as PyTorch's `torch.nn.functional.scaled_dot_product_attention`:
 * softmax(q·kᵀ·scale + mask)·v for query [..., L, E], key [..., S, E] and value [..., S, Ev],
 * giving [..., L, Ev]; the leading (batch, head) dimensions broadcast. Composed of matmul,
 * softmax and where, so it is differentiable to any order. A row whose keys are all masked out
 * gives NaN, as in PyTorch.
 *
 * @example
 * const q = tensor([[1, 0], [0, 1]]);
 * const k = tensor([[1, 0], [0, 1]]);
 * const v = tensor([[1, 2], [3, 4]]);
 * scaledDotProductAttention(q, k, v, { isCausal: true }); // => [[1, 2], [2.34, 3.34]]
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: ScaledDotProductAttentionOptions = {},
): Tensor {
  const where = 'scaledDotProductAttention';
  const v = checkInput(where, 'value', value);
  const k = checkInput(where, 'key', key);
  if (v.shape[v.ndim - 2] !== k.shape[k.ndim - 2]) {
    throw new RangeError(
      `${where}: key and value must have as many positions (S), got ${formatShape(k.shape)} and ${formatShape(v.shape)}`,
    );
  }
  return matmul(attentionWeights(query, k, options, where), v);
}
