import { checkObject, fail } from '../tensor/check.js';
import { formatShape, type Shape } from '../tensor/shape.js';
import { engine } from '../tensor/state.js';
import type { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { configFields } from './config-fields.js';
import { Module, type ModuleConfig } from './module.js';

/**
 * A dropout mask of `shape` (`size` elements): each element 1/(1 − p) with probability 1 − p,
 * else 0, drawn uniformly from `generator` (default: the one `manualSeed` seeds).
 */
function dropoutMask(
  size: number,
  p: number,
  generator: Generator | undefined,
  shape: Shape,
): Tensor {
  const keep = 1 - p;
  const mask = new Float32Array(size);
  if (keep > 0) {
    (generator ?? engine.generator).fillUniform(mask, 0, 1);
    const scale = 1 / keep;
    for (let i = 0; i < mask.length; i++) mask[i] = mask[i] < keep ? scale : 0;
  }
  return new Tensor(mask, shape);
}

/** A dropout probability and options, checked. */
function dropoutArgs(where: string, p: unknown, options: unknown): [number, Generator | undefined] {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    fail({ where }, 'p', 'a probability in [0, 1]', p);
  }
  const o = checkObject({ where }, 'options', options);
  return [p, o.generator as Generator | undefined];
}

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
    [this.p, this.generator] = dropoutArgs('Dropout', p, options);
  }

  /** The layer from its `toConfig()`. */
  static fromConfig(config: ModuleConfig): Dropout {
    return new Dropout(configFields(config).probability('p', 0.5));
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    return x.mul(dropoutMask(x.size, this.p, this.generator, x.shape).to(x.dtype));
  }

  override toConfig(): ModuleConfig {
    return { type: 'Dropout', p: this.p };
  }

  override toString(): string {
    return `Dropout(p=${this.p})`;
  }
}

/**
 * Channel dropout, as PyTorch's `nn.Dropout2d`: in training mode each whole channel of
 * [N, C, H, W] input (each [H, W] map) is zeroed with probability p and the others are scaled by
 * 1/(1 − p); in evaluation mode the input passes through. A 3-D input is read as [N, C, L], as
 * PyTorch reads it. Masks come from `generator` (default: the one `manualSeed` seeds), one number
 * per channel, in the order of Dropout's.
 *
 * @example
 * const drop = new Dropout2d(0.5);
 * const y = drop.call(ones([2, 4, 3, 3])); // each [3, 3] map all 0 or all 2
 */
export class Dropout2d extends Module {
  readonly p: number;
  private readonly generator: Generator | undefined;

  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super();
    [this.p, this.generator] = dropoutArgs('Dropout2d', p, options);
  }

  /** The layer from its `toConfig()`. */
  static fromConfig(config: ModuleConfig): Dropout2d {
    return new Dropout2d(configFields(config).probability('p', 0.5));
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new TypeError('Dropout2d: expected a Tensor input');
    if (x.ndim !== 3 && x.ndim !== 4)
      throw new RangeError(
        `Dropout2d: expected a 4-d input [N, C, H, W] (or 3-d [N, C, L]), got shape ${formatShape(x.shape)}`,
      );
    if (!this.training || this.p === 0) return x;
    const [n, c] = x.shape;
    const shape = [n, c, ...x.shape.slice(2).map(() => 1)];
    return x.mul(dropoutMask(n * c, this.p, this.generator, shape).to(x.dtype));
  }

  override toConfig(): ModuleConfig {
    return { type: 'Dropout2d', p: this.p };
  }

  override toString(): string {
    return `Dropout2d(p=${this.p})`;
  }
}
