import type { Parameter } from '../nn/parameter.js';
import { createOptimizer, type Optimizer, type OptimizerName } from '../optim/index.js';

export { OPTIMIZER_NAMES, type OptimizerName } from '../optim/index.js';

/** The learning rate each optimizer starts from when `--lr` is not given (the CLI's choice). */
export const DEFAULT_LR: Record<OptimizerName, number> = {
  sgd: 0.1,
  momentum: 0.05,
  nesterov: 0.05,
  adagrad: 0.01,
  rmsprop: 0.001,
  adam: 0.001,
  adamw: 0.001,
};

/** `--lr`'s help: the defaults of {@link DEFAULT_LR}, largest first. */
export function defaultLrHelp(): string {
  const byRate = new Map<number, string[]>();
  for (const [name, lr] of Object.entries(DEFAULT_LR))
    byRate.set(lr, [...(byRate.get(lr) ?? []), name]);
  const rates = [...byRate].sort(([a], [b]) => b - a);
  return rates.map(([lr, names]) => `${lr} ${names.join(', ')}`).join('; ');
}

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
  const { lr, momentum, weightDecay } = flags;
  return (params) => createOptimizer(name, params, { lr, momentum, weightDecay });
}
