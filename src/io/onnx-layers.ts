/**
 * The layers with weights or geometry as ONNX nodes: Linear, the convolutions, pooling,
 * normalization, Flatten and Dropout. Weights keep their state-dict names (`0.weight`), so a
 * graph's initializers read like the model's `stateDict()`.
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import type { LayerConfig } from './onnx-activations.js';
import { OnnxExportError } from './onnx-errors.js';
import type { OnnxGraph } from './onnx-graph.js';

/** What a layer writer knows of its layer: its configuration, weights, name and input shape. */
export interface Layer {
  readonly config: LayerConfig;
  /** The layer's own state dict (`weight`, `bias`, `running_mean`, …). */
  readonly state: Readonly<Record<string, Tensor>>;
  /** Its state-dict prefix, e.g. `3.` (empty for a model that is one layer). */
  readonly prefix: string;
  /** The shape of its input for the example input, batch first. */
  readonly inShape: readonly number[];
}

/** Writes a layer's nodes for input `x`; returns the name of its output. */
export type LayerWriter = (g: OnnxGraph, x: string, layer: Layer) => string;

function unsupported(layer: Layer, what: string): never {
  const at = layer.prefix === '' ? '' : ` (at '${layer.prefix.slice(0, -1)}')`;
  throw new OnnxExportError(`exportOnnx: ${String(layer.config.type)}${at}: ${what}`);
}

/** The weight `key` of the layer under its state-dict name, or undefined when it has none. */
function weight(g: OnnxGraph, layer: Layer, key: string): string | undefined {
  const t = layer.state[key] as Tensor | undefined;
  return t === undefined ? undefined : g.weight(`${layer.prefix}${key}`, t);
}

/** A number or a per-dimension list from a configuration, as `d` numbers. */
function perDim(v: unknown, d: number): number[] {
  return typeof v === 'number' ? Array<number>(d).fill(v) : [...(v as number[])];
}

function linear(g: OnnxGraph, x: string, layer: Layer): string {
  const w = weight(g, layer, 'weight') as string;
  const b = weight(g, layer, 'bias');
  if (layer.inShape.length === 2) {
    return g.node('Gemm', b === undefined ? [x, w] : [x, w, b], { transB: { int: 1 } });
  }
  const y = g.node('MatMul', [x, g.node('Transpose', [w], { perm: { ints: [1, 0] } })]);
  return b === undefined ? y : g.node('Add', [y, b]);
}

/** ONNX `pads` (all begins, then all ends) for PyTorch's `padding` of a convolution. */
function convPads(layer: Layer, kernel: number[], dilation: number[]): number[] {
  const d = kernel.length;
  const padding = layer.config.padding;
  if (padding === 'valid') return Array<number>(2 * d).fill(0);
  if (padding === 'same') {
    // PyTorch puts the odd pixel of padding at the end.
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    return [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => t - Math.floor(t / 2))];
  }
  const p = perDim(padding, d);
  return [...p, ...p];
}

function conv(g: OnnxGraph, x: string, layer: Layer): string {
  const c = layer.config;
  if (c.paddingMode !== undefined && c.paddingMode !== 'zeros')
    unsupported(layer, `padding mode '${String(c.paddingMode)}' (only 'zeros' is exported)`);
  const d = layer.inShape.length - 2;
  const kernel = perDim(c.kernelSize, d);
  const dilation = perDim(c.dilation, d);
  const w = weight(g, layer, 'weight') as string;
  const b = weight(g, layer, 'bias');
  const attributes = {
    kernel_shape: { ints: kernel },
    strides: { ints: perDim(c.stride, d) },
    pads: { ints: convPads(layer, kernel, dilation) },
    dilations: { ints: dilation },
    group: { int: c.groups as number },
  };
  if (c.type === 'ConvTranspose2d') {
    const extra = { output_padding: { ints: perDim(c.outputPadding, d) } };
    return g.node('ConvTranspose', b === undefined ? [x, w] : [x, w, b], {
      ...attributes,
      ...extra,
    });
  }
  return g.node('Conv', b === undefined ? [x, w] : [x, w, b], attributes);
}

function pool(g: OnnxGraph, x: string, layer: Layer): string {
  const c = layer.config;
  const kernel = perDim(c.kernelSize, 2);
  const p = perDim(c.padding, 2);
  const common = {
    kernel_shape: { ints: kernel },
    strides: { ints: perDim(c.stride, 2) },
    pads: { ints: [...p, ...p] },
    ceil_mode: { int: c.ceilMode === true ? 1 : 0 },
  };
  if (c.type === 'MaxPool2d')
    return g.node('MaxPool', [x], { ...common, dilations: { ints: perDim(c.dilation, 2) } });
  if (c.divisorOverride !== null && c.divisorOverride !== undefined)
    unsupported(layer, 'divisorOverride has no ONNX AveragePool counterpart');
  return g.node('AveragePool', [x], {
    ...common,
    count_include_pad: { int: c.countIncludePad === false ? 0 : 1 },
  });
}

function adaptiveAvgPool(g: OnnxGraph, x: string, layer: Layer): string {
  const out = perDim(layer.config.outputSize, 2);
  if (out[0] === 1 && out[1] === 1) return g.node('GlobalAveragePool', [x]);
  const size = layer.inShape.slice(2);
  if (size.some((s, i) => s % out[i] !== 0))
    unsupported(
      layer,
      `output size ${out.join('×')} does not divide the input's ${size.join('×')}`,
    );
  const kernel = size.map((s, i) => s / out[i]);
  return g.node('AveragePool', [x], { kernel_shape: { ints: kernel }, strides: { ints: kernel } });
}

/** Ones or zeros for a normalization without affine weights, shaped like `like`'s channels. */
function filler(g: OnnxGraph, hint: string, dims: readonly number[], v: number): string {
  return g.floats(hint, dims, Array<number>(dims.reduce((a, b) => a * b, 1)).fill(v));
}

function batchNorm(g: OnnxGraph, x: string, layer: Layer): string {
  const c = layer.config;
  if (c.trackRunningStats === false)
    unsupported(layer, 'without running statistics it normalizes by each batch, even in eval');
  const n = [c.numFeatures as number];
  const scale = weight(g, layer, 'weight') ?? filler(g, `${layer.prefix}weight`, n, 1);
  const bias = weight(g, layer, 'bias') ?? filler(g, `${layer.prefix}bias`, n, 0);
  const mean = weight(g, layer, 'running_mean') as string;
  const variance = weight(g, layer, 'running_var') as string;
  return g.node('BatchNormalization', [x, scale, bias, mean, variance], {
    epsilon: { float: c.eps as number },
  });
}

function layerNorm(g: OnnxGraph, x: string, layer: Layer): string {
  const shape = perDim(layer.config.normalizedShape, 1);
  const scale = weight(g, layer, 'weight') ?? filler(g, `${layer.prefix}weight`, shape, 1);
  const bias = weight(g, layer, 'bias');
  return g.node('LayerNormalization', bias === undefined ? [x, scale] : [x, scale, bias], {
    axis: { int: -shape.length },
    epsilon: { float: layer.config.eps as number },
  });
}

/** Flatten: ONNX's Flatten, or a Reshape where 0 keeps a dimension before startDim and -1 is the span. */
function flatten(g: OnnxGraph, x: string, layer: Layer): string {
  const rank = layer.inShape.length;
  const norm = (d: number): number => (d < 0 ? d + rank : d);
  const start = norm(layer.config.startDim as number);
  const end = norm(layer.config.endDim as number);
  if (start === 0) unsupported(layer, 'startDim 0 would flatten the batch dimension');
  // The common case as PyTorch's exporter writes it; any other span as a Reshape.
  if (start === 1 && end === rank - 1) return g.node('Flatten', [x], { axis: { int: 1 } });
  const shape = [...Array<number>(start).fill(0), -1, ...layer.inShape.slice(end + 1)];
  return g.node('Reshape', [x, g.int64s(`${layer.prefix}shape`, shape)]);
}

function prelu(g: OnnxGraph, x: string, layer: Layer): string {
  const w = layer.state.weight;
  // One slope per channel (dimension 1), broadcast over the dimensions after it.
  const dims = [w.shape[0], ...Array<number>(Math.max(0, layer.inShape.length - 2)).fill(1)];
  return g.node('PRelu', [
    x,
    g.floats(`${layer.prefix}weight`, w.numel() === 1 ? [1] : dims, w.data),
  ]);
}

/** The layers by their `toConfig()` type. */
export const LAYERS: Readonly<Record<string, LayerWriter>> = {
  Linear: linear,
  Conv1d: conv,
  Conv2d: conv,
  ConvTranspose2d: conv,
  MaxPool2d: pool,
  AvgPool2d: pool,
  AdaptiveAvgPool2d: adaptiveAvgPool,
  BatchNorm1d: batchNorm,
  BatchNorm2d: batchNorm,
  LayerNorm: layerNorm,
  Flatten: flatten,
  PReLU: prelu,
  // Dropout is the identity in evaluation mode, which is what an exported graph computes.
  Dropout: (_g, x) => x,
  Dropout2d: (_g, x) => x,
};
