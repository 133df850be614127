import { interpolate } from '../ops/interpolate.js';
import {
  checkBoolean,
  checkChoice,
  fail,
  resolveOptions,
  type CheckContext,
} from '../tensor/check.js';
import type { Tensor } from '../tensor/tensor.js';
import { configFields } from './config-fields.js';
import { Module, type ModuleConfig } from './module.js';

/** Options of `Upsample`, as PyTorch's: give `size` or `scaleFactor`. */
export interface UpsampleOptions {
  /** The output's spatial size: one for every spatial dimension, or one per dimension. */
  size?: number | readonly number[] | null;
  /** Multiplier of the spatial sizes (the output size is ⌊size·scaleFactor⌋). */
  scaleFactor?: number | readonly number[] | null;
  /** 'nearest' (default) or 'bilinear' (4-D input). */
  mode?: 'nearest' | 'bilinear';
  /** Bilinear only: align the corner pixels of input and output (default false). */
  alignCorners?: boolean | null;
}

const MODES = ['nearest', 'bilinear'] as const;

/** A size or factor: a number above 0 (an integer ≥ 1 for a size) or a list of them; or null. */
function sizeList(
  ctx: CheckContext,
  key: string,
  value: unknown,
  integer: boolean,
): number | number[] | null {
  if (value === null || value === undefined) return null;
  const ok = (v: unknown): boolean =>
    typeof v === 'number' && Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v));
  if (
    typeof value === 'number'
      ? ok(value)
      : Array.isArray(value) && value.length > 0 && value.every(ok)
  )
    return Array.isArray(value) ? (value.slice() as number[]) : (value as number);
  const what = integer ? 'a positive integer' : 'a positive number';
  return fail(ctx, key, `${what}, a list of them, or null`, value, TypeError);
}

/**
 * Resizes the spatial dimensions of [N, C, H, W] input (or [N, C, L] in nearest mode), as
 * PyTorch's `nn.Upsample`: the module form of `interpolate`.
 *
 * @example
 * new Upsample({ scaleFactor: 2 }).call(zeros([1, 3, 4, 4])).shape; // => [1, 3, 8, 8]
 * new Upsample({ size: [5, 7], mode: 'bilinear' }).call(zeros([1, 3, 4, 4])).shape; // => [1, 3, 5, 7]
 */
export class Upsample extends Module {
  readonly size: number | number[] | null;
  readonly scaleFactor: number | number[] | null;
  readonly mode: 'nearest' | 'bilinear';
  readonly alignCorners: boolean | null;

  constructor(options: UpsampleOptions) {
    super();
    const where = 'Upsample';
    const ctx = { where };
    const o = resolveOptions(where, options, {
      size: null as unknown,
      scaleFactor: null as unknown,
      mode: 'nearest' as unknown,
      alignCorners: null as unknown,
    });
    this.size = sizeList(ctx, 'size', o.size, true);
    this.scaleFactor = sizeList(ctx, 'scaleFactor', o.scaleFactor, false);
    if ((this.size === null) === (this.scaleFactor === null))
      throw new TypeError(`${where}: give exactly one of size and scaleFactor`);
    this.mode = checkChoice(ctx, 'mode', o.mode, MODES);
    const align =
      o.alignCorners === null ? null : checkBoolean(ctx, 'alignCorners', o.alignCorners);
    if (align !== null && this.mode === 'nearest')
      fail(ctx, 'alignCorners', 'left out in nearest mode (it applies to bilinear)', align);
    this.alignCorners = align;
  }

  /** The layer from its `toConfig()`. */
  static fromConfig(config: ModuleConfig): Upsample {
    const f = configFields(config);
    return new Upsample({
      size: f.value('size', null) as number | number[] | null,
      scaleFactor: f.value('scaleFactor', null) as number | number[] | null,
      mode: f.choice('mode', MODES, 'nearest'),
      alignCorners: f.value('alignCorners', null) === null ? null : f.boolean('alignCorners'),
    });
  }

  forward(x: Tensor): Tensor {
    const { size, scaleFactor, mode, alignCorners } = this;
    return interpolate(x, { size, scaleFactor, mode, alignCorners });
  }

  override toConfig(): ModuleConfig {
    const copy = (v: number | number[] | null) => (Array.isArray(v) ? v.slice() : v);
    return {
      type: 'Upsample',
      size: copy(this.size),
      scaleFactor: copy(this.scaleFactor),
      mode: this.mode,
      alignCorners: this.alignCorners,
    };
  }

  override toString(): string {
    const what =
      this.size !== null
        ? `size ${[this.size].flat().join('×')}`
        : `scaleFactor ${[this.scaleFactor].flat().join('×')}`;
    const align = this.alignCorners === true ? ', alignCorners' : '';
    return `Upsample(${what}, ${this.mode}${align})`;
  }
}
