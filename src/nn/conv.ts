import { conv1d, conv2d } from '../ops/conv.js';
import { pair, type Pair } from '../ops/window-args.js';
import {
  checkChoice,
  checkInteger,
  fail,
  resolveOptions,
  type CheckContext,
} from '../tensor/check.js';
import type { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { configFields, FLOAT_DTYPES, type ConfigFields, type FloatDType } from './config-fields.js';
import { checkInitScheme, initLayer, storage, type InitScheme } from './init.js';
import { Module, type ModuleConfig } from './module.js';
import { Parameter } from './parameter.js';
import { padForMode, PADDING_MODES, type ConvPaddingMode } from './conv-padding.js';

export type { ConvPaddingMode } from './conv-padding.js';

/*
 * The convolution layers, as PyTorch's nn.Conv1d and nn.Conv2d: a weight [out, in/groups, …kernel]
 * and a bias [out], drawn by PyTorch's default (Kaiming uniform with a = √5, bias
 * U(−1/√fanIn, 1/√fanIn)) unless `init` says otherwise. The layers call the functional
 * `conv1d` / `conv2d` (src/ops/conv.ts).
 */

/** What the convolution layers share: channels, groups, bias, padding mode, initialization. */
interface ConvCommonOptions {
  /** Channel groups (default 1): in and out channels must both divide by it. */
  groups?: number;
  /** Whether to add a learnable bias (default true). */
  bias?: boolean;
  /** What the padding holds: zeros (default), the mirrored input or its edge values. */
  paddingMode?: ConvPaddingMode;
  /** The initialization (default: PyTorch's). */
  init?: InitScheme;
  /** Where the initial weights are drawn from (default: the one `manualSeed` seeds). */
  generator?: Generator;
  /** float32 (default) or float64. */
  dtype?: FloatDType;
}

/** Options of `Conv2d`, as PyTorch's (sizes one number or a pair [along h, along w]). */
export interface Conv2dLayerOptions extends ConvCommonOptions {
  /** Step between windows (default 1). */
  stride?: Pair;
  /** Padding on both sides (default 0), or 'same' (stride 1 only) or 'valid' (none). */
  padding?: Pair | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
}

/** Options of `Conv1d`, as PyTorch's. */
export interface Conv1dLayerOptions extends ConvCommonOptions {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
}

/** The checked options common to both layers, with the weight and bias allocated. */
interface Built {
  groups: number;
  paddingMode: ConvPaddingMode;
  init: InitScheme;
  weight: Parameter;
  bias: Parameter | null;
}

export const CONV_DEFAULTS = {
  groups: 1,
  bias: true,
  paddingMode: 'zeros' as ConvPaddingMode,
  init: 'default' as InitScheme,
  generator: undefined as Generator | undefined,
  dtype: 'float32' as FloatDType,
};

/**
 * Checks the channel counts and common options, and allocates a weight of shape
 * [out, in/groups, …kernel] and a bias [out] (or [out/groups·groups] for a transposed layer, whose
 * shape the caller gives).
 */
export function buildConv(
  ctx: CheckContext,
  inChannels: unknown,
  outChannels: unknown,
  o: typeof CONV_DEFAULTS,
  weightShape: (inC: number, outC: number, groups: number) => number[],
): Built & { inChannels: number; outChannels: number } {
  const inC = checkInteger(ctx, 'inChannels', inChannels, 1);
  const outC = checkInteger(ctx, 'outChannels', outChannels, 1);
  const groups = checkInteger(ctx, 'groups', o.groups, 1);
  if (inC % groups !== 0) fail(ctx, 'inChannels', `divisible by groups (${groups})`, inC);
  if (outC % groups !== 0) fail(ctx, 'outChannels', `divisible by groups (${groups})`, outC);
  if (typeof o.bias !== 'boolean') fail(ctx, 'bias', 'true or false', o.bias, TypeError);
  const paddingMode = checkChoice(ctx, 'paddingMode', o.paddingMode, PADDING_MODES);
  const init = checkInitScheme(ctx, 'init', o.init);
  const dtype = checkChoice(ctx, 'dtype', o.dtype, FLOAT_DTYPES);
  const param = (shape: number[]): Parameter =>
    new Parameter(new Tensor(storage(shape, dtype), shape));
  const weight = param(weightShape(inC, outC, groups));
  const bias = o.bias ? param([outC]) : null;
  return { inChannels: inC, outChannels: outC, groups, paddingMode, init, weight, bias };
}

/** The padding option: 'same', 'valid', or `dims` integers ≥ 0 (one number for all). */
function paddingOption(
  ctx: CheckContext,
  value: unknown,
  dims: 1 | 2,
): number[] | 'same' | 'valid' {
  if (value === 'same' || value === 'valid') return value;
  if (dims === 1) return [checkInteger(ctx, 'padding', value, 0)];
  if (typeof value === 'string') fail(ctx, 'padding', "'same', 'valid' or a pair", value);
  return pair(ctx, 'padding', value, 0);
}

/** The config fields common to both layers, for `fromConfig`. */
export function commonFromConfig(f: ConfigFields): Omit<ConvCommonOptions, 'generator'> {
  return {
    groups: f.integer('groups', 1, 1),
    bias: f.boolean('bias', true),
    paddingMode: f.choice('paddingMode', PADDING_MODES, 'zeros'),
    init: f.checked('init', checkInitScheme, 'default'),
    dtype: f.dtype(),
  };
}

/** A padding field: 'same', 'valid' or sizes. */
function paddingFromConfig(f: ConfigFields, dims: 1 | 2): number | number[] | 'same' | 'valid' {
  const v = f.value('padding', 0);
  if (typeof v === 'string') return f.choice<'same' | 'valid'>('padding', ['same', 'valid']);
  return dims === 1 ? f.integer('padding', 0) : f.integers('padding', 2, 0);
}

/** Sizes in a description: `3` for [3], `3×3` for [3, 3]. */
export const sizes = (s: readonly number[]): string => s.join('×');

/** The options that differ from their defaults, as `, stride 2, padding 1`. */
export function describeOptions(entries: [string, string, string][]): string {
  return entries.map(([key, value, dflt]) => (value === dflt ? '' : `, ${key} ${value}`)).join('');
}

/** The common base of Conv1d and Conv2d: the layers differ in their number of spatial dimensions. */
abstract class ConvNd extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly groups: number;
  readonly paddingMode: ConvPaddingMode;
  readonly init: InitScheme;

  protected constructor(
    where: string,
    args: { inChannels: unknown; outChannels: unknown; kernelSize: unknown; options: unknown },
    dims: 1 | 2,
  ) {
    super();
    const ctx = { where };
    const o = resolveOptions(where, args.options, {
      ...CONV_DEFAULTS,
      stride: 1 as unknown,
      padding: 0 as unknown,
      dilation: 1 as unknown,
    });
    const read = (key: string, value: unknown, min: number): number[] =>
      dims === 1 ? [checkInteger(ctx, key, value, min)] : pair(ctx, key, value, min);
    const kernel = read('kernelSize', args.kernelSize, 1);
    const built = buildConv(ctx, args.inChannels, args.outChannels, o, (i, out, g) => [
      out,
      i / g,
      ...kernel,
    ]);
    this.weight = built.weight;
    this.bias = built.bias;
    this.inChannels = built.inChannels;
    this.outChannels = built.outChannels;
    this.kernelSize = kernel;
    this.stride = read('stride', o.stride, 1);
    this.padding = paddingOption(ctx, o.padding, dims);
    this.dilation = read('dilation', o.dilation, 1);
    if (this.padding === 'same' && this.stride.some((s) => s !== 1))
      fail(ctx, 'stride', "1 with padding 'same' (as in PyTorch)", o.stride);
    this.groups = built.groups;
    this.paddingMode = built.paddingMode;
    this.init = built.init;
    this.resetParameters(o.generator);
  }

  /** Draws the weight (and bias) again from the layer's initialization scheme. */
  override resetParameters(generator?: Generator): void {
    initLayer(this.init, this.weight, this.bias, generator);
  }

  /** The input padded by the padding mode (and the padding left for the convolution). */
  protected padded(x: Tensor): { x: Tensor; padding: number[] | 'same' | 'valid' } {
    if (this.paddingMode === 'zeros') return { x, padding: this.padding };
    const mode = this.paddingMode;
    return {
      x: padForMode(x, this.padding, this.kernelSize, this.dilation, mode),
      padding: 'valid',
    };
  }

  /** The fields of `toConfig()` after the type (sizes as lists for Conv2d, numbers for Conv1d). */
  protected configBody(dims: 1 | 2): Omit<ModuleConfig, 'type'> {
    const one = (s: number[]): number | number[] => (dims === 1 ? s[0] : s.slice());
    return {
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: one(this.kernelSize),
      stride: one(this.stride),
      padding: typeof this.padding === 'string' ? this.padding : one(this.padding),
      dilation: one(this.dilation),
      groups: this.groups,
      bias: this.bias !== null,
      paddingMode: this.paddingMode,
      init: this.init,
      ...(this.weight.dtype === 'float32' ? {} : { dtype: this.weight.dtype }),
    };
  }

  override toString(): string {
    const pad = typeof this.padding === 'string' ? this.padding : sizes(this.padding);
    const zero = sizes(this.kernelSize.map(() => 0));
    const one = sizes(this.kernelSize.map(() => 1));
    const more = describeOptions([
      ['stride', sizes(this.stride), one],
      ['padding', pad, zero],
      ['dilation', sizes(this.dilation), one],
      ['groups', String(this.groups), '1'],
      ['paddingMode', this.paddingMode, 'zeros'],
    ]);
    const bias = this.bias === null ? ', no bias' : '';
    return `${this.constructor.name}(${this.inChannels}→${this.outChannels}, ${sizes(this.kernelSize)}${more}${bias})`;
  }
}

/** The numbers a convolution layer's config holds: weight (out·in/groups·kernel) and bias. */
export function convCount(f: ConfigFields, kernel: number[]): number {
  const [i, o, g] = [
    f.integer('inChannels', 1),
    f.integer('outChannels', 1),
    f.integer('groups', 1, 1),
  ];
  return (o * i * kernel.reduce((a, b) => a * b, 1)) / g + (f.boolean('bias', true) ? o : 0);
}

/**
 * A 2-D convolution layer over [N, C, H, W] input (or [C, H, W]), as PyTorch's `nn.Conv2d`:
 * weight [outChannels, inChannels/groups, kh, kw], bias [outChannels].
 *
 * @example
 * const conv = new Conv2d(1, 6, 5);
 * conv.call(zeros([8, 1, 28, 28])).shape; // => [8, 6, 24, 24]
 * conv.weight.shape; // => [6, 1, 5, 5]
 */
export class Conv2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Pair,
    options: Conv2dLayerOptions = {},
  ) {
    super('Conv2d', { inChannels, outChannels, kernelSize, options }, 2);
  }

  /** The layer from its `toConfig()` (weights freshly drawn). */
  static fromConfig(config: ModuleConfig): Conv2d {
    const f = configFields(config);
    const [kh, kw] = f.integers('kernelSize', 2, 1);
    return new Conv2d(f.integer('inChannels', 1), f.integer('outChannels', 1), [kh, kw], {
      ...commonFromConfig(f),
      stride: f.integers('stride', 2, 1, 1) as [number, number],
      padding: paddingFromConfig(f, 2) as Pair | 'same' | 'valid',
      dilation: f.integers('dilation', 2, 1, 1) as [number, number],
    });
  }

  /** How many numbers the layer `config` describes holds, unbuilt. */
  static parameterCount(config: ModuleConfig): number {
    const f = configFields(config);
    return convCount(f, f.integers('kernelSize', 2, 1));
  }

  forward(x: Tensor): Tensor {
    const p = this.padded(x);
    return conv2d(p.x, this.weight, this.bias, {
      stride: this.stride as [number, number],
      padding: typeof p.padding === 'string' ? p.padding : (p.padding as [number, number]),
      dilation: this.dilation as [number, number],
      groups: this.groups,
    });
  }

  override toConfig(): ModuleConfig {
    return { type: 'Conv2d', ...this.configBody(2) };
  }
}

/**
 * A 1-D convolution layer over [N, C, L] input (or [C, L]), as PyTorch's `nn.Conv1d`: weight
 * [outChannels, inChannels/groups, kernelSize], bias [outChannels].
 *
 * @example
 * const conv = new Conv1d(4, 8, 3, { padding: 'same' });
 * conv.call(zeros([2, 4, 10])).shape; // => [2, 8, 10]
 */
export class Conv1d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    options: Conv1dLayerOptions = {},
  ) {
    super('Conv1d', { inChannels, outChannels, kernelSize, options }, 1);
  }

  /** The layer from its `toConfig()` (weights freshly drawn). */
  static fromConfig(config: ModuleConfig): Conv1d {
    const f = configFields(config);
    return new Conv1d(
      f.integer('inChannels', 1),
      f.integer('outChannels', 1),
      f.integer('kernelSize', 1),
      {
        ...commonFromConfig(f),
        stride: f.integer('stride', 1, 1),
        padding: paddingFromConfig(f, 1) as number | 'same' | 'valid',
        dilation: f.integer('dilation', 1, 1),
      },
    );
  }

  /** How many numbers the layer `config` describes holds, unbuilt. */
  static parameterCount(config: ModuleConfig): number {
    const f = configFields(config);
    return convCount(f, [f.integer('kernelSize', 1)]);
  }

  forward(x: Tensor): Tensor {
    const p = this.padded(x);
    return conv1d(p.x, this.weight, this.bias, {
      stride: this.stride[0],
      padding: typeof p.padding === 'string' ? p.padding : p.padding[0],
      dilation: this.dilation[0],
      groups: this.groups,
    });
  }

  override toConfig(): ModuleConfig {
    return { type: 'Conv1d', ...this.configBody(1) };
  }
}
