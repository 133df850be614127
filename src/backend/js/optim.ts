import type { AdagradStep, AdamStep, RMSpropStep, SGDStep } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { lerp } from './lerp.js';

/*
 * The optimizers' update rules as fused kernels: one pass over a parameter `w`, its gradient `g`
 * and its state buffers, all updated in place. The rules and their PyTorch forms are documented
 * on the optimizer classes (src/optim); here each is the loop alone. Arithmetic is in float64 and
 * rounded when stored, so a native kernel doing the same gives the same bits.
 */

/** SGD with optional momentum (a first step copies g into the buffer), Nesterov, weight decay. */
export function sgdStep(w: TypedArray, g: TypedArray, buf: TypedArray | null, h: SGDStep): void {
  const { lr, momentum, dampening, weightDecay, nesterov, maximize, first } = h;
  const n = w.length;
  if (buf === null) {
    for (let i = 0; i < n; i++) {
      let d = maximize ? -g[i] : g[i];
      if (weightDecay !== 0) d += weightDecay * w[i];
      w[i] = w[i] - lr * d;
    }
    return;
  }
  const keep = 1 - dampening;
  for (let i = 0; i < n; i++) {
    let d = maximize ? -g[i] : g[i];
    if (weightDecay !== 0) d += weightDecay * w[i];
    buf[i] = first ? d : momentum * buf[i] + keep * d;
    d = nesterov ? d + momentum * buf[i] : buf[i];
    w[i] = w[i] - lr * d;
  }
}

/** Adam / AdamW (decay ≠ 1: decoupled weight decay; l2 ≠ 0: coupled), with optional AMSGrad. */
export function adamStep(
  w: TypedArray,
  g: TypedArray,
  m: TypedArray,
  v: TypedArray,
  vmax: TypedArray | null,
  h: AdamStep,
): void {
  const { beta1, beta2, eps, stepSize, bc2Sqrt, decay, l2, maximize } = h;
  for (let i = 0; i < w.length; i++) {
    let d = maximize ? -g[i] : g[i];
    if (decay !== 1) w[i] = w[i] * decay;
    if (l2 !== 0) d += l2 * w[i];
    m[i] = lerp(m[i], d, 1 - beta1);
    v[i] = beta2 * v[i] + (1 - beta2) * d * d;
    let second = v[i];
    if (vmax !== null) {
      if (v[i] > vmax[i] || Number.isNaN(v[i])) vmax[i] = v[i];
      second = vmax[i];
    }
    const denom = Math.sqrt(second) / bc2Sqrt + eps;
    w[i] = w[i] - (stepSize * m[i]) / denom;
  }
}

/** Adagrad: the sum of squared gradients scales each step (`clr`: the decayed learning rate). */
export function adagradStep(w: TypedArray, g: TypedArray, sum: TypedArray, h: AdagradStep): void {
  const { clr, weightDecay, eps, maximize } = h;
  for (let i = 0; i < w.length; i++) {
    let d = maximize ? -g[i] : g[i];
    if (weightDecay !== 0) d += weightDecay * w[i];
    sum[i] = sum[i] + d * d;
    w[i] = w[i] - (clr * d) / (Math.sqrt(sum[i]) + eps);
  }
}

/** RMSprop, optionally centered (gradAvg) and with momentum (buf). */
export function rmspropStep(
  w: TypedArray,
  g: TypedArray,
  v: TypedArray,
  buf: TypedArray | null,
  gradAvg: TypedArray | null,
  h: RMSpropStep,
): void {
  const { lr, alpha, eps, weightDecay, momentum, maximize } = h;
  const keep = 1 - alpha;
  for (let i = 0; i < w.length; i++) {
    let d = maximize ? -g[i] : g[i];
    if (weightDecay !== 0) d += weightDecay * w[i];
    v[i] = alpha * v[i] + keep * d * d;
    let denom: number;
    if (gradAvg !== null) {
      gradAvg[i] = lerp(gradAvg[i], d, keep);
      denom = Math.sqrt(v[i] - gradAvg[i] * gradAvg[i]) + eps;
    } else {
      denom = Math.sqrt(v[i]) + eps;
    }
    if (buf !== null) {
      buf[i] = momentum * buf[i] + d / denom;
      w[i] = w[i] - lr * buf[i];
    } else {
      w[i] = w[i] - (lr * d) / denom;
    }
  }
}
