import { defineRules, record } from '../autograd/node.js';
import { isGradEnabled } from '../autograd/mode.js';
import { backend } from '../backend/index.js';
import { allocate, isFloating, type TypedArray } from '../tensor/dtype.js';
import { release } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { oneHot } from './composite.js';
import type { Formulas } from './formula.js';

/**
 * Softmax cross-entropy of logits [N, C] against integer labels [N] as one primitive: the case
 * `crossEntropy` meets in nearly every classifier's training step (no class weights, no ignored
 * labels, no smoothing, a mean or a sum). Composed, it is five operations forward and more than
 * ten arrays backward; fused, one pass each way. The log-probabilities the forward pass computes
 * are the node's workspace, which the backward pass reads and then recycles.
 */
interface CrossEntropyAttrs {
  /** The labels, one per row, each in [0, C). */
  labels: Int32Array;
  /** 1/N for the mean, 1 for the sum. */
  scale: number;
  /** The log-probabilities [N, C]. */
  workspace: readonly TypedArray[];
}

export const crossEntropyRules = defineRules({
  // ∂L/∂sᵢⱼ = scale·(softmax(s)ᵢⱼ − [j = yᵢ])
  softmaxCrossEntropy: (grad, [x], _out, attrs: CrossEntropyAttrs) => [
    isGradEnabled() ? composedGradient(grad, x, attrs) : fusedGradient(grad, x, attrs),
    null,
  ],
});

/** How the explanations write the rule above: the gradient every lecture on classifiers derives. */
export const crossEntropyDerivatives: Formulas<keyof typeof crossEntropyRules> = {
  softmaxCrossEntropy: ({ self, x, attrs, num }) => {
    const scale = attrs.scale as number;
    const factor = scale === 1 ? '' : `${num(scale)}·`;
    return {
      formula: `∂${self}/∂${x}ᵢⱼ = ${factor}(softmax(${x})ᵢⱼ − [j = labelᵢ])`,
      local: ([s]) => difference(s, attrs.labels as Int32Array).mul(scale),
    };
  },
};

/** The gradient as differentiable operations, for a backward pass that builds a graph. */
function composedGradient(grad: Tensor, x: Tensor, { labels, scale }: CrossEntropyAttrs): Tensor {
  return difference(x, labels).mul(grad.mul(scale));
}

/** softmax(x) − onehot(labels), differentiable in x. */
function difference(x: Tensor, labels: Int32Array): Tensor {
  const target = oneHot(new Tensor(labels, [labels.length]), x.shape[1]).to(x.dtype);
  return x.softmax(1).sub(target);
}

/** The gradient in one pass over the saved log-probabilities: exp, less 1 at each label, scaled. */
function fusedGradient(
  grad: Tensor,
  x: Tensor,
  { labels, scale, workspace }: CrossEntropyAttrs,
): Tensor {
  const logProbs = workspace[0];
  const [n, c] = x.shape;
  const out = allocate(x.dtype, n * c);
  backend().unary('exp', logProbs, out);
  for (let i = 0; i < n; i++) out[i * c + labels[i]] -= 1;
  const s = (grad.data[0] as number) * scale;
  if (s !== 1) for (let k = 0; k < out.length; k++) out[k] *= s;
  return new Tensor(out, x.shape);
}

/**
 * −scale·Σᵢ log softmax(x)ᵢ,yᵢ for logits x [N, C] (float) and labels [N] (int32, each in
 * [0, C), checked by the caller): the mean (scale 1/N) or summed cross-entropy, as one primitive.
 */
export function softmaxCrossEntropy(x: Tensor, labels: Tensor, scale: number): Tensor {
  const [n, c] = x.shape;
  const logProbs = allocate(x.dtype, n * c);
  backend().logSoftmax(x.data, n, c, 1, logProbs);
  const y = labels.data as Int32Array;
  let total = 0;
  for (let i = 0; i < n; i++) total += logProbs[i * c + y[i]];
  const out = allocate(x.dtype, 1);
  out[0] = -total * scale;
  const loss = record(new Tensor(out, []), [x, labels], crossEntropyRules.softmaxCrossEntropy, {
    labels: y,
    scale,
    workspace: [logProbs],
  });
  if (loss.gradFn === null) release(logProbs, x.dtype); // no node keeps them
  return loss;
}

/** The options `crossEntropy` takes, as far as the fused case reads them. */
interface CrossEntropyOptions {
  reduction?: unknown;
  weight?: unknown;
  ignoreIndex?: unknown;
  labelSmoothing?: unknown;
}

/**
 * {@link softmaxCrossEntropy} when `crossEntropy`'s arguments are its common case: float logits
 * [N, C] with N > 0, int32 labels [N] all in [0, C) and none ignored, no weights, no smoothing,
 * a mean or a sum. Else undefined, and `crossEntropy` composes the loss (and checks the rest).
 */
export function fusedCrossEntropy(
  input: unknown,
  target: unknown,
  options: unknown,
): Tensor | undefined {
  if (!(input instanceof Tensor && target instanceof Tensor)) return undefined;
  if (input.ndim !== 2 || target.ndim !== 1 || target.dtype !== 'int32') return undefined;
  if (!isFloating(input.dtype) || typeof options !== 'object' || options === null) return undefined;
  const [n, c] = input.shape;
  const { reduction, weight, ignoreIndex, labelSmoothing, ...rest } =
    options as CrossEntropyOptions;
  if (target.shape[0] !== n || n === 0 || Object.keys(rest).length > 0) return undefined;
  if (weight !== undefined || (labelSmoothing !== undefined && labelSmoothing !== 0))
    return undefined;
  if (reduction !== undefined && reduction !== 'mean' && reduction !== 'sum') return undefined;
  const ignored = ignoreIndex ?? -100;
  const labels = target.data;
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (label === ignored || label < 0 || label >= c) return undefined;
  }
  return softmaxCrossEntropy(input, target, reduction === 'sum' ? 1 : 1 / n);
}
