import { backend } from '../backend/index.js';
import type { TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  checkBoolean,
  checkNonNegative,
  checkUnitInterval,
  fail,
  resolveOptions,
  type CheckContext,
} from '../tensor/check.js';
import { Optimizer, type OptimizerParams, type ParamGroup, type ParamState } from './optimizer.js';

/** The hyperparameters of {@link Adam} and {@link AdamW}. */
export interface AdamOptions {
  /** Learning rate η (default 1e-3). */
  lr: number;
  /** Decay rates [β₁, β₂] of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** ε, added to the square root to avoid dividing by zero (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay: number;
  /** Divide by the largest second-moment average so far (AMSGrad; default false). */
  amsgrad: boolean;
  /** Ascend the objective instead of descending it (default false). */
  maximize: boolean;
}

const ADAM_DEFAULTS: AdamOptions = {
  lr: 1e-3,
  betas: Object.freeze([0.9, 0.999] as const),
  eps: 1e-8,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
};

const ADAMW_DEFAULTS: AdamOptions = { ...ADAM_DEFAULTS, weightDecay: 1e-2 };

function checkAdam(h: AdamOptions, ctx: CheckContext): void {
  const betas: unknown = h.betas;
  if (!Array.isArray(betas) || betas.length !== 2) {
    fail(ctx, 'betas', 'a pair [beta1, beta2]', betas);
  }
  checkUnitInterval(ctx, 'betas[0]', betas[0]);
  checkUnitInterval(ctx, 'betas[1]', betas[1]);
  checkNonNegative(ctx, 'eps', h.eps);
  checkNonNegative(ctx, 'weightDecay', h.weightDecay);
  checkBoolean(ctx, 'amsgrad', h.amsgrad);
  checkBoolean(ctx, 'maximize', h.maximize);
}

/** The step count and state arrays of one parameter. */
interface AdamBuffers {
  t: number;
  m: TypedArray;
  v: TypedArray;
  vmax: TypedArray | null;
}

/**
 * One Adam step for one parameter, in one pass. `decoupled` selects AdamW's weight decay
 * (w ← w·(1 − η·λ)) instead of Adam's L2 term (g ← g + λ·w).
 */
function adamUpdate(
  param: Tensor,
  grad: Tensor,
  group: ParamGroup<AdamOptions>,
  buffers: AdamBuffers,
  decoupled: boolean,
): void {
  const { lr, eps, weightDecay, maximize } = group;
  const [beta1, beta2] = group.betas;
  const { t, m, v, vmax } = buffers;
  const stepSize = lr / (1 - beta1 ** t);
  const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
  const decay = decoupled && weightDecay !== 0 ? 1 - lr * weightDecay : 1;
  const l2 = decoupled ? 0 : weightDecay;
  backend().adamStep(param.data, grad.data, m, v, vmax, {
    beta1,
    beta2,
    eps,
    stepSize,
    bc2Sqrt,
    decay,
    l2,
    maximize,
  });
}

/**
 * Adam, as PyTorch's `torch.optim.Adam`: momentum on the gradient (first moment m) divided by the
 * root of a running average of its square (second moment v), both corrected for starting at 0.
 *
 * With gradient g at step t (negated first when `maximize`), element-wise:
 *
 * ```text
 * g ← g + λ·w                        if weightDecay λ ≠ 0 (L2 penalty, coupled)
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * v̂max ← max(v̂max, v)               if amsgrad (and v below is replaced by it)
 * w ← w − η·m̂ / (√v̂ + ε),   m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
 * ```
 *
 * computed as PyTorch does: w ← w − (η/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε).
 *
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0, amsgrad false,
 * maximize false. State per parameter: `step`, `expAvg` (m), `expAvgSq` (v) and
 * `maxExpAvgSq` (when amsgrad).
 *
 * **The lecture form** is the same rule (Kingma & Ba's, with ε outside the root). Weight decay
 * here is an L2 term added to the gradient, so it is scaled down by √v̂ like the gradient; for
 * decay applied to the weights directly use {@link AdamW}.
 *
 * @example
 * const w = tensor([3, -1], { requiresGrad: true });
 * const opt = new Adam([w], { lr: 0.1 });
 * for (let i = 0; i < 300; i++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward();
 *   opt.step();
 * }
 * // w is now close to [0, 0]
 */
export class Adam extends Optimizer<AdamOptions> {
  /** The defaults and the name in messages of this class (AdamW has its own). */
  static readonly DEFAULTS: AdamOptions = ADAM_DEFAULTS;
  static readonly LABEL: string = 'Adam';

  constructor(params: OptimizerParams<AdamOptions>, options?: Partial<AdamOptions>) {
    const cls = new.target as typeof Adam;
    super(params, resolveOptions(cls.LABEL, options, cls.DEFAULTS), cls.LABEL);
  }

  /** Whether weight decay shrinks the weights directly (AdamW) rather than entering the gradient. */
  protected get decoupled(): boolean {
    return false;
  }

  protected override checkHyperparameters(h: AdamOptions, ctx: CheckContext): void {
    super.checkHyperparameters(h, ctx);
    checkAdam(h, ctx);
  }

  protected override update(
    param: Tensor,
    grad: Tensor,
    group: ParamGroup<AdamOptions>,
    state: ParamState,
  ): void {
    const buffers: AdamBuffers = {
      t: this.countStep(state),
      m: this.buffer(state, 'expAvg', param),
      v: this.buffer(state, 'expAvgSq', param),
      vmax: group.amsgrad ? this.buffer(state, 'maxExpAvgSq', param) : null,
    };
    adamUpdate(param, grad, group, buffers, this.decoupled);
  }
}

/**
 * AdamW, as PyTorch's `torch.optim.AdamW`: Adam with decoupled weight decay (Loshchilov &
 * Hutter). The weights shrink by a fixed fraction each step, independently of the gradient
 * scaling, instead of an L2 term entering the gradient:
 *
 * ```text
 * w ← w·(1 − η·λ)
 * m, v, (v̂max) and the step: as Adam with weightDecay 0
 * ```
 *
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, **weightDecay 1e-2**, amsgrad false,
 * maximize false. State: as Adam.
 *
 * **The lecture form** of L2 regularization adds λ·w to the gradient, which is what plain SGD
 * and {@link Adam} do; with Adam that decay gets divided by √v̂ (weights with large gradients are
 * barely decayed). AdamW applies it to the weights directly; for SGD the two are the same.
 *
 * @example
 * const w = tensor([3, -1], { requiresGrad: true });
 * const opt = new AdamW([w], { lr: 0.1, weightDecay: 0.01 });
 * for (let i = 0; i < 300; i++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward();
 *   opt.step();
 * }
 * // w is now close to [0, 0]
 */
export class AdamW extends Adam {
  static override readonly DEFAULTS: AdamOptions = ADAMW_DEFAULTS;
  static override readonly LABEL: string = 'AdamW';

  protected override get decoupled(): boolean {
    return true;
  }
}
