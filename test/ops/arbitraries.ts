import fc from 'fast-check';

/** The shapes the gradcheck table (op-table.ts) draws its inputs in. */

/** A dimension's size, 1 to 4. */
export const dim = fc.integer({ min: 1, max: 4 });

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

/** One shape, as a one-input list. */
export const single = (minRank = 0, maxRank = 3): fc.Arbitrary<number[][]> =>
  shapeArb(minRank, maxRank).map((s) => [s]);
