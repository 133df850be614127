import { Adagrad, Adam, RMSprop, SGD, type Optimizer, type Parameter } from 'nabla';
import type { OptimizerChoice, Settings } from './settings.js';

/** The optimizer the settings name, with PyTorch's update rules (nabla's own classes). */
export function makeOptimizer(s: Settings, params: Parameter[]): Optimizer {
  const lr = s.lr;
  switch (s.optimizer) {
    case 'sgd':
      return new SGD(params, { lr });
    case 'momentum':
      return new SGD(params, { lr, momentum: s.momentum });
    case 'nesterov':
      return new SGD(params, { lr, momentum: s.momentum, nesterov: true });
    case 'adagrad':
      return new Adagrad(params, { lr });
    case 'rmsprop':
      return new RMSprop(params, { lr });
    case 'adam':
      return new Adam(params, { lr });
  }
}

/** Sets the hyperparameters the page can change while an optimizer keeps its state. */
export function retune(optimizer: Optimizer, s: Settings): void {
  for (const group of optimizer.paramGroups) {
    (group as { lr: number }).lr = s.lr;
    if (s.optimizer === 'momentum' || s.optimizer === 'nesterov')
      (group as { momentum?: number }).momentum = s.momentum;
  }
}

/** Whether a change of settings needs a new optimizer (its kind changed). */
export function sameOptimizer(a: OptimizerChoice, b: OptimizerChoice): boolean {
  return a === b;
}
