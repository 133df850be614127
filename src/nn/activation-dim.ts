import { glu, softmin } from '../ops/activations.js';
import { fail } from '../tensor/check.js';
import type { Tensor } from '../tensor/tensor.js';
import { configFields } from './config-fields.js';
import { Module, type ModuleConfig } from './module.js';

/** PyTorch's activation modules that work along one dimension, saved under PyTorch's names. */

/**
 * a·σ(b) of the two halves a, b of the input along `dim` (default −1), as PyTorch's `nn.GLU`.
 *
 * @example
 * new GLU().call(zeros([3, 8])).shape; // => [3, 4]
 */
export class GLU extends Module {
  constructor(readonly dim = -1) {
    super();
    if (!Number.isInteger(dim)) fail({ where: 'GLU' }, 'dim', 'an integer', dim, TypeError);
  }
  forward(x: Tensor): Tensor {
    return glu(x, this.dim);
  }
  override toConfig(): ModuleConfig {
    return { type: 'GLU', dim: this.dim };
  }
  static fromConfig(config: ModuleConfig): GLU {
    return new GLU(configFields(config).integer('dim', -Infinity, -1));
  }
  override toString(): string {
    return `GLU(dim=${this.dim})`;
  }
}

/** softmax(−x) along `dim` (default −1), as PyTorch's `nn.Softmin`. */
export class Softmin extends Module {
  constructor(readonly dim = -1) {
    super();
    if (!Number.isInteger(dim)) fail({ where: 'Softmin' }, 'dim', 'an integer', dim, TypeError);
  }
  forward(x: Tensor): Tensor {
    return softmin(x, this.dim);
  }
  override toConfig(): ModuleConfig {
    return { type: 'Softmin', dim: this.dim };
  }
  static fromConfig(config: ModuleConfig): Softmin {
    return new Softmin(configFields(config).integer('dim', -Infinity, -1));
  }
  override toString(): string {
    return `Softmin(dim=${this.dim})`;
  }
}
