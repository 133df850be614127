import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  mseLoss,
  nllLoss,
  type ClassLossOptions,
  type LossOptions,
} from '../ops/loss.js';
import {
  cosineEmbeddingLoss,
  huberLoss,
  klDiv,
  l1Loss,
  smoothL1Loss,
  type KlDivOptions,
} from '../ops/losses.js';
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

/** Mean absolute error (PyTorch's `nn.L1Loss`). */
export class L1Loss extends Loss {
  constructor(readonly options: LossOptions = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, this.options);
  }
}

/** Smooth L1 loss with threshold β (PyTorch's `nn.SmoothL1Loss`). */
export class SmoothL1Loss extends Loss {
  constructor(readonly options: LossOptions & { beta?: number } = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, this.options);
  }
}

/** Huber loss with threshold δ (PyTorch's `nn.HuberLoss`). */
export class HuberLoss extends Loss {
  constructor(readonly options: LossOptions & { delta?: number } = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, this.options);
  }
}

/** Kullback–Leibler divergence of the target from log-probabilities (PyTorch's `nn.KLDivLoss`). */
export class KLDivLoss extends Loss {
  constructor(readonly options: KlDivOptions = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, this.options);
  }
}

/** Cosine embedding loss of two inputs and a ±1 target (PyTorch's `nn.CosineEmbeddingLoss`). */
export class CosineEmbeddingLoss extends Module {
  constructor(readonly options: LossOptions & { margin?: number } = {}) {
    super();
  }
  forward(x1: Tensor, x2: Tensor, target: Tensor): Tensor {
    return cosineEmbeddingLoss(x1, x2, target, this.options);
  }
}
