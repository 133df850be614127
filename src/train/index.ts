export { fit } from './fit.js';
export { l2Penalty } from './penalty.js';
export { FIT_LIMITS, resolveFitOptions, type ResolvedFitOptions } from './options.js';
export { evaluate, predict, type EvaluateOptions } from './evaluate.js';
export { accuracy, confusionMatrix, formatConfusionMatrix } from './metrics.js';
export type {
  BatchInfo,
  Callbacks,
  EarlyStoppingOptions,
  EpochInfo,
  FitOptions,
  History,
  LossFunction,
  LossName,
  NonFiniteEvent,
  ProgressReporter,
  RestartOptions,
  RunSummary,
  StopReason,
  StopSignal,
  TrainingData,
} from './types.js';
export type { CheckpointOptions, TrainingCheckpoint } from './checkpoint.js';
export type { StoppingState } from './stopping.js';
