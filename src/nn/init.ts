import { checkNonNegative, fail, formatValue, type CheckContext } from '../tensor/check.js';
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

/** The named initialization schemes of a layer: what each draws its weight from. */
const WEIGHT_SCHEMES = {
  /** PyTorch's default for Linear and Conv: Kaiming uniform with a = √5, U(−1/√fanIn, 1/√fanIn). */
  default: (w: Tensor, generator?: Generator) => kaimingUniform(w, { a: Math.sqrt(5), generator }),
  xavierUniform: (w: Tensor, generator?: Generator) => xavierUniform(w, { generator }),
  xavierNormal: (w: Tensor, generator?: Generator) => xavierNormal(w, { generator }),
  kaimingUniform: (w: Tensor, generator?: Generator) =>
    kaimingUniform(w, { nonlinearity: 'relu', generator }),
  kaimingNormal: (w: Tensor, generator?: Generator) =>
    kaimingNormal(w, { nonlinearity: 'relu', generator }),
  zeros: (w: Tensor) => zeros(w),
} satisfies Record<string, (w: Tensor, generator?: Generator) => Tensor>;

/** The names of the initialization schemes (those without a parameter). */
export const INIT_SCHEMES = Object.keys(WEIGHT_SCHEMES) as (keyof typeof WEIGHT_SCHEMES)[];

/**
 * How a layer's weights start: PyTorch's default for Linear (`default`: Kaiming uniform with
 * a = √5, i.e. U(−1/√in, 1/√in), and the bias likewise), Xavier/Glorot or Kaiming/He (bias
 * zeros), all zeros, or the lectures' "small random numbers" U(−a, a) as `{ uniform: a }` (or
 * N(0, σ²) as `{ normal: σ }`).
 */
export type InitScheme =
  (typeof INIT_SCHEMES)[number] | { readonly uniform: number } | { readonly normal: number };

/**
 * `value` as an initialization scheme, or an error naming `key` in `ctx` (a layer's option, or a
 * model config's field).
 */
export function checkInitScheme(ctx: CheckContext, key: string, value: unknown): InitScheme {
  if (typeof value === 'string' && Object.hasOwn(WEIGHT_SCHEMES, value)) {
    return value as InitScheme;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const [only] = keys;
    if (keys.length === 1 && (only === 'uniform' || only === 'normal')) {
      const scale = (value as Record<string, unknown>)[only];
      checkNonNegative(ctx, `${key}.${only}`, scale);
      return value as InitScheme;
    }
  }
  const names = INIT_SCHEMES.map((n) => JSON.stringify(n)).join(', ');
  return fail(
    ctx,
    key,
    `one of ${names}, { uniform: a } or { normal: σ }`,
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? JSON.stringify(value)?.slice(0, 80)
      : value,
  );
}

/**
 * Fills a layer's weight (and bias, if it has one) by `scheme`, as PyTorch does: under `default`
 * the bias is drawn from U(−1/√fanIn, 1/√fanIn), under every other scheme it starts at zero. The
 * weight is drawn first, then the bias, so that a seed gives the same values as before.
 *
 * @example
 * const weight = randn([3, 2]);
 * const bias = randn([3]);
 * initLayer('xavierUniform', weight, bias, new Generator(0));
 * bias.abs().sum().item(); // => 0
 * weight.abs().max().item() <= Math.sqrt(6 / 5); // => true
 */
export function initLayer(
  scheme: InitScheme,
  weight: Tensor,
  bias: Tensor | null,
  generator?: Generator,
): void {
  if (typeof scheme === 'string' && Object.hasOwn(WEIGHT_SCHEMES, scheme)) {
    WEIGHT_SCHEMES[scheme](weight, generator);
  } else if (typeof scheme === 'object' && 'uniform' in scheme) {
    uniform(weight, -scheme.uniform, scheme.uniform, generator);
  } else if (typeof scheme === 'object' && 'normal' in scheme) {
    normal(weight, 0, scheme.normal, generator);
  } else {
    throw new TypeError(`init.initLayer: unknown scheme ${formatValue(scheme)}`);
  }
  if (bias === null) return;
  if (scheme === 'default') {
    const bound = 1 / Math.sqrt(calculateFans(weight).fanIn);
    uniform(bias, -bound, bound, generator);
  } else zeros(bias);
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
