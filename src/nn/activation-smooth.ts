import { celu, elu, logsigmoid, mish, selu, silu, softsign } from '../ops/activations.js';
import { softplus } from '../ops/composite.js';
import { checkFiniteNumber } from '../tensor/check.js';
import type { Tensor } from '../tensor/tensor.js';
import { configFields } from './config-fields.js';
import { Module, type ModuleConfig } from './module.js';

/**
 * The smooth activation modules of PyTorch, each a thin module over its function in
 * `ops/activations.ts` (which states its derivative at the kink), saved in a model file under its
 * PyTorch class name with PyTorch's arguments.
 */

/**
 * x for x > 0, else α·(e^x − 1) (default α = 1), as PyTorch's `nn.ELU`.
 *
 * @example
 * new ELU(0.5).toString(); // => 'ELU(alpha=0.5)'
 */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    checkFiniteNumber({ where: 'ELU' }, 'alpha', alpha);
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
  override toConfig(): ModuleConfig {
    return { type: 'ELU', alpha: this.alpha };
  }
  static fromConfig(config: ModuleConfig): ELU {
    return new ELU(configFields(config).number('alpha', 1));
  }
  override toString(): string {
    return `ELU(alpha=${this.alpha})`;
  }
}

/** x for x > 0, else α·(e^(x/α) − 1) (default α = 1, not 0), as PyTorch's `nn.CELU`. */
export class CELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    checkFiniteNumber({ where: 'CELU' }, 'alpha', alpha);
    if (alpha === 0) throw new RangeError('CELU: alpha must not be 0');
  }
  forward(x: Tensor): Tensor {
    return celu(x, this.alpha);
  }
  override toConfig(): ModuleConfig {
    return { type: 'CELU', alpha: this.alpha };
  }
  static fromConfig(config: ModuleConfig): CELU {
    return new CELU(configFields(config).number('alpha', 1));
  }
  override toString(): string {
    return `CELU(alpha=${this.alpha})`;
  }
}

/** λ·x for x > 0, else λ·α·(e^x − 1), PyTorch's constants: `nn.SELU`. */
export class SELU extends Module {
  forward(x: Tensor): Tensor {
    return selu(x);
  }
  override toConfig(): ModuleConfig {
    return { type: 'SELU' };
  }
  static fromConfig(): SELU {
    return new SELU();
  }
}

/** x·σ(x) (swish), as PyTorch's `nn.SiLU`. */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return silu(x);
  }
  override toConfig(): ModuleConfig {
    return { type: 'SiLU' };
  }
  static fromConfig(): SiLU {
    return new SiLU();
  }
}

/** x·tanh(softplus(x)), as PyTorch's `nn.Mish`. */
export class Mish extends Module {
  forward(x: Tensor): Tensor {
    return mish(x);
  }
  override toConfig(): ModuleConfig {
    return { type: 'Mish' };
  }
  static fromConfig(): Mish {
    return new Mish();
  }
}

/**
 * (1/β)·log(1 + e^(βx)), linear where βx > threshold (defaults 1 and 20), as PyTorch's
 * `nn.Softplus`.
 *
 * @example
 * new Softplus(2, 10).toString(); // => 'Softplus(beta=2, threshold=10)'
 */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
    checkFiniteNumber({ where: 'Softplus' }, 'beta', beta);
    if (!(beta > 0)) throw new RangeError(`Softplus: beta must be positive, got ${beta}`);
    if (typeof threshold !== 'number' || Number.isNaN(threshold))
      throw new TypeError(`Softplus: threshold must be a number, got ${String(threshold)}`);
  }
  forward(x: Tensor): Tensor {
    return softplus(x, { beta: this.beta, threshold: this.threshold });
  }
  override toConfig(): ModuleConfig {
    return { type: 'Softplus', beta: this.beta, threshold: this.threshold };
  }
  static fromConfig(config: ModuleConfig): Softplus {
    const f = configFields(config);
    return new Softplus(f.number('beta', 1), f.number('threshold', 20));
  }
  override toString(): string {
    return `Softplus(beta=${this.beta}, threshold=${this.threshold})`;
  }
}

/** x/(1 + |x|), as PyTorch's `nn.Softsign`. */
export class Softsign extends Module {
  forward(x: Tensor): Tensor {
    return softsign(x);
  }
  override toConfig(): ModuleConfig {
    return { type: 'Softsign' };
  }
  static fromConfig(): Softsign {
    return new Softsign();
  }
}

/** log σ(x), computed without overflow, as PyTorch's `nn.LogSigmoid`. */
export class LogSigmoid extends Module {
  forward(x: Tensor): Tensor {
    return logsigmoid(x);
  }
  override toConfig(): ModuleConfig {
    return { type: 'LogSigmoid' };
  }
  static fromConfig(): LogSigmoid {
    return new LogSigmoid();
  }
}
