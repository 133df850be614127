import fc from 'fast-check';
import {
  acos,
  acosh,
  asin,
  asinh,
  atan,
  atan2,
  atanh,
  celu,
  ceil,
  copysign,
  cosh,
  elu,
  exp2,
  expm1,
  floor,
  frac,
  glu,
  hardsigmoid,
  hardswish,
  hardtanh,
  hypot,
  lerp,
  log10,
  log2,
  logaddexp,
  logsigmoid,
  mish,
  nanToNum,
  prelu,
  relu6,
  round,
  rsqrt,
  selu,
  silu,
  sinh,
  softmin,
  softsign,
  tan,
  trunc,
  xlogy,
} from '../../src/index.js';
import type { OpCase } from './op-table.js';

/**
 * The gradcheck cases of PyTorch's element-wise math and activations (op-table.ts spreads them
 * in). Shapes include empty dimensions and broadcast pairs; the domains keep inputs inside each
 * function's domain (asin of [0.15, 0.75], acosh of [1.5, 3.5]) and away from kinks.
 */

/** Sizes 0 to 3, a 0 now and then (an empty tensor). */
const size = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 5 }, fc.constant(0));
const shape = (minRank = 0, maxRank = 3): fc.Arbitrary<number[]> =>
  fc.array(size, { minLength: minRank, maxLength: maxRank });
const single = (minRank = 0): fc.Arbitrary<number[][]> => shape(minRank).map((s) => [s]);

/** Two shapes that broadcast: the second drops leading dims and sets some sizes to 1; maybe swapped. */
const pair = fc
  .tuple(shape(), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.nat(3), fc.boolean())
  .map(([a, ones, drop, swap]) => {
    const b = a.slice(Math.min(drop, a.length)).map((d, i) => (ones[i] ? 1 : d));
    return swap ? [b, a] : [a, b];
  });

/** Three shapes that broadcast together (lerp's start, end and weight). */
const triple = fc
  .tuple(pair, fc.nat(3))
  .map(([[a, b], drop]) => [a, b, a.slice(Math.min(drop, a.length))]);

type Unary = Pick<OpCase, 'name' | 'primitives' | 'domain' | 'fn'>;

const unary = (cases: Unary[]): OpCase[] => cases.map((c) => ({ ...c, shapes: single() }));

const mathCases: OpCase[] = unary([
  { name: 'tan', primitives: ['tan'], domain: 'any', fn: (x) => tan(x.tanh()) },
  { name: 'asin', primitives: ['asin'], domain: 'positive', fn: (x) => asin(x.mul(0.3)) },
  { name: 'acos', primitives: ['acos'], domain: 'positive', fn: (x) => acos(x.mul(-0.3)) },
  { name: 'atan', primitives: ['atan'], domain: 'any', fn: (x) => atan(x) },
  { name: 'sinh', primitives: ['sinh', 'cosh'], domain: 'any', fn: (x) => sinh(x) },
  { name: 'cosh', primitives: ['cosh', 'sinh'], domain: 'any', fn: (x) => cosh(x) },
  { name: 'asinh', primitives: ['asinh'], domain: 'any', fn: (x) => asinh(x) },
  { name: 'acosh', primitives: ['acosh'], domain: 'positive', fn: (x) => acosh(x.add(1)) },
  { name: 'atanh', primitives: ['atanh'], domain: 'positive', fn: (x) => atanh(x.mul(-0.3)) },
  { name: 'rsqrt', primitives: ['rsqrt'], domain: 'positive', fn: (x) => rsqrt(x) },
  { name: 'log2', primitives: ['log2'], domain: 'positive', fn: (x) => log2(x) },
  { name: 'log10', primitives: ['log10'], domain: 'positive', fn: (x) => log10(x) },
  { name: 'expm1', primitives: ['expm1'], domain: 'any', fn: (x) => expm1(x) },
  { name: 'exp2', primitives: ['exp2'], domain: 'any', fn: (x) => exp2(x) },
  { name: 'trunc (zero gradient)', primitives: ['trunc'], domain: 'any', fn: (x) => trunc(x) },
  { name: 'floor (zero gradient)', primitives: ['floor'], domain: 'any', fn: (x) => floor(x) },
  { name: 'ceil (zero gradient)', primitives: ['ceil'], domain: 'any', fn: (x) => ceil(x) },
  { name: 'round (zero gradient)', primitives: ['round'], domain: 'any', fn: (x) => round(x) },
  {
    name: 'round to 1 decimal',
    primitives: ['round'],
    domain: 'any',
    fn: (x) => round(x, { decimals: 1 }),
  },
  { name: 'frac', primitives: ['sub', 'trunc'], domain: 'any', fn: (x) => frac(x.mul(3)) },
  {
    name: 'nanToNum',
    primitives: ['where'],
    domain: 'any',
    fn: (x) => nanToNum(x.div(x.add(0.5))),
  },
]);

const binaryCases: OpCase[] = [
  { name: 'atan2', primitives: ['atan2'], shapes: pair, domain: 'awayFromZero', fn: atan2 },
  { name: 'hypot', primitives: ['hypot'], shapes: pair, domain: 'awayFromZero', fn: hypot },
  {
    name: 'copysign',
    primitives: ['copysign', 'sign'],
    shapes: pair,
    domain: 'awayFromZero',
    fn: copysign,
  },
  { name: 'logaddexp', primitives: ['logaddexp'], shapes: pair, domain: 'any', fn: logaddexp },
  {
    name: 'xlogy',
    primitives: ['xlogy'],
    shapes: pair,
    domain: 'positive',
    fn: (x, y) => xlogy(x.sub(1.5), y),
  },
  {
    name: 'lerp (tensor weight)',
    primitives: ['sub', 'mul', 'add', 'where'],
    shapes: triple,
    domain: 'any',
    fn: (a, b, w) => lerp(a, b, w.sigmoid()),
  },
  ...[0.3, 0.7].map((w): OpCase => ({
    name: `lerp (weight ${w})`,
    primitives: ['sub', 'mul', w < 0.5 ? 'add' : 'sub'],
    shapes: pair,
    domain: 'any',
    fn: (a, b) => lerp(a, b, w),
  })),
];

const activationCases: OpCase[] = [
  ...unary([
    { name: 'elu', primitives: ['expm1', 'where'], domain: 'awayFromZero', fn: (x) => elu(x) },
    { name: 'elu α', primitives: ['expm1'], domain: 'awayFromZero', fn: (x) => elu(x, 0.5) },
    { name: 'celu', primitives: ['expm1'], domain: 'awayFromZero', fn: (x) => celu(x, 2) },
    { name: 'selu', primitives: ['expm1'], domain: 'awayFromZero', fn: (x) => selu(x) },
    { name: 'silu', primitives: ['sigmoid', 'mul'], domain: 'any', fn: (x) => silu(x) },
    { name: 'mish', primitives: ['tanh', 'log1p'], domain: 'any', fn: (x) => mish(x) },
    { name: 'softsign', primitives: ['abs', 'div'], domain: 'awayFromZero', fn: softsign },
    {
      name: 'logsigmoid',
      primitives: ['log1p', 'exp', 'where'],
      domain: 'any',
      fn: (x) => logsigmoid(x.mul(3)),
    },
    {
      name: 'hardsigmoid',
      primitives: ['where', 'div'],
      domain: 'any',
      fn: (x) => hardsigmoid(x.mul(4)),
    },
    {
      name: 'hardswish',
      primitives: ['where', 'mul'],
      domain: 'any',
      fn: (x) => hardswish(x.mul(4)),
    },
    { name: 'hardtanh', primitives: ['where'], domain: 'any', fn: (x) => hardtanh(x, -0.5, 1) },
    { name: 'relu6', primitives: ['where'], domain: 'any', fn: (x) => relu6(x.mul(5)) },
  ]),
  {
    name: 'prelu (a slope per channel)',
    primitives: ['where', 'mul', 'reshape'],
    shapes: fc
      .tuple(size, fc.integer({ min: 1, max: 3 }), shape(0, 2))
      .map(([n, c, rest]) => [[n, c, ...rest], [c]]),
    domain: 'awayFromZero',
    fn: (x, w) => prelu(x, w),
  },
  {
    name: 'prelu (one slope)',
    primitives: ['where', 'mul'],
    shapes: shape().map((s) => [s, [1]]),
    domain: 'awayFromZero',
    fn: (x, w) => prelu(x, w),
  },
  ...[-1, 0].map((dim): OpCase => ({
    name: `glu along ${dim}`,
    primitives: ['slice', 'sigmoid', 'mul'],
    shapes: fc
      .tuple(fc.integer({ min: 1, max: 2 }), shape(0, 2))
      .map(([h, rest]) => [dim === 0 ? [2 * h, ...rest] : [...rest, 2 * h]]),
    domain: 'any',
    fn: (x) => glu(x, dim),
  })),
  ...[-1, 0].map((dim): OpCase => ({
    name: `softmin along ${dim}`,
    primitives: ['neg', 'logSoftmax', 'exp'],
    shapes: single(1),
    domain: 'any',
    fn: (x) => softmin(x, dim),
  })),
];

/** Every case of this file, for op-table.ts. */
export const elementwiseCases: OpCase[] = [...mathCases, ...binaryCases, ...activationCases];
