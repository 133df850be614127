/**
 * `fit`'s options, checked and with every default filled in, once, before training starts. The
 * limits of its numbers stand in one table ({@link FIT_LIMITS}) that the command line reads too.
 *
 * @module
 */
import { checkTransform } from '../data/transform.js';
import { Adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Parameter } from '../nn/parameter.js';
import {
  checkNonNegative,
  checkObject,
  checkPositive,
  fail,
  type CheckContext,
} from '../tensor/check.js';
import type { CheckpointOptions, TrainingCheckpoint } from './checkpoint.js';
import type {
  Callbacks,
  FitOptions,
  LossFunction,
  LossName,
  ProgressReporter,
  RestartOptions,
} from './types.js';

/** What a number option may be: a positive number, an integer ≥ `min`, or a number ≥ 0. */
export interface NumberLimit {
  readonly positive?: boolean;
  readonly integer?: boolean;
  readonly min?: number;
}

/** The limits of `fit`'s numbers, by option; `nabla train` checks its flags against the same. */
export const FIT_LIMITS = {
  lr: { positive: true },
  weightDecay: { min: 0 },
  l2: { min: 0 },
  jitter: { min: 0 },
  epochs: { integer: true, min: 1 },
  batchSize: { integer: true, min: 1 },
  maxSteps: { integer: true, min: 1 },
  'restarts.runs': { integer: true, min: 1 },
  'checkpoint.every': { integer: true, min: 1 },
  'earlyStopping.patience': { integer: true, min: 0 },
  'minImprovement.window': { integer: true, min: 1 },
  'minImprovement.delta': { min: 0 },
} as const satisfies Record<string, NumberLimit>;

/** An option of {@link FIT_LIMITS}. */
export type LimitedOption = keyof typeof FIT_LIMITS;

const FIT: CheckContext = { where: 'fit' };

/**
 * `fit`'s check of one of its numbers, by the table: `fit: <key> must be a positive number | an
 * integer ≥ n | a number >= 0, got <value>`.
 */
function limited(key: LimitedOption, value: unknown): number {
  const limit: NumberLimit = FIT_LIMITS[key];
  if (limit.positive) return checkPositive(FIT, key, value);
  if (!limit.integer) return checkNonNegative(FIT, key, value);
  const min = limit.min ?? 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    fail(FIT, key, `an integer ≥ ${min}`, value);
  return value;
}

/** What a non-finite loss or gradient makes `fit` do. */
export const ON_NON_FINITE = ['stop', 'skip', 'warn'] as const;

/** `fit`'s options with their defaults filled in and their numbers checked. */
export interface ResolvedFitOptions {
  readonly loss: LossName | LossFunction | undefined;
  readonly optimizer: FitOptions['optimizer'];
  /** The default optimizer's learning rate and weight decay (checked only when it is used). */
  readonly lr: number;
  readonly weightDecay: number;
  readonly l2: number;
  readonly batchSize: number | 'full';
  readonly shuffle: boolean;
  readonly epochs: number;
  /** Infinity when there is no limit. */
  readonly maxSteps: number;
  readonly targetLoss: number | undefined;
  readonly minImprovement: FitOptions['minImprovement'];
  readonly validation: FitOptions['validation'];
  readonly earlyStopping: FitOptions['earlyStopping'];
  readonly restarts: RestartOptions | undefined;
  readonly jitter: number;
  readonly transform: FitOptions['transform'];
  readonly clipGradNorm: number | undefined;
  readonly clipGradValue: number | undefined;
  readonly scheduler: FitOptions['scheduler'];
  readonly onNonFinite: (typeof ON_NON_FINITE)[number];
  /** Whether every gradient is checked too (only when `onNonFinite` was given: it costs time). */
  readonly checkGradients: boolean;
  readonly checkpoint: CheckpointOptions | undefined;
  /** The checkpoint to go on from (a folder is the Node entry's to read). */
  readonly resumeFrom: TrainingCheckpoint | undefined;
  readonly seed: number | undefined;
  readonly callbacks: Callbacks;
  readonly progress: ProgressReporter | undefined;
}

function resolveRestarts(restarts: FitOptions['restarts']): RestartOptions | undefined {
  if (restarts === undefined) return undefined;
  const o = typeof restarts === 'number' ? { runs: restarts } : restarts;
  limited('restarts.runs', o.runs);
  if (o.seeds !== undefined && o.seeds.length < o.runs) {
    throw new RangeError(`fit: restarts.seeds has ${o.seeds.length} seeds for ${o.runs} runs`);
  }
  return o;
}

function resolveCheckpoint(
  checkpoint: CheckpointOptions | undefined,
): CheckpointOptions | undefined {
  if (checkpoint === undefined) return undefined;
  limited('checkpoint.every', checkpoint.every);
  if (checkpoint.save === undefined)
    throw new Error(
      'fit: checkpoint.dir needs the Node entry (import from "nabla/node"); in the core give checkpoint.save',
    );
  return checkpoint;
}

/** Checks the numbers of the stopping rules (whether they fit the data is the rules' own check). */
function checkStopping(options: FitOptions): void {
  const es = options.earlyStopping;
  if (typeof es === 'object' && es.patience !== undefined)
    limited('earlyStopping.patience', es.patience);
  const mi = options.minImprovement;
  if (mi !== undefined) {
    limited('minImprovement.window', mi.window);
    limited('minImprovement.delta', mi.delta);
  }
}

function resolveOnNonFinite(value: unknown): ResolvedFitOptions['onNonFinite'] {
  const v = value ?? 'stop';
  if (!(ON_NON_FINITE as readonly unknown[]).includes(v))
    fail(FIT, 'onNonFinite', "'stop', 'skip' or 'warn'", v);
  return v as ResolvedFitOptions['onNonFinite'];
}

/**
 * `fit`'s options checked, with every default filled in: the one place that says what each option
 * may be and what it is when left out. Throws a `fit: …` error naming the first bad option.
 *
 * @example
 * resolveFitOptions({ epochs: 5 }).batchSize; // => 32
 * resolveFitOptions({ batchSize: 0 }); // RangeError: fit: batchSize must be an integer ≥ 1, got 0
 */
export function resolveFitOptions(options: FitOptions = {}): ResolvedFitOptions {
  checkObject({ where: 'resolveFitOptions' }, 'options', options);
  if (typeof options.resumeFrom === 'string')
    throw new Error(
      `fit: resumeFrom as a folder (${options.resumeFrom}) needs the Node entry (import from "nabla/node"); in the core give a checkpoint (decodeCheckpoint reads its bytes)`,
    );
  const lr = options.lr ?? 1e-3;
  if (options.optimizer === undefined) limited('lr', lr);
  checkStopping(options);
  return {
    loss: options.loss,
    optimizer: options.optimizer,
    lr,
    weightDecay: options.weightDecay ?? 0,
    epochs: limited('epochs', options.epochs ?? 10),
    maxSteps: options.maxSteps === undefined ? Infinity : limited('maxSteps', options.maxSteps),
    batchSize:
      options.batchSize === 'full' ? 'full' : limited('batchSize', options.batchSize ?? 32),
    jitter: limited('jitter', options.jitter ?? 0),
    transform:
      options.transform === undefined
        ? undefined
        : checkTransform(options.transform, 'fit', 'transform'),
    l2: limited('l2', options.l2 ?? 0),
    shuffle: options.shuffle ?? true,
    targetLoss: options.targetLoss,
    minImprovement: options.minImprovement,
    validation: options.validation,
    earlyStopping: options.earlyStopping,
    restarts: resolveRestarts(options.restarts),
    clipGradNorm: options.clipGradNorm,
    clipGradValue: options.clipGradValue,
    scheduler: options.scheduler,
    onNonFinite: resolveOnNonFinite(options.onNonFinite),
    checkGradients: options.onNonFinite !== undefined,
    checkpoint: resolveCheckpoint(options.checkpoint),
    resumeFrom: options.resumeFrom,
    seed: options.seed,
    callbacks: options.callbacks ?? {},
    progress: options.progress,
  };
}

/** The optimizer `fit` trains with: the one given, or Adam with `lr` and `weightDecay`. */
export function makeOptimizer(params: Parameter[], options: ResolvedFitOptions): Optimizer {
  if (params.length === 0) throw new Error('fit: the model has no parameters to train');
  const given = options.optimizer;
  if (given === undefined)
    return new Adam(params, { lr: options.lr, weightDecay: options.weightDecay });
  return typeof given === 'function' ? given(params) : given;
}
