import type { Tensor } from '../tensor/tensor.js';
import { configFields } from './config-fields.js';
import { Module, type ModuleConfig } from './module.js';

/** Merges dimensions startDim…endDim (default 1…−1: everything but the batch). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  /** The layer from its `toConfig()`. */
  static fromConfig(config: ModuleConfig): Flatten {
    const f = configFields(config);
    return new Flatten(f.integer('startDim', -Infinity, 1), f.integer('endDim', -Infinity, -1));
  }

  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }

  override toConfig(): ModuleConfig {
    return { type: 'Flatten', startDim: this.startDim, endDim: this.endDim };
  }
}
