import { convTranspose2d } from '../ops/conv.js';
import { pair, type Pair } from '../ops/window-args.js';
import { fail, resolveOptions } from '../tensor/check.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { configFields, type FloatDType } from './config-fields.js';
import {
  buildConv,
  commonFromConfig,
  CONV_DEFAULTS,
  convCount,
  describeOptions,
  sizes,
} from './conv.js';
import { initLayer, type InitScheme } from './init.js';
import { Module, type ModuleConfig } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of `ConvTranspose2d`, as PyTorch's (sizes one number or a pair [along h, along w]). */
export interface ConvTranspose2dLayerOptions {
  /** The stride of the convolution this one transposes (default 1). */
  stride?: Pair;
  /** The padding of the convolution this one transposes, removed from the output (default 0). */
  padding?: Pair;
  /** Size added to one side of the output (default 0; less than stride or dilation). */
  outputPadding?: Pair;
  /** Channel groups (default 1). */
  groups?: number;
  /** Whether to add a learnable bias (default true). */
  bias?: boolean;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Only 'zeros' (the default), as in PyTorch. */
  paddingMode?: 'zeros';
  /** The initialization (default: PyTorch's). */
  init?: InitScheme;
  /** Where the initial weights are drawn from (default: the one `manualSeed` seeds). */
  generator?: Generator;
  /** float32 (default) or float64. */
  dtype?: FloatDType;
}

/**
 * A 2-D transposed convolution layer (the gradient of a convolution with respect to its input,
 * used to upsample), as PyTorch's `nn.ConvTranspose2d`: weight
 * [inChannels, outChannels/groups, kh, kw], bias [outChannels]. The output size is
 * (H − 1)·stride − 2·padding + dilation·(kh − 1) + outputPadding + 1 (likewise for W).
 *
 * @example
 * const up = new ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 });
 * up.call(zeros([1, 4, 5, 5])).shape; // => [1, 2, 10, 10]
 * up.weight.shape; // => [4, 2, 3, 3]
 */
export class ConvTranspose2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly groups: number;
  readonly dilation: [number, number];
  readonly init: InitScheme;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Pair,
    options: ConvTranspose2dLayerOptions = {},
  ) {
    super();
    const where = 'ConvTranspose2d';
    const ctx = { where };
    const o = resolveOptions(where, options, {
      ...CONV_DEFAULTS,
      stride: 1 as Pair,
      padding: 0 as Pair,
      outputPadding: 0 as Pair,
      dilation: 1 as Pair,
    });
    const kernel = pair(ctx, 'kernelSize', kernelSize, 1);
    const built = buildConv(ctx, inChannels, outChannels, o, (i, out, g) => [
      i,
      out / g,
      ...kernel,
    ]);
    if (built.paddingMode !== 'zeros')
      fail(ctx, 'paddingMode', "'zeros' (as in PyTorch)", built.paddingMode);
    this.weight = built.weight;
    this.bias = built.bias;
    this.inChannels = built.inChannels;
    this.outChannels = built.outChannels;
    this.kernelSize = kernel;
    this.stride = pair(ctx, 'stride', o.stride, 1);
    this.padding = pair(ctx, 'padding', o.padding, 0);
    this.outputPadding = pair(ctx, 'outputPadding', o.outputPadding, 0);
    this.dilation = pair(ctx, 'dilation', o.dilation, 1);
    for (const i of [0, 1]) {
      if (this.outputPadding[i] >= this.stride[i] && this.outputPadding[i] >= this.dilation[i])
        fail(ctx, 'outputPadding', 'smaller than either stride or dilation', o.outputPadding);
    }
    this.groups = built.groups;
    this.init = built.init;
    this.resetParameters(o.generator);
  }

  /** The layer from its `toConfig()` (weights freshly drawn). */
  static fromConfig(config: ModuleConfig): ConvTranspose2d {
    const f = configFields(config);
    const { groups, bias, init, dtype } = commonFromConfig(f);
    const two = (key: string, min: number, fallback?: number): [number, number] =>
      f.integers(key, 2, min, fallback) as [number, number];
    return new ConvTranspose2d(
      f.integer('inChannels', 1),
      f.integer('outChannels', 1),
      two('kernelSize', 1),
      {
        groups,
        bias,
        init,
        dtype,
        stride: two('stride', 1, 1),
        padding: two('padding', 0, 0),
        outputPadding: two('outputPadding', 0, 0),
        dilation: two('dilation', 1, 1),
      },
    );
  }

  /** How many numbers the layer `config` describes holds, unbuilt. */
  static parameterCount(config: ModuleConfig): number {
    const f = configFields(config);
    return convCount(f, f.integers('kernelSize', 2, 1));
  }

  /** Draws the weight (and bias) again from the layer's initialization scheme. */
  override resetParameters(generator?: Generator): void {
    initLayer(this.init, this.weight, this.bias, generator);
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: this.outputPadding,
      groups: this.groups,
      dilation: this.dilation,
    });
  }

  override toConfig(): ModuleConfig {
    return {
      type: 'ConvTranspose2d',
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: this.kernelSize.slice(),
      stride: this.stride.slice(),
      padding: this.padding.slice(),
      outputPadding: this.outputPadding.slice(),
      dilation: this.dilation.slice(),
      groups: this.groups,
      bias: this.bias !== null,
      init: this.init,
      ...(this.weight.dtype === 'float32' ? {} : { dtype: this.weight.dtype }),
    };
  }

  override toString(): string {
    const more = describeOptions([
      ['stride', sizes(this.stride), '1×1'],
      ['padding', sizes(this.padding), '0×0'],
      ['outputPadding', sizes(this.outputPadding), '0×0'],
      ['dilation', sizes(this.dilation), '1×1'],
      ['groups', String(this.groups), '1'],
    ]);
    const bias = this.bias === null ? ', no bias' : '';
    return `ConvTranspose2d(${this.inChannels}→${this.outChannels}, ${sizes(this.kernelSize)}${more}${bias})`;
  }
}
