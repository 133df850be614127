import { checkObject, fail, formatValue } from '../tensor/check.js';
import { arange } from '../tensor/creation.js';
import { isFloating } from '../tensor/dtype.js';
import type { SoftplusOptions } from '../tensor/methods.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, where } from './binary.js';
import { erf, log1p } from './elementwise.js';
import { expectTensor } from './kernels.js';

/**
 * Element-wise functions composed of primitives: their gradients follow from the primitives'
 * rules, and their graphs show the primitives they are made of.
 */

/** x·x (one value on two paths into a product, so the gradient 2x is a sum over paths). */
export const square = (x: Tensor): Tensor => expectTensor(x, 'square').mul(x);

/** 1/x, the lectures' "1/x" gate. */
export const reciprocal = (x: Tensor): Tensor => div(1, expectTensor(x, 'reciprocal'));

/** x where x > 0, else negativeSlope·x (default 0.01). Derivative at 0: negativeSlope, as PyTorch. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  expectTensor(x, 'leakyRelu');
  if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
    throw new TypeError(`leakyRelu: negativeSlope must be a finite number, got ${negativeSlope}`);
  }
  return where(x.gt(0), x, x.mul(negativeSlope));
}

/**
 * GELU(x) = x·Φ(x) = ½x(1 + erf(x/√2)), or with `approximate: 'tanh'` the form
 * ½x(1 + tanh(√(2/π)(x + 0.044715x³))), as PyTorch's `gelu`.
 */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  expectTensor(x, 'gelu');
  if (approximate === 'tanh') {
    const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
  if (approximate !== 'none')
    throw new TypeError(`gelu: approximate must be 'none' or 'tanh', got ${String(approximate)}`);
  return x.mul(0.5).mul(erf(x.mul(Math.SQRT1_2)).add(1));
}

/**
 * log(1 + e^x) for every x without overflow, with the derivative σ(x) everywhere, 0 included. The
 * familiar relu(x) + log1p(e^−|x|) has the right values but takes relu′(0) = |·|′(0) = 0 and so
 * gives the derivative 0 at x = 0 instead of σ(0) = ½. Here x is split into its positive part p
 * and the rest n, each by a `where` (derivative 1 on its own side, 0 on the other, x = 0 going to
 * n): log(1 + e^x) = p + log1p(e^(n − p)), where n − p = −|x| never overflows and the derivative
 * at 0 is e⁰/(1 + e⁰) = ½ through n. Both parts are smooth, so second derivatives are exact too.
 */
export function logOnePlusExp(x: Tensor): Tensor {
  const positive = x.gt(0);
  const p = where(positive, x, 0);
  const n = where(positive, 0, x);
  return p.add(log1p(n.sub(p).exp()));
}

/**
 * softplus(x) = (1/β)·log(1 + e^(βx)), a smooth relu, as PyTorch's `softplus`: linear (x itself)
 * where βx > threshold. Computed stably (see `logOnePlusExp`): it neither overflows for
 * large βx nor loses small values for very negative βx, and its derivative is σ(βx), ½ at 0 as
 * in PyTorch.
 *
 * @example
 * softplus(tensor([0, 30])); // => [0.6931, 30]
 */
export function softplus(x: Tensor, options?: SoftplusOptions): Tensor {
  expectTensor(x, 'softplus');
  const { beta = 1, threshold = 20 } = checkObject({ where: 'softplus' }, 'options', options, true);
  if (typeof beta !== 'number' || !(beta > 0) || !Number.isFinite(beta))
    throw new RangeError(
      `softplus: beta must be a positive finite number, got ${formatValue(beta)}`,
    );
  if (typeof threshold !== 'number' || Number.isNaN(threshold))
    throw new TypeError(`softplus: threshold must be a number, got ${formatValue(threshold)}`);
  const input = isFloating(x.dtype) ? x : x.to('float32');
  const bx = beta === 1 ? input : input.mul(beta);
  const soft = logOnePlusExp(bx);
  const scaled = beta === 1 ? soft : soft.div(beta);
  return threshold === Infinity ? scaled : where(bx.gt(threshold), input, scaled);
}

/** A bound of `clamp`: a number, or null/undefined for none. */
function checkBound(key: string, value: unknown): void {
  if (value != null && typeof value !== 'number') {
    fail({ where: 'clamp' }, key, 'a number, null or undefined', value, TypeError);
  }
}

/**
 * Limits x to [min, max] (either may be omitted), as PyTorch's min(max(x, min), max): where min >
 * max every element becomes max. The gradient passes where min ≤ x ≤ max, as PyTorch; NaN passes
 * through unchanged.
 */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  expectTensor(x, 'clamp');
  checkBound('min', min);
  checkBound('max', max);
  if (min == null && max == null) throw new TypeError('clamp: give at least one of min and max');
  let y = x;
  if (min != null) y = where(y.lt(min), min, y);
  if (max != null) y = where(y.gt(max), max, y);
  return y;
}

/**
 * Integer class labels as one-hot rows, as PyTorch's `F.one_hot`: labels of shape S give int32
 * of shape [...S, numClasses] with a 1 at each label. Labels must be int32 in [0, numClasses);
 * numClasses −1 (the default, as PyTorch's) means the largest label + 1.
 *
 * @example
 * oneHot(tensor([2, 0], { dtype: 'int32' }), 3); // => [[0, 0, 1], [1, 0, 0]]
 * oneHot(tensor([1, 0], { dtype: 'int32' })); // => [[0, 1], [1, 0]]
 */
export function oneHot(labels: Tensor, numClasses = -1): Tensor {
  expectTensor(labels, 'oneHot', 'its labels');
  if (labels.dtype !== 'int32')
    throw new TypeError(`oneHot: labels must be an int32 tensor, got ${labels.dtype}`);
  if (numClasses === -1) {
    if (labels.size === 0)
      throw new RangeError('oneHot: cannot infer numClasses from empty labels; give numClasses');
    // a loop, not Math.max(...data): spreading a large array overflows the stack
    let top = 0;
    for (const v of labels.data) if (v > top) top = v;
    numClasses = top + 1;
  }
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new RangeError(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  const d = labels.data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] < 0 || d[i] >= numClasses) {
      throw new RangeError(
        `oneHot: label ${d[i]} at index ${i} is out of range for ${numClasses} classes (expected 0 to ${numClasses - 1})`,
      );
    }
  }
  const classes = arange(numClasses, { dtype: 'int32' });
  return labels.unsqueeze(-1).eq(classes).int();
}
