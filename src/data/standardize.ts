import { formatValue } from '../tensor/check.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** The result of {@link standardize}: the standardized data and the statistics used. */
export interface Standardized {
  /** (x − mean) / std, per feature; float32 (float64 stays float64). */
  x: Tensor;
  /** The mean of each feature, shape [features] (float32; float64 for float64 data). */
  mean: Tensor;
  /** The standard deviation of each feature (1 where the feature is constant), shape [features], dtype as `mean`. */
  std: Tensor;
}

function statistic(
  value: Tensor | ArrayLike<number>,
  features: number,
  what: 'mean' | 'std',
): Float64Array {
  const values: ArrayLike<number> | undefined =
    value instanceof Tensor
      ? value.data
      : value !== null && typeof value === 'object' && typeof value.length === 'number'
        ? value
        : undefined;
  if (values === undefined) {
    throw new TypeError(
      `standardize: ${what} must be a Tensor or a list of numbers, got ${formatValue(value)}`,
    );
  }
  if (values.length !== features) {
    throw new RangeError(
      `standardize: ${what} has ${values.length} values, but the data has ${features} features`,
    );
  }
  const out = Float64Array.from(values);
  out.forEach((v, j) => {
    if (!Number.isFinite(v) || (what === 'std' && v < 0)) {
      throw new RangeError(
        `standardize: ${what}[${j}] is ${v}; expected a finite number${what === 'std' ? ' ≥ 0' : ''}`,
      );
    }
    if (what === 'std' && v === 0) out[j] = 1;
  });
  return out;
}

/**
 * Standardizes features to mean 0 and standard deviation 1: `(x − mean) / std` for every feature
 * (every position after the first dimension). Without `mean` and `std` the statistics are computed
 * from `x` itself — the population standard deviation (divided by n), as scikit-learn's
 * `StandardScaler`; a constant feature gets std 1. Pass the training set's statistics to treat
 * validation and test data the same way.
 *
 * Data preparation, not an operation: the result is a new tensor outside the autograd graph.
 *
 * @throws RangeError when x is 0-d or empty while statistics are to be computed, or when `mean` or
 *   `std` do not have one finite value per feature; TypeError when only one of them is given.
 * @example
 * const xTrain = randn([80, 3]).mul(5).add(2);
 * const xTest = randn([20, 3]).mul(5).add(2);
 * const train = standardize(xTrain);
 * const test = standardize(xTest, train.mean, train.std).x;
 */
export function standardize(
  x: Tensor,
  mean?: Tensor | ArrayLike<number>,
  std?: Tensor | ArrayLike<number>,
): Standardized {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`standardize: expected a Tensor, got ${formatValue(x)}`);
  }
  if (x.ndim === 0) {
    throw new RangeError(
      'standardize: needs data with a first dimension of examples, got a 0-d tensor',
    );
  }
  if ((mean === undefined) !== (std === undefined)) {
    throw new TypeError('standardize: give both mean and std (from the training data), or neither');
  }
  const n = x.shape[0];
  const features = n === 0 ? x.shape.slice(1).reduce((a, b) => a * b, 1) : x.size / n;
  const data = x.data;
  let mu: Float64Array;
  let sigma: Float64Array;
  if (mean !== undefined && std !== undefined) {
    mu = statistic(mean, features, 'mean');
    sigma = statistic(std, features, 'std');
  } else {
    if (n === 0) {
      throw new RangeError(
        `standardize: cannot compute statistics of data with no examples (shape ${formatShape(x.shape)})`,
      );
    }
    mu = new Float64Array(features);
    sigma = new Float64Array(features);
    const min = new Float64Array(features).fill(Infinity);
    const max = new Float64Array(features).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < features; j++) {
        const v = data[i * features + j];
        mu[j] += v;
        if (v < min[j]) min[j] = v;
        if (v > max[j]) max[j] = v;
      }
    }
    for (let j = 0; j < features; j++) mu[j] /= n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < features; j++) {
        const d = data[i * features + j] - mu[j];
        sigma[j] += d * d;
      }
    }
    for (let j = 0; j < features; j++) {
      if (min[j] === max[j]) {
        // A constant feature: centre it exactly and leave its scale alone.
        mu[j] = min[j];
        sigma[j] = 1;
      } else {
        sigma[j] = Math.sqrt(sigma[j] / n);
      }
    }
  }
  const wide = x.dtype === 'float64';
  const out = wide ? new Float64Array(x.size) : new Float32Array(x.size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < features; j++) {
      const k = i * features + j;
      out[k] = (data[k] - mu[j]) / sigma[j];
    }
  }
  return {
    x: new Tensor(out, x.shape.slice()),
    mean: new Tensor(wide ? mu : Float32Array.from(mu), [features]),
    std: new Tensor(wide ? sigma : Float32Array.from(sigma), [features]),
  };
}
