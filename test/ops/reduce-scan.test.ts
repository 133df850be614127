import { describe, expect, it } from 'vitest';
import {
  allclose,
  argsort,
  cosineSimilarity,
  cumprod,
  cumsum,
  isclose,
  kthvalue,
  logcumsumexp,
  median,
  mode,
  norm,
  normalize,
  prod,
  std,
  stdMean,
  tensor,
  topk,
  variance,
  varMean,
  zeros,
  type Tensor,
} from '../../src/index.js';
import { expectExact, expectValues, type Nested } from '../helpers.js';

// Forward values and gradients of the reductions, scans and sorting ops of issue 15, against
// the values torch 1.13 gives for the same inputs (written here as literals).

const f64 = (v: Nested): Tensor => tensor(v, { dtype: 'float64' });
const X = (): Tensor =>
  f64([
    [0.5, -1.2, 2.0],
    [1.5, 0.3, -0.7],
  ]);
const expectInt = (t: Tensor, expected: Nested): void => expectExact(t, expected, 'int32');

/** The gradient `f` sends to a leaf holding `values` (for an upstream of ones). */
function gradOf(values: Nested, f: (x: Tensor) => Tensor, upstream?: Tensor): Tensor {
  const x = tensor(values, { requiresGrad: true });
  f(x).backward(upstream);
  return x.grad!;
}

describe('variance, standard deviation and products', () => {
  it('var and std follow torch (correction, axis, keepdims)', () => {
    expectValues(X().var(), 1.512, 1e-12);
    expectValues(
      variance(X(), 1, { correction: 0 }),
      [1.708888888888889, 0.8088888888888889],
      1e-12,
    );
    expectValues(std(X(), 0), [0.7071067811865476, 1.0606601717798212, 1.9091883092036783], 1e-12);
    const [v, m] = varMean(X(), -1, { keepdims: true });
    expectValues(v, [[2.5633333333333335], [1.2133333333333334]], 1e-12);
    expectValues(m, [[0.43333333333333335], [0.36666666666666664]], 1e-12);
    const [s, m2] = stdMean(f64([1, 3]));
    expectValues(s, Math.SQRT2, 1e-12);
    expectValues(m2, 2);
  });

  it('divides by max(0, n − correction): NaN for 0/0, ∞ beyond, as torch', () => {
    expectValues(f64([1]).var(), NaN);
    expectValues(f64([1, 2]).var(0, { correction: 2 }), Infinity);
    expectValues(f64([1, 2]).var(0, { correction: 3 }), Infinity);
  });

  it('std of equal elements has gradient 0, not NaN (torch masks it)', () => {
    expectValues(
      gradOf([1, 1], (x) => x.std()),
      [0, 0],
    );
  });

  it('prod and its gradient at zeros (one zero: the product of the others; two: 0)', () => {
    expectValues(prod(X(), 1), [-1.2, -0.315], 1e-12);
    expectValues(prod(X()), 0.378, 1e-12);
    expectValues(
      gradOf([2, 0, 3, 5], (x) => x.prod()),
      [0, 30, 0, 0],
    );
    expectValues(
      gradOf([2, 0, 3, 0], (x) => x.prod()),
      [0, 0, 0, 0],
    );
    expectValues(prod(zeros([2, 0]), 1, true), [[1], [1]]);
  });
});

describe('norms', () => {
  it('p = 3, −1.5, 0, ∞, fro, as torch.linalg.vector_norm', () => {
    expectValues(norm(X(), 3, 1), [2.1438258054435675, 1.552925449749808], 1e-12);
    expectValues(norm(X(), -1.5), 0.18787127222093492, 1e-12);
    expectValues(
      norm(
        f64([
          [3, 4],
          [1, 2],
        ]),
        0,
      ),
      4,
    );
    expectValues(norm(f64([3, -4]), Infinity), 4);
    expectValues(norm(f64([1, 2]), 'fro', 0), Math.sqrt(5), 1e-12);
  });

  it('gradients: 0 at the zero vector, shared by ties for ∞, sign for 1', () => {
    expectValues(
      gradOf([0, 0], (x) => x.norm()),
      [0, 0],
    );
    expectValues(
      gradOf([0, 0], (x) => x.norm(3)),
      [0, 0],
    );
    expectValues(
      gradOf([1, -3, 3], (x) => x.norm(Infinity)),
      [0, -0.5, 0.5],
    );
    expectValues(
      gradOf([1, -3, 0], (x) => x.norm(1)),
      [1, -1, 0],
    );
    expectValues(
      gradOf([1, -3, 2], (x) => x.norm(0)),
      [0, 0, 0],
    );
  });

  it('normalize and cosineSimilarity, as torch', () => {
    const n = normalize(X(), { p: 1, dim: 0 });
    expectValues(
      n,
      [
        [0.25, -0.8, 0.7407407407407407],
        [0.75, 0.2, -0.25925925925925924],
      ],
      1e-12,
    );
    expectValues(
      normalize(
        f64([
          [3, 4],
          [0, 0],
        ]),
      ),
      [
        [0.6, 0.8],
        [0, 0],
      ],
    );
    const cos = cosineSimilarity(X(), f64([[1, 0, 1]]));
    expectValues(cos, [0.7410864584109401, 0.33626508136735883], 1e-12);
    // Each norm is clamped at eps apart (torch 1.13), not their product.
    expectValues(cosineSimilarity(f64([[1e-9, 0]]), f64([[1e3, 0]])), [0.1], 1e-9);
  });

  it('isclose and allclose (infinities, NaN, equalNan)', () => {
    const a = tensor([1, NaN, Infinity, 1, -Infinity]);
    const b = tensor([1 + 1e-7, NaN, Infinity, Infinity, Infinity]);
    expectValues(isclose(a, b).to('float32'), [1, 0, 1, 0, 0]);
    expectValues(isclose(a, b, { equalNan: true }).to('float32'), [1, 1, 1, 0, 0]);
    expectValues(isclose(f64([1, 2]), f64([1.1, 2]), { atol: 0.2 }).to('float32'), [1, 1]);
    expect(allclose(tensor([1, 2]), tensor([1, 2 + 1e-7]))).toBe(true);
    expect(allclose(tensor([1, 2]), tensor([1, 2.1]))).toBe(false);
    expect(tensor([NaN]).allclose(tensor([NaN]), { equalNan: true })).toBe(true);
  });
});

describe('scans', () => {
  it('cumsum, cumprod, logcumsumexp along an axis, as torch', () => {
    expectValues(
      cumsum(X(), 1),
      [
        [0.5, -0.7, 1.3],
        [1.5, 1.8, 1.1],
      ],
      1e-12,
    );
    expectValues(
      cumprod(X(), 0),
      [
        [0.5, -1.2, 2],
        [0.75, -0.36, -1.4],
      ],
      1e-12,
    );
    expectValues(
      logcumsumexp(X(), 1),
      [
        [0.5, 0.667786029386266, 2.234196137135798],
        [1.5, 1.7632824673380312, 1.8450052766575142],
      ],
      1e-12,
    );
    expectValues(logcumsumexp(f64([-1000, 0, -Infinity]), 0), [-1000, 0, 0]);
    expectExact(cumsum(tensor([1, 2, 3], { dtype: 'int32' }), 0), [1, 3, 6], 'int32');
    expectValues(cumsum(f64(5), 0), 5);
  });

  it('cumprod gradient with zeros matches torch', () => {
    const g = gradOf([2, 0, 3, 0, 4], (x) => x.cumprod(0), tensor([1, 2, 3, 4, 5]));
    expectValues(g, [1, 22, 0, 0, 0]);
  });

  it('cummax and cummin: latest index on ties, NaN takes over (torch)', () => {
    const x = tensor([1, 3, 3, 2, 3]);
    expectValues(x.cummax(0).values, [1, 3, 3, 3, 3]);
    expectInt(x.cummax(0).indices, [0, 1, 2, 2, 4]);
    expectInt(tensor([1, 3, 1, 2]).cummin(0).indices, [0, 0, 2, 2]);
    const y = tensor([1, NaN, 2, 0]);
    expectValues(y.cummax(0).values, [1, NaN, NaN, NaN]);
    expectInt(y.cummin(0).indices, [0, 1, 1, 1]);
    expectValues(
      gradOf([1, 3, 3, 2], (t) => t.cummax(0).values.sum()),
      [1, 1, 2, 0],
    );
  });
});

describe('sorting and order statistics', () => {
  it('sort is stable, NaN last (first when descending), as torch', () => {
    const x = tensor([1, 3, 3, 2, 3]);
    expectInt(x.sort().indices, [0, 3, 1, 2, 4]);
    const d = x.sort(-1, true);
    expectValues(d.values, [3, 3, 3, 2, 1]);
    expectInt(d.indices, [1, 2, 4, 3, 0]);
    const y = tensor([1, NaN, 2, 0]);
    expectInt(y.sort().indices, [3, 0, 2, 1]);
    expectInt(argsort(y, 0, true), [1, 2, 0, 3]);
    expectValues(
      gradOf([[3, 1, 2]], (t) => t.sort(1).values, tensor([[1, 2, 3]])),
      [[3, 1, 2]],
    );
  });

  it('topk and kthvalue along an axis, ties in the stable order', () => {
    const x = tensor([
      [3, 1, 2, 1],
      [0, 5, 5, -1],
    ]);
    const small = topk(x, 2, 1, false);
    expectValues(small.values, [
      [1, 1],
      [-1, 0],
    ]);
    expectInt(small.indices, [
      [1, 3],
      [3, 0],
    ]);
    expectInt(topk(x, 1, 0).indices, [[0, 1, 1, 0]]);
    const k = kthvalue(tensor([3, 1, 2, 2]), 3);
    expectValues(k.values, 2);
    expectInt(kthvalue(x, 2, 1, true).indices, [[3], [0]]);
    expect(() => topk(x, 5)).toThrow(/topk: k must be an integer from 0 to 4, got 5/);
  });

  it('median: the lower middle value; all elements share the gradient among ties (torch)', () => {
    expectValues(median(tensor([1, 2, 3, 4])), 2);
    expectValues(
      gradOf([1, 3, 3, 2, 3], (x) => x.median()),
      [0, 1 / 3, 1 / 3, 0, 1 / 3],
    );
    const m = median(
      tensor([
        [1, 5, 2],
        [3, 3, 0],
      ]),
      1,
    );
    expectValues(m.values, [2, 3]);
    expectInt(m.indices, [2, 0]);
    expectValues(
      gradOf([1, 3, 3, 2, 3], (x) => x.median(0).values),
      [0, 1, 0, 0, 0],
    );
    expectValues(median(tensor([1, NaN, 2])), NaN);
    const withNaN = median(
      tensor([
        [1, NaN, 2, 0],
        [NaN, 1, NaN, 0],
      ]),
      1,
    );
    expectValues(withNaN.values, [NaN, NaN]);
    expectInt(withNaN.indices, [1, 0]);
    expectValues(median(zeros([0])), NaN);
  });

  it('mode: the smallest most frequent value, at its last position (torch)', () => {
    const m = mode(
      tensor([
        [1, 2, 2, 1],
        [3, 3, 1, 1],
      ]),
      1,
    );
    expectValues(m.values, [1, 1]);
    expectInt(m.indices, [3, 3]);
    expectInt(mode(tensor([5, 1, 5, 1, 2])).indices, 3);
    expectValues(mode(tensor([5, 1, 5]), 0, true).values, [5]);
  });

  it('a 0-d tensor sorts to itself; empty dimensions give empty results', () => {
    expectValues(tensor(4).sort().values, 4);
    expectInt(tensor(4).argsort(), 0);
    expect(zeros([2, 0, 3]).sort(1).values.shape).toEqual([2, 0, 3]);
    expect(zeros([2, 0]).topk(0, 1).values.shape).toEqual([2, 0]);
    expect(zeros([0, 3]).cumsum(0).shape).toEqual([0, 3]);
    expect(zeros([0, 3]).var(0).shape).toEqual([3]);
    const g = gradOf([[], []], (x) => x.cumprod(1).sum().add(x.sort(1).values.sum()));
    expect(g.shape).toEqual([2, 0]);
  });
});
