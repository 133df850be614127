import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { clamp } from './composite.js';
import { expectTensor } from './kernels.js';
import { reduce, reductionOf, sameShape, type LossOptions, type Reduction } from './loss.js';

/**
 * Regression and distribution losses beside `loss.ts`, composed of primitives, with PyTorch's
 * formulas, arguments and defaults. The input and the target must have the same shape (nabla
 * does not broadcast them, as PyTorch warns it would).
 */

function checkNonNegative(value: unknown, name: string, op: string, positive = false): number {
  if (typeof value !== 'number' || !(positive ? value > 0 : value >= 0) || !Number.isFinite(value))
    throw new RangeError(
      `${op}: ${name} must be a ${positive ? 'positive' : 'non-negative'} finite number, got ${String(value)}`,
    );
  return value;
}

/**
 * Mean absolute error |input − target|, as PyTorch's `l1_loss` (gradient 0 where they are equal).
 *
 * @example
 * l1Loss(tensor([1, 2]), tensor([1, 4])).item(); // => 1
 */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  sameShape(input, target, 'l1Loss');
  return reduce(input.sub(target).abs(), options.reduction, 'l1Loss');
}

/**
 * ½d²/β where |d| < β, else |d| − ½β (d = input − target; β default 1; β = 0 is the L1 loss), as
 * PyTorch's `smooth_l1_loss`.
 *
 * @example
 * smoothL1Loss(tensor([0, 0]), tensor([0.5, 3])).item(); // => 1.3125
 */
export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  options: LossOptions & { beta?: number } = {},
): Tensor {
  sameShape(input, target, 'smoothL1Loss');
  const beta = checkNonNegative(options.beta ?? 1, 'beta', 'smoothL1Loss');
  const d = input.sub(target);
  const abs = d.abs();
  // β = 0 is plain L1: the quadratic branch would divide by 0 (and its gradient be NaN).
  const loss =
    beta === 0 ? abs : where(abs.lt(beta), d.mul(d).mul(0.5 / beta), abs.sub(0.5 * beta));
  return reduce(loss, options.reduction, 'smoothL1Loss');
}

/**
 * ½d² where |d| < δ, else δ(|d| − ½δ) (δ default 1), as PyTorch's `huber_loss`: δ times the
 * smooth L1 loss with β = δ.
 *
 * @example
 * huberLoss(tensor([0, 0]), tensor([0.5, 3]), { delta: 2 }).item(); // => 2.0625
 */
export function huberLoss(
  input: Tensor,
  target: Tensor,
  options: LossOptions & { delta?: number } = {},
): Tensor {
  sameShape(input, target, 'huberLoss');
  const delta = checkNonNegative(options.delta ?? 1, 'delta', 'huberLoss', true);
  const d = input.sub(target);
  const abs = d.abs();
  const loss = where(abs.lt(delta), d.mul(d).mul(0.5), abs.sub(0.5 * delta).mul(delta));
  return reduce(loss, options.reduction, 'huberLoss');
}

/** Options of `klDiv`, as PyTorch's `kl_div`. */
export interface KlDivOptions {
  /** `mean` (the default: over every element, as PyTorch), `batchmean` (the sum over the batch size: the true KL divergence), `sum` or `none`. */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities (default false). */
  logTarget?: boolean;
}

/**
 * The Kullback–Leibler divergence of the target from the input, the input given as
 * log-probabilities: target·(log target − input), 0 where the target is 0 (or, with `logTarget`,
 * e^target·(target − input)), as PyTorch's `kl_div`. Use `reduction: 'batchmean'` for the true KL
 * divergence of each sample, averaged.
 *
 * @example
 * klDiv(tensor([[0, 0]]).logSoftmax(), tensor([[1, 0]]), { reduction: 'batchmean' }).item(); // ≈ 0.6931
 */
export function klDiv(input: Tensor, target: Tensor, options: KlDivOptions = {}): Tensor {
  sameShape(input, target, 'klDiv');
  let loss: Tensor;
  if (options.logTarget) loss = target.exp().mul(target.sub(input));
  else {
    // t·log t taken as 0 at t = 0 (xlogy), its gradient kept finite there.
    const zero = target.eq(0);
    const tLogT = where(zero, 0, target.mul(where(zero, 1, target).log()));
    loss = tLogT.sub(target.mul(input));
  }
  if (options.reduction === 'batchmean') {
    return input.ndim === 0 ? loss.sum() : loss.sum().div(input.shape[0]);
  }
  return reduce(loss, options.reduction, 'klDiv');
}

/**
 * 1 − cos(x1, x2) where y = 1, max(0, cos(x1, x2) − margin) where y = −1 (margin default 0), the
 * cosine taken along the last axis of [N, D] (or [D]) inputs with PyTorch's ε = 1e-12 added to
 * each squared norm, as PyTorch's `cosine_embedding_loss`.
 *
 * @example
 * cosineEmbeddingLoss(tensor([[1, 0]]), tensor([[0, 1]]), tensor([1])).item(); // => 1
 */
export function cosineEmbeddingLoss(
  x1: Tensor,
  x2: Tensor,
  y: Tensor,
  options: LossOptions & { margin?: number } = {},
): Tensor {
  sameShape(x1, x2, 'cosineEmbeddingLoss');
  expectTensor(y, 'cosineEmbeddingLoss', 'the target');
  if (
    !(x1.ndim === 1 || x1.ndim === 2) ||
    y.ndim !== x1.ndim - 1 ||
    (x1.ndim === 2 && y.shape[0] !== x1.shape[0])
  )
    throw new RangeError(
      `cosineEmbeddingLoss: expected inputs [N, D] with a target [N] (or [D] with a 0-d target), got ${formatShape(x1.shape)} and ${formatShape(y.shape)}`,
    );
  const margin = options.margin ?? 0;
  reductionOf(options.reduction, 'cosineEmbeddingLoss');
  const axis = x1.ndim - 1;
  const squared = (x: Tensor): Tensor => x.mul(x).sum(axis).add(1e-12);
  const cos = x1
    .mul(x2)
    .sum(axis)
    .div(squared(x1).mul(squared(x2)).sqrt());
  const loss = where(y.eq(1), cos.neg().add(1), 0).add(
    where(y.eq(-1), clamp(cos.sub(margin), 0), 0),
  );
  return reduce(loss, options.reduction, 'cosineEmbeddingLoss');
}
