import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, ones, tensor } from '../../src/index.js';
import {
  errorOf,
  expectValues,
  pairOf,
  poolCases,
  randomTensor,
  sizes,
  small,
  type PoolCase,
} from './pool-helpers.js';

/** Pooling forward values against naive loops, hand-checked edge cases, and errors. */

/** Visits every output (plane, oy, ox) in order. */
function eachOutput(
  c: PoolCase,
  oh: number,
  ow: number,
  f: (plane: number, oy: number, ox: number) => number,
): number[] {
  const out: number[] = [];
  for (let plane = 0; plane < c.shape[0] * c.shape[1]; plane++)
    for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) out.push(f(plane, oy, ox));
  return out;
}

function naiveMax(x: Tensor, c: PoolCase, oh: number, ow: number): number[] {
  const [, , h, w] = c.shape;
  return eachOutput(c, oh, ow, (plane, oy, ox) => {
    let best = -Infinity;
    for (let i = 0; i < c.k[0]; i++) {
      for (let j = 0; j < c.k[1]; j++) {
        const y = oy * c.s[0] - c.p[0] + i * c.d[0];
        const xx = ox * c.s[1] - c.p[1] + j * c.d[1];
        if (y >= 0 && y < h && xx >= 0 && xx < w)
          best = Math.max(best, x.data[plane * h * w + y * w + xx]);
      }
    }
    return best;
  });
}

function naiveAvg(x: Tensor, c: PoolCase, oh: number, ow: number): number[] {
  const [, , h, w] = c.shape;
  return eachOutput(c, oh, ow, (plane, oy, ox) => {
    const y0 = oy * c.s[0] - c.p[0];
    const x0 = ox * c.s[1] - c.p[1];
    const y1 = Math.min(y0 + c.k[0], h + c.p[0]);
    const x1 = Math.min(x0 + c.k[1], w + c.p[1]);
    let sum = 0;
    let count = 0;
    for (let y = Math.max(y0, 0); y < Math.min(y1, h); y++) {
      for (let xx = Math.max(x0, 0); xx < Math.min(x1, w); xx++) {
        sum += x.data[plane * h * w + y * w + xx];
        count++;
      }
    }
    return sum / (c.divisor ?? (c.include ? (y1 - y0) * (x1 - x0) : count));
  });
}

describe('maxPool2d and avgPool2d against naive loops', () => {
  it('maxPool2d: random shapes, kernels, strides, padding, dilation and ceilMode', () => {
    fc.assert(
      fc.property(poolCases, (c) => {
        const [oh, ow] = sizes(c, true);
        fc.pre(oh >= 1 && ow >= 1);
        const x = randomTensor(c.shape, c.seed);
        const y = maxPool2d(x, c.k, { stride: c.s, padding: c.p, dilation: c.d, ceilMode: c.ceil });
        expectValues(y, [c.shape[0], c.shape[1], oh, ow], naiveMax(x, c, oh, ow));
      }),
      { seed: 11, numRuns: 150 },
    );
  });

  it('avgPool2d: random shapes and options, countIncludePad and divisorOverride', () => {
    fc.assert(
      fc.property(poolCases, (c) => {
        const [oh, ow] = sizes(c, false);
        fc.pre(oh >= 1 && ow >= 1);
        const x = randomTensor(c.shape, c.seed);
        const y = avgPool2d(x, c.k, {
          stride: c.s,
          padding: c.p,
          ceilMode: c.ceil,
          countIncludePad: c.include,
          divisorOverride: c.divisor,
        });
        expectValues(y, [c.shape[0], c.shape[1], oh, ow], naiveAvg(x, c, oh, ow));
      }),
      { seed: 12, numRuns: 150 },
    );
  });

  it('adaptiveAvgPool2d: random sizes, windows ⌊i·in/out⌋ … ⌈(i+1)·in/out⌉', () => {
    const spans = (n: number, m: number, i: number): [number, number] => [
      Math.floor((i * n) / m),
      Math.ceil(((i + 1) * n) / m),
    ];
    fc.assert(
      fc.property(pairOf(1, 9), pairOf(1, 6), small(0, 99), ([h, w], [oh, ow], seed) => {
        const x = randomTensor([2, 2, h, w], seed);
        const expected: number[] = [];
        for (let p = 0; p < 4; p++) {
          for (let i = 0; i < oh; i++) {
            for (let j = 0; j < ow; j++) {
              const [y0, y1] = spans(h, oh, i);
              const [x0, x1] = spans(w, ow, j);
              let sum = 0;
              for (let y = y0; y < y1; y++)
                for (let xx = x0; xx < x1; xx++) sum += x.data[p * h * w + y * w + xx];
              expected.push(sum / ((y1 - y0) * (x1 - x0)));
            }
          }
        }
        expectValues(adaptiveAvgPool2d(x, [oh, ow]), [2, 2, oh, ow], expected);
      }),
      { seed: 13, numRuns: 80 },
    );
  });
});

describe('pooling: hand-checked cases', () => {
  it('maxPool2d takes the first of equal maxima (row-major), and its gradient goes there only', () => {
    const x = tensor(
      [
        [
          [
            [1, 3],
            [3, 2],
          ],
        ],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const y = maxPool2d(x, 2);
    expectValues(y, [1, 1, 1, 1], [3]);
    y.sum().backward();
    expectValues(x.grad as Tensor, [1, 1, 2, 2], [0, 1, 0, 0]);
  });

  it('maxPool2d: a NaN in a window wins and takes the gradient (the last NaN when several)', () => {
    const x = tensor(
      [
        [
          [
            [1, NaN, 5, 7],
            [NaN, 2, 6, 8],
          ],
        ],
      ],
      { requiresGrad: true },
    );
    const y = maxPool2d(x, 2);
    expectValues(y, [1, 1, 1, 2], [NaN, 8]);
    y.sum().backward();
    expectValues(x.grad as Tensor, [1, 1, 2, 4], [0, 0, 0, 0, 1, 0, 0, 1]);
  });

  it('overlapping windows sum their gradients at a shared maximum', () => {
    const x = tensor([[[[1, 9, 2]]]], { requiresGrad: true });
    const y = maxPool2d(x, [1, 2], { stride: 1 });
    expectValues(y, [1, 1, 1, 2], [9, 9]);
    y.sum().backward();
    expectValues(x.grad as Tensor, [1, 1, 1, 3], [0, 2, 0]);
  });

  it('ceilMode keeps a last partial window, counted up to the padding in avgPool2d', () => {
    const x = tensor([[[[1, 2, 3, 4, 5, 6]]]]);
    const opts = {
      stride: [1, 2] as [number, number],
      padding: [0, 1] as [number, number],
      ceilMode: true,
    };
    expectValues(maxPool2d(x, [1, 3], opts), [1, 1, 1, 4], [2, 4, 6, 6]);
    expectValues(avgPool2d(x, [1, 3], opts), [1, 1, 1, 4], [1, 3, 5, 3]);
    expectValues(
      avgPool2d(x, [1, 3], { ...opts, countIncludePad: false }),
      [1, 1, 1, 4],
      [1.5, 3, 5, 6],
    );
    expectValues(avgPool2d(x, [1, 3], { ...opts, ceilMode: false }), [1, 1, 1, 3], [1, 3, 5]);
  });

  it('ceilMode drops a window that would start in the right padding', () => {
    const x = tensor([[[[1, 2, 3, 4, 5]]]]);
    const y = maxPool2d(x, [1, 2], { stride: [1, 3], padding: [0, 1], ceilMode: true });
    expectValues(y, [1, 1, 1, 2], [1, 4]);
  });

  it('avgPool2d with padding: countIncludePad true and false, divisorOverride', () => {
    const x = tensor([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ],
    ]);
    expectValues(
      avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: false }),
      [1, 1, 3, 3],
      [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7],
    );
    expectValues(
      avgPool2d(x, 3, { stride: 2, padding: 1 }),
      [1, 1, 2, 2],
      [12 / 9, 16 / 9, 24 / 9, 28 / 9],
      1e-6,
    );
    expectValues(avgPool2d(x, 2, { divisorOverride: 3 }), [1, 1, 1, 1], [4], 1e-6);
  });

  it('adaptiveAvgPool2d: uneven windows, a null size, global pooling, unbatched input', () => {
    const x = tensor([[[[1, 2, 3, 4, 5]]]], { dtype: 'float64' });
    expectValues(adaptiveAvgPool2d(x, [1, 3]), [1, 1, 1, 3], [1.5, 3, 4.5]);
    expectValues(adaptiveAvgPool2d(x, [null, 2]), [1, 1, 1, 2], [2, 4]);
    expectValues(adaptiveAvgPool2d(x.reshape([1, 5, 1]), 1), [1, 1, 1], [3]);
  });

  it('keeps float32, and takes [C, H, W] input without a batch dimension', () => {
    const x = tensor([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expect(maxPool2d(x, 2).dtype).toBe('float32');
    expectValues(maxPool2d(x, 2), [1, 1, 1], [4]);
    expectValues(avgPool2d(x, 2), [1, 1, 1], [2.5]);
  });
});

describe('pooling: errors', () => {
  const x = ones([1, 1, 3, 3]);

  it('refuses other ranks and empty dimensions', () => {
    expect(errorOf(() => maxPool2d(ones([3, 3]), 2))).toMatch(
      /^maxPool2d: expected a 3-D \[C, H, W\] or 4-D .* got shape \[3,3\]/,
    );
    expect(errorOf(() => avgPool2d(ones([1, 0, 3, 3]), 2))).toMatch(
      /^avgPool2d: .*got shape \[1,0,3,3\]/,
    );
    expect(errorOf(() => adaptiveAvgPool2d(ones([1, 1, 1, 2, 2]), 1))).toMatch(
      /^adaptiveAvgPool2d: expected/,
    );
    expect(errorOf(() => maxPool2d([1, 2] as unknown as Tensor, 2))).toMatch(
      /^maxPool2d: expected a Tensor/,
    );
  });

  it('refuses a kernel larger than the padded input', () => {
    expect(errorOf(() => maxPool2d(x, 5))).toBe(
      'maxPool2d: the kernel 5×5 (dilation 1×1) does not fit the input [1,1,3,3] padded by 0×0',
    );
    expect(errorOf(() => avgPool2d(x, [1, 4], { padding: [0, 0] }))).toMatch(
      /^avgPool2d: the kernel 1×4/,
    );
    expect(errorOf(() => maxPool2d(x, 2, { dilation: 3 }))).toMatch(/does not fit/);
  });

  it('refuses a dilated window that lies entirely in the padding (it would have no maximum)', () => {
    expect(errorOf(() => maxPool2d(ones([1, 1, 1, 1]), 2, { padding: 1, dilation: [2, 1] }))).toBe(
      'maxPool2d: the window of output row 0 lies entirely in the padding (kernelSize 2×2, dilation 2×1, padding 1×1, input [1,1,1,1]); use less padding or dilation',
    );
  });

  it('refuses padding larger than half the kernel, as PyTorch', () => {
    expect(errorOf(() => maxPool2d(x, 2, { padding: 2 }))).toBe(
      'maxPool2d: padding must be at most half of kernelSize, got padding 2×2 for kernelSize 2×2',
    );
    expect(errorOf(() => avgPool2d(x, [3, 1], { padding: [1, 1] }))).toMatch(
      /^avgPool2d: padding must be at most half/,
    );
  });

  it('refuses bad arguments and options by name', () => {
    expect(errorOf(() => maxPool2d(x, 0))).toBe(
      'maxPool2d: kernelSize must be a positive integer, got 0',
    );
    expect(errorOf(() => maxPool2d(x, 2, { stride: [1, 0] }))).toMatch(
      /^maxPool2d: stride\[1\] must be a positive integer, got 0/,
    );
    expect(errorOf(() => maxPool2d(x, 2, { strides: 1 } as never))).toMatch(
      /^maxPool2d: unknown option "strides"/,
    );
    expect(errorOf(() => avgPool2d(x, 2, { ceilMode: 1 } as never))).toMatch(
      /^avgPool2d: ceilMode must be true or false/,
    );
    expect(errorOf(() => avgPool2d(x, 2, { divisorOverride: 0 }))).toMatch(
      /^avgPool2d: divisorOverride must be a non-zero integer/,
    );
    expect(errorOf(() => avgPool2d(ones([1, 1, 2, 2], { dtype: 'int32' }), 2))).toMatch(
      /^avgPool2d: expected a floating-point input/,
    );
    expect(errorOf(() => adaptiveAvgPool2d(x, 0))).toMatch(
      /^adaptiveAvgPool2d: outputSize must be a positive integer, got 0/,
    );
    expect(errorOf(() => adaptiveAvgPool2d(x, [1, 2, 3] as never))).toMatch(
      /^adaptiveAvgPool2d: outputSize must be/,
    );
  });
});
