import { linear, product } from '../ops/matmul.js';
import { checkChoice, checkInteger } from '../tensor/check.js';
import { formatShape } from '../tensor/shape.js';
import type { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { configFields, FLOAT_DTYPES, type FloatDType } from './config-fields.js';
import { checkInitScheme, initLayer, storage, type InitScheme } from './init.js';
import { Module, type ModuleConfig } from './module.js';
import { Parameter } from './parameter.js';

export type { InitScheme } from './init.js';

/** Options of `Linear`. */
export interface LinearOptions {
  /** Whether to add a learnable bias (default true). */
  bias?: boolean;
  /** The initialization (default: PyTorch's). */
  init?: InitScheme;
  /** Where the initial weights are drawn from (default: the one `manualSeed` seeds). */
  generator?: Generator;
  /** float32 (default) or float64. */
  dtype?: FloatDType;
}

/**
 * A fully connected layer y = x·Wᵀ + b, with W of shape [out, in] as in PyTorch. The input's last
 * dimension holds the features; leading dimensions are batch dimensions.
 *
 * @example
 * const layer = new Linear(784, 128);
 * layer.call(zeros([32, 784])).shape; // => [32, 128]
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly init: InitScheme;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    const ctx = { where: 'Linear' };
    this.inFeatures = checkInteger(ctx, 'inFeatures', inFeatures, 1);
    this.outFeatures = checkInteger(ctx, 'outFeatures', outFeatures, 1);
    this.init = checkInitScheme(ctx, 'init', options.init ?? 'default');
    const dtype = checkChoice(ctx, 'dtype', options.dtype ?? 'float32', FLOAT_DTYPES);
    const tensor = (shape: number[]): Parameter =>
      new Parameter(new Tensor(storage(shape, dtype), shape));
    this.weight = tensor([outFeatures, inFeatures]);
    this.bias = options.bias === false ? null : tensor([outFeatures]);
    this.resetParameters(options.generator);
  }

  /** The layer from its `toConfig()` (weights freshly drawn). */
  static fromConfig(config: ModuleConfig): Linear {
    const f = configFields(config);
    return new Linear(f.integer('inFeatures', 1), f.integer('outFeatures', 1), {
      bias: f.boolean('bias', true),
      init: f.checked('init', checkInitScheme, 'default'),
      dtype: f.dtype(),
    });
  }

  /** How many numbers the layer `config` describes holds (in·out, + out for the bias), unbuilt. */
  static parameterCount(config: ModuleConfig): number {
    const f = configFields(config);
    const [i, o] = [f.integer('inFeatures', 1), f.integer('outFeatures', 1)];
    return i * o + (f.boolean('bias', true) ? o : 0);
  }

  /** Draws the weights (and bias) again from the layer's initialization scheme. */
  override resetParameters(generator?: Generator): void {
    initLayer(this.init, this.weight, this.bias, generator);
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new TypeError(`${this.toString()}: expected a Tensor input`);
    const features = x.ndim === 0 ? 1 : x.shape[x.ndim - 1];
    if (x.ndim === 0 || features !== this.inFeatures) {
      throw new RangeError(
        `${this.toString()} got ${x.ndim === 0 ? 'a 0-d tensor' : `${features} features`} (input shape ${formatShape(x.shape)}); expected ${this.inFeatures} in the last dimension`,
      );
    }
    // The usual case, a batch of rows, in one fused primitive.
    if (x.ndim === 2 && this.bias !== null) return linear(x, this.weight, this.bias);
    // x·Wᵀ without copying the transpose: the product primitive reads W transposed.
    let y =
      x.ndim === 1
        ? product(x.unsqueeze(0), this.weight, false, true).squeeze(0)
        : product(x, this.weight, false, true);
    if (this.bias !== null) y = y.add(this.bias);
    return y;
  }

  override toConfig(): ModuleConfig {
    return {
      type: 'Linear',
      inFeatures: this.inFeatures,
      outFeatures: this.outFeatures,
      bias: this.bias !== null,
      init: this.init,
      // float32 is the default and left out, so that float32 models' files stay as they were.
      ...(this.weight.dtype === 'float32' ? {} : { dtype: this.weight.dtype }),
    };
  }

  override toString(): string {
    return `Linear(${this.inFeatures}→${this.outFeatures}${this.bias === null ? ', no bias' : ''})`;
  }
}
