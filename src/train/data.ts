import { TensorDataset, type Dataset } from '../data/dataset.js';
import { randomSplit } from '../data/dataset.js';
import { DataLoader } from '../data/loader.js';
import { noGrad } from '../autograd/mode.js';
import type { Module } from '../nn/module.js';
import { Tensor } from '../tensor/tensor.js';
import type { Generator } from '../tensor/random.js';
import type { LabeledData, TrainingData } from './types.js';

/** Training data as a dataset of [x, y] rows, refusing what cannot be trained on. */
export function asDataset(data: TrainingData, where: string): Dataset<Tensor[]> {
  let ds: Dataset<Tensor[]>;
  if (data !== null && typeof data === 'object' && 'x' in data && 'y' in data) {
    const { x, y } = data as LabeledData;
    if (!(x instanceof Tensor) || !(y instanceof Tensor))
      throw new TypeError(`${where}: data.x and data.y must be Tensors`);
    if (x.ndim === 0 || y.ndim === 0 || x.shape[0] !== y.shape[0]) {
      throw new RangeError(
        `${where}: data.x and data.y must have the same number of examples (first dimension), got shapes [${x.shape}] and [${y.shape}]`,
      );
    }
    ds = new TensorDataset(x, y);
  } else if (
    data !== null &&
    typeof data === 'object' &&
    typeof (data as Dataset<Tensor[]>).get === 'function'
  ) {
    ds = data as Dataset<Tensor[]>;
  } else {
    throw new TypeError(`${where}: data must be { x, y } tensors or a Dataset`);
  }
  if (ds.length === 0)
    throw new RangeError(`${where}: the dataset is empty; there is nothing to train on`);
  return ds;
}

/** The whole dataset as two tensors (for evaluation in large batches). */
export function batches(ds: Dataset<Tensor[]>, batchSize: number): DataLoader<Tensor[]> {
  return new DataLoader(ds, { batchSize, shuffle: false });
}

/** Splits a fraction off for validation, deterministically from `generator`. */
export function holdOut(
  ds: Dataset<Tensor[]>,
  fraction: number,
  generator: Generator,
): [Dataset<Tensor[]>, Dataset<Tensor[]>] {
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(`fit: validation as a fraction must be between 0 and 1, got ${fraction}`);
  }
  const nVal = Math.max(1, Math.round(ds.length * fraction));
  if (nVal >= ds.length)
    throw new RangeError(
      `fit: holding out ${fraction} of ${ds.length} examples leaves none to train on`,
    );
  const [train, val] = randomSplit(ds, [ds.length - nVal, nVal], { generator });
  return [train, val];
}

/** Runs `model` over `ds` in evaluation mode without a graph, restoring its mode after. */
export function inEvalMode<T>(model: Module, fn: () => T): T {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(fn);
  } finally {
    model.train(wasTraining);
  }
}
