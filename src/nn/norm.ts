import { batchNorm } from '../ops/norm.js';
import {
  checkBoolean,
  checkChoice,
  checkInteger,
  checkNonNegative,
  fail,
  resolveOptions,
} from '../tensor/check.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { configFields, FLOAT_DTYPES, type FloatDType } from './config-fields.js';
import { storage } from './init.js';
import { Module, type ModuleConfig } from './module.js';
import { Parameter } from './parameter.js';

/** Options of `BatchNorm1d` and `BatchNorm2d`, as PyTorch's. */
export interface BatchNormLayerOptions {
  /** Added to the variance before its square root (default 1e-5). */
  eps?: number;
  /**
   * Weight of each new batch in the running statistics (default 0.1); null for their cumulative
   * average (each batch weighted 1/numBatchesTracked).
   */
  momentum?: number | null;
  /** Whether to learn a scale γ (`weight`, starting at 1) and shift β (`bias`, at 0); default true. */
  affine?: boolean;
  /**
   * Whether to keep running statistics for evaluation (default true); without them the batch's
   * statistics are used in evaluation too.
   */
  trackRunningStats?: boolean;
  /** float32 (default) or float64. */
  dtype?: FloatDType;
}

const DEFAULTS = {
  eps: 1e-5 as unknown,
  momentum: 0.1 as unknown,
  affine: true as unknown,
  trackRunningStats: true as unknown,
  dtype: 'float32' as unknown,
};

/** A float parameter or buffer of `shape` filled with `value`. */
export function filled(shape: number[], dtype: FloatDType, value: number): Tensor {
  const data = storage(shape, dtype);
  data.fill(value);
  return new Tensor(data, shape);
}

/** A momentum: a number in [0, 1], or null. */
function checkMomentum(where: string, value: unknown): number | null {
  if (value !== null && (typeof value !== 'number' || !(value >= 0 && value <= 1)))
    fail({ where }, 'momentum', 'a number in [0, 1] or null', value);
  return value as number | null;
}

/**
 * The batch normalization layers (PyTorch's `_BatchNorm`): in training mode each channel is
 * normalized by the batch's mean and biased variance, and the running statistics move towards the
 * batch's (mean, and unbiased variance) by `momentum`; in evaluation mode the running statistics
 * are used. Parameters `weight` and `bias` [C] (when `affine`); buffers `running_mean`,
 * `running_var` [C] and `num_batches_tracked` (a count, int32 here, int64 in PyTorch; both load
 * into either) when `trackRunningStats`.
 */
abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  protected constructor(where: string, numFeatures: unknown, options: unknown) {
    super();
    const o = resolveOptions(where, options, DEFAULTS);
    const ctx = { where };
    this.numFeatures = checkInteger(ctx, 'numFeatures', numFeatures, 1);
    this.eps = checkNonNegative(ctx, 'eps', o.eps);
    this.momentum = checkMomentum(where, o.momentum);
    this.affine = checkBoolean(ctx, 'affine', o.affine);
    this.trackRunningStats = checkBoolean(ctx, 'trackRunningStats', o.trackRunningStats);
    const dtype = checkChoice(ctx, 'dtype', o.dtype, FLOAT_DTYPES);
    const c = this.numFeatures;
    this.weight = this.affine ? new Parameter(filled([c], dtype, 1)) : null;
    this.bias = this.affine ? new Parameter(filled([c], dtype, 0)) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? filled([c], dtype, 0) : null);
    this.registerBuffer('running_var', track ? filled([c], dtype, 1) : null);
    this.registerBuffer('num_batches_tracked', track ? new Tensor(new Int32Array(1), []) : null);
  }

  /** The running mean of each channel (buffer `running_mean`), or null without running stats. */
  get runningMean(): Tensor | null {
    return this.getBuffer('running_mean');
  }

  /** The running variance of each channel (buffer `running_var`), or null. */
  get runningVar(): Tensor | null {
    return this.getBuffer('running_var');
  }

  /** How many training batches updated the running statistics (buffer `num_batches_tracked`). */
  get numBatchesTracked(): Tensor | null {
    return this.getBuffer('num_batches_tracked');
  }

  /** Puts the running statistics back to their start: mean 0, variance 1, count 0. */
  resetRunningStats(): void {
    this.runningMean?.data.fill(0);
    this.runningVar?.data.fill(1);
    this.numBatchesTracked?.data.fill(0);
  }

  /** Resets the running statistics, and the weight to 1 and bias to 0 (as PyTorch). */
  override resetParameters(): void {
    this.resetRunningStats();
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  /** Refuses an input of the wrong number of dimensions. */
  protected abstract checkInput(x: Tensor): void;

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new TypeError(`${this.toString()}: expected a Tensor input`);
    this.checkInput(x);
    let factor = this.momentum ?? 0;
    const count = this.numBatchesTracked;
    if (this.training && count !== null) {
      count.data[0] += 1;
      if (this.momentum === null) factor = 1 / count.data[0];
    }
    const stats = !this.training || this.trackRunningStats;
    return batchNorm(x, stats ? this.runningMean : null, stats ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: this.training || this.runningMean === null,
      momentum: factor,
      eps: this.eps,
    });
  }

  /** The fields of `toConfig()` after the type. */
  protected configBody(): Omit<ModuleConfig, 'type'> {
    const dtype = (this.weight ?? this.runningMean)?.dtype ?? 'float32';
    return {
      numFeatures: this.numFeatures,
      eps: this.eps,
      momentum: this.momentum,
      affine: this.affine,
      trackRunningStats: this.trackRunningStats,
      ...(dtype === 'float32' ? {} : { dtype }),
    };
  }

  override toString(): string {
    const more = [
      this.eps === 1e-5 ? '' : `, eps ${this.eps}`,
      this.momentum === 0.1 ? '' : `, momentum ${this.momentum}`,
      this.affine ? '' : ', no affine',
      this.trackRunningStats ? '' : ', no running stats',
    ].join('');
    return `${this.constructor.name}(${this.numFeatures}${more})`;
  }
}

/** The options in a batch norm layer's config. */
function optionsFromConfig(config: ModuleConfig): [number, BatchNormLayerOptions] {
  const f = configFields(config);
  const m = f.value('momentum', 0.1);
  return [
    f.integer('numFeatures', 1),
    {
      eps: f.number('eps', 1e-5),
      momentum: m === null ? null : f.probability('momentum'),
      affine: f.boolean('affine', true),
      trackRunningStats: f.boolean('trackRunningStats', true),
      dtype: f.dtype(),
    },
  ];
}

/** How many numbers a batch norm config's parameters and buffers hold, unbuilt. */
function countOf(config: ModuleConfig): number {
  const [c, o] = optionsFromConfig(config);
  return (o.affine ? 2 * c : 0) + (o.trackRunningStats ? 2 * c + 1 : 0);
}

/**
 * Batch normalization over [N, C] or [N, C, L] input, as PyTorch's `nn.BatchNorm1d`: statistics
 * per feature (channel) over the batch (and length).
 *
 * @example
 * const bn = new BatchNorm1d(3);
 * bn.call(randn([16, 3])).shape; // => [16, 3]
 * Object.keys(bn.stateDict()); // => ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
 */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super('BatchNorm1d', numFeatures, options);
  }

  /** The layer from its `toConfig()` (running statistics at their start). */
  static fromConfig(config: ModuleConfig): BatchNorm1d {
    return new BatchNorm1d(...optionsFromConfig(config));
  }

  /** How many numbers (parameters and buffers) the layer `config` describes holds, unbuilt. */
  static parameterCount(config: ModuleConfig): number {
    return countOf(config);
  }

  protected checkInput(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3)
      throw new RangeError(
        `${this.toString()}: expected a 2-d or 3-d input [N, C] or [N, C, L], got shape ${formatShape(x.shape)}`,
      );
  }

  override toConfig(): ModuleConfig {
    return { type: 'BatchNorm1d', ...this.configBody() };
  }
}

/**
 * Batch normalization over [N, C, H, W] input, as PyTorch's `nn.BatchNorm2d`: statistics per
 * channel over the batch and the positions.
 *
 * @example
 * const bn = new BatchNorm2d(8);
 * bn.call(randn([4, 8, 5, 5])).shape; // => [4, 8, 5, 5]
 * bn.runningMean?.shape; // => [8]
 */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super('BatchNorm2d', numFeatures, options);
  }

  /** The layer from its `toConfig()` (running statistics at their start). */
  static fromConfig(config: ModuleConfig): BatchNorm2d {
    return new BatchNorm2d(...optionsFromConfig(config));
  }

  /** How many numbers (parameters and buffers) the layer `config` describes holds, unbuilt. */
  static parameterCount(config: ModuleConfig): number {
    return countOf(config);
  }

  protected checkInput(x: Tensor): void {
    if (x.ndim !== 4)
      throw new RangeError(
        `${this.toString()}: expected a 4-d input [N, C, H, W], got shape ${formatShape(x.shape)}`,
      );
  }

  override toConfig(): ModuleConfig {
    return { type: 'BatchNorm2d', ...this.configBody() };
  }
}
