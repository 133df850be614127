import type { Parameter } from '../nn/parameter.js';
import { checkChoice } from '../tensor/check.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import type { Optimizer, OptimizerParams } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/**
 * Hyperparameters for {@link createOptimizer}: the union of what the named optimizers take. Each
 * optimizer reads only its own (see {@link OPTIMIZERS_BY_NAME}); the others are ignored, so one
 * settings object can serve every name, as a user interface's does. Left out, each takes the
 * class's PyTorch default (for `momentum` and `nesterov`, momentum 0.9).
 */
export interface NamedOptimizerOptions {
  lr?: number;
  momentum?: number;
  weightDecay?: number;
  betas?: [number, number];
  alpha?: number;
  eps?: number;
}

type Key = keyof NamedOptimizerOptions;

interface NamedOptimizer {
  /** What the name stands for, for help texts. */
  readonly description: string;
  /** The hyperparameters it reads from {@link NamedOptimizerOptions}. */
  readonly takes: readonly Key[];
  readonly make: (params: OptimizerParams, options: NamedOptimizerOptions) => Optimizer;
}

/**
 * The optimizers by the names the command line and the playground use, one row each: what the
 * name stands for, the hyperparameters it reads, and how it is made.
 */
export const OPTIMIZERS_BY_NAME = {
  sgd: {
    description: 'plain stochastic gradient descent',
    takes: ['lr', 'momentum', 'weightDecay'],
    make: (p, o) => new SGD(p, o),
  },
  momentum: {
    description: 'SGD with momentum (0.9 unless given)',
    takes: ['lr', 'momentum', 'weightDecay'],
    make: (p, o) => new SGD(p, { momentum: 0.9, ...o }),
  },
  nesterov: {
    description: 'SGD with Nesterov momentum (0.9 unless given)',
    takes: ['lr', 'momentum', 'weightDecay'],
    make: (p, o) => new SGD(p, { momentum: 0.9, ...o, nesterov: true }),
  },
  adagrad: {
    description: 'Adagrad',
    takes: ['lr', 'weightDecay', 'eps'],
    make: (p, o) => new Adagrad(p, o),
  },
  rmsprop: {
    description: 'RMSProp',
    takes: ['lr', 'momentum', 'alpha', 'weightDecay', 'eps'],
    make: (p, o) => new RMSprop(p, o),
  },
  adam: {
    description: 'Adam',
    takes: ['lr', 'betas', 'weightDecay', 'eps'],
    make: (p, o) => new Adam(p, o),
  },
  adamw: {
    description: 'AdamW (decoupled weight decay)',
    takes: ['lr', 'betas', 'weightDecay', 'eps'],
    make: (p, o) => new AdamW(p, o),
  },
} as const satisfies Record<string, NamedOptimizer>;

/** A name {@link createOptimizer} knows. */
export type OptimizerName = keyof typeof OPTIMIZERS_BY_NAME;

/** Every name {@link createOptimizer} knows, in the order help texts list them. */
export const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS_BY_NAME) as readonly OptimizerName[];

/**
 * Makes an optimizer by name — `sgd`, `momentum`, `nesterov`, `adagrad`, `rmsprop`, `adam` or
 * `adamw` — for the given parameters. Hyperparameters the optimizer does not take are ignored;
 * those it takes are checked by its class, with its messages. An unknown name is an error that
 * lists the known ones.
 *
 * @example
 * const model = mlp([2, 8, 1]);
 * const optimizer = createOptimizer('momentum', model.parameters(), { lr: 0.1 });
 * // SGD with lr 0.1 and momentum 0.9
 */
export function createOptimizer(
  name: OptimizerName,
  params: OptimizerParams | Parameter[],
  options: NamedOptimizerOptions = {},
): Optimizer {
  const row: NamedOptimizer =
    OPTIMIZERS_BY_NAME[checkChoice({ where: 'createOptimizer' }, 'name', name, OPTIMIZER_NAMES)];
  const own: Record<string, unknown> = {};
  for (const key of row.takes) if (options[key] !== undefined) own[key] = options[key];
  return row.make(params, own);
}
