import fc from 'fast-check';
import type { Tensor } from '../../src/index.js';
import {
  Generator,
  maximum,
  minimum,
  pow,
  sub,
  tensor,
  where,
  type PrimitiveName,
} from '../../src/index.js';
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
import { unaryCases } from './cases-unary.js';
import { shapeCases } from './cases-shape.js';
import { broadcastPair, single } from './arbitraries.js';

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
  ...unaryCases,
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
  ...shapeCases,
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
