/**
 * The ONNX operators importOnnx turns into nabla layers: each node, with the weights it reads,
 * becomes a layer's configuration (as `toConfig()` writes it) and the layer's own state dict.
 *
 * @module
 */
import type onnxProto from 'onnx-proto';
import { Tensor } from '../tensor/tensor.js';
import { OnnxImportError } from './onnx-errors.js';

/** A weight read from the graph: its dims and values (float32). */
export interface Weight {
  readonly dims: readonly number[];
  readonly values: Float32Array;
}

/** A layer for the imported Sequential: its configuration and its state-dict entries. */
export interface ImportedLayer {
  readonly config: Record<string, unknown>;
  readonly state: Record<string, Tensor>;
}

/** What a node reader sees: the node, its weights by input position, and the input's rank. */
export interface NodeContext {
  readonly node: onnxProto.onnx.INodeProto;
  /** The weight at input position i (1, 2, …), or undefined when that input is not a weight. */
  weight(i: number): Weight | undefined;
  readonly rank: number;
}

export function fail(ctx: NodeContext, what: string): never {
  throw new OnnxImportError(
    `importOnnx: ${ctx.node.opType} node '${ctx.node.name ?? ''}': ${what}`,
  );
}

/** The node's attribute `name` as a number, a list or a string; `fallback` when absent. */
export function attr<T>(ctx: NodeContext, name: string, fallback: T): T {
  const a = ctx.node.attribute?.find((x) => x.name === name);
  if (a === undefined) return fallback;
  if (a.ints !== undefined && a.ints !== null && a.ints.length > 0) return a.ints.map(Number) as T;
  if (a.s !== undefined && a.s !== null && a.s.length > 0)
    return new TextDecoder().decode(a.s) as T;
  if (a.type === 1) return a.f as T; // FLOAT
  return Number(a.i) as T;
}

function need(ctx: NodeContext, i: number, what: string): Weight {
  const w = ctx.weight(i);
  if (w === undefined) fail(ctx, `its ${what} (input ${i + 1}) must be a constant weight`);
  return w;
}

const tensorOf = (w: Weight, shape: readonly number[] = w.dims): Tensor =>
  new Tensor(Float32Array.from(w.values), [...shape]);

/** A weight matrix transposed. */
export function transposed(w: Weight): Weight {
  const [r, c] = w.dims;
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = w.values[i * c + j];
  return { dims: [c, r], values: out };
}

/** A Linear layer from its weight [out, in] and optional bias. */
export function linearLayer(w: Weight, b: Weight | undefined): ImportedLayer {
  const [out, inFeatures] = w.dims;
  const state: Record<string, Tensor> = { weight: tensorOf(w) };
  if (b !== undefined) state.bias = tensorOf(b, [out]);
  return {
    config: { type: 'Linear', inFeatures, outFeatures: out, bias: b !== undefined },
    state,
  };
}

export function gemm(ctx: NodeContext): ImportedLayer {
  if (attr<number>(ctx, 'transA', 0) !== 0) fail(ctx, 'transA = 1 is not a layer');
  if (attr<number>(ctx, 'alpha', 1) !== 1 || attr<number>(ctx, 'beta', 1) !== 1)
    fail(ctx, 'alpha and beta other than 1 are not a layer');
  const b = need(ctx, 1, 'B');
  const w = attr<number>(ctx, 'transB', 0) === 1 ? b : transposed(b);
  return linearLayer(w, ctx.weight(2));
}

/** PyTorch's padding from ONNX `pads` (begins, then ends), which must be symmetric. */
function symmetricPads(ctx: NodeContext, d: number): number[] {
  const pads = attr<number[]>(ctx, 'pads', Array<number>(2 * d).fill(0));
  const begin = pads.slice(0, d);
  if (begin.some((p, i) => p !== pads[d + i]))
    fail(ctx, `pads ${pads.join(',')} differ at the two ends (PyTorch pads both ends alike)`);
  if (attr(ctx, 'auto_pad', 'NOTSET') !== 'NOTSET') fail(ctx, 'auto_pad is not supported');
  return begin;
}

/** A per-dimension list as a Conv1d's number or a Conv2d's pair. */
const fit = (v: number[]): number | number[] => (v.length === 1 ? v[0] : v);

export function conv(ctx: NodeContext): ImportedLayer {
  const w = need(ctx, 1, 'weight');
  const d = w.dims.length - 2;
  if (d !== 1 && d !== 2) fail(ctx, `a ${d}-d convolution (1-d and 2-d are supported)`);
  const group = attr(ctx, 'group', 1);
  const transpose = ctx.node.opType === 'ConvTranspose';
  if (transpose && d !== 2) fail(ctx, 'only the 2-d transposed convolution is a layer');
  const b = ctx.weight(2);
  const config: Record<string, unknown> = {
    type: transpose ? 'ConvTranspose2d' : d === 1 ? 'Conv1d' : 'Conv2d',
    inChannels: transpose ? w.dims[0] : w.dims[1] * group,
    outChannels: transpose ? w.dims[1] * group : w.dims[0],
    kernelSize: fit(w.dims.slice(2)),
    stride: fit(attr(ctx, 'strides', Array<number>(d).fill(1))),
    padding: fit(symmetricPads(ctx, d)),
    dilation: fit(attr(ctx, 'dilations', Array<number>(d).fill(1))),
    groups: group,
    bias: b !== undefined,
  };
  if (transpose) config.outputPadding = fit(attr(ctx, 'output_padding', [0, 0]));
  else config.paddingMode = 'zeros';
  const state: Record<string, Tensor> = { weight: tensorOf(w) };
  if (b !== undefined) state.bias = tensorOf(b);
  return { config, state };
}

export function pool(ctx: NodeContext): ImportedLayer {
  if (ctx.node.opType === 'GlobalAveragePool')
    return { config: { type: 'AdaptiveAvgPool2d', outputSize: 1 }, state: {} };
  const kernelSize = attr<number[]>(ctx, 'kernel_shape', []);
  if (kernelSize.length !== 2) fail(ctx, 'only 2-d pooling is a layer');
  const common = {
    kernelSize,
    stride: attr(ctx, 'strides', kernelSize),
    padding: symmetricPads(ctx, 2),
    ceilMode: attr<number>(ctx, 'ceil_mode', 0) === 1,
  };
  if (ctx.node.opType === 'MaxPool')
    return {
      config: { type: 'MaxPool2d', ...common, dilation: attr(ctx, 'dilations', [1, 1]) },
      state: {},
    };
  return {
    config: {
      type: 'AvgPool2d',
      ...common,
      countIncludePad: attr<number>(ctx, 'count_include_pad', 0) === 1,
      divisorOverride: null,
    },
    state: {},
  };
}

export function batchNorm(ctx: NodeContext): ImportedLayer {
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => need(ctx, i, 'statistics'));
  const n = scale.dims[0];
  return {
    config: {
      type: ctx.rank === 4 ? 'BatchNorm2d' : 'BatchNorm1d',
      numFeatures: n,
      eps: attr(ctx, 'epsilon', 1e-5),
      // ONNX keeps `momentum` of the old statistics; PyTorch's is the share of the new batch.
      momentum: Math.round((1 - attr(ctx, 'momentum', 0.9)) * 1e9) / 1e9,
      affine: true,
      trackRunningStats: true,
    },
    state: {
      weight: tensorOf(scale),
      bias: tensorOf(bias),
      running_mean: tensorOf(mean),
      running_var: tensorOf(variance),
      num_batches_tracked: new Tensor(new Int32Array(1), []),
    },
  };
}

export function layerNorm(ctx: NodeContext): ImportedLayer {
  const scale = need(ctx, 1, 'scale');
  const axis = attr(ctx, 'axis', -1);
  if ((axis < 0 ? -axis : ctx.rank - axis) !== scale.dims.length)
    fail(ctx, `axis ${axis} does not normalize the last ${scale.dims.length} dimensions`);
  const b = ctx.weight(2);
  const state: Record<string, Tensor> = { weight: tensorOf(scale) };
  if (b !== undefined) state.bias = tensorOf(b);
  return {
    config: {
      type: 'LayerNorm',
      normalizedShape: [...scale.dims],
      eps: attr(ctx, 'epsilon', 1e-5),
      elementwiseAffine: true,
      bias: b !== undefined,
    },
    state,
  };
}

export function prelu(ctx: NodeContext): ImportedLayer {
  const slope = need(ctx, 1, 'slope');
  const n = slope.values.length;
  return {
    config: { type: 'PReLU', numParameters: n, init: 0.25 },
    state: { weight: tensorOf(slope, [n]) },
  };
}
