import { linear, product } from '../ops/matmul.js';
import { formatShape } from '../tensor/shape.js';
import type { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import * as init from './init.js';
import { Module, type ModuleConfig } from './module.js';
import { Parameter } from './parameter.js';

/**
 * How a layer's weights start: PyTorch's default for Linear (`default`: Kaiming uniform with
 * a = √5, i.e. U(−1/√in, 1/√in), and the bias likewise), Xavier/Glorot or Kaiming/He (bias
 * zeros), all zeros, or the lectures' "small random numbers" U(−a, a) as `{ uniform: a }` (or
 * N(0, σ²) as `{ normal: σ }`).
 */
export type InitScheme =
  | 'default'
  | 'xavierUniform'
  | 'xavierNormal'
  | 'kaimingUniform'
  | 'kaimingNormal'
  | 'zeros'
  | { uniform: number }
  | { normal: number };

/** Options of `Linear`. */
export interface LinearOptions {
  /** Whether to add a learnable bias (default true). */
  bias?: boolean;
  /** The initialization (default: PyTorch's). */
  init?: InitScheme;
  /** Where the initial weights are drawn from (default: the one `manualSeed` seeds). */
  generator?: Generator;
  /** float32 (default) or float64. */
  dtype?: 'float32' | 'float64';
}

function checkFeatures(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Linear: ${what} must be a positive integer, got ${value}`);
  }
}

/**
 * A fully connected layer y = x·Wᵀ + b, with W of shape [out, in] as in PyTorch. The input's last
 * dimension holds the features; leading dimensions are batch dimensions.
 *
 * @example
 * const layer = new Linear(784, 128);
 * layer.call(zeros([32, 784])).shape; // [32, 128]
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly init: InitScheme;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    checkFeatures(inFeatures, 'inFeatures');
    checkFeatures(outFeatures, 'outFeatures');
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.init = options.init ?? 'default';
    const dtype = options.dtype ?? 'float32';
    this.weight = new Parameter(
      new Tensor(init.storage([outFeatures, inFeatures], dtype), [outFeatures, inFeatures]),
    );
    this.bias =
      options.bias === false
        ? null
        : new Parameter(new Tensor(init.storage([outFeatures], dtype), [outFeatures]));
    this.resetParameters(options.generator);
  }

  /** Draws the weights (and bias) again from the layer's initialization scheme. */
  override resetParameters(generator?: Generator): void {
    const scheme = this.init;
    const w = this.weight;
    const bound = 1 / Math.sqrt(this.inFeatures);
    let biasBound = 0;
    if (scheme === 'default') {
      init.kaimingUniform(w, { a: Math.sqrt(5), generator });
      biasBound = bound;
    } else if (scheme === 'xavierUniform') init.xavierUniform(w, { generator });
    else if (scheme === 'xavierNormal') init.xavierNormal(w, { generator });
    else if (scheme === 'kaimingUniform')
      init.kaimingUniform(w, { nonlinearity: 'relu', generator });
    else if (scheme === 'kaimingNormal') init.kaimingNormal(w, { nonlinearity: 'relu', generator });
    else if (scheme === 'zeros') init.zeros(w);
    else if (typeof scheme === 'object' && 'uniform' in scheme)
      init.uniform(w, -scheme.uniform, scheme.uniform, generator);
    else if (typeof scheme === 'object' && 'normal' in scheme)
      init.normal(w, 0, scheme.normal, generator);
    else throw new TypeError(`Linear: unknown init ${JSON.stringify(scheme)}`);
    if (this.bias !== null) {
      if (biasBound > 0) init.uniform(this.bias, -biasBound, biasBound, generator);
      else init.zeros(this.bias);
    }
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
    };
  }

  override toString(): string {
    return `Linear(${this.inFeatures}→${this.outFeatures}${this.bias === null ? ', no bias' : ''})`;
  }
}
