import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { B, RUNS } from './js-helpers.js';

// The sorting kernels against a naive stable sort: a comparator that puts NaN last (first when
// descending) and ties in their order, as PyTorch's stable sort does. Float32 and integer lines go
// through order keys (sort.ts), float64 lines through the comparator: both must agree with it.

function naiveOrder(line: number[], descending: boolean): number[] {
  const rank = (v: number): number => (v !== v ? Infinity : v === 0 ? 0 : v);
  const order = line.map((_, j) => j);
  // Stable: Array.prototype.sort keeps equal elements in order; NaN counts as above +Infinity.
  return order.sort((a, b) => {
    const [x, y] = [line[a], line[b]];
    const nanA = x !== x;
    const nanB = y !== y;
    if (nanA || nanB) return nanA === nanB ? 0 : (nanA ? 1 : -1) * (descending ? -1 : 1);
    const c = rank(x) < rank(y) ? -1 : rank(x) > rank(y) ? 1 : 0;
    return descending ? -c : c;
  });
}

const value = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2, NaN, Infinity, -Infinity),
  fc.integer({ min: -5, max: 5 }),
  fc.float({ noNaN: true }).map(Math.fround),
);

const arrays = {
  float32: (v: number[]) => Float32Array.from(v),
  float64: (v: number[]) => Float64Array.from(v),
  int32: (v: number[]) => Int32Array.from(v.map((x) => (Number.isFinite(x) ? Math.trunc(x) : 7))),
};

describe('sortIndices and topkIndices', () => {
  for (const [dtype, make] of Object.entries(arrays)) {
    it(`give the stable order along any axis (${dtype})`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 1, max: 3 }),
          fc.boolean(),
          fc.array(value, { minLength: 81, maxLength: 81 }),
          fc.nat(9),
          (outer, size, inner, descending, values, kRaw) => {
            const x = make(values.slice(0, outer * size * inner));
            const sorted = new Int32Array(x.length);
            B.sortIndices(x, outer, size, inner, descending, sorted);
            const k = Math.min(kRaw, size);
            const top = new Int32Array(outer * k * inner);
            B.topkIndices(x, outer, size, inner, k, descending, top);
            for (let o = 0; o < outer; o++) {
              for (let i = 0; i < inner; i++) {
                const at = (j: number): number => o * size * inner + i + j * inner;
                const line = Array.from({ length: size }, (_, j) => x[at(j)]);
                const want = naiveOrder(line, descending);
                const got = Array.from({ length: size }, (_, j) => sorted[at(j)]);
                expect(got).toEqual(want);
                const gotTop = Array.from(
                  { length: k },
                  (_, j) => top[o * k * inner + i + j * inner],
                );
                expect(gotTop).toEqual(want.slice(0, k));
              }
            }
          },
        ),
        RUNS,
      );
    });
  }
});
