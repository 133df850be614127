import { backend } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  checkBoolean,
  checkNonNegative,
  resolveOptions,
  type CheckContext,
} from '../tensor/check.js';
import {
  Optimizer,
  type OptimizerParams,
  type ParamGroup,
  type ParamGroupInit,
  type ParamState,
} from './optimizer.js';

/** The hyperparameters of {@link Adagrad}. */
export interface AdagradOptions {
  /** Learning rate η (default 1e-2). */
  lr: number;
  /** Learning-rate decay: step t uses η / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty λ: adds λ·w to the gradient (default 0). */
  weightDecay: number;
  /** The starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** ε, added to the square root to avoid dividing by zero (default 1e-10). */
  eps: number;
  /** Ascend the objective instead of descending it (default false). */
  maximize: boolean;
}

const DEFAULTS: AdagradOptions = {
  lr: 1e-2,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  maximize: false,
};

/**
 * Adagrad, as PyTorch's `torch.optim.Adagrad`: each weight's step is divided by the root of the
 * sum of all its squared gradients so far, so weights with large past gradients move less.
 *
 * With gradient g at step t (negated first when `maximize`), element-wise:
 *
 * ```text
 * η̃ ← η / (1 + (t − 1)·lrDecay)
 * g ← g + λ·w                       if weightDecay λ ≠ 0
 * s ← s + g²                         (s starts at initialAccumulatorValue)
 * w ← w − η̃·g / (√s + ε)
 * ```
 *
 * Defaults: lr 1e-2, lrDecay 0, weightDecay 0, initialAccumulatorValue 0, eps 1e-10,
 * maximize false. State per parameter: `step` (t) and `sum` (s), made when the optimizer is
 * constructed (as PyTorch does).
 *
 * **The lecture form** puts ε inside the square root: w ← w − η·G/√(Σg² + ε). PyTorch, and this
 * class, put it outside: w ← w − η·G/(√Σg² + ε). Both only keep the division finite: since
 * √s ≤ √(s + ε) ≤ √s + √ε, the two agree to a relative difference below √ε/√s, negligible once
 * Σg² is much larger than ε. They differ only while Σg² ≈ 0 (tiny or no gradients so far), where
 * an ε inside the root acts like an outside ε of √ε (so the lecture's ε = 1e-8 behaves about like
 * eps = 1e-4 here).
 *
 * @example
 * const w = tensor([3, -1], { requiresGrad: true });
 * const opt = new Adagrad([w], { lr: 0.5 });
 * for (let i = 0; i < 200; i++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward();
 *   opt.step();
 * }
 * // w is now close to [0, 0]
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: OptimizerParams<AdagradOptions>, options?: Partial<AdagradOptions>) {
    super(params, resolveOptions('Adagrad', options, DEFAULTS), 'Adagrad');
  }

  protected override checkHyperparameters(h: AdagradOptions, ctx: CheckContext): void {
    super.checkHyperparameters(h, ctx);
    checkNonNegative(ctx, 'lrDecay', h.lrDecay);
    checkNonNegative(ctx, 'weightDecay', h.weightDecay);
    checkNonNegative(ctx, 'initialAccumulatorValue', h.initialAccumulatorValue);
    checkNonNegative(ctx, 'eps', h.eps);
    checkBoolean(ctx, 'maximize', h.maximize);
  }

  /** Adds the group and, as PyTorch does, sets each new parameter's `step` and `sum` at once. */
  override addParamGroup(init: ParamGroupInit<AdagradOptions>): void {
    super.addParamGroup(init);
    const group = this.paramGroups[this.paramGroups.length - 1];
    for (const p of group.params) {
      const state: ParamState = { step: 0 };
      this.buffer(state, 'sum', p, group.initialAccumulatorValue);
      this.state.set(p, state);
    }
  }

  protected override update(
    param: Tensor,
    grad: Tensor,
    group: ParamGroup<AdagradOptions>,
    state: ParamState,
  ): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    const t = this.countStep(state);
    const clr = lr / (1 + (t - 1) * lrDecay);
    const s = this.buffer(state, 'sum', param, group.initialAccumulatorValue);
    backend().adagradStep(param.data, grad.data, s, { clr, weightDecay, eps, maximize });
  }
}
