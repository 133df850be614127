import fc from 'fast-check';
import {
  cosineEmbeddingLoss,
  cosineSimilarity,
  crossEntropy,
  huberLoss,
  klDiv,
  l1Loss,
  normalize,
  smoothL1Loss,
  tensor,
  type Tensor,
} from '../../src/index.js';
import type { OpCase } from './op-table.js';

/**
 * The reductions, scans, sorting ops and losses of issue 15 in the gradcheck table (op-table.ts).
 * Sorting ops take their values with `gather`, so their cases claim it; `distinct` values keep
 * ties (whose choice is tested in reduce-scan.test.ts) out of the finite differences.
 */

// Drawn here, not imported from op-table.ts, which imports this file.
// Sizes up to 3 and two-input cases up to rank 2 keep the finite differences few.
const dim = fc.integer({ min: 1, max: 3 });
const shapeArb = (minRank: number, maxRank: number): fc.Arbitrary<number[]> =>
  fc.array(dim, { minLength: minRank, maxLength: maxRank });
/** A shape and one that broadcasts with it (some sizes 1, maybe fewer dims). */
const broadcastPair = (minRank: number): fc.Arbitrary<number[][]> =>
  fc
    .tuple(shapeArb(minRank, 2), fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }))
    .map(([a, ones]) => [a, a.slice(a.length > minRank ? 1 : 0).map((d, i) => (ones[i] ? 1 : d))]);
const single = (minRank = 1, maxRank = 3): fc.Arbitrary<number[][]> =>
  shapeArb(minRank, maxRank).map((s) => [s]);
const pair = (minRank = 1): fc.Arbitrary<number[][]> => shapeArb(minRank, 2).map((s) => [s, s]);
const size = fc.integer({ min: 1, max: 3 });

export const reduceCases: OpCase[] = [
  {
    name: 'cumsum along the last axis',
    primitives: ['cumsum'],
    shapes: single(0),
    domain: 'any',
    fn: (x) => x.cumsum(-1),
  },
  {
    name: 'cumprod along axis 0',
    primitives: ['cumprod', 'cumsum', 'div'],
    shapes: single(),
    domain: 'awayFromZero',
    fn: (x) => x.cumprod(0),
  },
  {
    name: 'logcumsumexp along the last axis',
    primitives: ['logcumsumexp', 'exp', 'where'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.logcumsumexp(-1),
  },
  {
    name: 'cummax and cummin values',
    primitives: ['gather'],
    shapes: single(),
    domain: 'distinct',
    fn: (x) => x.cummax(0).values.add(x.cummin(-1).values),
  },
  {
    name: 'sort (descending) and topk values',
    primitives: ['gather'],
    shapes: single(),
    domain: 'distinct',
    fn: (x) => x.sort(-1, true).values.add(x.topk(1, -1).values),
  },
  {
    name: 'median of all, and kthvalue and mode along an axis',
    primitives: ['where', 'max', 'gather'],
    shapes: single(),
    domain: 'distinct',
    fn: (x) => x.median().add(x.kthvalue(1, 0).values.sum()).add(x.mode(-1).values.sum()),
  },
  {
    name: 'prod of all and along the last axis',
    primitives: ['cumprod', 'slice'],
    shapes: single(),
    domain: 'awayFromZero',
    fn: (x) => x.prod(-1, true).sum().add(x.prod()),
  },
  {
    name: 'var (correction 0, keeping dims) and std',
    primitives: ['sub', 'mul', 'sum', 'div', 'sqrt'],
    shapes: single(2, 3),
    domain: 'any',
    fn: (x) =>
      x
        .var([0, -1], { correction: 0, keepdims: true })
        .sum()
        // One element along the axis: n − 1 = 0, so the unbiased std would be NaN.
        .add(x.std(-1, { correction: x.shape[x.ndim - 1] > 1 ? 1 : 0 }).sum()),
  },
  {
    name: 'norms: p = 3 along an axis, 2, 1 and ∞ of all',
    primitives: ['abs', 'powScalar', 'sqrt', 'max'],
    shapes: single(),
    domain: 'distinct',
    fn: (x) => x.norm(3, -1).sum().add(x.norm()).add(x.norm(1)).add(x.norm(Infinity)),
  },
  {
    name: 'normalize, and cosineSimilarity of broadcast inputs',
    primitives: ['div', 'mul', 'sum'],
    shapes: broadcastPair(1),
    domain: 'any',
    fn: (a, b) =>
      normalize(a, { dim: -1 })
        .sum()
        .add(cosineSimilarity(a, b, { dim: -1 }).sum()),
  },
  {
    name: 'smooth L1 and Huber in their quadratic part, and KL losses',
    primitives: ['where', 'log', 'exp', 'mul'],
    shapes: pair(),
    domain: 'any',
    fn: (a, b) =>
      smoothL1Loss(a, b, { beta: 20 })
        .add(huberLoss(a, b, { delta: 20, reduction: 'sum' }))
        .add(klDiv(a, b.abs(), { reduction: 'batchmean' }))
        .add(klDiv(a, b, { logTarget: true })),
  },
  {
    // The second derivatives jump at the thresholds, where finite differences cannot follow.
    name: 'l1, smooth L1 and Huber losses across their thresholds',
    secondOrder: false,
    primitives: ['abs', 'where'],
    shapes: pair(),
    domain: 'distinct',
    fn: (a, b) =>
      l1Loss(a, b)
        .add(smoothL1Loss(a, b, { beta: 0.5 }))
        .add(huberLoss(a, b, { delta: 0.7, reduction: 'sum' })),
  },
  {
    name: 'cosineEmbeddingLoss (margin 0.1)',
    primitives: ['div', 'sqrt', 'where'],
    shapes: fc.tuple(size, size).map(([n, d]) => [
      [n, d],
      [n, d],
    ]),
    domain: 'any',
    fn: (a, b) => {
      const y = tensor(
        a.shape.slice(0, 1).flatMap((n) => Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1))),
      );
      return cosineEmbeddingLoss(a, b, y, { margin: 0.1 });
    },
  },
  {
    name: 'crossEntropy on [N, C, d] logits with weights, an ignored label and smoothing',
    primitives: ['logSoftmax', 'gather', 'permute'],
    shapes: fc
      .tuple(size, fc.integer({ min: 2, max: 3 }), size)
      .map(([n, c, d]) => [[n, c, d], [c]]),
    domain: 'positive',
    fn: (x: Tensor, w: Tensor) => {
      const [n, c, d] = x.shape;
      const labels = Array.from({ length: n * d }, (_, i) => (i === 1 ? -100 : i % c));
      const target = tensor(labels, { dtype: 'int32', shape: [n, d] });
      return crossEntropy(x, target, { weight: w, labelSmoothing: 0.1 });
    },
  },
];
