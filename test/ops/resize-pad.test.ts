import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { ones, pad, tensor } from '../../src/index.js';
import { errorOf, expectGradcheck, expectValues, randomTensor, small } from './pool-helpers.js';

/** pad: values against a naive per-element reference, hand-checked cases, gradients, errors. */

type Mode = 'constant' | 'reflect' | 'replicate';

/** The padded tensor computed element by element: output t reads input t − before, mapped back by mode. */
function naivePad(x: Tensor, widths: readonly number[], mode: Mode, value: number): number[] {
  const before = x.shape.map((_, d) => widths[2 * (x.ndim - 1 - d)] ?? 0);
  const after = x.shape.map((_, d) => widths[2 * (x.ndim - 1 - d) + 1] ?? 0);
  const outShape = x.shape.map((n, d) => n + before[d] + after[d]);
  const total = outShape.reduce((p, n) => p * n, 1);
  const out: number[] = [];
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    let src = 0;
    let inside = true;
    for (let d = x.ndim - 1, stride = 1; d >= 0; stride *= x.shape[d], d--) {
      const o = rest % outShape[d];
      rest = Math.floor(rest / outShape[d]);
      const n = x.shape[d];
      let t = o - before[d];
      if (mode === 'reflect') t = t < 0 ? -t : t >= n ? 2 * n - 2 - t : t;
      if (mode === 'replicate') t = Math.min(Math.max(t, 0), n - 1);
      if (t < 0 || t >= n) inside = false;
      src += t * stride;
    }
    out.push(inside ? x.data[src] : value);
  }
  return out;
}

/** A random shape and widths valid for `mode`. */
const padCases = (mode: Mode) =>
  fc
    .tuple(small(1, 3), fc.array(small(1, 4), { minLength: 5, maxLength: 5 }), small(0, 99))
    .chain(([k, dims, seed]) => {
      const shape = dims.slice(0, mode === 'constant' ? 1 + (seed % 4) : k + 1 + (seed % 2));
      const count = Math.min(k, shape.length);
      const widths = Array.from({ length: count }, (_, i) => {
        const n = shape[shape.length - 1 - i];
        const lo = mode === 'reflect' ? -(n - 1) : -n;
        const hi = mode === 'reflect' ? n - 1 : 3;
        return fc.tuple(small(lo, hi), small(lo, hi));
      });
      return fc.tuple(fc.constant(shape), fc.tuple(...widths), fc.constant(seed));
    })
    .map(([shape, pairs, seed]) => ({ shape, widths: pairs.flat(), seed }))
    .filter(({ shape, widths }) =>
      shape.every((n, d) => {
        const k = shape.length - 1 - d;
        const size = n + (widths[2 * k] ?? 0) + (widths[2 * k + 1] ?? 0);
        return mode === 'constant' ? size >= 0 : size >= 1;
      }),
    );

describe('pad against a naive reference', () => {
  for (const mode of ['constant', 'reflect', 'replicate'] as const) {
    it(`${mode}: random shapes and widths (negative ones crop)`, () => {
      fc.assert(
        fc.property(padCases(mode), ({ shape, widths, seed }) => {
          const x = randomTensor(shape, seed);
          const value = mode === 'constant' ? 0.5 + (seed % 3) : 0;
          const y = pad(x, widths, { mode, ...(mode === 'constant' ? { value } : {}) });
          const expected = naivePad(x, widths, mode, value);
          expectValues(y, y.shape, expected);
          expect(y.shape).toEqual(
            shape.map(
              (n, d) =>
                n +
                (widths[2 * (shape.length - 1 - d)] ?? 0) +
                (widths[2 * (shape.length - 1 - d) + 1] ?? 0),
            ),
          );
        }),
        { seed: 31, numRuns: 80 },
      );
    });
  }
});

describe('pad: hand-checked cases', () => {
  it('constant: zeros by default, a value, negative widths crop', () => {
    expectValues(pad(tensor([[1, 2]]), [1, 1]), [1, 4], [0, 1, 2, 0]);
    expectValues(
      pad(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        [1, 0, 0, 1],
        { value: 9 },
      ),
      [3, 3],
      [9, 1, 2, 9, 3, 4, 9, 9, 9],
    );
    expectValues(pad(tensor([1, 2, 3, 4]), [-1, 2]), [5], [2, 3, 4, 0, 0]);
    expectValues(pad(tensor([1, 2, 3]), [-1, -2]), [0], []);
    expect(pad(tensor([1, 2], { dtype: 'int32' }), [1, 0], { value: -1 }).toArray()).toEqual([
      -1, 1, 2,
    ]);
  });

  it('reflect mirrors without repeating the edge; replicate repeats it', () => {
    const x = tensor([[[1, 2, 3]]]);
    expectValues(pad(x, [2, 1], { mode: 'reflect' }), [1, 1, 6], [3, 2, 1, 2, 3, 2]);
    expectValues(pad(x, [2, 1], { mode: 'replicate' }), [1, 1, 6], [1, 1, 1, 2, 3, 3]);
    const square = tensor([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expectValues(
      pad(square, [1, 1, 1, 0], { mode: 'reflect' }),
      [1, 3, 4],
      [4, 3, 4, 3, 2, 1, 2, 1, 4, 3, 4, 3],
    );
    expectValues(
      pad(square, [0, 1, 1, 1], { mode: 'replicate' }),
      [1, 4, 3],
      [1, 2, 2, 1, 2, 2, 3, 4, 4, 3, 4, 4],
    );
  });

  it('the gradient of reflect padding sums the mirrored copies', () => {
    const x = tensor([[[1, 2, 3]]], { requiresGrad: true });
    pad(x, [2, 2], { mode: 'reflect' }).sum().backward();
    expect(Array.from((x.grad as Tensor).data)).toEqual([2, 3, 2]);
  });
});

describe('pad: gradients (gradcheck, float64, first and second order)', () => {
  for (const mode of ['constant', 'reflect', 'replicate'] as const) {
    it(mode, () => {
      fc.assert(
        fc.property(padCases(mode), ({ shape, widths, seed }) => {
          fc.pre(shape.reduce((p, n) => p * n, 1) <= 48);
          const options = mode === 'constant' ? { value: 0.75 } : { mode };
          expectGradcheck((x) => pad(x, widths, options), randomTensor(shape, seed));
        }),
        { seed: 32, numRuns: 15 },
      );
    });
  }
});

describe('pad: errors', () => {
  const x = ones([1, 2, 3]);
  it('refuses bad widths', () => {
    expect(errorOf(() => pad(x, [1]))).toMatch(
      /^pad: pad must be a list of an even number of integers/,
    );
    expect(errorOf(() => pad(x, [1, 1, 1, 1, 1, 1, 1, 1]))).toMatch(
      /at most 2 per dimension \(6 for shape \[1,2,3\]\), got \[1, 1, 1, 1, 1, 1, 1, 1\]/,
    );
    expect(errorOf(() => pad(x, [1, 0.5]))).toBe('pad: pad[1] must be an integer, got 0.5');
    expect(errorOf(() => pad(x, 2 as never))).toMatch(/^pad: pad must be a list/);
    expect(errorOf(() => pad(x, [-2, -2]))).toMatch(
      /^pad: dimension 2 of size 3 padded by \(-2, -2\) would have negative size -1/,
    );
  });

  it('refuses reflect padding not smaller than the dimension, and modes on other ranks', () => {
    expect(errorOf(() => pad(x, [3, 0], { mode: 'reflect' }))).toMatch(
      /^pad: reflect padding \(3, 0\) does not fit dimension 2 of size 3 in \[1,2,3\]; each side must be smaller/,
    );
    expect(errorOf(() => pad(ones([1, 1, 1]), [1, 1, 0, 0], { mode: 'reflect' }))).toMatch(
      /^pad: reflect padding \(1, 1\) does not fit dimension 2 of size 1/,
    );
    expect(errorOf(() => pad(ones([4]), [1, 1], { mode: 'replicate' }))).toMatch(
      /^pad: replicate padding pads the last 1, 2 or 3 dimensions/,
    );
    expect(errorOf(() => pad(ones([2, 2, 2, 2]), [1, 1], { mode: 'reflect' }))).toMatch(
      /got 1 padded dimension\(s\) of shape \[2,2,2,2\]/,
    );
  });

  it('refuses bad options', () => {
    expect(errorOf(() => pad(x, [1, 1], { mode: 'circular' as never }))).toMatch(
      /^pad: mode must be one of "constant", "reflect", "replicate", got "circular"/,
    );
    expect(errorOf(() => pad(x, [1, 1], { mode: 'reflect', value: 1 }))).toMatch(
      /^pad: value must be left out in reflect mode/,
    );
    expect(errorOf(() => pad(x, [1, 1], { value: '1' as never }))).toMatch(
      /^pad: value must be a number, got "1"/,
    );
    expect(errorOf(() => pad(x, [1, 1], { fill: 1 } as never))).toMatch(
      /^pad: unknown option "fill"/,
    );
    expect(errorOf(() => pad('x' as never, [1, 1]))).toMatch(/^pad: expected a Tensor/);
  });
});
