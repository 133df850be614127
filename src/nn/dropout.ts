import { fail } from '../tensor/check.js';
import { engine } from '../tensor/state.js';
import type { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { configFields } from './config-fields.js';
import { Module, type ModuleConfig } from './module.js';

/**
 * Inverted dropout: in training mode each element is zeroed with probability p and the survivors
 * are scaled by 1/(1 − p), so that evaluation needs no rescaling; in evaluation mode it passes
 * the input through. Masks come from `generator` (default: the one `manualSeed` seeds).
 */
export class Dropout extends Module {
  readonly p: number;
  private readonly generator: Generator | undefined;

  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      fail({ where: 'Dropout' }, 'p', 'a probability in [0, 1]', p);
    }
    this.p = p;
    this.generator = options.generator;
  }

  /** The layer from its `toConfig()`. */
  static fromConfig(config: ModuleConfig): Dropout {
    return new Dropout(configFields(config).probability('p', 0.5));
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const keep = 1 - this.p;
    const mask = new Float32Array(x.size);
    if (keep > 0) {
      const gen = this.generator ?? engine.generator;
      gen.fillUniform(mask, 0, 1);
      const scale = 1 / keep;
      for (let i = 0; i < mask.length; i++) mask[i] = mask[i] < keep ? scale : 0;
    }
    return x.mul(new Tensor(mask, x.shape).to(x.dtype));
  }

  override toConfig(): ModuleConfig {
    return { type: 'Dropout', p: this.p };
  }

  override toString(): string {
    return `Dropout(p=${this.p})`;
  }
}
