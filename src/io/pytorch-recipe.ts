/**
 * What `nabla export --pytorch` writes besides the Python scripts: `recipe.json` (how the run
 * trains), `weights.safetensors`, `data.safetensors` and, from a checkpoint, `start.safetensors`
 * (the optimizer's state, the epoch's order, the best weights). train.py reads them.
 *
 * @module
 */
import type { LabeledData } from '../data/dataset.js';
import type { Module } from '../nn/module.js';
import type { Optimizer, OptimizerStateDict } from '../optim/optimizer.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import type { TrainingCheckpoint } from '../train/checkpoint.js';
import { encodeSafetensors } from './safetensors-encode.js';
import { pytorchModelSource } from './pytorch-model.js';

/** The loss train.py computes: of class labels, of a softmax against one-hot labels, or squared error. */
export type PytorchLoss = 'crossEntropy' | 'softmaxMse' | 'mse';

/** How a run trains, for `exportPytorch` (nabla/node): the model, its data and the recipe train.py follows. */
export interface PytorchRecipe {
  /** The network; its weights (and buffers) now are train.py's starting point. */
  model: Module;
  /** The splits; `validation` drives early stopping, `test` is evaluated at the end. */
  train: LabeledData;
  validation?: LabeledData;
  test?: LabeledData;
  loss: PytorchLoss;
  /** The optimizer (its class, hyperparameters and state), or a state dict of one. */
  optimizer: Optimizer | OptimizerStateDict;
  batchSize: number | 'full';
  epochs: number;
  maxSteps?: number;
  /** The seed the run's generator started from: train.py shuffles each epoch from it as nabla does. */
  seed: number;
  /** Shuffle each epoch (default true, as `fit`). */
  shuffle?: boolean;
  /** `fit`'s explicit L2 penalty λ and input noise σ (default 0). */
  l2?: number;
  jitter?: number;
  /** Random crops of the zero-padded images (and horizontal flips). */
  augment?: { padding: number; flip: boolean };
  /** Early stopping on the validation loss (or the training loss without validation data). */
  earlyStopping?: { patience: number; minDelta?: number; restoreBestWeights?: boolean };
  /** The learning rate cosine-annealed over `tMax` epochs (`CosineAnnealingLR`, stepped per epoch). */
  cosineAnnealing?: { tMax: number; etaMin?: number };
  /** Go on from where this checkpoint stood (its optimizer state, position, best weights). */
  checkpoint?: TrainingCheckpoint;
  /** What the export was made from, for model.py's docstring. */
  source?: string;
}

/** `expAvgSq` → `exp_avg_sq`. */
const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** PyTorch's optimizer class for a nabla optimizer's class name. */
const TORCH_OPTIMIZERS: Readonly<Record<string, string>> = {
  SGD: 'SGD',
  Adam: 'Adam',
  AdamW: 'AdamW',
  Adagrad: 'Adagrad',
  RMSprop: 'RMSprop',
};

function stateDictOf(o: Optimizer | OptimizerStateDict): OptimizerStateDict {
  return 'stateDict' in o && typeof o.stateDict === 'function'
    ? o.stateDict()
    : (o as OptimizerStateDict);
}

/** The optimizer's part of recipe.json, and its state tensors for start.safetensors. */
function optimizerSpec(
  dict: OptimizerStateDict,
  tensors: Record<string, Tensor>,
): Record<string, unknown> {
  const name = dict.optimizer ?? '';
  const torch = TORCH_OPTIMIZERS[name];
  if (torch === undefined)
    throw new RangeError(
      `exportPytorch: the optimizer ${JSON.stringify(name)} has no PyTorch counterpart here; expected one of ${Object.keys(TORCH_OPTIMIZERS).join(', ')}`,
    );
  if (dict.paramGroups.length !== 1)
    throw new RangeError(
      `exportPytorch: the optimizer has ${dict.paramGroups.length} parameter groups; train.py takes one`,
    );
  const group = dict.paramGroups[0] as unknown as Record<string, unknown>;
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(group))
    if (k !== 'params' && k !== 'initialLr') options[snake(k)] = v;
  const state: Record<string, Record<string, number>> = {};
  const names: Record<string, string[]> = {};
  for (const [i, entry] of Object.entries(dict.state)) {
    state[i] = {};
    names[i] = [];
    for (const [k, v] of Object.entries(entry)) {
      if (v instanceof Tensor) {
        tensors[`optimizer.${i}.${snake(k)}`] = v;
        names[i].push(snake(k));
      } else state[i][snake(k)] = v;
    }
  }
  const hasState = Object.keys(state).length > 0;
  return { name, torch, options, lr: group.lr, state: hasState ? state : null, tensors: names };
}

/** Where a checkpoint stood, for recipe.json's `start`, with its tensors for start.safetensors. */
function startSpec(
  c: TrainingCheckpoint,
  tensors: Record<string, Tensor>,
): Record<string, unknown> {
  if (c.order !== null) tensors.order = tensor(Array.from(c.order), { dtype: 'int32' });
  for (const [k, v] of Object.entries(c.best ?? {})) tensors[`best.${k}`] = v;
  const history = c.history.epochs.map((e) => ({
    epoch: e.epoch,
    loss: e.loss,
    accuracy: e.accuracy,
    val_loss: e.valLoss,
    val_accuracy: e.valAccuracy,
    lr: e.lr,
  }));
  return {
    file: 'start.safetensors',
    epoch: c.epoch,
    batch: c.batch,
    steps: c.history.steps,
    sums: c.sums,
    generator: c.generator,
    stopping: {
      best: c.rules.best,
      since_best: c.rules.sinceBest,
      best_epoch: c.rules.bestEpoch ?? null,
    },
    history,
  };
}

/** The splits as one safetensors file: `train.x`, `train.y`, `validation.x`, … */
function dataFile(r: PytorchRecipe, dtype: string): Uint8Array {
  const out: Record<string, Tensor> = {};
  for (const [name, split] of [
    ['train', r.train],
    ['validation', r.validation],
    ['test', r.test],
  ] as const) {
    if (split === undefined) continue;
    out[`${name}.x`] = split.x.dtype === dtype ? split.x : split.x.to(dtype as 'float32');
    out[`${name}.y`] = split.y;
  }
  return encodeSafetensors(out, { format: 'nabla-data' }, { checksums: false });
}

const LOSSES: Readonly<Record<PytorchLoss, string>> = {
  crossEntropy: 'cross_entropy',
  softmaxMse: 'softmax_mse',
  mse: 'mse',
};

/**
 * The files of a PyTorch export but the two fixed scripts (train.py, nabla_support.py): model.py,
 * recipe.json and the safetensors files, by name.
 */
export function pytorchExportFiles(r: PytorchRecipe): Record<string, string | Uint8Array> {
  const weights = r.model.stateDict();
  const first = Object.values(weights).find((t) => t.dtype === 'float32' || t.dtype === 'float64');
  const dtype = first?.dtype ?? 'float32';
  const startTensors: Record<string, Tensor> = {};
  const optimizer = optimizerSpec(
    stateDictOf(r.checkpoint?.optimizer ?? r.optimizer),
    startTensors,
  );
  const start = r.checkpoint === undefined ? null : startSpec(r.checkpoint, startTensors);
  const lr = optimizer.lr as number;
  const recipe = {
    format: 'nabla-pytorch-recipe',
    version: 1,
    source: r.source ?? 'a nabla model',
    model: { file: 'model.py', weights: 'weights.safetensors', dtype },
    data: {
      file: 'data.safetensors',
      input_shape: r.train.x.shape.slice(1),
      classes: classesOf(r),
    },
    loss: LOSSES[r.loss],
    optimizer,
    schedule:
      r.cosineAnnealing === undefined
        ? null
        : {
            kind: 'cosine',
            t_max: r.cosineAnnealing.tMax,
            eta_min: r.cosineAnnealing.etaMin ?? 0,
            base_lr: baseLr(r, lr),
          },
    batch_size: r.batchSize,
    epochs: r.epochs,
    max_steps: r.maxSteps ?? null,
    seed: r.seed,
    shuffle: r.shuffle ?? true,
    l2: r.l2 ?? 0,
    jitter: r.jitter ?? 0,
    augment: r.augment ?? null,
    early_stopping:
      r.earlyStopping === undefined
        ? null
        : {
            patience: r.earlyStopping.patience,
            min_delta: r.earlyStopping.minDelta ?? 0,
            restore_best_weights: r.earlyStopping.restoreBestWeights ?? true,
          },
    start,
  };
  const files: Record<string, string | Uint8Array> = {
    'model.py': pytorchModelSource(r.model, r.source ?? 'a nabla model'),
    'recipe.json': `${JSON.stringify(recipe, null, 2)}\n`,
    'weights.safetensors': encodeSafetensors(weights, { format: 'pt' }, { checksums: false }),
    'data.safetensors': dataFile(r, dtype),
  };
  if (start !== null)
    files['start.safetensors'] = encodeSafetensors(
      startTensors,
      { format: 'nabla-start' },
      { checksums: false },
    );
  return files;
}

/** The number of classes of class-label data (the largest label + 1), else the output width. */
function classesOf(r: PytorchRecipe): number {
  if (r.train.y.dtype !== 'int32') return r.train.y.shape[r.train.y.ndim - 1] ?? 1;
  let max = -1;
  for (const split of [r.train, r.validation, r.test])
    if (split !== undefined) for (const v of split.y.data) max = Math.max(max, v);
  return max + 1;
}

/** The learning rate the cosine schedule starts from: the group's `initialLr`, else its `lr`. */
function baseLr(r: PytorchRecipe, lr: number): number {
  const dict = stateDictOf(r.checkpoint?.optimizer ?? r.optimizer);
  const initial = (dict.paramGroups[0] as { initialLr?: number }).initialLr;
  return initial ?? lr;
}
