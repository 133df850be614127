import { backend, type SGDStep } from '../backend/index.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  checkBoolean,
  checkFiniteNumber,
  checkNonNegative,
  resolveOptions,
  type CheckContext,
} from '../tensor/check.js';
import { Optimizer, type OptimizerParams, type ParamGroup, type ParamState } from './optimizer.js';

/**
 * The hyperparameters of {@link SGD}: the scalars of its kernel step (`SGDStep`, which describes
 * each) but `first`.
 */
export type SGDOptions = Omit<SGDStep, 'first'>;

const DEFAULTS: SGDOptions = {
  lr: 1e-3,
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
};

/**
 * Stochastic gradient descent, optionally with momentum, as PyTorch's `torch.optim.SGD`.
 *
 * With gradient g of the parameter w at step t (negated first when `maximize`):
 *
 * ```text
 * g ← g + λ·w                          if weightDecay λ ≠ 0
 * b ← g  (t = 1),  b ← μ·b + (1 − τ)·g  (t > 1)     if momentum μ ≠ 0
 * g ← g + μ·b  if nesterov,  else g ← b              if momentum μ ≠ 0
 * w ← w − η·g
 * ```
 *
 * Defaults: lr 1e-3 (as current PyTorch), momentum 0, dampening 0, weightDecay 0, nesterov false,
 * maximize false.
 * State per parameter: `momentumBuffer` (b), only when momentum ≠ 0.
 *
 * **The lecture form.** Momentum is written there as v ← β·v + G, w ← w − η·v: this is exactly
 * this rule with momentum μ = β and dampening 0 (the first v is G, i.e. v starts at 0). Another
 * common form, v ← β·v − η·G, w ← w + v, takes the same steps as long as η is constant (its v is
 * −η times this one's b). Weight decay λ is the gradient of the L2 penalty (λ/2)·‖w‖².
 * With `maximize`, the gradient is negated before weight decay is added (as PyTorch's
 * implementation does), so the decay still shrinks the weights.
 *
 * @example
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * for (let i = 0; i < 100; i++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward();
 *   opt.step();
 * }
 * // w is now close to [0, 0]
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: OptimizerParams<SGDOptions>, options?: Partial<SGDOptions>) {
    super(params, resolveOptions('SGD', options, DEFAULTS), 'SGD');
  }

  protected override checkHyperparameters(h: SGDOptions, ctx: CheckContext): void {
    super.checkHyperparameters(h, ctx);
    checkNonNegative(ctx, 'momentum', h.momentum);
    checkFiniteNumber(ctx, 'dampening', h.dampening);
    checkNonNegative(ctx, 'weightDecay', h.weightDecay);
    checkBoolean(ctx, 'nesterov', h.nesterov);
    checkBoolean(ctx, 'maximize', h.maximize);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
      const group = ctx.group === undefined ? '' : ` (param group ${ctx.group})`;
      throw new RangeError(
        `${ctx.where}: nesterov requires momentum > 0 and dampening = 0, got momentum ${h.momentum} and dampening ${h.dampening}${group}`,
      );
    }
  }

  protected override update(
    param: Tensor,
    grad: Tensor,
    group: ParamGroup<SGDOptions>,
    state: ParamState,
  ): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    const first = momentum !== 0 && state.momentumBuffer === undefined;
    const buf = momentum === 0 ? null : this.buffer(state, 'momentumBuffer', param);
    backend().sgdStep(param.data, grad.data, buf, {
      lr,
      momentum,
      dampening,
      weightDecay,
      nesterov,
      maximize,
      first,
    });
  }
}
