import fc from 'fast-check';
import type { Tensor } from '../../src/index.js';
import {
  clamp,
  concat,
  erf,
  gelu,
  Generator,
  leakyRelu,
  log1p,
  maximum,
  minimum,
  pow,
  softplus,
  stack,
  sub,
  tensor,
  where,
  type PrimitiveName,
} from '../../src/index.js';
import { indexAdd, scatterAdd } from '../../src/ops/indexing.js';
import { convCases } from './conv-cases.js';
import { poolOpCases } from './pool-cases.js';
import { normCases } from './norm-cases.js';
import { reduceCases } from './cases-reduce.js';
import { crossEntropyCases } from './cross-entropy-cases.js';
import { attentionCases } from './cases-attention.js';
import { matmulCases } from './cases-matmul.js';
import { elementwiseCases } from './cases-elementwise.js';
import { indexOpCases } from './cases-index.js';
import { integerCases } from './cases-integer.js';

/**
 * The table of every differentiable operation, for gradcheck. Each entry says how many inputs
 * the operation takes, how to draw shapes for them (including broadcast pairs), which values are
 * safe (positive for log, away from kinks for relu/abs/max), and which primitives it exercises.
 */
export interface OpCase {
  name: string;
  /** Primitives this case runs through (the completeness test checks every one is covered). */
  primitives: readonly PrimitiveName[];
  /** Shapes of the differentiable inputs. */
  shapes: fc.Arbitrary<number[][]>;
  /** Where input values come from. */
  domain: Domain;
  /** The operation, applied to float64 inputs. */
  fn: (...xs: Tensor[]) => Tensor;
  /** Finite-difference step and tolerances, when the defaults do not suit. */
  tolerance?: { eps?: number; atol?: number; rtol?: number };
  /** Whether to also check the gradient of the gradient (default true). */
  secondOrder?: boolean;
}

/**
 * - `any`: normal values;
 * - `positive`: in [0.5, 2.5];
 * - `awayFromZero`: |x| ≥ 0.2 (for kinks at 0);
 * - `distinct`: all values of all inputs at least 0.05 apart (for max/min and their ties).
 */
export type Domain = 'any' | 'positive' | 'awayFromZero' | 'distinct';

const dim = fc.integer({ min: 1, max: 4 });

/** A shape of 0 to `maxRank` dimensions, sizes 1 to 4. */
export const shapeArb = (minRank = 0, maxRank = 3): fc.Arbitrary<number[]> =>
  fc.array(dim, { minLength: minRank, maxLength: maxRank });

/** Two shapes that broadcast together: the second drops leading dims and sets some sizes to 1. */
export const broadcastPair = (minRank = 0): fc.Arbitrary<number[][]> =>
  fc
    .tuple(
      shapeArb(minRank, 3),
      fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      fc.nat(3),
      fc.boolean(),
    )
    .map(([a, ones, drop, swap]) => {
      const b = a.slice(Math.min(drop, a.length)).map((d, i) => (ones[i] ? 1 : d));
      return swap ? [b, a] : [a, b];
    });

const single = (minRank = 0, maxRank = 3): fc.Arbitrary<number[][]> =>
  shapeArb(minRank, maxRank).map((s) => [s]);

/** Draws the input values for `shapes` in `domain`, deterministically from `seed`. */
export function makeInputs(shapes: readonly number[][], domain: Domain, seed: number): Tensor[] {
  const gen = new Generator(seed);
  const total = shapes.reduce((n, s) => n + s.reduce((p, d) => p * d, 1), 0);
  // For `distinct`, a shuffled ladder of values 0.05 apart, shared by all inputs.
  const ladder = Array.from({ length: total }, (_, i) => (i - total / 2) * 0.05 + 0.013);
  for (let i = ladder.length - 1; i > 0; i--) {
    const j = gen.uniformInt(i + 1);
    [ladder[i], ladder[j]] = [ladder[j], ladder[i]];
  }
  let next = 0;
  return shapes.map((shape) => {
    const n = shape.reduce((p, d) => p * d, 1);
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = gen.normal();
      switch (domain) {
        case 'any':
          data[i] = v;
          break;
        case 'positive':
          data[i] = 0.5 + 2 * gen.random();
          break;
        case 'awayFromZero':
          data[i] = v >= 0 ? v + 0.2 : v - 0.2;
          break;
        case 'distinct':
          data[i] = ladder[next++];
          break;
      }
    }
    return tensor(data, { shape });
  });
}

const idx = (values: number[], shape?: number[]): Tensor =>
  tensor(values, { dtype: 'int32', shape });

export const opCases: OpCase[] = [
  // --- element-wise binary, with broadcasting
  {
    name: 'add',
    primitives: ['add'],
    shapes: broadcastPair(),
    domain: 'any',
    fn: (a, b) => a.add(b),
  },
  {
    name: 'sub',
    primitives: ['sub'],
    shapes: broadcastPair(),
    domain: 'any',
    fn: (a, b) => a.sub(b),
  },
  {
    name: 'mul',
    primitives: ['mul'],
    shapes: broadcastPair(),
    domain: 'any',
    fn: (a, b) => a.mul(b),
  },
  {
    name: 'div',
    primitives: ['div'],
    shapes: broadcastPair(),
    domain: 'awayFromZero',
    fn: (a, b) => a.div(b),
  },
  {
    name: 'pow (tensor exponent)',
    primitives: ['pow'],
    shapes: broadcastPair(),
    domain: 'positive',
    fn: (a, b) => pow(a, b),
  },
  {
    name: 'maximum',
    primitives: ['maximum'],
    shapes: broadcastPair(),
    domain: 'distinct',
    fn: (a, b) => maximum(a, b),
  },
  {
    name: 'minimum',
    primitives: ['minimum'],
    shapes: broadcastPair(),
    domain: 'distinct',
    fn: (a, b) => minimum(a, b),
  },
  {
    name: 'add number',
    primitives: ['add'],
    shapes: single(),
    domain: 'any',
    fn: (a) => a.add(2.5),
  },
  {
    name: 'number minus tensor',
    primitives: ['sub'],
    shapes: single(),
    domain: 'any',
    fn: (a) => sub(1, a),
  },
  {
    name: 'mul number',
    primitives: ['mul'],
    shapes: single(),
    domain: 'any',
    fn: (a) => a.mul(-3),
  },
  {
    name: 'div number',
    primitives: ['div'],
    shapes: single(),
    domain: 'awayFromZero',
    fn: (a) => a.div(0.5),
  },
  {
    name: 'where',
    primitives: ['where', 'gt'],
    shapes: fc
      .tuple(broadcastPair(), fc.nat(3), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }))
      .map(([[a, b], drop, ones]) => [
        a,
        b,
        a.slice(Math.min(drop, a.length)).map((d, i) => (ones[i] ? 1 : d)),
      ]),
    domain: 'any',
    fn: (a, b, c) => where(c.gt(0), a, b),
  },
  // --- element-wise unary
  { name: 'neg', primitives: ['neg'], shapes: single(), domain: 'any', fn: (x) => x.neg() },
  { name: 'exp', primitives: ['exp'], shapes: single(), domain: 'any', fn: (x) => x.exp() },
  { name: 'log', primitives: ['log'], shapes: single(), domain: 'positive', fn: (x) => x.log() },
  { name: 'sqrt', primitives: ['sqrt'], shapes: single(), domain: 'positive', fn: (x) => x.sqrt() },
  {
    name: 'log1p',
    primitives: ['log1p', 'add', 'div'],
    shapes: single(),
    domain: 'positive',
    fn: (x) => x.log1p(),
  },
  {
    name: 'log1p near 0',
    primitives: ['log1p'],
    shapes: single(),
    domain: 'any',
    fn: (x) => log1p(x.mul(0.1)),
  },
  {
    name: 'softplus',
    primitives: ['sub', 'exp', 'log1p', 'where', 'gt'],
    shapes: single(),
    domain: 'awayFromZero',
    fn: (x) => softplus(x.mul(3)),
  },
  {
    name: 'softplus beta, threshold',
    primitives: ['sub', 'exp', 'log1p', 'where', 'div'],
    shapes: single(),
    domain: 'awayFromZero',
    fn: (x) => x.softplus({ beta: 2, threshold: 1 }),
  },
  {
    name: 'abs',
    primitives: ['abs', 'sign'],
    shapes: single(),
    domain: 'awayFromZero',
    fn: (x) => x.abs(),
  },
  {
    name: 'sign (zero gradient)',
    primitives: ['sign'],
    shapes: single(),
    domain: 'awayFromZero',
    fn: (x) => x.sign(),
  },
  {
    name: 'tanh',
    primitives: ['tanh', 'tanhGrad'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.tanh(),
  },
  {
    name: 'sigmoid',
    primitives: ['sigmoid', 'sigmoidGrad'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.sigmoid(),
  },
  {
    name: 'relu',
    primitives: ['relu', 'reluGrad'],
    shapes: single(),
    domain: 'awayFromZero',
    fn: (x) => x.relu(),
  },
  {
    name: 'leakyRelu',
    primitives: ['where', 'gt'],
    shapes: single(),
    domain: 'awayFromZero',
    fn: (x) => leakyRelu(x, 0.1),
  },
  {
    name: 'step (zero gradient)',
    primitives: ['step'],
    shapes: single(),
    domain: 'awayFromZero',
    fn: (x) => x.step(),
  },
  { name: 'sin', primitives: ['sin', 'cos'], shapes: single(), domain: 'any', fn: (x) => x.sin() },
  { name: 'cos', primitives: ['cos', 'sin'], shapes: single(), domain: 'any', fn: (x) => x.cos() },
  {
    name: 'erf',
    primitives: ['erf', 'exp'],
    shapes: single(),
    domain: 'any',
    fn: (x) => erf(x.mul(1.5)),
  },
  { name: 'gelu', primitives: ['erf', 'mul'], shapes: single(), domain: 'any', fn: (x) => gelu(x) },
  {
    name: 'gelu tanh',
    primitives: ['tanh', 'mul'],
    shapes: single(),
    domain: 'any',
    fn: (x) => gelu(x, 'tanh'),
  },
  {
    name: 'pow (number exponent)',
    primitives: ['powScalar'],
    shapes: single(),
    domain: 'positive',
    fn: (x) => x.pow(2.5),
  },
  {
    name: 'pow 3 of any sign',
    primitives: ['powScalar'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.pow(3),
  },
  {
    name: 'pow 0',
    primitives: ['powScalar'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.pow(0),
  },
  { name: 'square', primitives: ['mul'], shapes: single(), domain: 'any', fn: (x) => x.square() },
  {
    name: 'reciprocal',
    primitives: ['div'],
    shapes: single(),
    domain: 'awayFromZero',
    fn: (x) => x.reciprocal(),
  },
  {
    name: 'clamp',
    primitives: ['where', 'lt', 'gt'],
    shapes: single(),
    domain: 'distinct',
    fn: (x) => clamp(x, -0.2, 0.3),
  },
  {
    name: 'cast float32 and back',
    primitives: ['cast'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.to('float32').to('float64'),
    tolerance: { eps: 1e-2, atol: 1e-3, rtol: 1e-3 },
  },
  // --- reductions
  {
    name: 'sum of all',
    primitives: ['sum', 'expand', 'reshape'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.sum(),
  },
  ...(['sum', 'mean', 'max', 'min', 'logsumexp'] as const).flatMap((op) =>
    (
      [
        [0, false],
        [-1, false],
        [[0, -1], true],
        [-1, true],
      ] as const
    ).map(([axis, keepdims]): OpCase => ({
      name: `${op} over axis ${JSON.stringify(axis)}${keepdims ? ' keeping dims' : ''}`,
      primitives:
        op === 'mean'
          ? ['sum', 'div']
          : op === 'logsumexp'
            ? ['sub', 'exp', 'sum', 'log', 'add']
            : [op],
      shapes: single(2, 3),
      domain: op === 'max' || op === 'min' ? 'distinct' : 'any',
      fn: (x) => x[op](axis, keepdims),
    })),
  ),
  {
    name: 'mean of all',
    primitives: ['sum', 'div'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.mean(),
  },
  {
    name: 'max of all',
    primitives: ['max'],
    shapes: single(),
    domain: 'distinct',
    fn: (x) => x.max(),
  },
  {
    name: 'softmax',
    primitives: ['logSoftmax', 'exp', 'sub', 'sum', 'mul'],
    shapes: single(1, 3),
    domain: 'any',
    fn: (x) => x.softmax(-1),
  },
  {
    name: 'softmax axis 0',
    primitives: ['logSoftmax', 'exp'],
    shapes: single(1, 3),
    domain: 'any',
    fn: (x) => x.softmax(0),
  },
  {
    name: 'logSoftmax',
    primitives: ['logSoftmax', 'sub', 'exp', 'sum'],
    shapes: single(1, 3),
    domain: 'any',
    fn: (x) => x.logSoftmax(),
  },
  {
    name: 'logSoftmax of large logits over a middle axis',
    primitives: ['logSoftmax'],
    shapes: single(3, 3),
    domain: 'any',
    fn: (x) => x.mul(50).logSoftmax(1),
  },
  // --- shape
  {
    name: 'reshape',
    primitives: ['reshape'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.reshape(-1, 1).mul(x.reshape(1, -1)),
  },
  {
    name: 'permute',
    primitives: ['permute'],
    shapes: single(3, 3),
    domain: 'any',
    fn: (x) =>
      x
        .permute(2, 0, 1)
        .mul(tensor([1, 2, 3, 4], { dtype: 'float64' }).reshape(-1, 1, 1).slice(`:${x.shape[2]}`)),
  },
  {
    name: 'transpose',
    primitives: ['permute'],
    shapes: single(2, 3),
    domain: 'any',
    fn: (x) => x.transpose(0, -1),
  },
  {
    name: 'flatten',
    primitives: ['reshape'],
    shapes: single(2, 3),
    domain: 'any',
    fn: (x) => x.flatten(),
  },
  {
    name: 'squeeze/unsqueeze',
    primitives: ['reshape'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.unsqueeze(0).unsqueeze(-1).squeeze(),
  },
  {
    name: 'expand',
    primitives: ['expand'],
    shapes: shapeArb(0, 2).map((s) => [s.map((d, i) => (i === 0 ? 1 : d))]),
    domain: 'any',
    fn: (x) => x.expand([3, ...x.shape.map((d, i) => (i === 0 ? 2 : d))]),
  },
  // --- indexing
  {
    name: 'slice with steps',
    primitives: ['slice', 'unslice'],
    shapes: single(1, 3),
    domain: 'any',
    fn: (x) => x.slice('::2', ...(x.ndim > 1 ? ['1:'] : [])),
  },
  {
    name: 'get a row and an element',
    primitives: ['slice', 'reshape'],
    shapes: single(2, 2),
    domain: 'any',
    fn: (x) => x.get(-1).add(x.get(0, 0)),
  },
  {
    name: 'select and narrow',
    primitives: ['slice'],
    shapes: single(2, 3),
    domain: 'any',
    fn: (x) =>
      x
        .select(1, 0)
        .sum()
        .add(x.narrow(0, 0, 1)),
  },
  {
    name: 'concat',
    primitives: ['concat'],
    shapes: fc.tuple(shapeArb(1, 3), dim, dim).map(([s, a, b]) => [
      [...s.slice(0, -1), a],
      [...s.slice(0, -1), b],
    ]),
    domain: 'any',
    fn: (a, b) => concat([a, b, a], -1),
  },
  {
    name: 'stack',
    primitives: ['concat', 'reshape'],
    shapes: shapeArb().map((s) => [s, s]),
    domain: 'any',
    fn: (a, b) => stack([a, b], a.ndim),
  },
  {
    name: 'indexSelect with repeats',
    primitives: ['indexSelect', 'indexAdd'],
    shapes: single(1, 3),
    domain: 'any',
    fn: (x) => x.indexSelect(0, idx([0, x.shape[0] - 1, 0])),
  },
  {
    name: 'gather',
    primitives: ['gather', 'scatterAdd'],
    shapes: fc.tuple(dim, dim).map(([m, n]) => [[m, n]]),
    domain: 'any',
    fn: (x) => {
      const [m, n] = x.shape;
      const index = Array.from({ length: m * 3 }, (_, i) => (i * 7) % n);
      return x.gather(1, idx(index, [m, 3]));
    },
  },
  {
    name: 'indexAdd (adjoint of indexSelect)',
    primitives: ['indexAdd'],
    shapes: fc.tuple(dim).map(([n]) => [[3, n]]),
    domain: 'any',
    fn: (src) => indexAdd(src, 0, idx([1, 0, 1]), [2, src.shape[1]]),
  },
  {
    name: 'scatterAdd (adjoint of gather)',
    primitives: ['scatterAdd'],
    shapes: fc.tuple(dim).map(([m]) => [[m, 3]]),
    domain: 'any',
    fn: (src) =>
      scatterAdd(
        src,
        1,
        idx(
          Array.from({ length: src.shape[0] * 3 }, (_, i) => i % 2),
          [src.shape[0], 3],
        ),
        [src.shape[0], 2],
      ),
  },
  // --- a value reused on several paths
  {
    name: 'one value on several paths',
    primitives: ['mul', 'add', 'exp', 'tanh'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.mul(x).add(x.exp()).mul(x).add(x.tanh().mul(x)),
  },
  {
    name: 'two inputs on several paths, broadcasting',
    primitives: ['mul', 'add', 'div', 'sigmoid'],
    shapes: broadcastPair(),
    domain: 'positive',
    fn: (a, b) => a.mul(b).add(a.div(b)).mul(a.sigmoid()).sub(b.mul(b)),
  },
  ...convCases,
  ...poolOpCases,
  ...normCases,
  ...reduceCases,
  ...crossEntropyCases,
  ...matmulCases,
  ...attentionCases,
  ...elementwiseCases,
  ...indexOpCases,
  ...integerCases,
];
