import { Tensor } from '../tensor/tensor.js';
import { formatValue } from '../tensor/check.js';

/** The gradients (not null) of `params`, which may be a single tensor. */
function gradsOf(params: Iterable<Tensor> | Tensor, where: string): Tensor[] {
  const list: unknown[] = params instanceof Tensor ? [params] : Array.from(params);
  const grads: Tensor[] = [];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) {
      throw new TypeError(`${where}: parameter ${i} is not a Tensor, got ${formatValue(p)}`);
    }
    if (p._grad !== null) grads.push(p._grad); // scaled in place, never handed out
  });
  return grads;
}

/**
 * Rescales the gradients of `params` in place so that their total norm is at most `maxNorm`, as
 * PyTorch's `clip_grad_norm_`, and returns the total norm (before clipping).
 *
 * The total norm is the `normType`-norm of all gradient elements together, as if concatenated
 * into one vector: (Σ|g|ᵖ)^(1/p), or max|g| for `Infinity`. Every gradient is multiplied by
 * min(1, maxNorm / (total + 1e-6)); the direction of the overall gradient is kept. Parameters
 * without a gradient are skipped; with no gradients at all the result is 0.
 *
 * @param normType the p of the norm: any positive number, or Infinity (default 2)
 * @param errorIfNonfinite throw when the total norm is NaN or infinite instead of scaling the
 *   gradients by it (default false, as PyTorch)
 *
 * @example
 * const model = mlp([2, 8, 1]);
 * const opt = new SGD(model.parameters(), { lr: 0.1 });
 * const loss = model.call(randn([16, 2])).sub(randn([16, 1])).square().mean();
 * loss.backward();
 * const norm = clipGradNorm(model.parameters(), 1.0); // the norm before clipping, for logging
 * opt.step();
 */
export function clipGradNorm(
  params: Iterable<Tensor> | Tensor,
  maxNorm: number,
  normType = 2,
  errorIfNonfinite = false,
): number {
  const where = 'clipGradNorm';
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0)) {
    throw new RangeError(`${where}: maxNorm must be a number >= 0, got ${formatValue(maxNorm)}`);
  }
  if (typeof normType !== 'number' || !(normType > 0)) {
    throw new RangeError(
      `${where}: normType must be a positive number or Infinity, got ${formatValue(normType)}`,
    );
  }
  const grads = gradsOf(params, where);
  if (grads.length === 0) return 0;
  let total: number;
  if (normType === Infinity) {
    total = 0;
    for (const g of grads) {
      const d = g.data;
      for (let i = 0; i < d.length; i++) {
        const a = Math.abs(d[i]);
        if (a > total || Number.isNaN(a)) total = a;
      }
    }
  } else {
    let sum = 0;
    for (const g of grads) {
      const d = g.data;
      if (normType === 2) for (let i = 0; i < d.length; i++) sum += d[i] * d[i];
      else if (normType === 1) for (let i = 0; i < d.length; i++) sum += Math.abs(d[i]);
      else for (let i = 0; i < d.length; i++) sum += Math.abs(d[i]) ** normType;
    }
    total = normType === 2 ? Math.sqrt(sum) : normType === 1 ? sum : sum ** (1 / normType);
  }
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new RangeError(
      `${where}: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped; ` +
        'look for the NaN or infinite gradient (detectAnomaly helps), or pass errorIfNonfinite = false',
    );
  }
  // min(1, ·) keeps a NaN (as torch.clamp does), so a NaN norm spreads to the gradients.
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  if (coef !== 1) {
    for (const g of grads) {
      const d = g.data;
      for (let i = 0; i < d.length; i++) d[i] = d[i] * coef;
    }
  }
  return total;
}

/**
 * Limits every gradient element of `params` to [−clipValue, clipValue] in place, as PyTorch's
 * `clip_grad_value_`. Parameters without a gradient are skipped; NaN elements stay NaN.
 *
 * @example
 * const model = mlp([2, 8, 1]);
 * const opt = new SGD(model.parameters(), { lr: 0.1 });
 * const loss = model.call(randn([16, 2])).sub(randn([16, 1])).square().mean();
 * loss.backward();
 * clipGradValue(model.parameters(), 0.5);
 * opt.step();
 */
export function clipGradValue(params: Iterable<Tensor> | Tensor, clipValue: number): void {
  const where = 'clipGradValue';
  if (typeof clipValue !== 'number' || !(clipValue >= 0)) {
    throw new RangeError(
      `${where}: clipValue must be a number >= 0, got ${formatValue(clipValue)}`,
    );
  }
  for (const g of gradsOf(params, where)) {
    const d = g.data;
    for (let i = 0; i < d.length; i++) {
      if (d[i] > clipValue) d[i] = clipValue;
      else if (d[i] < -clipValue) d[i] = -clipValue;
    }
  }
}
