import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  mseLoss,
  nllLoss,
  type ClassLossOptions,
  type LossOptions,
} from '../ops/loss.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** A loss as a module: `forward(input, target)` returns the loss. */
abstract class Loss extends Module {
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/** Mean squared error as a module (PyTorch's `nn.MSELoss`). */
export class MSELoss extends Loss {
  constructor(readonly options: LossOptions = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.options);
  }
}

/** Binary cross-entropy on probabilities (PyTorch's `nn.BCELoss`). */
export class BCELoss extends Loss {
  constructor(readonly options: LossOptions & { weight?: Tensor } = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, this.options);
  }
}

/** Binary cross-entropy on logits (PyTorch's `nn.BCEWithLogitsLoss`). */
export class BCEWithLogitsLoss extends Loss {
  constructor(
    readonly options: LossOptions & { weight?: Tensor; posWeight?: Tensor | number } = {},
  ) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, this.options);
  }
}

/** Softmax cross-entropy on logits and class labels (PyTorch's `nn.CrossEntropyLoss`). */
export class CrossEntropyLoss extends Loss {
  constructor(readonly options: ClassLossOptions & { labelSmoothing?: number } = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, this.options);
  }
}

/** Negative log-likelihood on log-probabilities (PyTorch's `nn.NLLLoss`). */
export class NLLLoss extends Loss {
  constructor(readonly options: ClassLossOptions = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, this.options);
  }
}
