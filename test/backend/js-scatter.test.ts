import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsBackend as B } from '../../src/backend/js/index.js';

// The scatter kernel (assign and multiply) against a naive loop over multi-indices.

function naive(
  out: Float64Array,
  outShape: number[],
  dim: number,
  index: Int32Array,
  indexShape: number[],
  src: Float64Array,
  multiply: boolean,
): void {
  const n = indexShape.reduce((p, d) => p * d, 1);
  for (let p = 0; p < n; p++) {
    let rest = p;
    let at = 0;
    let stride = 1;
    const coords = indexShape.map(() => 0);
    for (let d = indexShape.length - 1; d >= 0; d--) {
      coords[d] = rest % indexShape[d];
      rest = Math.floor(rest / indexShape[d]);
    }
    for (let d = outShape.length - 1; d >= 0; d--) {
      at += (d === dim ? index[p] : coords[d]) * stride;
      stride *= outShape[d];
    }
    out[at] = multiply ? out[at] * src[p] : src[p];
  }
}

describe('scatter kernel', () => {
  it('matches the naive loop, the last repeat winning', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
        fc.nat(2),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        (outShape, d, multiply, seed) => {
          const dim = d % outShape.length;
          const indexShape = outShape.map((n, i) => (i === dim ? 3 : Math.max(1, n - (seed % 2))));
          const count = indexShape.reduce((p, x) => p * x, 1);
          const index = Int32Array.from(
            { length: count },
            (_, i) => (i * 7 + seed) % outShape[dim],
          );
          const src = Float64Array.from({ length: count }, (_, i) => i + 2);
          const size = outShape.reduce((p, x) => p * x, 1);
          const want = Float64Array.from({ length: size }, (_, i) => i + 1);
          const got = want.slice();
          naive(want, outShape, dim, index, indexShape, src, multiply);
          B.scatter(got, outShape, dim, index, indexShape, src, multiply ? 'multiply' : 'assign');
          expect(Array.from(got)).toEqual(Array.from(want));
        },
      ),
      { seed: 15, numRuns: 60 },
    );
  });

  it('writes a 0-d index', () => {
    const out = Float32Array.of(1);
    B.scatter(out, [], 0, Int32Array.of(0), [], Float32Array.of(5), 'assign');
    expect(Array.from(out)).toEqual([5]);
  });
});
