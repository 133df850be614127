import { createOptimizer, type NamedOptimizerOptions, type Optimizer, type Parameter } from 'nabla';
import { readsSetting, type Settings } from './schema.js';

/** The hyperparameters of the settings' optimizer: the learning rate and those it reads. */
export function optimizerOptions(s: Settings): NamedOptimizerOptions {
  return {
    lr: s.lr,
    ...(readsSetting(s, 'momentum') ? { momentum: s.momentum } : {}),
    ...(readsSetting(s, 'beta1') ? { betas: [s.beta1, s.beta2] as [number, number] } : {}),
    ...(readsSetting(s, 'alpha') ? { alpha: s.alpha } : {}),
  };
}

/** The optimizer the settings name, with PyTorch's update rules (nabla's own, by name). */
export function makeOptimizer(s: Settings, params: Parameter[]): Optimizer {
  return createOptimizer(s.optimizer, params, optimizerOptions(s));
}

/** Sets the hyperparameters the page can change while an optimizer keeps its state. */
export function retune(optimizer: Optimizer, s: Settings): void {
  for (const group of optimizer.paramGroups) Object.assign(group, optimizerOptions(s));
}
