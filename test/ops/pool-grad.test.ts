import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, pad, tensor } from '../../src/index.js';
import { derivatives } from '../../src/ops/registry.js';
import {
  distinctTensor,
  expectGradcheck,
  pairOf,
  poolCases,
  randomTensor,
  sizes,
  small,
  type PoolCase,
} from './pool-helpers.js';

/** Pooling gradients in float64 against finite differences: first and second order, random cases. */

/** Pool cases small enough for a full Jacobian. */
const gradCases = poolCases.map((c): PoolCase => ({
  ...c,
  shape: [1, c.shape[1], Math.min(c.shape[2], 5), Math.min(c.shape[3], 5)],
}));

describe('pooling gradients (gradcheck, float64)', () => {
  it('maxPool2d: first and second order (the scatter of the gradient differentiates to a gather)', () => {
    fc.assert(
      fc.property(gradCases, (c) => {
        const [oh, ow] = sizes(c, true);
        fc.pre(oh >= 1 && ow >= 1);
        const f = (x: Tensor): Tensor =>
          maxPool2d(x, c.k, { stride: c.s, padding: c.p, dilation: c.d, ceilMode: c.ceil });
        expectGradcheck(f, distinctTensor(c.shape, c.seed));
      }),
      { seed: 21, numRuns: 30 },
    );
  });

  it('avgPool2d: first and second order, all options', () => {
    fc.assert(
      fc.property(gradCases, (c) => {
        const [oh, ow] = sizes(c, false);
        fc.pre(oh >= 1 && ow >= 1);
        const f = (x: Tensor): Tensor =>
          avgPool2d(x, c.k, {
            stride: c.s,
            padding: c.p,
            ceilMode: c.ceil,
            countIncludePad: c.include,
            divisorOverride: c.divisor,
          });
        expectGradcheck(f, randomTensor(c.shape, c.seed));
      }),
      { seed: 22, numRuns: 30 },
    );
  });

  it('adaptiveAvgPool2d: first and second order', () => {
    fc.assert(
      fc.property(pairOf(1, 6), pairOf(1, 4), small(0, 99), ([h, w], size, seed) => {
        expectGradcheck((x) => adaptiveAvgPool2d(x, size), randomTensor([1, 2, h, w], seed));
      }),
      { seed: 23, numRuns: 25 },
    );
  });

  it('unbatched input: gradients have the input shape', () => {
    const x = randomTensor([2, 4, 4], 3);
    expectGradcheck((t) => maxPool2d(t, 2, { stride: 1 }), distinctTensor([2, 4, 4], 4));
    expectGradcheck((t) => avgPool2d(t, 3, { stride: 2, padding: 1 }), x);
  });

  it('a float32 maxPool2d gradient sums where windows share a maximum', () => {
    const x = tensor(
      [
        [
          [
            [0, 1, 0],
            [1, 5, 1],
            [0, 1, 0],
          ],
        ],
      ],
      { requiresGrad: true },
    );
    maxPool2d(x, 2, { stride: 1 }).sum().backward();
    expect(Array.from((x.grad as Tensor).data)).toEqual([0, 0, 0, 0, 4, 0, 0, 0, 0]);
    expect((x.grad as Tensor).dtype).toBe('float32');
  });
});

describe('explanations of the pooling and padding primitives', () => {
  const at = (op: 'maxPool2d' | 'constantPad') =>
    derivatives[op]!({
      self: 'y',
      a: ['x'],
      i: 0,
      x: 'x',
      wrt: '∂y/∂x',
      other: '',
      attrs: {},
      num: String,
    });

  it('maxPool2d routes upstream to each maximum; constantPad cuts the padding off', () => {
    expect(at('maxPool2d').formula).toBe(
      '∂y/∂x = 1 at the maximum of each window (the first of equal ones), 0 elsewhere',
    );
    expect(at('maxPool2d').rule).toContain('routed to the position of each maximum');
    expect(at('constantPad').formula).toBe(
      '∂y/∂x = 1 where the input was placed, 0 in the padding',
    );
    expect(at('constantPad').rule).toBe('upstream with the padding cut off');
  });

  it('graph nodes carry the primitive names', () => {
    const x = tensor(
      [
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ],
      { requiresGrad: true },
    );
    expect(maxPool2d(x, 2).gradFn?.name).toBe('MaxPool2dBackward');
    expect(pad(x, [1, 1]).gradFn?.name).toBe('ConstantPadBackward');
  });
});
