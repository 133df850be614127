/**
 * ONNX import: an ONNX graph that is a chain of layers (each node feeding the next, as PyTorch's
 * exporter writes a `Sequential`) as a trainable nabla `Sequential`, its weights copied in.
 *
 * @module
 */
import type onnxProto from 'onnx-proto';
import { moduleFromConfig } from '../nn/config.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { fail as refuse } from '../tensor/check.js';
import { OnnxImportError } from './onnx-errors.js';
import { onnx } from './onnx-graph.js';
import {
  attr,
  batchNorm,
  conv,
  fail,
  gemm,
  layerNorm,
  linearLayer,
  pool,
  prelu,
  type ImportedLayer,
  type NodeContext,
  transposed,
  type Weight,
} from './onnx-import-ops.js';

export { OnnxImportError } from './onnx-errors.js';

type Reader = (ctx: NodeContext) => ImportedLayer | null;
const layer = (type: string, fields: Record<string, unknown> = {}): ImportedLayer => ({
  config: { type, ...fields },
  state: {},
});

function clip(ctx: NodeContext): ImportedLayer {
  const lo = ctx.weight(1)?.values[0] ?? -Infinity;
  const hi = ctx.weight(2)?.values[0] ?? Infinity;
  if (lo === 0 && hi === 6) return layer('ReLU6');
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) fail(ctx, 'a Clip without both bounds');
  return layer('Hardtanh', { minVal: lo, maxVal: hi });
}

/** The operators importOnnx reads; null: the node is the identity (Dropout, Identity). */
const READERS: Readonly<Record<string, Reader>> = {
  Gemm: gemm,
  Conv: conv,
  ConvTranspose: conv,
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: pool,
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  PRelu: prelu,
  Flatten: (ctx) => {
    if (attr<number>(ctx, 'axis', 1) !== 1)
      fail(ctx, 'only Flatten with axis 1 keeps the batch apart');
    return layer('Flatten', { startDim: 1, endDim: -1 });
  },
  Reshape: (ctx) => {
    // [0, …, 0, -1, d, …]: dimensions kept, one span flattened, the rest as they were.
    const shape = Array.from(ctx.weight(1)?.values ?? []);
    const start = shape.indexOf(-1);
    if (
      start < 1 ||
      shape.slice(0, start).some((d) => d !== 0) ||
      shape.slice(start + 1).includes(0)
    )
      fail(ctx, 'only a Reshape that flattens a span after the batch dimension is a layer');
    return layer('Flatten', { startDim: start, endDim: start - shape.length });
  },
  Relu: () => layer('ReLU'),
  Tanh: () => layer('Tanh'),
  Sigmoid: () => layer('Sigmoid'),
  LeakyRelu: (ctx) => layer('LeakyReLU', { negativeSlope: attr(ctx, 'alpha', 0.01) }),
  Elu: (ctx) => layer('ELU', { alpha: attr(ctx, 'alpha', 1) }),
  Celu: (ctx) => layer('CELU', { alpha: attr(ctx, 'alpha', 1) }),
  Selu: () => layer('SELU'),
  Softplus: () => layer('Softplus', { beta: 1, threshold: 20 }),
  Softsign: () => layer('Softsign'),
  HardSwish: () => layer('Hardswish'),
  HardSigmoid: (ctx) => {
    if (Math.abs(attr(ctx, 'alpha', 0.2) - 1 / 6) > 1e-6 || attr<number>(ctx, 'beta', 0.5) !== 0.5)
      fail(ctx, "only PyTorch's Hardsigmoid (alpha 1/6, beta 0.5) is a layer");
    return layer('Hardsigmoid');
  },
  Gelu: (ctx) => layer('GELU', { approximate: attr(ctx, 'approximate', 'none') }),
  Softmax: (ctx) => layer('Softmax', { dim: attr(ctx, 'axis', -1) }),
  LogSoftmax: (ctx) => layer('LogSoftmax', { dim: attr(ctx, 'axis', -1) }),
  Clip: clip,
  Dropout: () => null,
  Identity: () => null,
};

/** The float32 (or int64, as numbers) values of a TensorProto. */
function valuesOf(t: onnxProto.onnx.ITensorProto): Weight {
  const dims = (t.dims ?? []).map(Number);
  const raw = t.rawData;
  const type = t.dataType ?? 0;
  if (type === 1 || type === 11 || type === 7) {
    if (raw !== null && raw !== undefined && raw.length > 0) {
      // A copy: in Node, protobufjs hands out bytes as a Buffer, a view into a shared pool.
      const buf = Uint8Array.from(raw).buffer;
      const a =
        type === 1
          ? new Float32Array(buf)
          : type === 11
            ? new Float64Array(buf)
            : new BigInt64Array(buf);
      return { dims, values: Float32Array.from(a, Number) };
    }
    const list = (type === 1 ? t.floatData : type === 11 ? t.doubleData : t.int64Data) ?? [];
    return { dims, values: Float32Array.from(list as ArrayLike<number>, Number) };
  }
  throw new OnnxImportError(
    `importOnnx: weight '${t.name ?? ''}' has ONNX data type ${type}; float32 and float64 weights are supported`,
  );
}

function decode(bytes: Uint8Array): onnxProto.onnx.IGraphProto {
  let graph: onnxProto.onnx.IGraphProto | null | undefined;
  try {
    graph = onnx.ModelProto.decode(bytes).graph;
  } catch (e) {
    throw new OnnxImportError(`importOnnx: not an ONNX model (${(e as Error).message})`);
  }
  if (graph === null || graph === undefined)
    throw new OnnxImportError('importOnnx: the model has no graph');
  return graph;
}

/** The weights of a graph: its initializers and its Constant nodes' values, by name. */
function weightsOf(graph: onnxProto.onnx.IGraphProto): Map<string, Weight> {
  const weights = new Map<string, Weight>();
  for (const t of graph.initializer ?? []) weights.set(t.name ?? '', valuesOf(t));
  for (const n of graph.node ?? []) {
    const value = n.attribute?.find((a) => a.name === 'value')?.t;
    if (n.opType === 'Constant' && value !== null && value !== undefined)
      weights.set(n.output?.[0] ?? '', valuesOf(value));
    // A transposed weight matrix (exportOnnx's Linear on inputs of rank 3 or more).
    const w = weights.get(n.input?.[0] ?? '');
    if (n.opType === 'Transpose' && w !== undefined && w.dims.length === 2)
      weights.set(n.output?.[0] ?? '', transposed(w));
  }
  return weights;
}

/** The layers of the chain from the graph's input to its output. */
function chain(graph: onnxProto.onnx.IGraphProto, weights: Map<string, Weight>): ImportedLayer[] {
  const inputs = (graph.input ?? []).filter((i) => !weights.has(i.name ?? ''));
  if (inputs.length !== 1)
    throw new OnnxImportError(
      `importOnnx: the graph has ${inputs.length} inputs; a chain of layers has one`,
    );
  let current = inputs[0].name ?? '';
  let rank = inputs[0].type?.tensorType?.shape?.dim?.length ?? 0;
  const layers: ImportedLayer[] = [];
  // The nodes that compute weights (Constant, a weight's Transpose) are not layers.
  const nodes = (graph.node ?? []).filter((n) => !weights.has(n.output?.[0] ?? ''));
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k];
    const ctx: NodeContext = { node, rank, weight: (i) => weights.get(node.input?.[i] ?? '') };
    if (node.input?.[0] !== current)
      fail(
        ctx,
        'does not continue the chain from the graph input (only chains of layers are imported)',
      );
    const next = nodes[k + 1];
    let made: ImportedLayer | null;
    if (node.opType === 'MatMul') {
      const w = ctx.weight(1);
      if (w === undefined || w.dims.length !== 2)
        fail(ctx, 'only a product with a constant matrix is a layer');
      const hasBias =
        next?.opType === 'Add' &&
        next.input?.[0] === node.output?.[0] &&
        weights.has(next.input?.[1] ?? '');
      made = linearLayer(transposed(w), hasBias ? weights.get(next.input?.[1] ?? '') : undefined);
      if (hasBias) k++;
      current = (hasBias ? next : node).output?.[0] ?? '';
    } else {
      const reader = READERS[node.opType ?? ''];
      if (reader === undefined)
        fail(
          ctx,
          `has no nabla layer; importOnnx reads MatMul (+ Add), ${Object.keys(READERS).join(', ')}`,
        );
      made = reader(ctx);
      current = node.output?.[0] ?? '';
    }
    if (made !== null) layers.push(made);
    if (node.opType === 'Flatten' || node.opType === 'Gemm') rank = 2;
    if (node.opType === 'Reshape') rank = ctx.weight(1)?.dims[0] ?? rank;
  }
  const output = graph.output?.[0]?.name;
  if (graph.output?.length !== 1 || output !== current)
    throw new OnnxImportError(
      `importOnnx: the chain ends at '${current}', not at the graph's single output`,
    );
  return layers;
}

/**
 * A trainable nabla `Sequential` from an ONNX model whose graph is a chain of layers — each node
 * feeding the next, as `torch.onnx.export` writes an `nn.Sequential` (Gemm or MatMul + Add as
 * Linear, Conv, ConvTranspose, the pools, BatchNormalization, LayerNormalization, Flatten, the
 * activations; Dropout and Identity are dropped). Weights are float32. A graph that is not a
 * chain, or an operator without a layer, is an {@link OnnxImportError} naming the node.
 *
 * @example
 * // From PyTorch: torch.onnx.export(model, x, 'model.onnx', opset_version=17); then in nabla
 * // `const model = importOnnx(readFileSync('model.onnx'))` trains on like any nabla model.
 * importOnnx(new Uint8Array([8, 1])); // throws importOnnx: the model has no graph
 */
export function importOnnx(bytes: Uint8Array): Module {
  if (!(bytes instanceof Uint8Array))
    refuse({ where: 'importOnnx' }, 'bytes', 'a Uint8Array (an ONNX file)', bytes, TypeError);
  const graph = decode(bytes);
  const layers = chain(graph, weightsOf(graph));
  const model = moduleFromConfig({
    type: 'Sequential',
    layers: layers.map((l) => l.config),
  } as never);
  const state: Record<string, Tensor> = {};
  layers.forEach((l, i) => {
    for (const [k, t] of Object.entries(l.state)) state[`${i}.${k}`] = t;
  });
  model.loadStateDict(state);
  return model;
}
