import { gelu, leakyRelu } from '../ops/composite.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module, type ModuleConfig } from './module.js';

/** max(x, 0). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return x.relu();
  }
  override toConfig(): ModuleConfig {
    return { type: 'ReLU' };
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
  override toConfig(): ModuleConfig {
    return { type: 'Tanh' };
  }
}

/** The logistic function 1/(1 + e^−x). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
  override toConfig(): ModuleConfig {
    return { type: 'Sigmoid' };
  }
}

/**
 * The unit step θ(s) = 1 for s > 0, else 0: the perceptron's activation. Its derivative is 0
 * everywhere, so gradient descent cannot train the layers below it — the lectures' reason for
 * smooth activations.
 */
export class Step extends Module {
  forward(x: Tensor): Tensor {
    return x.step();
  }
  override toConfig(): ModuleConfig {
    return { type: 'Step' };
  }
}

/** x for x > 0, else negativeSlope·x (default 0.01). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override toConfig(): ModuleConfig {
    return { type: 'LeakyReLU', negativeSlope: this.negativeSlope };
  }
  override toString(): string {
    return `LeakyReLU(${this.negativeSlope})`;
  }
}

/** x·Φ(x), exactly (erf) or with the tanh approximation. */
export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
  }
  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }
  override toConfig(): ModuleConfig {
    return { type: 'GELU', approximate: this.approximate };
  }
}

/** exp(x) / Σ exp(x) along `dim` (default −1). */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.softmax(this.dim);
  }
  override toConfig(): ModuleConfig {
    return { type: 'Softmax', dim: this.dim };
  }
  override toString(): string {
    return `Softmax(dim=${this.dim})`;
  }
}

/** log softmax along `dim` (default −1). */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.logSoftmax(this.dim);
  }
  override toConfig(): ModuleConfig {
    return { type: 'LogSoftmax', dim: this.dim };
  }
  override toString(): string {
    return `LogSoftmax(dim=${this.dim})`;
  }
}

/** Merges dimensions startDim…endDim (default 1…−1: everything but the batch). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
  override toConfig(): ModuleConfig {
    return { type: 'Flatten', startDim: this.startDim, endDim: this.endDim };
  }
}
