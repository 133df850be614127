export {
  Optimizer,
  type OptimizerOptions,
  type OptimizerParams,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInit,
  type ParamState,
} from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export {
  LRScheduler,
  StepLR,
  ExponentialLR,
  CosineAnnealingLR,
  LinearLR,
  type LRSchedulerStateDict,
  type StepLROptions,
  type ExponentialLROptions,
  type CosineAnnealingLROptions,
  type LinearLROptions,
} from './schedulers.js';
export {
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  type ReduceLROnPlateauStateDict,
} from './plateau.js';
export { clipGradNorm, clipGradValue } from './clip.js';
export {
  createOptimizer,
  OPTIMIZER_NAMES,
  OPTIMIZERS_BY_NAME,
  type NamedOptimizerOptions,
  type OptimizerName,
} from './by-name.js';
