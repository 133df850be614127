import { allocate } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { engine } from '../tensor/state.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Weight initializers, as `torch.nn.init`. Each fills a floating-point tensor in place (its
 * `data`), draws from `generator` (default: the one `manualSeed` seeds) and returns the tensor.
 */

/** The nonlinearities `calculateGain` knows. */
export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/** Which fan the Kaiming initializers keep the variance of. */
export type FanMode = 'fanIn' | 'fanOut';

function floatData(t: Tensor, where: string): Float32Array | Float64Array {
  const d = t.data;
  if (!(d instanceof Float32Array || d instanceof Float64Array)) {
    throw new TypeError(`init.${where}: needs a floating-point tensor, got ${t.dtype}`);
  }
  return d;
}

/**
 * The fans of a weight: for a [out, in] matrix, fanIn = in and fanOut = out (times the receptive
 * field size for higher-dimensional weights), as PyTorch computes them.
 */
export function calculateFans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) {
    throw new RangeError(
      `init: fan in and fan out need a tensor of at least 2 dimensions, got shape ${formatShape(t.shape)}`,
    );
  }
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

/** The recommended gain for a nonlinearity (PyTorch's `calculate_gain`): tanh 5/3, relu √2, … */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new TypeError(
        `init.calculateGain: unknown nonlinearity ${JSON.stringify(nonlinearity)}`,
      );
  }
}

/** Uniform numbers in [low, high). With low = −a, high = a: the lectures' "small random numbers". */
export function uniform(t: Tensor, low = 0, high = 1, generator?: Generator): Tensor {
  if (!(low <= high) || !Number.isFinite(low) || !Number.isFinite(high)) {
    throw new RangeError(`init.uniform: need finite low ≤ high, got ${low} and ${high}`);
  }
  const d = floatData(t, 'uniform');
  if (low === high) d.fill(low);
  else (generator ?? engine.generator).fillUniform(d, low, high);
  return t;
}

/** Normal numbers with the given mean and standard deviation. */
export function normal(t: Tensor, mean = 0, std = 1, generator?: Generator): Tensor {
  (generator ?? engine.generator).fillNormal(floatData(t, 'normal'), mean, std);
  return t;
}

/** Fills with a constant. */
export function constant(t: Tensor, value: number): Tensor {
  floatData(t, 'constant').fill(value);
  return t;
}

/** Fills with zeros. */
export const zeros = (t: Tensor): Tensor => constant(t, 0);

/** Fills with ones. */
export const ones = (t: Tensor): Tensor => constant(t, 1);

/** Xavier/Glorot uniform: U(−b, b) with b = gain·√(6 / (fanIn + fanOut)). */
export function xavierUniform(
  t: Tensor,
  options: { gain?: number; generator?: Generator } = {},
): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const bound = (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -bound, bound, options.generator);
}

/** Xavier/Glorot normal: N(0, σ²) with σ = gain·√(2 / (fanIn + fanOut)). */
export function xavierNormal(
  t: Tensor,
  options: { gain?: number; generator?: Generator } = {},
): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  return normal(t, 0, (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), options.generator);
}

/** Options of the Kaiming (He) initializers, with PyTorch's defaults. */
export interface KaimingOptions {
  /** The negative slope of a leaky ReLU (default 0). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
  generator?: Generator;
}

function kaimingStd(t: Tensor, options: KaimingOptions): number {
  const fans = calculateFans(t);
  const fan = (options.mode ?? 'fanIn') === 'fanIn' ? fans.fanIn : fans.fanOut;
  return calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0) / Math.sqrt(fan);
}

/** Kaiming/He uniform: U(−b, b) with b = gain·√(3 / fan). */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform(t, -bound, bound, options.generator);
}

/** Kaiming/He normal: N(0, σ²) with σ = gain / √fan. */
export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd(t, options), options.generator);
}

/** @internal A fresh float tensor's storage for a shape (used by layers). */
export function storage(
  shape: readonly number[],
  dtype: 'float32' | 'float64',
): Float32Array | Float64Array {
  return allocate(
    dtype,
    shape.reduce((a, b) => a * b, 1),
  ) as Float32Array | Float64Array;
}
