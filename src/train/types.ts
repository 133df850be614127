import type { Dataset, LabeledData } from '../data/dataset.js';
import type { Transform } from '../data/transform.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { LRScheduler, ReduceLROnPlateau } from '../optim/schedulers.js';
import type { Parameter } from '../nn/parameter.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CheckpointOptions, TrainingCheckpoint } from './checkpoint.js';

export type { LabeledData };

/** What `fit`, `evaluate` and `predict` accept as data. */
export type TrainingData = LabeledData | Dataset<Tensor[]>;

/** Losses by name: crossEntropy (logits, int32 labels), mse, bce (probabilities), bceWithLogits, nll (log-probabilities). */
export type LossName = 'crossEntropy' | 'mse' | 'bce' | 'bceWithLogits' | 'nll';

/** A loss: the model's output and the targets in, a scalar out. */
export type LossFunction = (output: Tensor, target: Tensor) => Tensor;

/** What a callback returns to end training early. */
export type StopSignal = 'stop' | false;

/** Why training ended. */
export type StopReason =
  'epochs' | 'maxSteps' | 'targetLoss' | 'minImprovement' | 'earlyStopping' | 'callback';

/** The numbers of one mini-batch step. */
export interface BatchInfo {
  /** 1-based epoch. */
  epoch: number;
  /** 1-based batch within the epoch. */
  batch: number;
  /** Batches in an epoch. */
  batches: number;
  /** 1-based step over the whole run. */
  step: number;
  /** This batch's loss (without an explicit L2 penalty). */
  loss: number;
  /** Examples in this batch. */
  size: number;
  /** The current learning rate (of the first parameter group). */
  lr: number;
}

/** The numbers of one finished epoch; `history.epochs` holds one per epoch. */
export interface EpochInfo {
  /** 1-based epoch. */
  epoch: number;
  /** Steps taken so far. */
  step: number;
  /** Mean training loss over the epoch's batches (weighted by batch size). */
  loss: number;
  /** Training accuracy over the epoch (classification). */
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  /** The learning rate used during the epoch. */
  lr: number;
  /** Wall time of the epoch. */
  seconds: number;
  /** Training examples per second in the epoch. */
  samplesPerSecond: number;
}

/** One run of random restarts. */
export interface RunSummary {
  run: number;
  seed: number;
  /** The final training loss. */
  loss: number;
  valLoss?: number;
  accuracy?: number;
  valAccuracy?: number;
  epochs: number;
  stopReason: StopReason;
}

/** What `fit` returns. */
export interface History {
  epochs: EpochInfo[];
  /** The loss of every step, in order (the "loss per mini-batch" curve). */
  batchLosses: number[];
  stopReason: StopReason;
  /** The epoch with the lowest validation loss (or training loss without validation). */
  bestEpoch: number | undefined;
  steps: number;
  seconds: number;
  /** Steps whose loss or gradient was NaN or ±Infinity and were skipped or warned about. */
  nonFinite: NonFiniteEvent[];
  /** With restarts: every run, and which one was kept. */
  runs?: RunSummary[];
  bestRun?: number;
}

/** A step whose loss or gradients held NaN or ±Infinity, and what `fit` did about it. */
export interface NonFiniteEvent {
  epoch: number;
  batch: number;
  step: number;
  /** Where the bad value was first seen: the loss, or a parameter's gradient. */
  where: 'loss' | 'gradient';
  /** The bad value (NaN, Infinity or -Infinity). */
  value: number;
  /** The first operation whose result (forward) or gradient (backward) held it, when found. */
  operation?: { op: string; phase: 'forward' | 'backward' };
  action: 'skip' | 'warn';
  /** The whole message, as a warning would print it. */
  message: string;
}

/** Callbacks; `onEpochEnd` and `onBatchEnd` may return `'stop'` (or false) to end training. */
export interface Callbacks {
  /** A step's loss or gradient was NaN or ±Infinity and `onNonFinite` is 'skip' or 'warn'. */
  onNonFinite?(event: NonFiniteEvent): void;
  onBatchEnd?(info: BatchInfo): StopSignal | void;
  onEpochEnd?(info: EpochInfo): StopSignal | void;
  onTrainEnd?(history: History): void;
}

/** Receives progress (the Node entry provides a terminal progress bar). */
export interface ProgressReporter {
  start(info: {
    epochs: number;
    batches: number;
    samples: number;
    run?: number;
    runs?: number;
  }): void;
  batch(info: BatchInfo): void;
  epoch(info: EpochInfo): void;
  end(history: History): void;
}

/** Early stopping on a monitored quantity (validation loss by default). */
export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping (default 5). */
  patience?: number;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch at the end (default true). */
  restoreBestWeights?: boolean;
  /** What to watch (default valLoss; loss when there is no validation data). */
  monitor?: 'valLoss' | 'loss' | 'valAccuracy' | 'accuracy';
}

/** Random restarts: several runs from different random starts, keeping the best. */
export interface RestartOptions {
  runs: number;
  /** Keep the run with the lowest final training loss or validation loss (default: validation when there is validation data). */
  select?: 'train' | 'validation';
  /** The seed of each run (default: seed, seed + 1, …). */
  seeds?: number[];
}

/** Options of `fit`. */
export interface FitOptions {
  /** The loss, by name or as a function (default: crossEntropy for int32 targets, else mse). */
  loss?: LossName | LossFunction;
  /** An optimizer, or a function making one for the parameters (default: Adam with `lr`, `weightDecay`). */
  optimizer?: Optimizer | ((params: Parameter[]) => Optimizer);
  /** Learning rate of the default optimizer (default 1e-3). */
  lr?: number;
  /** Weight decay (L2) of the default optimizer (default 0). */
  weightDecay?: number;
  /** An explicit L2 penalty λ/2·Σ‖W‖² over the weight matrices added to the loss (default 0). */
  l2?: number;
  /** Examples per step: 1 = stochastic, 'full' = full-batch gradient descent (default 32). */
  batchSize?: number | 'full';
  /** Shuffle the training data every epoch (default true). */
  shuffle?: boolean;
  /** Epochs at most (default 10). */
  epochs?: number;
  /** Steps at most (default: no limit). */
  maxSteps?: number;
  /** Stop once the epoch's training loss is at or below this. */
  targetLoss?: number;
  /** Stop when the best training loss of the last `window` epochs improves on the best before them by less than `delta`. */
  minImprovement?: { delta: number; window: number };
  /** Validation data, or the fraction of the training data to hold out for it. */
  validation?: TrainingData | number;
  /** Early stopping on the validation loss (or `monitor`). */
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Random restarts. */
  restarts?: number | RestartOptions;
  /** σ of the Gaussian noise added to the inputs at every step (jitter; default 0). */
  jitter?: number;
  /**
   * Applied to the inputs of every training batch as it is made: data augmentation such as
   * `new Compose([new RandomCrop(32, { padding: 4 }), new RandomHorizontalFlip(), normalize])`.
   * Its random draws come from the default generator (seeded by `seed`) and it is recorded in
   * checkpoints, so a resumed run draws the same augmentations. Validation data are used as given:
   * apply a `Normalize` to them yourself (`normalize.call(x)`).
   */
  transform?: Transform;
  /** Clip the gradients' total norm to this before each step (the remedy for exploding gradients). */
  clipGradNorm?: number;
  /** Clip every gradient element to [−v, v] before each step. */
  clipGradValue?: number;
  /** A learning-rate schedule, stepped once per epoch (ReduceLROnPlateau with the validation loss, or the training loss). */
  scheduler?: LRScheduler | ReduceLROnPlateau;
  /**
   * What to do when a step's loss — or, when this option is given, any gradient — is NaN or
   * ±Infinity: `'stop'` (the default) throws an error naming the epoch, batch, step and the first
   * operation to produce the bad value (found by re-running the batch under `detectAnomaly`);
   * `'skip'` leaves the weights as they were for that batch and goes on; `'warn'` reports it and
   * takes the step anyway. Skipped and warned steps are listed in `history.nonFinite` and passed to
   * `callbacks.onNonFinite` (without one, a warning is printed with `console.warn`). Exploding
   * gradients are better prevented with `clipGradNorm`.
   */
  onNonFinite?: 'stop' | 'skip' | 'warn';
  /**
   * Save a checkpoint every `every` steps (and when a callback stops the run): with `dir` in
   * Node (`checkpoint.safetensors` there, replaced atomically), or `save(bytes)` anywhere.
   */
  checkpoint?: CheckpointOptions;
  /**
   * Go on with a run from its checkpoint — as `decodeCheckpoint` reads it from its bytes, or in
   * Node its folder — exactly as if it had not stopped (same data, model and options; the weights and
   * the random state come from the checkpoint).
   */
  resumeFrom?: TrainingCheckpoint | string;
  /** Seed the default generator first (initial weights of restarts, shuffling, dropout, jitter). */
  seed?: number;
  callbacks?: Callbacks;
  progress?: ProgressReporter;
}
