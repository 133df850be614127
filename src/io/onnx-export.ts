/**
 * ONNX export: a model built from nabla's layers as an ONNX graph (opset 17), its weights under
 * their state-dict names and its batch dimension left free, for ONNX Runtime and every other
 * runtime that reads ONNX.
 *
 * @module
 */
import type onnxProto from 'onnx-proto';
import { noGrad } from '../autograd/mode.js';
import { evalMode, Module } from '../nn/module.js';
import { checkObject, fail } from '../tensor/check.js';
import { Tensor } from '../tensor/tensor.js';
import { ACTIVATIONS } from './onnx-activations.js';
import { ONNX_ELEMENT_TYPE, OnnxGraph, onnx } from './onnx-graph.js';
import { OnnxExportError } from './onnx-errors.js';
import { LAYERS, type Layer, type LayerWriter } from './onnx-layers.js';

export { OnnxExportError } from './onnx-errors.js';

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** The ONNX operator set (17 or newer; default 17). */
  opset?: number;
  /** The graph input's name (default `input`). */
  inputName?: string;
  /** The graph output's name (default `output`). */
  outputName?: string;
  /** Leave the batch dimension free, named `batch` (default true); false fixes the example's. */
  dynamicBatch?: boolean;
}

/** The module types exportOnnx writes, for error messages. */
const SUPPORTED = ['Sequential', ...Object.keys(LAYERS), ...Object.keys(ACTIVATIONS)];

/** The input shape each module saw when the model ran on the example input. */
function inputShapes(
  model: Module,
  example: Tensor,
): { shapes: Map<Module, number[]>; out: Tensor } {
  const shapes = new Map<Module, number[]>();
  const removers = model
    .namedModules()
    .map(([, m]) => m.registerForwardHook((mod, inputs) => shapes.set(mod, [...inputs[0].shape])));
  try {
    const out = evalMode(model, () => noGrad(() => model.call(example)));
    return { shapes, out };
  } finally {
    for (const remove of removers) remove();
  }
}

function configOf(module: Module, prefix: string): Readonly<Record<string, unknown>> {
  try {
    return module.toConfig() as unknown as Record<string, unknown>;
  } catch {
    const at = prefix === '' ? '' : ` (at '${prefix.slice(0, -1)}')`;
    throw new OnnxExportError(
      `exportOnnx: ${module.constructor.name}${at} is not one of nabla's layers; ONNX export supports ${SUPPORTED.join(', ')}`,
    );
  }
}

/** Writes `module`'s nodes for input `x` (Sequential: its layers in turn); returns its output. */
function write(
  g: OnnxGraph,
  module: Module,
  prefix: string,
  x: string,
  shapes: Map<Module, number[]>,
): string {
  const config = configOf(module, prefix);
  if (config.type === 'Sequential') {
    let y = x;
    for (const [name, child] of module.namedChildren())
      y = write(g, child, `${prefix}${name}.`, y, shapes);
    return y;
  }
  const type = String(config.type);
  const activation = ACTIVATIONS[type];
  const writer: LayerWriter | undefined =
    LAYERS[type] ??
    (activation === undefined ? undefined : (gr, v, l) => activation(gr, v, l.config));
  const inShape = shapes.get(module);
  const layer: Layer = { config, state: module.stateDict(), prefix, inShape: inShape ?? [] };
  if (writer === undefined) {
    const at = prefix === '' ? '' : ` (at '${prefix.slice(0, -1)}')`;
    throw new OnnxExportError(
      `exportOnnx: ${type}${at} has no ONNX form yet; ONNX export supports ${SUPPORTED.join(', ')}`,
    );
  }
  if (inShape === undefined)
    throw new OnnxExportError(
      `exportOnnx: ${type} at '${prefix}' did not run on the example input`,
    );
  return writer(g, x, layer);
}

function valueInfo(
  name: string,
  elemType: number,
  shape: readonly number[],
  dynamicBatch: boolean,
): onnxProto.onnx.IValueInfoProto {
  const dim = shape.map((d, i) =>
    i === 0 && dynamicBatch ? { dimParam: 'batch' } : { dimValue: d },
  );
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/**
 * The ONNX model (its protobuf bytes) of a model built from nabla's layers: Sequential, Linear,
 * the convolution, pooling and normalization layers, Flatten, Dropout (the identity, as in
 * evaluation mode) and the activation modules. The model runs once on `exampleInput` (in
 * evaluation mode, without recording gradients) to learn each layer's input shape. Weights keep
 * their state-dict names; the batch dimension is named `batch` and left free. A layer without an
 * ONNX form is an {@link OnnxExportError} naming it.
 *
 * @example
 * const model = mlp([4, 8, 3]);
 * const bytes = exportOnnx(model, zeros([1, 4]));
 * bytes.length > 0; // => true
 */
export function exportOnnx(
  model: Module,
  exampleInput: Tensor,
  options: ExportOnnxOptions = {},
): Uint8Array {
  if (!(model instanceof Module))
    fail({ where: 'exportOnnx' }, 'model', 'a Module', model, TypeError);
  if (!(exampleInput instanceof Tensor))
    fail({ where: 'exportOnnx' }, 'exampleInput', 'a Tensor', exampleInput, TypeError);
  checkObject({ where: 'exportOnnx' }, 'options', options);
  const opset = options.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 17)
    throw new RangeError(
      `exportOnnx: opset must be an integer of at least 17, got ${String(opset)}`,
    );
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  const dynamicBatch = options.dynamicBatch ?? true;
  const dtype = model.parameters()[0]?.dtype ?? exampleInput.dtype;
  const elemType = ONNX_ELEMENT_TYPE[dtype];
  if (elemType === undefined || exampleInput.dtype !== dtype)
    throw new OnnxExportError(
      `exportOnnx: the weights and the example input must both be float32 or float64, got ${dtype} and ${exampleInput.dtype}`,
    );
  const { shapes, out } = inputShapes(model, exampleInput);
  const g = new OnnxGraph(elemType);
  g.fresh(inputName);
  g.fresh(outputName);
  const y = write(g, model, '', inputName, shapes);
  g.nodes.push({
    opType: 'Identity',
    name: g.fresh('output_identity'),
    input: [y],
    output: [outputName],
  });
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'nabla',
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'nabla',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(inputName, elemType, exampleInput.shape, dynamicBatch)],
      output: [valueInfo(outputName, elemType, out.shape, dynamicBatch)],
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}
