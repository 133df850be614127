import { gelu, leakyRelu } from '../ops/composite.js';
import type { Tensor } from '../tensor/tensor.js';
import { configFields } from './config-fields.js';
import { Module, type ModuleConfig } from './module.js';

/** max(x, 0). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return x.relu();
  }
  override toConfig(): ModuleConfig {
    return { type: 'ReLU' };
  }
  static fromConfig(): ReLU {
    return new ReLU();
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
  override toConfig(): ModuleConfig {
    return { type: 'Tanh' };
  }
  static fromConfig(): Tanh {
    return new Tanh();
  }
}

/** The logistic function 1/(1 + e^−x). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
  override toConfig(): ModuleConfig {
    return { type: 'Sigmoid' };
  }
  static fromConfig(): Sigmoid {
    return new Sigmoid();
  }
}

/**
 * The unit step θ(s) = 1 for s > 0, else 0: the perceptron's activation. Its derivative is 0
 * everywhere, so gradient descent cannot train the layers below it — the lectures' reason for
 * smooth activations.
 */
export class Step extends Module {
  forward(x: Tensor): Tensor {
    return x.step();
  }
  override toConfig(): ModuleConfig {
    return { type: 'Step' };
  }
  static fromConfig(): Step {
    return new Step();
  }
}

/** x for x > 0, else negativeSlope·x (default 0.01). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override toConfig(): ModuleConfig {
    return { type: 'LeakyReLU', negativeSlope: this.negativeSlope };
  }
  static fromConfig(config: ModuleConfig): LeakyReLU {
    return new LeakyReLU(configFields(config).number('negativeSlope', 0.01));
  }
  override toString(): string {
    return `LeakyReLU(${this.negativeSlope})`;
  }
}

/** x·Φ(x), exactly (erf) or with the tanh approximation. */
export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
  }
  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }
  override toConfig(): ModuleConfig {
    return { type: 'GELU', approximate: this.approximate };
  }
  static fromConfig(config: ModuleConfig): GELU {
    return new GELU(configFields(config).choice('approximate', ['none', 'tanh'] as const, 'none'));
  }
}

/** exp(x) / Σ exp(x) along `dim` (default −1). */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.softmax(this.dim);
  }
  override toConfig(): ModuleConfig {
    return { type: 'Softmax', dim: this.dim };
  }
  static fromConfig(config: ModuleConfig): Softmax {
    return new Softmax(configFields(config).integer('dim', -Infinity, -1));
  }
  override toString(): string {
    return `Softmax(dim=${this.dim})`;
  }
}

/** log softmax along `dim` (default −1). */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.logSoftmax(this.dim);
  }
  override toConfig(): ModuleConfig {
    return { type: 'LogSoftmax', dim: this.dim };
  }
  static fromConfig(config: ModuleConfig): LogSoftmax {
    return new LogSoftmax(configFields(config).integer('dim', -Infinity, -1));
  }
  override toString(): string {
    return `LogSoftmax(dim=${this.dim})`;
  }
}

/** What the activation table knows of one activation. */
export interface ActivationEntry {
  /** The module class; `new module()` gives the activation with its default options. */
  readonly module: new () => Module;
  /** One line for help text and tooltips. */
  readonly description: string;
}

/**
 * Every activation that has a name (`mlp`'s `activation` option, the CLI's `--activation`, the
 * playground): the one table `ActivationName`, `ACTIVATIONS` and `activation(name)` are read from.
 */
export const ACTIVATION_TABLE = {
  relu: { module: ReLU, description: 'max(x, 0)' },
  tanh: { module: Tanh, description: 'hyperbolic tangent, in (-1, 1)' },
  sigmoid: { module: Sigmoid, description: 'logistic 1/(1 + e^-x), in (0, 1)' },
  step: {
    module: Step,
    description: "unit step: 1 for x > 0, else 0 (the perceptron's; its gradient is 0)",
  },
  leakyRelu: { module: LeakyReLU, description: 'x for x > 0, else 0.01x' },
  gelu: { module: GELU, description: 'x times the standard normal CDF of x' },
  softmax: { module: Softmax, description: 'exp(x) / sum(exp(x)) over the last dimension' },
  logSoftmax: { module: LogSoftmax, description: 'log of softmax over the last dimension' },
} as const satisfies Record<string, ActivationEntry>;

/** The activations `mlp` accepts by name. */
export type ActivationName = keyof typeof ACTIVATION_TABLE;

/** The activation names, in the table's order. */
export const ACTIVATIONS: readonly ActivationName[] = Object.keys(
  ACTIVATION_TABLE,
) as ActivationName[];

/**
 * A fresh activation module for a name.
 *
 * @example
 * activation('tanh').toString(); // => 'Tanh()'
 * ACTIVATION_TABLE.relu.description; // => 'max(x, 0)'
 */
export function activation(name: ActivationName): Module {
  if (typeof name !== 'string' || !Object.hasOwn(ACTIVATION_TABLE, name)) {
    throw new TypeError(
      `unknown activation ${JSON.stringify(name)}; expected one of ${ACTIVATIONS.join(', ')}`,
    );
  }
  return new ACTIVATION_TABLE[name].module();
}
