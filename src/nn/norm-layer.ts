import { groupNorm, layerNorm } from '../ops/norm.js';
import {
  checkBoolean,
  checkChoice,
  checkInteger,
  checkNonNegative,
  fail,
  resolveOptions,
  type CheckContext,
} from '../tensor/check.js';
import type { Tensor } from '../tensor/tensor.js';
import { configFields, FLOAT_DTYPES, type FloatDType } from './config-fields.js';
import { Module, type ModuleConfig } from './module.js';
import { filled } from './norm.js';
import { Parameter } from './parameter.js';

/** Options of `LayerNorm`, as PyTorch's. */
export interface LayerNormLayerOptions {
  /** Added to the variance before its square root (default 1e-5). */
  eps?: number;
  /** Whether to learn a per-element scale (`weight`, starting at 1) and shift (default true). */
  elementwiseAffine?: boolean;
  /** Whether the affine part has a shift (`bias`, starting at 0); default true. */
  bias?: boolean;
  /** float32 (default) or float64. */
  dtype?: FloatDType;
}

/** Options of `GroupNorm`, as PyTorch's. */
export interface GroupNormLayerOptions {
  /** Added to the variance before its square root (default 1e-5). */
  eps?: number;
  /** Whether to learn a per-channel scale (`weight`, at 1) and shift (`bias`, at 0); default true. */
  affine?: boolean;
  /** float32 (default) or float64. */
  dtype?: FloatDType;
}

/** A normalized shape: a positive integer or a non-empty list of them. */
function shapeArg(ctx: CheckContext, key: string, value: unknown): number[] {
  const list = typeof value === 'number' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((d) => Number.isInteger(d) && d >= 1)
  )
    fail(ctx, key, 'a positive integer or a non-empty list of them', value, TypeError);
  return (list as number[]).slice();
}

/**
 * Layer normalization, as PyTorch's `nn.LayerNorm`: each sample is normalized over its last
 * dimensions (those of `normalizedShape`) by its own mean and variance, then scaled and shifted by
 * `weight` and `bias` of shape normalizedShape. The same in training and evaluation.
 *
 * @example
 * const ln = new LayerNorm(16);
 * ln.call(randn([4, 10, 16])).shape; // => [4, 10, 16]
 * ln.weight?.shape; // => [16]
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormLayerOptions = {}) {
    super();
    const where = 'LayerNorm';
    const ctx = { where };
    const o = resolveOptions(where, options, {
      eps: 1e-5 as unknown,
      elementwiseAffine: true as unknown,
      bias: true as unknown,
      dtype: 'float32' as unknown,
    });
    this.normalizedShape = shapeArg(ctx, 'normalizedShape', normalizedShape);
    this.eps = checkNonNegative(ctx, 'eps', o.eps);
    this.elementwiseAffine = checkBoolean(ctx, 'elementwiseAffine', o.elementwiseAffine);
    const bias = checkBoolean(ctx, 'bias', o.bias);
    const dtype = checkChoice(ctx, 'dtype', o.dtype, FLOAT_DTYPES);
    const shape = this.normalizedShape;
    const affine = this.elementwiseAffine;
    this.weight = affine ? new Parameter(filled(shape.slice(), dtype, 1)) : null;
    this.bias = affine && bias ? new Parameter(filled(shape.slice(), dtype, 0)) : null;
  }

  /** The layer from its `toConfig()`. */
  static fromConfig(config: ModuleConfig): LayerNorm {
    const f = configFields(config);
    return new LayerNorm(f.checked('normalizedShape', shapeArg), {
      eps: f.number('eps', 1e-5),
      elementwiseAffine: f.boolean('elementwiseAffine', true),
      bias: f.boolean('bias', true),
      dtype: f.dtype(),
    });
  }

  /** How many numbers the layer `config` describes holds (weight and bias), unbuilt. */
  static parameterCount(config: ModuleConfig): number {
    const f = configFields(config);
    const size = f.checked('normalizedShape', shapeArg).reduce((a, b) => a * b, 1);
    if (!f.boolean('elementwiseAffine', true)) return 0;
    return f.boolean('bias', true) ? 2 * size : size;
  }

  /** Sets the weight to 1 and the bias to 0 (as PyTorch). */
  override resetParameters(): void {
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, {
      weight: this.weight,
      bias: this.bias,
      eps: this.eps,
    });
  }

  override toConfig(): ModuleConfig {
    const dtype = this.weight?.dtype ?? 'float32';
    return {
      type: 'LayerNorm',
      normalizedShape: this.normalizedShape.slice(),
      eps: this.eps,
      elementwiseAffine: this.elementwiseAffine,
      bias: this.bias !== null || !this.elementwiseAffine,
      ...(dtype === 'float32' ? {} : { dtype }),
    };
  }

  override toString(): string {
    const more = [
      this.eps === 1e-5 ? '' : `, eps ${this.eps}`,
      this.elementwiseAffine ? (this.bias === null ? ', no bias' : '') : ', no affine',
    ].join('');
    return `LayerNorm(${this.normalizedShape.join('×')}${more})`;
  }
}

/**
 * Group normalization, as PyTorch's `nn.GroupNorm`: the channels of [N, C, ...] input are split
 * into `numGroups` groups, each normalized per sample by its own mean and variance, then scaled
 * and shifted per channel by `weight` and `bias` [C]. The same in training and evaluation.
 *
 * @example
 * const gn = new GroupNorm(2, 8);
 * gn.call(randn([4, 8, 5, 5])).shape; // => [4, 8, 5, 5]
 */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, options: GroupNormLayerOptions = {}) {
    super();
    const where = 'GroupNorm';
    const ctx = { where };
    const o = resolveOptions(where, options, {
      eps: 1e-5 as unknown,
      affine: true as unknown,
      dtype: 'float32' as unknown,
    });
    this.numGroups = checkInteger(ctx, 'numGroups', numGroups, 1);
    this.numChannels = checkInteger(ctx, 'numChannels', numChannels, 1);
    if (this.numChannels % this.numGroups !== 0)
      fail(ctx, 'numChannels', `divisible by numGroups (${this.numGroups})`, numChannels);
    this.eps = checkNonNegative(ctx, 'eps', o.eps);
    this.affine = checkBoolean(ctx, 'affine', o.affine);
    const dtype = checkChoice(ctx, 'dtype', o.dtype, FLOAT_DTYPES);
    const c = this.numChannels;
    this.weight = this.affine ? new Parameter(filled([c], dtype, 1)) : null;
    this.bias = this.affine ? new Parameter(filled([c], dtype, 0)) : null;
  }

  /** The layer from its `toConfig()`. */
  static fromConfig(config: ModuleConfig): GroupNorm {
    const f = configFields(config);
    return new GroupNorm(f.integer('numGroups', 1), f.integer('numChannels', 1), {
      eps: f.number('eps', 1e-5),
      affine: f.boolean('affine', true),
      dtype: f.dtype(),
    });
  }

  /** How many numbers the layer `config` describes holds (weight and bias), unbuilt. */
  static parameterCount(config: ModuleConfig): number {
    const f = configFields(config);
    return f.boolean('affine', true) ? 2 * f.integer('numChannels', 1) : 0;
  }

  /** Sets the weight to 1 and the bias to 0 (as PyTorch). */
  override resetParameters(): void {
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override toConfig(): ModuleConfig {
    const dtype = this.weight?.dtype ?? 'float32';
    return {
      type: 'GroupNorm',
      numGroups: this.numGroups,
      numChannels: this.numChannels,
      eps: this.eps,
      affine: this.affine,
      ...(dtype === 'float32' ? {} : { dtype }),
    };
  }

  override toString(): string {
    const more = [this.eps === 1e-5 ? '' : `, eps ${this.eps}`, this.affine ? '' : ', no affine'];
    return `GroupNorm(${this.numGroups} groups, ${this.numChannels}${more.join('')})`;
  }
}
