import { checkBoolean, checkNonNegative, fail, resolveOptions } from '../tensor/check.js';
import { ones, zeros } from '../tensor/creation.js';
import { isFloating, type TypedArray } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { expectTensor } from './kernels.js';
import { normalizeWith } from './norm-rules.js';

/** The options of `batchNorm`, as PyTorch's `F.batch_norm`. */
export interface BatchNormOpOptions {
  /** γ, one per channel (default: none, i.e. 1). */
  weight?: Tensor | null;
  /** β, one per channel (default: none, i.e. 0). */
  bias?: Tensor | null;
  /** Normalize by the batch's statistics and update the running ones (default false). */
  training?: boolean;
  /** Weight of the new batch in the running statistics (default 0.1). */
  momentum?: number;
  /** Added to the variance before its square root (default 1e-5). */
  eps?: number;
}

/** The options of `layerNorm` and `groupNorm`: the affine parameters and ε. */
export interface NormOpOptions {
  /** γ (default: none, i.e. 1). */
  weight?: Tensor | null;
  /** β (default: none, i.e. 0). */
  bias?: Tensor | null;
  /** Added to the variance before its square root (default 1e-5). */
  eps?: number;
}

/** A floating-point input of at least `minDims` dimensions. */
function checkInput(where: string, input: unknown, minDims: number, dims: string): Tensor {
  const x = expectTensor(input, where);
  if (!isFloating(x.dtype))
    throw new TypeError(`${where}: expected a float32 or float64 input, got ${x.dtype}`);
  if (x.ndim < minDims)
    throw new RangeError(`${where}: expected an input ${dims}, got shape ${formatShape(x.shape)}`);
  return x;
}

/**
 * An optional tensor argument (null or undefined: none) of x's dtype with `size` elements, or
 * exactly `shape` when given; `what` says what it must match.
 */
function checkParam(
  where: string,
  key: string,
  value: unknown,
  x: Tensor,
  size: number,
  what: string,
  shape?: readonly number[],
): Tensor | null {
  if (value === null || value === undefined) return null;
  if (!(value instanceof Tensor)) fail({ where }, key, 'a Tensor or null', value, TypeError);
  const ok =
    shape === undefined ? value.size === size : formatShape(value.shape) === formatShape(shape);
  if (!ok) {
    const expected = shape === undefined ? `${size} elements` : `shape ${formatShape(shape)}`;
    throw new RangeError(
      `${where}: ${key} must have ${expected} (${what} of the input ${formatShape(x.shape)}), got shape ${formatShape(value.shape)}`,
    );
  }
  if (value.dtype !== x.dtype)
    throw new TypeError(`${where}: ${key} must be ${x.dtype} like the input, got ${value.dtype}`);
  return value;
}

/** ε: a number ≥ 0. */
const checkEps = (where: string, eps: unknown): number => checkNonNegative({ where }, 'eps', eps);

/** The product of x's sizes from dimension `from` on. */
const trailing = (x: Tensor, from: number): number => sizeOf(x.shape.slice(from));

/** running = (1 − momentum)·running + momentum·value, in place, outside autograd. */
function blend(running: TypedArray, value: TypedArray, momentum: number, factor: number): void {
  for (let c = 0; c < running.length; c++)
    running[c] = (1 - momentum) * running[c] + momentum * value[c] * factor;
}

/** t as [c] (itself when it already is). */
const flat = (t: Tensor, c: number): Tensor => (t.ndim === 1 ? t : t.reshape([c]));

/** γ and β as [C] inputs of the fused primitive (the missing one of ones or zeros), or null. */
function affinePair(
  x: Tensor,
  c: number,
  weight: Tensor | null,
  bias: Tensor | null,
): { weight: Tensor; bias: Tensor } | null {
  if (weight === null && bias === null) return null;
  const dtype = x.dtype;
  return {
    weight: weight === null ? ones([c], { dtype }) : flat(weight, c),
    bias: bias === null ? zeros([c], { dtype }) : flat(bias, c),
  };
}

/** Checks the options of batchNorm, returning them resolved. */
function batchNormArgs(
  x: Tensor,
  runningMean: unknown,
  runningVar: unknown,
  options: unknown,
): Required<BatchNormOpOptions> & { runningMean: Tensor | null; runningVar: Tensor | null } {
  const where = 'batchNorm';
  const c = x.shape[1];
  const o = resolveOptions<Required<BatchNormOpOptions>>(where, options, {
    weight: null,
    bias: null,
    training: false,
    momentum: 0.1,
    eps: 1e-5,
  });
  const rm = checkParam(where, 'runningMean', runningMean, x, c, 'one per channel');
  const rv = checkParam(where, 'runningVar', runningVar, x, c, 'one per channel');
  if ((rm === null) !== (rv === null))
    throw new TypeError(
      `batchNorm: give both runningMean and runningVar or neither, got ${rm === null ? 'only runningVar' : 'only runningMean'}`,
    );
  checkBoolean({ where }, 'training', o.training);
  if (o.momentum === null)
    throw new TypeError(
      'batchNorm: momentum must be a number, got null (a cumulative average, the BatchNorm module with momentum null, passes momentum 1/numBatchesTracked)',
    );
  if (typeof o.momentum !== 'number' || !Number.isFinite(o.momentum))
    fail({ where }, 'momentum', 'a finite number', o.momentum, TypeError);
  return {
    ...o,
    weight: checkParam(where, 'weight', o.weight, x, c, 'one per channel'),
    bias: checkParam(where, 'bias', o.bias, x, c, 'one per channel'),
    eps: checkEps(where, o.eps),
    runningMean: rm,
    runningVar: rv,
  };
}

/**
 * Batch normalization, as PyTorch's `F.batch_norm`, over every dimension of input [N, C, ...]
 * but the channel (dimension 1): y = (x − mean)/√(var + ε)·γ + β per channel.
 *
 * - `training: true`: mean and var are the batch's (var biased, divided by n = N·spatial), and
 *   `runningMean` / `runningVar` are updated in place (their data, outside autograd) as
 *   running = (1 − momentum)·running + momentum·batch statistic, with the unbiased variance
 *   (divided by n − 1). One value per channel is an error, as in PyTorch.
 * - `training: false`: the running statistics are used.
 * - `runningMean` and `runningVar` null: the batch's statistics are used in either mode and
 *   nothing is updated (PyTorch's `track_running_stats=False`).
 *
 * @example
 * const x = tensor([[1, 2], [3, 6]]);
 * const mean = zeros([2]);
 * const v = ones([2]);
 * batchNorm(x, mean, v, { training: true }); // ≈ [[-1.0000, -1.0000], [1.0000, 1.0000]]
 * mean.toArray(); // => [0.2, 0.4]
 * v.toArray(); // => [1.1, 1.7]   (0.9·1 + 0.1·the unbiased variances 2 and 8)
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options?: BatchNormOpOptions,
): Tensor {
  const x = checkInput('batchNorm', input, 2, '[N, C, ...] of at least 2 dimensions');
  const a = batchNormArgs(x, runningMean, runningVar, options);
  const [n, c] = x.shape;
  const rm = a.runningMean;
  const rv = a.runningVar;
  if (!a.training && rm !== null && rv !== null) {
    // y = x·scale + shift with scale = γ/√(running var + ε), shift = β − running mean·scale.
    const view = [1, c, ...x.shape.slice(2).map(() => 1)];
    let scale = rv.reshape([c]).add(a.eps).pow(-0.5);
    if (a.weight !== null) scale = scale.mul(a.weight.reshape([c]));
    let shift = rm.reshape([c]).mul(scale).neg();
    if (a.bias !== null) shift = shift.add(a.bias.reshape([c]));
    return x.mul(scale.reshape(view)).add(shift.reshape(view));
  }
  const spatial = trailing(x, 2);
  const count = n * spatial;
  if (count === 1)
    throw new RangeError(
      `batchNorm: Expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)}`,
    );
  const layout = { outer: n, channels: c, inner: spatial, eps: a.eps };
  const r = normalizeWith('batchNorm', x, layout, affinePair(x, c, a.weight, a.bias));
  if (a.training && rm !== null && rv !== null && count > 0) {
    blend(rm.data, r.mean, a.momentum, 1);
    blend(rv.data, r.variance, a.momentum, count / (count - 1));
  }
  return r.out;
}

/** normalizedShape as a list of positive integers. */
function shapeArg(value: unknown): number[] {
  const list = typeof value === 'number' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1)
  )
    fail(
      { where: 'layerNorm' },
      'normalizedShape',
      'a positive integer or a non-empty list of them',
      value,
      TypeError,
    );
  return list as number[];
}

/**
 * Layer normalization, as PyTorch's `F.layer_norm`: each slice of input over its last
 * len(normalizedShape) dimensions (which must equal normalizedShape) is normalized by its own mean
 * and biased variance, y = (x − mean)/√(var + ε)·γ + β, with γ and β (optional) of shape
 * normalizedShape.
 *
 * @example
 * layerNorm(tensor([[1, 3], [2, 2]]), 2); // ≈ [[-1.0000, 1.0000], [0, 0]]
 */
export function layerNorm(
  input: Tensor,
  normalizedShape: number | readonly number[],
  options?: NormOpOptions,
): Tensor {
  const where = 'layerNorm';
  const x = checkInput(where, input, 1, 'of at least 1 dimension');
  const ns = shapeArg(normalizedShape);
  const tail = x.shape.slice(x.ndim - ns.length);
  if (ns.length > x.ndim || formatShape(tail) !== formatShape(ns))
    throw new RangeError(
      `layerNorm: normalizedShape ${formatShape(ns)} does not match the input's last dimensions: expected an input of shape [*,${ns.join(',')}], got ${formatShape(x.shape)}`,
    );
  const o = resolveOptions<Required<NormOpOptions>>(where, options, {
    weight: null,
    bias: null,
    eps: 1e-5,
  });
  const inner = sizeOf(ns);
  const rows = x.size / inner;
  const w = checkParam(where, 'weight', o.weight, x, inner, 'normalizedShape', ns);
  const b = checkParam(where, 'bias', o.bias, x, inner, 'normalizedShape', ns);
  const layout = { outer: 1, channels: rows, inner, eps: checkEps(where, o.eps) };
  let y = normalizeWith('layerNorm', x, layout, null).out;
  if (w === null && b === null) return y;
  y = y.reshape([rows, inner]);
  if (w !== null) y = y.mul(w.reshape([inner]));
  if (b !== null) y = y.add(b.reshape([inner]));
  return y.reshape(x.shape);
}

/**
 * Group normalization, as PyTorch's `F.group_norm`: the C channels of input [N, C, ...] are split
 * into numGroups groups of C/numGroups; each group of each sample is normalized by its own mean
 * and biased variance over its channels and positions, then y = x̂·γ + β per channel (γ, β of C
 * elements, optional).
 *
 * @example
 * groupNorm(tensor([[[1], [3], [5], [5]]]), 2).reshape([4]); // ≈ [-1.0000, 1.0000, 0, 0]
 */
export function groupNorm(input: Tensor, numGroups: number, options?: NormOpOptions): Tensor {
  const where = 'groupNorm';
  const x = checkInput(where, input, 2, '[N, C, ...] of at least 2 dimensions');
  if (typeof numGroups !== 'number' || !Number.isInteger(numGroups) || numGroups < 1)
    fail({ where }, 'numGroups', 'a positive integer', numGroups, TypeError);
  const [n, c] = x.shape;
  if (c % numGroups !== 0)
    throw new RangeError(
      `groupNorm: the input's ${c} channels (shape ${formatShape(x.shape)}) are not divisible by numGroups ${numGroups}`,
    );
  const o = resolveOptions<Required<NormOpOptions>>(where, options, {
    weight: null,
    bias: null,
    eps: 1e-5,
  });
  const w = checkParam(where, 'weight', o.weight, x, c, 'one per channel');
  const b = checkParam(where, 'bias', o.bias, x, c, 'one per channel');
  const spatial = trailing(x, 2);
  const inner = (c / numGroups) * spatial;
  const layout = { outer: 1, channels: n * numGroups, inner, eps: checkEps(where, o.eps) };
  let y = normalizeWith('groupNorm', x, layout, null).out;
  if (w === null && b === null) return y;
  y = y.reshape([n, c, spatial]);
  if (w !== null) y = y.mul(w.reshape([c, 1]));
  if (b !== null) y = y.add(b.reshape([c, 1]));
  return y.reshape(x.shape);
}
