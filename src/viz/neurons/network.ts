/**
 * The network a neuron diagram draws and the example it runs: the Linear layers, the width of each
 * layer of neurons, each layer's activations and, when asked for, the weights' gradients.
 *
 * @module
 */
import { gradients } from '../../autograd/engine.js';
import { Linear } from '../../nn/linear.js';
import type { Module } from '../../nn/module.js';
import { Sequential } from '../../nn/sequential.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { NeuronDiagramOptions } from '../neurons.js';

/** The Linear layers of a model and the width of each layer of neurons (inputs first). */
export interface Network {
  /** The model's layers in order (the model itself when it is not a Sequential). */
  layers: readonly Module[];
  linears: Linear[];
  /** Neurons per layer: the first Linear's inputs, then each Linear's outputs. */
  sizes: number[];
}

/** The example's numbers: each layer's activations and the weights' gradients, when asked for. */
export interface ExampleRun {
  /** Each layer's activations (after its activation function) for the example, inputs first. */
  acts: number[][] | undefined;
  /** ∂e/∂W of each Linear layer, when asked for. */
  grads: Tensor[] | undefined;
}

/** The network of a model, refusing one without a Linear layer or with too many neurons to draw. */
export function networkOf(model: Module, compact: boolean): Network {
  const layers = model instanceof Sequential ? model.layers : [model];
  const linears = layers.filter((l): l is Linear => l instanceof Linear);
  if (linears.length === 0) throw new TypeError('neuronDiagram: the model has no Linear layer');
  const sizes = [linears[0].inFeatures, ...linears.map((l) => l.outFeatures)];
  const neurons = sizes.reduce((a, b) => a + b, 0);
  const limit = compact ? 100 : 80;
  if (neurons > limit)
    throw new RangeError(
      `neuronDiagram: ${neurons} neurons are too many to draw legibly (at most ${limit}${compact ? '' : '; 100 with compact: true'})`,
    );
  return { layers, linears, sizes };
}

/** The example as one row [1, features] (the first row of a batch), checked against the network's inputs. */
export function exampleRow(x: Tensor | undefined, inputs: number): Tensor | undefined {
  const input = x === undefined ? undefined : x.ndim === 1 ? x.unsqueeze(0) : x.narrow(0, 0, 1);
  if (input !== undefined && input.shape[1] !== inputs)
    throw new RangeError(
      `neuronDiagram: the example has ${input.shape[1]} features but the network takes ${inputs}`,
    );
  return input;
}

/** The example's error at the output `o`: cross-entropy for an int32 label, else squared error. */
function exampleError(o: Tensor, t: Tensor): Tensor {
  return t.dtype === 'int32'
    ? o
        .logSoftmax(-1)
        .gather(1, t.reshape([1, 1]))
        .neg()
        .sum()
    : o.sub(t.reshape(o.shape)).square().sum();
}

/**
 * Runs the model on the example in eval mode (leaving its mode as it was): each layer's
 * activations, and with `options.gradients` the error's gradient for each Linear layer's weights.
 */
export function runExample(
  model: Module,
  net: Network,
  input: Tensor | undefined,
  options: NeuronDiagramOptions,
): ExampleRun {
  if (input === undefined) {
    if (options.gradients) throw new TypeError('neuronDiagram: gradients need an example x');
    return { acts: undefined, grads: undefined };
  }
  const wasTraining = model.training;
  model.eval();
  const acts = [Array.from(input.data)];
  let grads: Tensor[] | undefined;
  try {
    let o = input;
    const outputs: Tensor[] = [];
    for (const layer of net.layers) {
      o = layer.call(o);
      if (layer instanceof Linear) outputs.push(o);
      else if (outputs.length > 0) outputs[outputs.length - 1] = o;
    }
    for (const t of outputs) acts.push(Array.from(t.data));
    if (options.gradients) {
      if (options.target === undefined)
        throw new TypeError('neuronDiagram: gradients need the example’s target');
      const e = exampleError(o, options.target);
      grads = gradients(
        e,
        net.linears.map((l) => l.weight),
        { retainGraph: false },
      );
    }
  } finally {
    model.train(wasTraining);
  }
  return { acts, grads };
}
