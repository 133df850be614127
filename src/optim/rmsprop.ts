import { backend } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  checkBoolean,
  checkNonNegative,
  resolveOptions,
  type CheckContext,
} from '../tensor/check.js';
import { Optimizer, type OptimizerParams, type ParamGroup, type ParamState } from './optimizer.js';

/** The hyperparameters of {@link RMSprop}. */
export interface RMSpropOptions {
  /** Learning rate η (default 1e-2). */
  lr: number;
  /** Smoothing constant α of the running average of squared gradients (default 0.99). */
  alpha: number;
  /** ε, added to the square root to avoid dividing by zero (default 1e-8). */
  eps: number;
  /** L2 penalty λ: adds λ·w to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Divide by an estimate of the gradient's variance instead of its second moment (default false). */
  centered: boolean;
  /** Ascend the objective instead of descending it (default false). */
  maximize: boolean;
}

const DEFAULTS: RMSpropOptions = {
  lr: 1e-2,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  maximize: false,
};

/**
 * RMSProp, as PyTorch's `torch.optim.RMSprop`: like Adagrad, but dividing by the root of an
 * exponentially weighted *average* of squared gradients, so old gradients are forgotten.
 *
 * With gradient g (negated first when `maximize`), element-wise, all averages starting at 0:
 *
 * ```text
 * g ← g + λ·w                          if weightDecay λ ≠ 0
 * v ← α·v + (1 − α)·g²
 * d ← √v + ε,  or if centered:  ḡ ← α·ḡ + (1 − α)·g,  d ← √(v − ḡ²) + ε
 * b ← μ·b + g/d,  w ← w − η·b          if momentum μ > 0
 * w ← w − η·g/d                         otherwise
 * ```
 *
 * Defaults: lr 1e-2, alpha 0.99, eps 1e-8, weightDecay 0, momentum 0, centered false,
 * maximize false. State per parameter: `step`, `squareAvg` (v), `momentumBuffer` (b, when
 * momentum > 0) and `gradAvg` (ḡ, when centered).
 *
 * **The lecture form** r ← ρ·r + (1 − ρ)·g², w ← w − η·g/√(r + ε) is this rule with α = ρ
 * (PyTorch's default 0.99; lectures and Keras often use 0.9) and momentum 0, except that ε sits
 * inside the square root there and outside here. As for Adagrad, the two agree once r ≫ ε and
 * differ only while r ≈ 0, where an ε inside acts like an outside ε of √ε.
 *
 * @example
 * const w = tensor([3, -1], { requiresGrad: true });
 * const opt = new RMSprop([w], { lr: 0.01 });
 * for (let i = 0; i < 500; i++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward();
 *   opt.step();
 * }
 * // w is now within about lr of [0, 0]
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: OptimizerParams<RMSpropOptions>, options?: Partial<RMSpropOptions>) {
    super(params, resolveOptions('RMSprop', options, DEFAULTS), 'RMSprop');
  }

  protected override checkHyperparameters(h: RMSpropOptions, ctx: CheckContext): void {
    super.checkHyperparameters(h, ctx);
    checkNonNegative(ctx, 'alpha', h.alpha);
    checkNonNegative(ctx, 'eps', h.eps);
    checkNonNegative(ctx, 'weightDecay', h.weightDecay);
    checkNonNegative(ctx, 'momentum', h.momentum);
    checkBoolean(ctx, 'centered', h.centered);
    checkBoolean(ctx, 'maximize', h.maximize);
  }

  protected override update(
    param: Tensor,
    grad: Tensor,
    group: ParamGroup<RMSpropOptions>,
    state: ParamState,
  ): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    this.countStep(state);
    const v = this.buffer(state, 'squareAvg', param);
    const b = momentum > 0 ? this.buffer(state, 'momentumBuffer', param) : null;
    const ga = centered ? this.buffer(state, 'gradAvg', param) : null;
    backend().rmspropStep(param.data, grad.data, v, b, ga, {
      lr,
      alpha,
      eps,
      weightDecay,
      momentum,
      maximize,
    });
  }
}
