import { checkInteger, checkObject, fail, formatValue } from '../tensor/check.js';
import type { Generator } from '../tensor/random.js';
import { activation, type ActivationName } from './activation.js';
import type { FloatDType } from './config-fields.js';
import { Dropout } from './dropout.js';
import type { InitScheme } from './init.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import { Sequential } from './sequential.js';

// The activation table lives with the activations; these names stay importable from here.
export { ACTIVATIONS, activation, type ActivationName } from './activation.js';

/** Options of `mlp`. */
export interface MlpOptions {
  /** The hidden layers' activation (default relu). */
  activation?: ActivationName;
  /** An activation after the last layer (default none: the network outputs logits). */
  outputActivation?: ActivationName;
  /** Dropout probability after each hidden activation (default 0: none). */
  dropout?: number;
  /** Weight initialization of every Linear layer (default PyTorch's). */
  init?: InitScheme;
  /** Where the initial weights come from. */
  generator?: Generator;
  /** float32 (default) or float64 weights. */
  dtype?: FloatDType;
}

const MLP = { where: 'mlp' };

/**
 * A multi-layer perceptron: Linear layers between the given sizes, an activation after each
 * hidden layer (and dropout if asked), optionally an output activation.
 *
 * @example
 * const net = mlp([784, 128, 10], { activation: 'relu', dropout: 0.2 });
 * // Sequential(Linear(784→128), ReLU, Dropout(0.2), Linear(128→10))
 */
export function mlp(sizes: readonly number[], options: MlpOptions = {}): Sequential {
  if (!Array.isArray(sizes)) fail(MLP, 'sizes', 'an array of layer sizes', sizes, TypeError);
  if (sizes.length < 2) {
    throw new RangeError(
      `mlp: needs at least an input and an output size, got ${formatValue(sizes)}`,
    );
  }
  sizes.forEach((n, i) => checkInteger(MLP, `sizes[${i}]`, n, 1));
  checkObject(MLP, 'options', options);
  const layers: Module[] = [];
  const hidden = options.activation ?? 'relu';
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(
      new Linear(sizes[i], sizes[i + 1], {
        init: options.init,
        generator: options.generator,
        dtype: options.dtype,
      }),
    );
    if (i + 2 < sizes.length) {
      layers.push(activation(hidden));
      if (options.dropout) layers.push(new Dropout(options.dropout));
    }
  }
  if (options.outputActivation !== undefined) layers.push(activation(options.outputActivation));
  const net = new Sequential(...layers);
  net.namedParameters(); // the parameters take their paths (0.weight, …) as names, for pictures
  return net;
}
