import type { Module } from '../nn/module.js';
import {
  crossEntropy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  mseLoss,
  nllLoss,
} from '../ops/loss.js';
import { concat } from '../ops/slicing.js';
import { checkInteger, checkObject } from '../tensor/check.js';
import { Tensor } from '../tensor/tensor.js';
import { checkModule } from './arguments.js';
import { asDataset, batches, inEvalMode } from './data.js';
import { accuracy } from './metrics.js';
import type { LossFunction, LossName, TrainingData } from './types.js';

/** A loss by name or as given; the default follows the targets (int32 labels: crossEntropy; else mse). */
export function resolveLoss(
  loss: LossName | LossFunction | undefined,
  target: Tensor,
): LossFunction {
  if (typeof loss === 'function') return loss;
  const name = loss ?? (target.dtype === 'int32' ? 'crossEntropy' : 'mse');
  switch (name) {
    case 'crossEntropy':
      return (o, t) => crossEntropy(o, t);
    case 'nll':
      return (o, t) => nllLoss(o, t);
    case 'mse':
      return (o, t) => mseLoss(o, t.shape.length === o.shape.length ? t : t.reshape(o.shape));
    case 'bce':
      return (o, t) =>
        binaryCrossEntropy(o, t.shape.length === o.shape.length ? t : t.reshape(o.shape));
    case 'bceWithLogits':
      return (o, t) =>
        binaryCrossEntropyWithLogits(o, t.shape.length === o.shape.length ? t : t.reshape(o.shape));
    default:
      throw new TypeError(
        `unknown loss ${JSON.stringify(name)}; expected crossEntropy, mse, bce, bceWithLogits or nll`,
      );
  }
}

/** Whether the targets are class labels, so that accuracy means something. */
export function isClassification(
  loss: LossName | LossFunction | undefined,
  target: Tensor,
): boolean {
  if (loss === 'bce' || loss === 'bceWithLogits') return true;
  return target.dtype === 'int32';
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  loss?: LossName | LossFunction;
  /** Examples per forward pass (default 256). */
  batchSize?: number;
}

/**
 * The mean loss (and accuracy, for classification) of `model` on `data`, in evaluation mode and
 * without recording a graph.
 *
 * @example
 * const test = datasets.spiral({ samples: 60, classes: 3, seed: 2 });
 * const model = mlp([2, 16, 3]);
 * const { loss, accuracy } = evaluate(model, test);
 */
export function evaluate(
  model: Module,
  data: TrainingData,
  options: EvaluateOptions = {},
): { loss: number; accuracy?: number } {
  const ctx = { where: 'evaluate' };
  checkModule(ctx.where, 'model', model);
  const ds = asDataset(data, 'evaluate');
  checkObject(ctx, 'options', options);
  const batchSize = checkInteger(ctx, 'batchSize', options.batchSize ?? 256, 1);
  return inEvalMode(model, () => {
    let lossFn: LossFunction | undefined;
    let classification = false;
    let total = 0;
    let hits = 0;
    let count = 0;
    for (const [x, y] of batches(ds, batchSize)) {
      lossFn ??= resolveLoss(options.loss, y);
      classification = isClassification(options.loss, y);
      const out = model.call(x);
      const n = x.shape[0];
      total += lossFn(out, y).item() * n;
      if (classification)
        hits += accuracy(options.loss === 'bceWithLogits' ? out.sigmoid() : out, y) * n;
      count += n;
    }
    return classification
      ? { loss: total / count, accuracy: hits / count }
      : { loss: total / count };
  });
}

/** The model's outputs for `x` (batched, evaluation mode, no graph). */
export function predict(
  model: Module,
  x: Tensor | TrainingData,
  options: { batchSize?: number } = {},
): Tensor {
  const ctx = { where: 'predict' };
  checkModule(ctx.where, 'model', model);
  checkObject(ctx, 'options', options);
  const batchSize = checkInteger(ctx, 'batchSize', options.batchSize ?? 256, 1);
  const inputs = x instanceof Tensor ? x : undefined;
  if (inputs !== undefined && inputs.ndim === 0)
    throw new RangeError('predict: x must have a first dimension of examples, got a 0-d tensor');
  return inEvalMode(model, () => {
    const outs: Tensor[] = [];
    if (inputs !== undefined) {
      for (let i = 0; i < inputs.shape[0]; i += batchSize) {
        outs.push(model.call(inputs.narrow(0, i, Math.min(batchSize, inputs.shape[0] - i))));
      }
    } else {
      for (const [bx] of batches(asDataset(x as TrainingData, 'predict'), batchSize))
        outs.push(model.call(bx));
    }
    if (outs.length === 0) throw new RangeError('predict: no examples to predict');
    return outs.length === 1 ? outs[0] : concat(outs, 0);
  });
}
