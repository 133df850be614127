import { maxPool2d } from '../ops/pool.js';
import { adaptiveAvgPool2d, avgPool2d } from '../ops/pool-avg.js';
import { pair, type Pair } from '../ops/window-args.js';
import { checkBoolean, fail, resolveOptions, type CheckContext } from '../tensor/check.js';
import type { Tensor } from '../tensor/tensor.js';
import { configFields, type ConfigFields } from './config-fields.js';
import { describeOptions, sizes } from './conv.js';
import { Module, type ModuleConfig } from './module.js';

/*
 * The pooling layers, as PyTorch's nn.MaxPool2d, nn.AvgPool2d and nn.AdaptiveAvgPool2d: no
 * parameters; each calls its functional op (src/ops/pool.ts, pool-avg.ts).
 */

/** Options of `MaxPool2d`, as PyTorch's. */
export interface MaxPool2dLayerOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Pair | null;
  /** Implicit −∞ padding on both sides, at most half the kernel (default 0). */
  padding?: Pair;
  /** Spacing between the elements of a window (default 1). */
  dilation?: Pair;
  /** ⌈⌉ instead of ⌊⌋ in the output size (default false). */
  ceilMode?: boolean;
}

/** Options of `AvgPool2d`, as PyTorch's. */
export interface AvgPool2dLayerOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Pair | null;
  /** Implicit zero padding on both sides, at most half the kernel (default 0). */
  padding?: Pair;
  /** ⌈⌉ instead of ⌊⌋ in the output size (default false). */
  ceilMode?: boolean;
  /** Count the padding zeros in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead (default null: by the window's size). */
  divisorOverride?: number | null;
}

/** The window sizes of a pooling layer, checked; the stride defaults to the kernel. */
function windowSizes(
  ctx: CheckContext,
  kernelSize: unknown,
  o: { stride: unknown; padding: unknown },
): { kernelSize: [number, number]; stride: [number, number]; padding: [number, number] } {
  const kernel = pair(ctx, 'kernelSize', kernelSize, 1);
  const stride = o.stride === null ? kernel : pair(ctx, 'stride', o.stride, 1);
  const padding = pair(ctx, 'padding', o.padding, 0);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2)
    fail(ctx, 'padding', 'at most half the kernel size', o.padding);
  return { kernelSize: kernel, stride: stride.slice() as [number, number], padding };
}

/** The window fields of a pooling layer's config. */
function windowFromConfig(f: ConfigFields): { kernelSize: Pair; stride: Pair; padding: Pair } {
  const two = (key: string, min: number, fallback?: number | number[]): [number, number] =>
    f.integers(key, 2, min, fallback) as [number, number];
  const kernelSize = two('kernelSize', 1);
  return { kernelSize, stride: two('stride', 1, kernelSize), padding: two('padding', 0, 0) };
}

/**
 * 2-D max pooling over [N, C, H, W] input (or [C, H, W]), as PyTorch's `nn.MaxPool2d`: each output
 * is the largest element of its window.
 *
 * @example
 * new MaxPool2d(2).call(zeros([8, 6, 24, 24])).shape; // => [8, 6, 12, 12]
 */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly ceilMode: boolean;

  constructor(kernelSize: Pair, options: MaxPool2dLayerOptions = {}) {
    super();
    const where = 'MaxPool2d';
    const o = resolveOptions(where, options, {
      stride: null as unknown,
      padding: 0 as unknown,
      dilation: 1 as unknown,
      ceilMode: false as unknown,
    });
    const w = windowSizes({ where }, kernelSize, o);
    this.kernelSize = w.kernelSize;
    this.stride = w.stride;
    this.padding = w.padding;
    this.dilation = pair({ where }, 'dilation', o.dilation, 1);
    this.ceilMode = checkBoolean({ where }, 'ceilMode', o.ceilMode);
  }

  /** The layer from its `toConfig()`. */
  static fromConfig(config: ModuleConfig): MaxPool2d {
    const f = configFields(config);
    const { kernelSize, ...window } = windowFromConfig(f);
    return new MaxPool2d(kernelSize, {
      ...window,
      dilation: f.integers('dilation', 2, 1, 1) as [number, number],
      ceilMode: f.boolean('ceilMode', false),
    });
  }

  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, ceilMode } = this;
    return maxPool2d(x, this.kernelSize, { stride, padding, dilation, ceilMode });
  }

  override toConfig(): ModuleConfig {
    return {
      type: 'MaxPool2d',
      kernelSize: this.kernelSize.slice(),
      stride: this.stride.slice(),
      padding: this.padding.slice(),
      dilation: this.dilation.slice(),
      ceilMode: this.ceilMode,
    };
  }

  override toString(): string {
    const more = describeOptions([
      ['stride', sizes(this.stride), sizes(this.kernelSize)],
      ['padding', sizes(this.padding), '0×0'],
      ['dilation', sizes(this.dilation), '1×1'],
      ['ceilMode', String(this.ceilMode), 'false'],
    ]);
    return `MaxPool2d(${sizes(this.kernelSize)}${more})`;
  }
}

/**
 * 2-D average pooling over [N, C, H, W] input (or [C, H, W]), as PyTorch's `nn.AvgPool2d`: each
 * output is the mean of its window (padding zeros counted unless `countIncludePad` is false).
 *
 * @example
 * new AvgPool2d(2).call(ones([1, 3, 4, 4])).shape; // => [1, 3, 2, 2]
 */
export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(kernelSize: Pair, options: AvgPool2dLayerOptions = {}) {
    super();
    const where = 'AvgPool2d';
    const o = resolveOptions(where, options, {
      stride: null as unknown,
      padding: 0 as unknown,
      ceilMode: false as unknown,
      countIncludePad: true as unknown,
      divisorOverride: null as unknown,
    });
    const w = windowSizes({ where }, kernelSize, o);
    this.kernelSize = w.kernelSize;
    this.stride = w.stride;
    this.padding = w.padding;
    this.ceilMode = checkBoolean({ where }, 'ceilMode', o.ceilMode);
    this.countIncludePad = checkBoolean({ where }, 'countIncludePad', o.countIncludePad);
    const d = o.divisorOverride;
    if (d !== null && (typeof d !== 'number' || !Number.isInteger(d) || d === 0))
      fail({ where }, 'divisorOverride', 'a non-zero integer or null', d);
    this.divisorOverride = d as number | null;
  }

  /** The layer from its `toConfig()`. */
  static fromConfig(config: ModuleConfig): AvgPool2d {
    const f = configFields(config);
    const { kernelSize, ...window } = windowFromConfig(f);
    const d = f.value('divisorOverride', null);
    return new AvgPool2d(kernelSize, {
      ...window,
      ceilMode: f.boolean('ceilMode', false),
      countIncludePad: f.boolean('countIncludePad', true),
      divisorOverride: d === null ? null : f.integer('divisorOverride', -Infinity),
    });
  }

  forward(x: Tensor): Tensor {
    const { stride, padding, ceilMode, countIncludePad, divisorOverride } = this;
    const options = { stride, padding, ceilMode, countIncludePad, divisorOverride };
    return avgPool2d(x, this.kernelSize, options);
  }

  override toConfig(): ModuleConfig {
    return {
      type: 'AvgPool2d',
      kernelSize: this.kernelSize.slice(),
      stride: this.stride.slice(),
      padding: this.padding.slice(),
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    };
  }

  override toString(): string {
    const more = describeOptions([
      ['stride', sizes(this.stride), sizes(this.kernelSize)],
      ['padding', sizes(this.padding), '0×0'],
      ['ceilMode', String(this.ceilMode), 'false'],
      ['countIncludePad', String(this.countIncludePad), 'true'],
      ['divisorOverride', String(this.divisorOverride), 'null'],
    ]);
    return `AvgPool2d(${sizes(this.kernelSize)}${more})`;
  }
}

/** An adaptive pooling size: one number, or [h, w] with null keeping the input's size. */
export type AdaptiveSize = number | readonly [number | null, number | null];

/** `value` as an adaptive output size, or an error naming `key` in `ctx`. */
function adaptiveSize(ctx: CheckContext, key: string, value: unknown): AdaptiveSize {
  const ok = (v: unknown): boolean => v === null || (Number.isInteger(v) && (v as number) >= 1);
  if (
    typeof value === 'number'
      ? ok(value)
      : Array.isArray(value) && value.length === 2 && value.every(ok)
  )
    return (Array.isArray(value) ? value.slice() : value) as AdaptiveSize;
  return fail(ctx, key, 'a positive integer or a pair of them (null keeps the input size)', value);
}

/**
 * 2-D adaptive average pooling, as PyTorch's `nn.AdaptiveAvgPool2d`: the output has `outputSize`
 * whatever the input's (a size, or [h, w] with null keeping that dimension), each output the mean
 * of its share of the input.
 *
 * @example
 * new AdaptiveAvgPool2d(1).call(ones([8, 64, 7, 7])).shape; // => [8, 64, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: AdaptiveSize;

  constructor(outputSize: AdaptiveSize) {
    super();
    this.outputSize = adaptiveSize({ where: 'AdaptiveAvgPool2d' }, 'outputSize', outputSize);
  }

  /** The layer from its `toConfig()`. */
  static fromConfig(config: ModuleConfig): AdaptiveAvgPool2d {
    const f = configFields(config);
    return new AdaptiveAvgPool2d(f.checked('outputSize', adaptiveSize));
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override toConfig(): ModuleConfig {
    const s = this.outputSize;
    return { type: 'AdaptiveAvgPool2d', outputSize: typeof s === 'number' ? s : s.slice() };
  }

  override toString(): string {
    const s = this.outputSize;
    return `AdaptiveAvgPool2d(${typeof s === 'number' ? s : s.map((d) => d ?? 'same').join('×')})`;
  }
}
