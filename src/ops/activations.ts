import { formatValue } from '../tensor/check.js';
import { isFloating } from '../tensor/dtype.js';
import { formatShape, normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { logOnePlusExp } from './composite.js';
import { expm1 } from './elementwise-math.js';
import { expectTensor } from './kernels.js';

/**
 * PyTorch's activation functions, composed of primitives (their graphs show the gates they are
 * made of). At each kink the derivative is PyTorch's, written beside the function: where PyTorch
 * takes the left side's, the `where` that joins the pieces sends x = 0 (or the kink) to the left.
 * The pieces that would overflow away from their side (e^x for large x) are fed the kink's value
 * there instead of x, so that their unused backward never meets ∞·0.
 */

/** The input as floating point: int32 becomes float32, as the other float-valued ops do. */
function floating(x: Tensor, op: string): Tensor {
  expectTensor(x, op);
  return isFloating(x.dtype) ? x : x.to('float32');
}

function checkNumber(op: string, key: string, v: unknown, nonZero = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (nonZero && v === 0)) {
    const what = nonZero ? 'a finite number other than 0' : 'a finite number';
    throw new TypeError(`${op}: ${key} must be ${what}, got ${formatValue(v)}`);
  }
  return v;
}

/** scale·x for x > 0, else scale·α·(e^(x/σ) − 1): elu, celu and selu. Derivative at 0: the left side's. */
function expLinear(x: Tensor, scale: number, alpha: number, inputScale: number): Tensor {
  const positive = x.gt(0);
  const left = where(positive, 0, x);
  const inner = inputScale === 1 ? left : left.mul(inputScale);
  const negative = expm1(inner).mul(scale * alpha);
  return where(positive, scale === 1 ? x : x.mul(scale), negative);
}

/**
 * ELU(x) = x for x > 0, else α·(e^x − 1), as PyTorch's `elu` (default α = 1). Derivative at 0: α
 * (the left side's, as PyTorch).
 *
 * @example
 * elu(tensor([-1, 0, 2])); // ≈ [-0.6321, 0, 2]
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  const input = floating(x, 'elu');
  return expLinear(input, 1, checkNumber('elu', 'alpha', alpha), 1);
}

/**
 * CELU(x) = x for x > 0, else α·(e^(x/α) − 1), as PyTorch's `celu` (default α = 1; α ≠ 0).
 * Derivative at 0: 1.
 *
 * @example
 * celu(tensor([-1, 2]), 2); // ≈ [-0.7869, 2]
 */
export function celu(x: Tensor, alpha = 1): Tensor {
  const input = floating(x, 'celu');
  const a = checkNumber('celu', 'alpha', alpha, true);
  return expLinear(input, 1, a, 1 / a);
}

/** SELU's constants, as PyTorch's (Klambauer et al., 2017). */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * SELU(x) = λ·x for x > 0, else λ·α·(e^x − 1), with PyTorch's λ ≈ 1.0507 and α ≈ 1.6733.
 * Derivative at 0: λ·α.
 *
 * @example
 * selu(tensor([1])); // ≈ [1.0507]
 */
export function selu(x: Tensor): Tensor {
  return expLinear(floating(x, 'selu'), SELU_SCALE, SELU_ALPHA, 1);
}

/**
 * SiLU (swish): x·σ(x), as PyTorch's `silu`.
 *
 * @example
 * silu(tensor([0, 2])); // ≈ [0, 1.7616]
 */
export function silu(x: Tensor): Tensor {
  const input = floating(x, 'silu');
  return input.mul(input.sigmoid());
}

/**
 * Mish: x·tanh(log(1 + e^x)), as PyTorch's `mish` (no linear switch).
 *
 * @example
 * mish(tensor([0, 2])); // ≈ [0, 1.944]
 */
export function mish(x: Tensor): Tensor {
  const input = floating(x, 'mish');
  return input.mul(logOnePlusExp(input).tanh());
}

/**
 * x/(1 + |x|), as PyTorch's `softsign`. Derivative 1/(1 + |x|)², 1 at 0.
 *
 * @example
 * softsign(tensor([-3, 1])); // => [-0.75, 0.5]
 */
export function softsign(x: Tensor): Tensor {
  const input = floating(x, 'softsign');
  return input.div(input.abs().add(1));
}

/**
 * log σ(x) = −log(1 + e^−x), computed without overflow, as PyTorch's `logsigmoid`. Derivative
 * σ(−x), ½ at 0.
 *
 * @example
 * logsigmoid(tensor([0, -800])); // ≈ [-0.6931, -800]
 */
export function logsigmoid(x: Tensor): Tensor {
  return logOnePlusExp(floating(x, 'logsigmoid').neg()).neg();
}

/**
 * min(max(x, minVal), maxVal), as PyTorch's `hardtanh` (defaults −1 and 1): where minVal > maxVal
 * every element is maxVal. The gradient passes only strictly inside (minVal, maxVal): at either
 * bound it is 0, as PyTorch's.
 *
 * @example
 * hardtanh(tensor([-2, 0.5, 2])); // => [-1, 0.5, 1]
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  expectTensor(x, 'hardtanh');
  checkNumber('hardtanh', 'minVal', minVal);
  checkNumber('hardtanh', 'maxVal', maxVal);
  const low = where(x.le(minVal), minVal, x);
  return where(low.ge(maxVal), maxVal, low);
}

/**
 * min(max(x, 0), 6), as PyTorch's `relu6`: hardtanh(x, 0, 6), so the gradient is 0 at 0 and at 6.
 *
 * @example
 * relu6(tensor([-1, 3, 8])); // => [0, 3, 6]
 */
export const relu6 = (x: Tensor): Tensor => hardtanh(expectTensor(x, 'relu6'), 0, 6);

/**
 * 0 for x ≤ −3, 1 for x ≥ 3, else x/6 + ½, as PyTorch's `hardsigmoid`. Derivative 1/6 strictly
 * between −3 and 3, 0 at ±3 (as PyTorch's).
 *
 * @example
 * hardsigmoid(tensor([-4, 0, 1.5])); // => [0, 0.5, 0.75]
 */
export function hardsigmoid(x: Tensor): Tensor {
  const input = floating(x, 'hardsigmoid');
  return where(input.le(-3), 0, where(input.ge(3), 1, input.div(6).add(0.5)));
}

/**
 * x·hardsigmoid(x): 0 for x < −3, x for x > 3, else x(x + 3)/6, as PyTorch's `hardswish`.
 * Derivative x/3 + ½ on [−3, 3], both ends included (−½ at −3, 3/2 at 3), as PyTorch's.
 *
 * @example
 * hardswish(tensor([-4, 1, 4])); // ≈ [0, 0.6667, 4]
 */
export function hardswish(x: Tensor): Tensor {
  const input = floating(x, 'hardswish');
  const middle = input.mul(input.add(3)).div(6);
  return where(input.lt(-3), 0, where(input.le(3), middle, input));
}

/**
 * PReLU: x for x > 0, else weight·x, with a learnable slope per channel, as PyTorch's `prelu`.
 * `weight` holds one slope (shared by all elements) or one per channel, the input's dimension 1.
 * Derivative at 0: the slope (the left side's, as PyTorch).
 *
 * @example
 * prelu(tensor([[-1, 2], [-4, -2]]), tensor([0.25, 0.5])); // => [[-0.25, 2], [-1, -1]]
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  const input = floating(x, 'prelu');
  expectTensor(weight, 'prelu', 'its weight');
  let slope = weight;
  if (weight.size === 1) {
    slope = weight.reshape([]);
  } else {
    if (weight.ndim !== 1 || input.ndim < 2 || input.shape[1] !== weight.size) {
      throw new RangeError(
        `prelu: the weight of shape ${formatShape(weight.shape)} must hold 1 slope or one per channel (dimension 1) of the input of shape ${formatShape(input.shape)}`,
      );
    }
    slope = weight.reshape([weight.size, ...new Array<number>(input.ndim - 2).fill(1)]);
  }
  return where(input.gt(0), input, input.mul(slope));
}

/**
 * The gated linear unit a·σ(b), where a and b are the two halves of x along `dim` (default −1),
 * as PyTorch's `glu`. That dimension's size must be even.
 *
 * @example
 * glu(tensor([1, 2, 0, 100])).shape; // => [2]
 */
export function glu(x: Tensor, dim = -1): Tensor {
  const input = floating(x, 'glu');
  if (input.ndim === 0) throw new RangeError('glu: the input must have at least one dimension');
  const d = normalizeAxis(dim, input.ndim, 'glu');
  const n = input.shape[d];
  if (n % 2 !== 0) {
    throw new RangeError(
      `glu: dimension ${dim} must have an even size to be halved, got ${n} (input of shape ${formatShape(input.shape)})`,
    );
  }
  const half = n / 2;
  return input.narrow(d, 0, half).mul(input.narrow(d, half, half).sigmoid());
}

/**
 * softmax(−x) along `dim` (default −1), as PyTorch's `softmin`: the smallest value gets the most
 * weight.
 *
 * @example
 * softmin(tensor([0, Math.log(3)])); // ≈ [0.75, 0.25]
 */
export function softmin(x: Tensor, dim = -1): Tensor {
  const input = floating(x, 'softmin');
  normalizeAxis(dim, input.ndim, 'softmin');
  return input.neg().softmax(dim);
}
