import { isFloating } from '../tensor/dtype.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { maximum, where } from './binary.js';
import { softplus } from './composite.js';
import { fusedCrossEntropy } from './cross-entropy.js';
import { expectTensor } from './kernels.js';

/**
 * Loss functions, composed of differentiable primitives. Each reduces over the batch by
 * `reduction`: `mean` (the default, as PyTorch), `sum`, or `none` (one loss per element/sample).
 */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options shared by the losses. */
export interface LossOptions {
  reduction?: Reduction;
}

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** The reduction the options name (default `mean`); anything else is an error naming the loss. */
export function reductionOf(reduction: unknown, op: string): Reduction {
  if (reduction === undefined) return 'mean';
  if (!REDUCTIONS.includes(reduction as Reduction)) {
    throw new TypeError(
      `${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`,
    );
  }
  return reduction as Reduction;
}

export function reduce(loss: Tensor, reduction: Reduction | undefined, op: string): Tensor {
  const r = reductionOf(reduction, op);
  return r === 'mean' ? loss.mean() : r === 'sum' ? loss.sum() : loss;
}

export function sameShape(input: Tensor, target: Tensor, op: string): void {
  expectTensor(input, op, 'the input');
  expectTensor(target, op, 'the target');
  if (!shapesEqual(input.shape, target.shape)) {
    throw new RangeError(
      `${op}: input shape ${formatShape(input.shape)} and target shape ${formatShape(target.shape)} differ; they must match ` +
        '(reshape one of them, e.g. target.reshape(input.shape))',
    );
  }
}

/**
 * Mean squared error (input − target)², the lectures' squared error.
 *
 * @example
 * mseLoss(tensor([1, 2]), tensor([1, 4])).item(); // => 2
 */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  sameShape(input, target, 'mseLoss');
  const d = input.sub(target);
  return reduce(d.mul(d), options.reduction, 'mseLoss');
}

/**
 * Binary cross-entropy on probabilities: −[t·log p + (1 − t)·log(1 − p)], each log clamped at
 * −100 as PyTorch does, so that p = 0 or 1 gives a finite loss. `weight` rescales each element.
 */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  options: LossOptions & { weight?: Tensor } = {},
): Tensor {
  sameShape(input, target, 'binaryCrossEntropy');
  const d = input.data;
  for (let i = 0; i < d.length; i++) {
    if (!(d[i] >= 0 && d[i] <= 1)) {
      throw new RangeError(
        `binaryCrossEntropy: the input holds ${d[i]} at index ${i}; it must be probabilities in [0, 1] (for logits use binaryCrossEntropyWithLogits)`,
      );
    }
  }
  const logP = maximum(input.log(), -100);
  const logQ = maximum(input.neg().add(1).log(), -100);
  let loss = target.mul(logP).add(target.neg().add(1).mul(logQ)).neg();
  if (options.weight !== undefined) loss = loss.mul(options.weight);
  return reduce(loss, options.reduction, 'binaryCrossEntropy');
}

/**
 * Binary cross-entropy on logits, (1 − t)·x + log(1 + e^−x), never forming σ(x): the softplus
 * term is computed without overflow and with its exact derivative −σ(−x) everywhere, so the
 * gradient is (σ(x) − t)/n even at a logit of exactly 0 (a zero-initialised output layer).
 * `posWeight` weighs the positive class, as PyTorch's `pos_weight`.
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  options: LossOptions & { weight?: Tensor; posWeight?: Tensor | number } = {},
): Tensor {
  sameShape(input, target, 'binaryCrossEntropyWithLogits');
  // log(1 + e^−x) for every x (no linear switch), its derivative right at 0 too
  const softplusNeg = softplus(input.neg(), { threshold: Infinity });
  let loss: Tensor;
  if (options.posWeight === undefined) {
    loss = target.neg().add(1).mul(input).add(softplusNeg);
  } else {
    const scale = target
      .mul(typeof options.posWeight === 'number' ? options.posWeight - 1 : options.posWeight.sub(1))
      .add(1);
    loss = target.neg().add(1).mul(input).add(scale.mul(softplusNeg));
  }
  if (options.weight !== undefined) loss = loss.mul(options.weight);
  return reduce(loss, options.reduction, 'binaryCrossEntropyWithLogits');
}

/** Options of `crossEntropy` and `nllLoss`. */
export interface ClassLossOptions extends LossOptions {
  /** A weight per class (shape [C]); the mean divides by the total weight of the targets, as PyTorch. */
  weight?: Tensor;
  /** Targets equal to this label are skipped (default −100, as PyTorch). */
  ignoreIndex?: number;
}

/** Checks integer labels against the class count; returns how many are ignored. */
function checkLabels(target: Tensor, classes: number, ignoreIndex: number, op: string): number {
  if (target.dtype !== 'int32') {
    throw new TypeError(
      `${op}: class labels must be an int32 tensor, got ${target.dtype} (use .int() or { dtype: 'int32' })`,
    );
  }
  const d = target.data;
  let ignored = 0;
  for (let i = 0; i < d.length; i++) {
    const label = d[i];
    if (label === ignoreIndex) ignored++;
    else if (label < 0 || label >= classes) {
      throw new RangeError(
        `${op}: label ${label} at index ${i} is out of range for ${classes} classes (expected 0 to ${classes - 1})`,
      );
    }
  }
  return ignored;
}

/** The shared part of nllLoss and crossEntropy, on log-probabilities [N, C] (or [C]). */
function negativeLogLikelihood(
  logProbs: Tensor,
  target: Tensor,
  options: ClassLossOptions & { labelSmoothing?: number },
  op: string,
): Tensor {
  expectTensor(logProbs, op, 'the input');
  expectTensor(target, op, 'the target');
  const batched = logProbs.ndim === 2;
  if (!(batched || logProbs.ndim === 1)) {
    throw new RangeError(
      `${op}: the input must be [batch, classes] or [classes], got shape ${formatShape(logProbs.shape)}`,
    );
  }
  const lp = batched ? logProbs : logProbs.unsqueeze(0);
  const [n, classes] = lp.shape;
  const reduction = reductionOf(options.reduction, op);
  const smoothing = options.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing <= 1))
    throw new RangeError(`${op}: labelSmoothing must be in [0, 1], got ${smoothing}`);
  const weight = options.weight;
  if (weight !== undefined && (weight.ndim !== 1 || weight.shape[0] !== classes)) {
    throw new RangeError(
      `${op}: weight must have shape [${classes}] (one per class), got ${formatShape(weight.shape)}`,
    );
  }

  if (isFloating(target.dtype)) {
    // Class probabilities as targets: −Σ_c t_c log p_c (with smoothing mixed in as PyTorch does).
    const t = batched ? target : target.unsqueeze(0);
    if (target.ndim === logProbs.ndim - 1) {
      throw new TypeError(
        `${op}: class labels must be an int32 tensor, got ${target.dtype} labels of shape ${formatShape(target.shape)} (use .int()); ` +
          `probability targets would have the input's shape ${formatShape(logProbs.shape)}`,
      );
    }
    if (!shapesEqual(t.shape, lp.shape)) {
      throw new RangeError(
        `${op}: probability targets must have the input's shape ${formatShape(logProbs.shape)}, got ${formatShape(target.shape)}`,
      );
    }
    const mixed = smoothing > 0 ? t.mul(1 - smoothing).add(smoothing / classes) : t;
    const terms = weight === undefined ? mixed.mul(lp) : mixed.mul(lp).mul(weight);
    const loss = terms.sum(1).neg();
    const out = reduction === 'none' ? loss : reduction === 'sum' ? loss.sum() : loss.sum().div(n);
    return batched || reduction !== 'none' ? out : out.squeeze(0);
  }

  const labels = batched ? target : target.reshape([1]);
  if (labels.ndim !== 1 || labels.shape[0] !== n) {
    throw new RangeError(
      `${op}: expected ${n} labels (shape [${n}]) for an input of shape ${formatShape(logProbs.shape)}, got shape ${formatShape(target.shape)}`,
    );
  }
  const ignoreIndex = options.ignoreIndex ?? -100;
  const ignored = checkLabels(labels, classes, ignoreIndex, op);
  if (ignored === 0 && weight === undefined && smoothing === 0) {
    // The common case, in few operations: −mean of the log-probabilities at the labels.
    const picked = lp.gather(1, labels.reshape([n, 1])).reshape([n]);
    const out =
      reduction === 'none'
        ? picked.neg()
        : reduction === 'sum'
          ? picked.sum().neg()
          : picked.sum().mul(-1 / n);
    return batched || reduction !== 'none' ? out : out.squeeze(0);
  }
  const valid = labels.ne(ignoreIndex);
  const safe = where(valid, labels, 0).int();
  const picked = lp.gather(1, safe.reshape([n, 1])).reshape([n]);
  const w = weight === undefined ? valid.to(lp.dtype) : weight.indexSelect(0, safe).mul(valid);
  let loss = picked.neg().mul(w);
  if (smoothing > 0) {
    const smooth = (weight === undefined ? lp : lp.mul(weight))
      .sum(1)
      .neg()
      .div(classes)
      .mul(valid);
    loss = loss.mul(1 - smoothing).add(smooth.mul(smoothing));
  }
  const out =
    reduction === 'none' ? loss : reduction === 'sum' ? loss.sum() : loss.sum().div(w.sum());
  return batched || reduction !== 'none' ? out : out.squeeze(0);
}

type RowsLoss = (rows: Tensor, target: Tensor, options: CrossEntropyOptions) => Tensor;

/** Options of `crossEntropy`. */
export type CrossEntropyOptions = ClassLossOptions & { labelSmoothing?: number };

/** Every label is ignored (and the loss is a mean): the loss is NaN, as PyTorch's. */
function allIgnored(target: Tensor, options: CrossEntropyOptions): boolean {
  if (target.dtype !== 'int32' || target.size === 0) return false;
  if ((options.reduction ?? 'mean') !== 'mean') return false;
  const ignoreIndex = options.ignoreIndex ?? -100;
  const d = target.data;
  for (let i = 0; i < d.length; i++) if (d[i] !== ignoreIndex) return false;
  return true;
}

/**
 * A class loss on [N, C] or [C] rows, or on [N, C, d1, …] (one prediction per position, as in
 * segmentation) as on the [N·d1·…, C] rows of its positions, per-position losses shaped
 * [N, d1, …] again. When every label is ignored, the mean is NaN as in PyTorch but its gradient
 * is 0 (not NaN: 0/0 would otherwise reach every parameter).
 */
function classLoss(
  input: Tensor,
  target: Tensor,
  options: CrossEntropyOptions,
  op: string,
  loss: RowsLoss,
): Tensor {
  expectTensor(input, op, 'the input');
  expectTensor(target, op, 'the target');
  if (allIgnored(target, options)) {
    const zero = classLoss(input, target, { ...options, reduction: 'sum' }, op, loss);
    return where(1, NaN, zero);
  }
  if (input.ndim <= 2) return loss(input, target, options);
  const [n, c, ...rest] = input.shape;
  const positions = [n, ...rest];
  const rows = positions.reduce((p, d) => p * d, 1);
  const order = [0, ...rest.map((_, i) => i + 2), 1];
  const probabilities = isFloating(target.dtype) && target.ndim === input.ndim;
  const expected = probabilities ? input.shape : positions;
  if (!shapesEqual(target.shape, expected)) {
    throw new RangeError(
      `${op}: for an input of shape ${formatShape(input.shape)} ([N, C, d1, …]) the target must have shape ${formatShape(positions)} (labels) or ${formatShape(input.shape)} (class probabilities), got ${formatShape(target.shape)}`,
    );
  }
  const flatTarget = probabilities
    ? target.permute(order).reshape([rows, c])
    : target.reshape([rows]);
  const out = loss(input.permute(order).reshape([rows, c]), flatTarget, options);
  return reductionOf(options.reduction, op) === 'none' ? out.reshape(positions) : out;
}

/**
 * Negative log-likelihood of integer class labels given log-probabilities [N, C] (or [C], or
 * [N, C, d1, …] with labels [N, d1, …]): −log p[n, label_n], averaged over the batch.
 */
export function nllLoss(logProbs: Tensor, target: Tensor, options: ClassLossOptions = {}): Tensor {
  return classLoss(logProbs, target, options, 'nllLoss', (rows, t, o) =>
    negativeLogLikelihood(rows, t, o, 'nllLoss'),
  );
}

/**
 * Softmax cross-entropy (multinomial logistic regression) of logits [N, C] against integer labels
 * [N] (or class probabilities [N, C]): −log softmax(x)[label], computed stably through
 * logSoftmax. `labelSmoothing` ε mixes the one-hot target with the uniform distribution. Logits
 * [N, C, d1, …] (segmentation) take labels [N, d1, …], the classes along axis 1.
 *
 * @example
 * crossEntropy(tensor([[2, 0, 0]]), tensor([0], { dtype: 'int32' })).item(); // ≈ 0.2395
 */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  options: CrossEntropyOptions = {},
): Tensor {
  return classLoss(
    input,
    target,
    options,
    'crossEntropy',
    (rows, t, o) =>
      // The common case as one fused primitive (cross-entropy.ts); the rest composed.
      fusedCrossEntropy(rows, t, o) ??
      negativeLogLikelihood(
        rows.ndim > 0 ? rows.logSoftmax(rows.ndim === 1 ? 0 : 1) : rows,
        t,
        o,
        'crossEntropy',
      ),
  );
}
