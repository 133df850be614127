/**
 * The network and the loss the settings describe, built with nabla exactly as a user would build
 * them. The worker trains this model; the page keeps a copy with the worker's latest weights to
 * draw the boundary, the neurons and the backward pass.
 */
import {
  crossEntropy,
  mlp,
  mseLoss,
  oneHot,
  type Generator,
  type Module,
  type Tensor,
} from 'nabla';
import { classCount, layerSizes, type Settings } from './settings.js';

/** A fresh network for the settings, its initial weights drawn from `generator`. */
export function buildModel(s: Settings, generator: Generator): Module {
  return mlp(layerSizes(s), {
    activation: s.activation,
    dropout: s.dropout > 0 ? s.dropout : undefined,
    generator,
  });
}

/**
 * The loss of a batch: cross-entropy on the logits, or squared error — of the softmax against the
 * one-hot labels for classes (the lectures' squared error on the outputs), or of the output against
 * the target in regression. Mean over the batch, as in PyTorch.
 */
export function lossOf(s: Settings, output: Tensor, target: Tensor): Tensor {
  if (s.mode === 'regression') return mseLoss(output.reshape([-1]), target);
  if (s.loss === 'crossEntropy') return crossEntropy(output, target);
  return mseLoss(output.softmax(-1), oneHot(target, classCount(s)).to('float32'));
}
