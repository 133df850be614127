import { prelu } from '../ops/activations.js';
import { checkChoice, checkFiniteNumber, checkInteger } from '../tensor/check.js';
import { Tensor } from '../tensor/tensor.js';
import { configFields, FLOAT_DTYPES, type FloatDType } from './config-fields.js';
import { storage } from './init.js';
import { Module, type ModuleConfig } from './module.js';
import { Parameter } from './parameter.js';

/** Options of `PReLU`, as PyTorch's. */
export interface PReLUOptions {
  /** The initial slope of every channel (default 0.25). */
  init?: number;
  /** float32 (default) or float64. */
  dtype?: FloatDType;
}

/**
 * x for x > 0, else a·x with a learnable slope a: one shared by all channels (the default) or one
 * per channel (`numParameters` = the input's dimension 1), as PyTorch's `nn.PReLU`. The slopes
 * are the parameter `weight`, of shape [numParameters], each starting at `init` (0.25).
 *
 * @example
 * const act = new PReLU(2);
 * act.call(tensor([[-4, 4], [-8, 8]])); // => [[-1, 4], [-2, 8]]
 * act.toString(); // => 'PReLU(numParameters=2)'
 */
export class PReLU extends Module {
  readonly weight: Parameter;
  /** How many slopes (PyTorch's `num_parameters`; `numParameters()` counts all parameters, as for every module). */
  readonly slopes: number;
  readonly init: number;

  constructor(numParameters = 1, options: PReLUOptions = {}) {
    super();
    const ctx = { where: 'PReLU' };
    this.slopes = checkInteger(ctx, 'numParameters', numParameters, 1);
    this.init = checkFiniteNumber(ctx, 'init', options.init ?? 0.25);
    const dtype = checkChoice(ctx, 'dtype', options.dtype ?? 'float32', FLOAT_DTYPES);
    this.weight = new Parameter(new Tensor(storage([numParameters], dtype), [numParameters]));
    this.resetParameters();
  }

  /** Sets every slope back to `init`. */
  override resetParameters(): void {
    this.weight.data.fill(this.init);
  }

  forward(x: Tensor): Tensor {
    return prelu(x, this.weight);
  }

  override toConfig(): ModuleConfig {
    const config: ModuleConfig = {
      type: 'PReLU',
      numParameters: this.slopes,
      init: this.init,
    };
    if (this.weight.dtype === 'float64') config.dtype = 'float64';
    return config;
  }

  /** The layer from its `toConfig()` (slopes set to `init`). */
  static fromConfig(config: ModuleConfig): PReLU {
    const f = configFields(config);
    return new PReLU(f.integer('numParameters', 1, 1), {
      init: f.number('init', 0.25),
      dtype: f.dtype(),
    });
  }

  /** How many slopes the layer holds, from its config. */
  static parameterCount(config: ModuleConfig): number {
    return configFields(config).integer('numParameters', 1, 1);
  }

  override toString(): string {
    return `PReLU(numParameters=${this.slopes})`;
  }
}
