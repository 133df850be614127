import type { Parameter } from '../nn/parameter.js';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '../optim/index.js';

export const OPTIMIZERS = [
  'sgd',
  'momentum',
  'nesterov',
  'adagrad',
  'rmsprop',
  'adam',
  'adamw',
] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** The learning rate each optimizer starts from when `--lr` is not given. */
export const DEFAULT_LR: Record<OptimizerName, number> = {
  sgd: 0.1,
  momentum: 0.05,
  nesterov: 0.05,
  adagrad: 0.01,
  rmsprop: 0.001,
  adam: 0.001,
  adamw: 0.001,
};

export interface OptimizerFlags {
  lr: number;
  momentum?: number;
  weightDecay: number;
}

/** A factory for the optimizer `--optimizer` names, with the flags' hyperparameters. */
export function optimizerFactory(
  name: OptimizerName,
  flags: OptimizerFlags,
): (params: Parameter[]) => Optimizer {
  const { lr, weightDecay } = flags;
  switch (name) {
    case 'sgd':
      return (p) => new SGD(p, { lr, momentum: flags.momentum ?? 0, weightDecay });
    case 'momentum':
      return (p) => new SGD(p, { lr, momentum: flags.momentum ?? 0.9, weightDecay });
    case 'nesterov':
      return (p) =>
        new SGD(p, { lr, momentum: flags.momentum ?? 0.9, nesterov: true, weightDecay });
    case 'adagrad':
      return (p) => new Adagrad(p, { lr, weightDecay });
    case 'rmsprop':
      return (p) => new RMSprop(p, { lr, momentum: flags.momentum ?? 0, weightDecay });
    case 'adam':
      return (p) => new Adam(p, { lr, weightDecay });
    case 'adamw':
      return (p) => new AdamW(p, { lr, weightDecay });
  }
}
