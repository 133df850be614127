import { describe, expect, it } from 'vitest';
import {
  batchNorm,
  Generator,
  groupNorm,
  layerNorm,
  ones,
  randn,
  tensor,
  zeros,
  type Tensor,
} from '../../src/index.js';
import { derivatives } from '../../src/ops/registry.js';
import { expectValues } from '../helpers.js';

/**
 * Values of batchNorm, layerNorm and groupNorm against naive references written here in float64
 * (each group of elements normalized by its own mean and biased variance), the running
 * statistics over several steps against the update rule written out, and the argument errors.
 */

/** Normalizes the groups of `data` given by `key(i)` (the group of flat index i), naively. */
function naiveNormalize(data: ArrayLike<number>, key: (i: number) => number, eps: number) {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < data.length; i++) {
    const k = key(i);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(data[i]);
  }
  const stats = new Map<number, { mean: number; variance: number; unbiased: number }>();
  for (const [k, xs] of groups) {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const ss = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
    stats.set(k, { mean, variance: ss / xs.length, unbiased: ss / (xs.length - 1) });
  }
  const out = Array.from(data, (v, i) => {
    const s = stats.get(key(i))!;
    return (v - s.mean) / Math.sqrt(s.variance + eps);
  });
  return { out, stats };
}

const random = (shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float64') =>
  randn(shape, { generator: new Generator(seed), dtype })
    .mul(2)
    .add(0.5);

/** A tensor's values with a per-element function applied, as a flat list. */
const mapped = (t: Tensor, f: (v: number, i: number) => number): number[] => Array.from(t.data, f);

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(tol);
}

describe('batchNorm', () => {
  const shapes = [
    [5, 3],
    [4, 3, 6],
    [2, 3, 4, 5],
  ];
  for (const shape of shapes) {
    it(`normalizes every channel of ${JSON.stringify(shape)} over the batch and positions`, () => {
      const x = random(shape, 1);
      const c = shape[1];
      const inner = shape.slice(2).reduce((a, b) => a * b, 1);
      const channel = (i: number) => Math.floor(i / inner) % c;
      const w = random([c], 2);
      const b = random([c], 3);
      const y = batchNorm(x, null, null, { weight: w, bias: b, training: true, eps: 1e-3 });
      const ref = naiveNormalize(x.data, channel, 1e-3).out.map(
        (v, i) => v * w.data[channel(i)] + b.data[channel(i)],
      );
      expect(y.shape).toEqual(shape);
      expectClose(y.data, ref, 1e-12);
    });
  }

  it('updates the running statistics with the unbiased variance over several steps', () => {
    const rm = tensor([0.5, -1, 2], { dtype: 'float64' });
    const rv = tensor([1, 2, 0.5], { dtype: 'float64' });
    const mean = [0.5, -1, 2];
    const vars = [1, 2, 0.5];
    for (let step = 0; step < 4; step++) {
      const x = random([4, 3, 5], 10 + step);
      const channel = (i: number) => Math.floor(i / 5) % 3;
      const { stats } = naiveNormalize(x.data, channel, 1e-5);
      batchNorm(x, rm, rv, { training: true, momentum: 0.3 });
      for (let c = 0; c < 3; c++) {
        mean[c] = 0.7 * mean[c] + 0.3 * stats.get(c)!.mean;
        vars[c] = 0.7 * vars[c] + 0.3 * stats.get(c)!.unbiased;
      }
      expectClose(rm.data, mean, 1e-12);
      expectClose(rv.data, vars, 1e-12);
    }
  });

  it('writes the running statistics outside autograd and records no node for them', () => {
    const rm = zeros([2]);
    const rv = ones([2]);
    const x = tensor(
      [
        [1, 2],
        [3, 6],
      ],
      { requiresGrad: true },
    );
    const y = batchNorm(x, rm, rv, { training: true });
    expect(rm.requiresGrad).toBe(false);
    expect(rm.gradFn).toBeNull();
    expect(y.gradFn?.name).toBe('BatchNormBackward');
    expectValues(rm, [0.2, 0.4]);
    expectValues(rv, [1.1, 1.7]);
  });

  it('uses the running statistics in evaluation, and leaves them alone', () => {
    const x = random([3, 2, 4], 4);
    const rm = tensor([0.3, -0.2], { dtype: 'float64' });
    const rv = tensor([2, 0.5], { dtype: 'float64' });
    const w = tensor([1.5, -1], { dtype: 'float64' });
    const b = tensor([0.1, 0.2], { dtype: 'float64' });
    const y = batchNorm(x, rm, rv, { weight: w, bias: b, eps: 0.01 });
    const ch = (i: number) => Math.floor(i / 4) % 2;
    const ref = mapped(
      x,
      (v, i) =>
        ((v - rm.data[ch(i)]) / Math.sqrt(rv.data[ch(i)] + 0.01)) * w.data[ch(i)] + b.data[ch(i)],
    );
    expectClose(y.data, ref, 1e-12);
    expect(Array.from(rm.data)).toEqual([0.3, -0.2]);
    expect(Array.from(rv.data)).toEqual([2, 0.5]);
  });

  it('in evaluation sends gradients to the input, weight and bias (x·γ/σ + β − mean·γ/σ)', () => {
    const x = random([3, 2], 5).requiresGrad_(true);
    const w = tensor([2, 3], { dtype: 'float64', requiresGrad: true });
    const b = tensor([0, 1], { dtype: 'float64', requiresGrad: true });
    const rm = tensor([1, 2], { dtype: 'float64' });
    const rv = tensor([3, 8], { dtype: 'float64' });
    batchNorm(x, rm, rv, { weight: w, bias: b, eps: 1 }).sum().backward();
    expectValues(x.grad!, [
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    const xs = Array.from(x.data);
    expectValues(w.grad!, [(xs[0] + xs[2] + xs[4] - 3) / 2, (xs[1] + xs[3] + xs[5] - 6) / 3]);
    expectValues(b.grad!, [3, 3]);
  });

  it('uses the batch statistics when there are no running statistics, in either mode', () => {
    const x = random([4, 3], 6);
    const train = batchNorm(x, null, null, { training: true });
    const evaluate = batchNorm(x, null, null);
    expect(Array.from(evaluate.data)).toEqual(Array.from(train.data));
    expectClose(train.data, naiveNormalize(x.data, (i) => i % 3, 1e-5).out, 1e-12);
  });

  it('is the same in float32 to float32 precision', () => {
    const x = random([4, 3, 8], 7, 'float32');
    const y = batchNorm(x, zeros([3]), ones([3]), { training: true });
    expect(y.dtype).toBe('float32');
    expectClose(y.data, naiveNormalize(x.data, (i) => Math.floor(i / 8) % 3, 1e-5).out, 1e-5);
  });

  it('refuses one value per channel when training, as PyTorch', () => {
    const x = tensor([[1, 2, 3]]);
    expect(() => batchNorm(x, zeros([3]), ones([3]), { training: true })).toThrow(
      /batchNorm: Expected more than 1 value per channel when training, got input of shape \[1,3\]/,
    );
    expect(() => batchNorm(tensor([[[1], [2]]]), null, null)).toThrow(/more than 1 value/);
    // Evaluation with running statistics needs no batch statistics.
    expectValues(batchNorm(x, zeros([3]), ones([3]), { eps: 0 }), [[1, 2, 3]]);
  });

  it('names what does not fit', () => {
    const x = zeros([2, 3, 4]);
    expect(() => batchNorm(x, zeros([4]), ones([3]))).toThrow(
      /batchNorm: runningMean must have 3 elements \(one per channel of the input \[2,3,4\]\), got shape \[4\]/,
    );
    expect(() => batchNorm(x, zeros([3]), ones([2]))).toThrow(/runningVar must have 3 elements/);
    expect(() => batchNorm(x, zeros([3]), null)).toThrow(/both runningMean and runningVar/);
    expect(() => batchNorm(x, null, null, { weight: ones([2]) })).toThrow(
      /batchNorm: weight must have 3 elements/,
    );
    expect(() => batchNorm(x, null, null, { bias: ones([5]) })).toThrow(/bias must have 3/);
    expect(() => batchNorm(x, null, null, { weight: ones([3], { dtype: 'float64' }) })).toThrow(
      /weight must be float32 like the input, got float64/,
    );
    expect(() => batchNorm(zeros([3]), null, null)).toThrow(
      /batchNorm: expected an input \[N, C, \.\.\.\] of at least 2 dimensions, got shape \[3\]/,
    );
    expect(() => batchNorm(zeros([2, 2], { dtype: 'int32' }), null, null)).toThrow(
      /float32 or float64 input, got int32/,
    );
    const momentum = null as unknown as number;
    expect(() => batchNorm(x, null, null, { momentum })).toThrow(
      /batchNorm: momentum must be a number, got null/,
    );
    expect(() => batchNorm(x, null, null, { eps: -1 })).toThrow(/batchNorm: eps must be/);
    expect(() => batchNorm(x, null, null, { momentom: 0.1 } as never)).toThrow(
      /unknown option "momentom"/,
    );
  });
});

describe('layerNorm', () => {
  it('normalizes over the last dimension', () => {
    const x = random([3, 5], 8);
    expectClose(
      layerNorm(x, 5).data,
      naiveNormalize(x.data, (i) => Math.floor(i / 5), 1e-5).out,
      1e-12,
    );
  });

  it('normalizes over several trailing dimensions, with an elementwise weight and bias', () => {
    const x = random([2, 3, 4, 2], 9);
    const w = random([4, 2], 10);
    const b = random([4, 2], 11);
    const y = layerNorm(x, [4, 2], { weight: w, bias: b, eps: 0.1 });
    const base = naiveNormalize(x.data, (i) => Math.floor(i / 8), 0.1).out;
    expect(y.shape).toEqual([2, 3, 4, 2]);
    expectClose(
      y.data,
      base.map((v, i) => v * w.data[i % 8] + b.data[i % 8]),
      1e-12,
    );
    const b3 = random([3, 4, 2], 15);
    const onlyBias = layerNorm(x, [3, 4, 2], { bias: b3 });
    const base3 = naiveNormalize(x.data, (i) => Math.floor(i / 24), 1e-5).out;
    expectClose(
      onlyBias.data,
      base3.map((v, i) => v + b3.data[i % 24]),
      1e-12,
    );
  });

  it('refuses a normalizedShape that is not the input trailing dimensions', () => {
    const x = zeros([2, 3, 4]);
    expect(() => layerNorm(x, [3])).toThrow(
      /layerNorm: normalizedShape \[3\] does not match the input's last dimensions: expected an input of shape \[\*,3\], got \[2,3,4\]/,
    );
    expect(() => layerNorm(x, [1, 2, 3, 4])).toThrow(/does not match/);
    expect(() => layerNorm(x, [])).toThrow(/normalizedShape must be a positive integer/);
    expect(() => layerNorm(x, 4, { weight: ones([3]) })).toThrow(
      /layerNorm: weight must have shape \[4\]/,
    );
  });
});

describe('groupNorm', () => {
  const x = random([2, 6, 3], 12);
  const groupOf = (groups: number) => (i: number) =>
    Math.floor(i / 18) * groups + Math.floor((Math.floor(i / 3) % 6) / (6 / groups));
  for (const groups of [1, 2, 3, 6]) {
    it(`normalizes ${groups} group(s) of channels and positions`, () => {
      const w = random([6], 13);
      const b = random([6], 14);
      const y = groupNorm(x, groups, { weight: w, bias: b });
      const ch = (i: number) => Math.floor(i / 3) % 6;
      const ref = naiveNormalize(x.data, groupOf(groups), 1e-5).out.map(
        (v, i) => v * w.data[ch(i)] + b.data[ch(i)],
      );
      expectClose(y.data, ref, 1e-12);
    });
  }

  it('normalizes 4-D input [N, C, H, W] by groups of channels and all positions', () => {
    const x4 = random([2, 4, 2, 3], 16);
    const group = (i: number) => Math.floor(i / 12);
    expectClose(groupNorm(x4, 2).data, naiveNormalize(x4.data, group, 1e-5).out, 1e-12);
  });

  it('with groups = C is instance norm, with groups = 1 layer norm over [C, ...]', () => {
    const perChannel = naiveNormalize(x.data, (i) => Math.floor(i / 3), 1e-5).out;
    expectClose(groupNorm(x, 6).data, perChannel, 1e-12);
    expectClose(groupNorm(x, 1).data, layerNorm(x, [6, 3]).data, 1e-12);
  });

  it('refuses groups that do not divide the channels, and parameters of the wrong size', () => {
    expect(() => groupNorm(x, 4)).toThrow(
      /groupNorm: the input's 6 channels \(shape \[2,6,3\]\) are not divisible by numGroups 4/,
    );
    expect(() => groupNorm(x, 0)).toThrow(/numGroups must be a positive integer, got 0/);
    expect(() => groupNorm(x, 2, { weight: ones([3], { dtype: 'float64' }) })).toThrow(
      /groupNorm: weight must have 6 elements/,
    );
    expect(() => groupNorm(zeros([6]), 2)).toThrow(/at least 2 dimensions/);
  });
});

describe('the explanations of the normalization primitives', () => {
  it('write the closed form of each derivative', () => {
    const context = { self: 'y', a: ['x', 'γ', 'β'], other: '', attrs: {}, num: String };
    const at = (i: number) => ({ ...context, i, x: context.a[i], wrt: `∂y/∂${context.a[i]}` });
    const bn = derivatives.batchNorm!;
    expect(bn(at(0)).rule).toBe('(γ/σ)·(u − mean(u) − x̂·mean(u·x̂)) with u = upstream·γ');
    expect(bn(at(1)).formula).toMatch(/^∂y\/∂γ = x̂ \(x̂ = \(x − mean\)\/σ/);
    expect(bn(at(2)).rule).toBe('Σ upstream over the batch and positions of each channel');
    const ln = derivatives.layerNorm!({ ...at(0), a: ['x'] });
    expect(ln.rule).toBe('(1/σ)·(u − mean(u) − x̂·mean(u·x̂)) with u = upstream');
    expect(derivatives.groupNorm!({ ...at(0), a: ['x'] }).formula).toContain('over each group');
  });
});

describe('empty inputs', () => {
  it('give empty results and gradients, and leave the running statistics alone', () => {
    const x = zeros([0, 3, 2], { dtype: 'float64' }).requiresGrad_(true);
    const rm = zeros([3]);
    const y = batchNorm(x.float(), rm, ones([3]), { training: true });
    expect(y.shape).toEqual([0, 3, 2]);
    expect(Array.from(rm.data)).toEqual([0, 0, 0]);
    const w = ones([2], { dtype: 'float64', requiresGrad: true });
    layerNorm(x, 2, { weight: w }).sum().backward();
    expect(x.grad!.shape).toEqual([0, 3, 2]);
    expect(Array.from(w.grad!.data)).toEqual([0, 0]);
    expect(groupNorm(zeros([2, 4, 0]), 2).shape).toEqual([2, 4, 0]);
  });
});
