import fc from 'fast-check';
import { fmod, remainder } from '../../src/index.js';
import type { OpCase } from './op-table.js';

/**
 * The differentiable integer-family primitives (ops/integer.ts) in the gradcheck table:
 * remainder and fmod, whose derivatives are 1 for the dividend and −floor(a/b) / −trunc(a/b) for
 * the divisor. Inputs are positive ([0.5, 2.5]), so a/b stays in [0.2, 5] and the random points
 * fall between the jumps at whole quotients. One case each also draws negative axes (the second
 * input's rank below the first's) and empty dimensions.
 */

/**
 * Two shapes that broadcast together: the second is a suffix of the first (so its axes count from
 * the end), some of its sizes 1, the two sometimes swapped; sometimes the last dimension is 0.
 * (Its own arbitrary: op-table.ts imports this file, so this file cannot use that one's.)
 */
const withEmpty: fc.Arbitrary<number[][]> = fc
  .tuple(
    fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
    fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    fc.nat(2),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([a, ones, drop, swap, empty]) => {
    const full = empty ? [...a.slice(0, -1), 0] : a;
    const b = full.slice(Math.min(drop, full.length)).map((d, i) => (ones[i] ? 1 : d));
    return swap ? [b, full] : [full, b];
  });

export const integerCases: OpCase[] = [
  {
    name: 'remainder',
    primitives: ['remainder'],
    shapes: withEmpty,
    domain: 'positive',
    fn: (a, b) => remainder(a.neg(), b),
  },
  {
    name: 'fmod',
    primitives: ['fmod'],
    shapes: withEmpty,
    domain: 'positive',
    fn: (a, b) => fmod(a.neg(), b),
  },
];
