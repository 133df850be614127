import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { interpolate, ones, tensor } from '../../src/index.js';
import {
  errorOf,
  expectGradcheck,
  expectValues,
  pairOf,
  randomTensor,
  small,
} from './pool-helpers.js';

/** interpolate: values against naive per-pixel formulas, hand-checked cases, gradients, errors. */

/** PyTorch's nearest source index, with its float32 scale: ⌊j·s⌋ ≤ in − 1, s = 1/factor or in/out. */
function nearest(j: number, n: number, m: number, factor?: number): number {
  if (m === n) return j;
  if (m === 2 * n) return Math.floor(j / 2);
  const s = Math.fround(factor === undefined ? n / m : 1 / factor);
  return Math.min(Math.floor(Math.fround(j * s)), n - 1);
}

/** The two inputs and their weights that output j interpolates between (PyTorch's linear rule). */
function linear(
  j: number,
  n: number,
  m: number,
  align: boolean,
  factor?: number,
): [number, number, number, number] {
  if (m === n) return [j, j, 1, 0];
  let src: number;
  if (align) src = m > 1 ? (j * (n - 1)) / (m - 1) : 0;
  else src = Math.max((factor === undefined ? n / m : 1 / factor) * (j + 0.5) - 0.5, 0);
  const i0 = Math.min(Math.floor(src), n - 1);
  const l1 = Math.min(Math.max(src - i0, 0), 1);
  return [i0, i0 < n - 1 ? i0 + 1 : i0, 1 - l1, l1];
}

interface Case {
  shape: [number, number, number, number];
  out: [number, number];
  factor?: [number, number];
  align: boolean;
  seed: number;
}

const factors = fc.constantFrom(0.5, 0.75, 1, 1.5, 2, 2.5, 3, 1 / 3);

const cases: fc.Arbitrary<Case> = fc
  .record({
    hw: pairOf(1, 6),
    out: pairOf(1, 8),
    factor: fc.option(fc.tuple(factors, factors), { nil: undefined }),
    align: fc.boolean(),
    seed: small(0, 999),
  })
  .map(({ hw, out, factor, align, seed }): Case => ({
    shape: [2, 1, hw[0], hw[1]] as [number, number, number, number],
    out:
      factor === undefined ? out : [Math.floor(hw[0] * factor[0]), Math.floor(hw[1] * factor[1])],
    factor,
    align,
    seed,
  }))
  .filter((c) => c.out[0] >= 1 && c.out[1] >= 1);

const sizeOptions = (c: Case) =>
  c.factor === undefined ? { size: c.out } : { scaleFactor: c.factor };

function naive(x: Tensor, c: Case, mode: 'nearest' | 'bilinear'): number[] {
  const [n, ch, h, w] = c.shape;
  const [oh, ow] = c.out;
  const at = (p: number, y: number, xx: number): number => x.data[p * h * w + y * w + xx];
  const out: number[] = [];
  for (let p = 0; p < n * ch; p++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        if (mode === 'nearest') {
          out.push(at(p, nearest(i, h, oh, c.factor?.[0]), nearest(j, w, ow, c.factor?.[1])));
          continue;
        }
        const [y0, y1, a0, a1] = linear(i, h, oh, c.align, c.factor?.[0]);
        const [x0, x1, b0, b1] = linear(j, w, ow, c.align, c.factor?.[1]);
        out.push(
          a0 * (b0 * at(p, y0, x0) + b1 * at(p, y0, x1)) +
            a1 * (b0 * at(p, y1, x0) + b1 * at(p, y1, x1)),
        );
      }
    }
  }
  return out;
}

describe('interpolate against naive per-pixel formulas', () => {
  it('nearest: random sizes and scale factors', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const x = randomTensor(c.shape, c.seed);
        expectValues(interpolate(x, sizeOptions(c)), [2, 1, ...c.out], naive(x, c, 'nearest'), 0);
      }),
      { seed: 41, numRuns: 120 },
    );
  });

  it('bilinear: random sizes and scale factors, with and without alignCorners', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const x = randomTensor(c.shape, c.seed);
        const y = interpolate(x, { ...sizeOptions(c), mode: 'bilinear', alignCorners: c.align });
        expectValues(y, [2, 1, ...c.out], naive(x, c, 'bilinear'));
      }),
      { seed: 42, numRuns: 120 },
    );
  });
});

describe('interpolate: hand-checked cases', () => {
  const x = tensor([
    [
      [
        [1, 2],
        [3, 4],
      ],
    ],
  ]);

  it('nearest: doubling repeats each pixel; 3 → 2 takes inputs 0 and 1; 2 → 3 takes 0, 0, 1', () => {
    expectValues(
      interpolate(x, { scaleFactor: 2 }),
      [1, 1, 4, 4],
      [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4],
    );
    expectValues(interpolate(tensor([[[1, 2, 3]]]), { size: 2 }), [1, 1, 2], [1, 2]);
    expectValues(interpolate(tensor([[[1, 2]]]), { size: 3 }), [1, 1, 3], [1, 1, 2]);
    expect(interpolate(tensor([[[1, 2]]], { dtype: 'int32' }), { size: 4 }).toArray()).toEqual([
      [[1, 1, 2, 2]],
    ]);
  });

  it('bilinear: pixel centres (alignCorners false) and corners (true)', () => {
    const row = tensor([[[[1, 2]]]]);
    expectValues(
      interpolate(row, { size: [1, 4], mode: 'bilinear' }),
      [1, 1, 1, 4],
      [1, 1.25, 1.75, 2],
    );
    expectValues(
      interpolate(row, { size: [1, 3], mode: 'bilinear', alignCorners: true }),
      [1, 1, 1, 3],
      [1, 1.5, 2],
    );
    expectValues(
      interpolate(x, { size: 3, mode: 'bilinear', alignCorners: true }),
      [1, 1, 3, 3],
      [1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4],
    );
    const wide = tensor([[[[1, 3, 5, 9]]]]);
    expectValues(
      interpolate(wide, { scaleFactor: [1, 0.5], mode: 'bilinear' }),
      [1, 1, 1, 2],
      [2, 7],
    );
  });
});

describe('interpolate: gradients (gradcheck, float64, first and second order)', () => {
  it('nearest and bilinear, random sizes, both alignCorners', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const x = randomTensor([1, 2, c.shape[2], c.shape[3]], c.seed);
        expectGradcheck((t) => interpolate(t, sizeOptions(c)), x);
        expectGradcheck(
          (t) => interpolate(t, { ...sizeOptions(c), mode: 'bilinear', alignCorners: c.align }),
          x,
        );
      }),
      { seed: 43, numRuns: 15 },
    );
  });

  it('3-D input in nearest mode', () => {
    expectGradcheck((t) => interpolate(t, { size: 5 }), randomTensor([2, 1, 3], 5));
  });
});

describe('interpolate: errors', () => {
  const x = ones([1, 1, 2, 2]);
  it('refuses ranks and modes that do not go together', () => {
    expect(errorOf(() => interpolate(ones([1, 4]), { size: 2 }))).toMatch(
      /^interpolate: nearest mode needs a 3-D \[N, C, L\] or 4-D \[N, C, H, W\] input .*got shape \[1,4\]/,
    );
    expect(errorOf(() => interpolate(ones([1, 1, 4]), { size: 2, mode: 'bilinear' }))).toMatch(
      /^interpolate: bilinear mode needs a 4-D \[N, C, H, W\] input/,
    );
    expect(
      errorOf(() =>
        interpolate(ones([1, 1, 2, 2], { dtype: 'int32' }), { size: 3, mode: 'bilinear' }),
      ),
    ).toMatch(/^interpolate: bilinear mode needs a floating-point input/);
    expect(errorOf(() => interpolate(x, { size: 3, mode: 'bicubic' as never }))).toMatch(
      /^interpolate: mode must be one of "nearest", "bilinear", got "bicubic"/,
    );
    expect(errorOf(() => interpolate(x, { size: 3, alignCorners: true }))).toMatch(
      /^interpolate: alignCorners must be left out in nearest mode/,
    );
  });

  it('refuses sizes and factors given both, neither, or out of range', () => {
    expect(errorOf(() => interpolate(x, { size: 3, scaleFactor: 2 }))).toBe(
      'interpolate: give exactly one of size and scaleFactor',
    );
    expect(errorOf(() => interpolate(x, {}))).toBe(
      'interpolate: give exactly one of size and scaleFactor',
    );
    expect(errorOf(() => interpolate(x, { size: 0 }))).toMatch(
      /^interpolate: size must be a positive integer, got 0/,
    );
    expect(errorOf(() => interpolate(x, { size: [2, 2, 2] }))).toMatch(
      /^interpolate: size must be a number or a list of 2/,
    );
    expect(errorOf(() => interpolate(x, { scaleFactor: [1, -1] }))).toMatch(
      /^interpolate: scaleFactor\[1\] must be a positive number, got -1/,
    );
    expect(errorOf(() => interpolate(x, { scaleFactor: 0.4 }))).toMatch(
      /^interpolate: scaleFactor 0.4 makes dimension 2 of size 2 empty/,
    );
    expect(errorOf(() => interpolate(x, { size: 2, antialias: true } as never))).toMatch(
      /^interpolate: unknown option "antialias"/,
    );
  });
});
