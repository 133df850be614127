import { Adagrad, Adam, RMSprop, SGD, type Optimizer, type Parameter } from 'nabla';
import type { Settings } from './settings.js';

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
      return new RMSprop(params, { lr, alpha: s.alpha });
    case 'adam':
      return new Adam(params, { lr, betas: [s.beta1, s.beta2] });
  }
}

/** Sets the hyperparameters the page can change while an optimizer keeps its state. */
export function retune(optimizer: Optimizer, s: Settings): void {
  for (const group of optimizer.paramGroups) {
    (group as { lr: number }).lr = s.lr;
    if (s.optimizer === 'momentum' || s.optimizer === 'nesterov')
      (group as { momentum?: number }).momentum = s.momentum;
    if (s.optimizer === 'adam') (group as { betas?: [number, number] }).betas = [s.beta1, s.beta2];
    if (s.optimizer === 'rmsprop') (group as { alpha?: number }).alpha = s.alpha;
  }
}
