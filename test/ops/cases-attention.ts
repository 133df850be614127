import fc from 'fast-check';
import { scaledDotProductAttention } from '../../src/index.js';
import type { OpCase } from './op-table.js';

/**
 * scaledDotProductAttention in the gradcheck table (op-table.ts): with a float mask added (a
 * differentiable input, broadcast over a batch the keys lack), and causal (a boolean mask) over
 * batches that may be empty. attention.test.ts checks boolean masks and values against PyTorch.
 */

const size = (min: number, max = 3): fc.Arbitrary<number> => fc.integer({ min, max });

/** q [B, L, E], k [S, E], v [S, Ev], mask [L, S] or [1, S]. */
const maskedShapes = fc
  .tuple(size(1, 2), size(1), size(1), size(1), size(1), fc.boolean())
  .map(([b, l, s, e, ev, row]) => [
    [b, l, e],
    [s, e],
    [s, ev],
    [row ? 1 : l, s],
  ]);

/** q [B, L, E], k [B, S, E], v [B, S, Ev] with B possibly 0. */
const causalShapes = fc
  .tuple(size(0, 2), size(1), size(1), size(1), size(1))
  .map(([b, l, s, e, ev]) => [
    [b, l, e],
    [b, s, e],
    [b, s, ev],
  ]);

export const attentionCases: OpCase[] = [
  {
    name: 'scaledDotProductAttention (float mask)',
    primitives: ['matmul'],
    shapes: maskedShapes,
    domain: 'any',
    fn: (q, k, v, m) => scaledDotProductAttention(q, k, v, { attnMask: m, scale: 0.7 }),
  },
  {
    name: 'scaledDotProductAttention (causal)',
    primitives: ['matmul', 'where'],
    shapes: causalShapes,
    domain: 'any',
    fn: (q, k, v) => scaledDotProductAttention(q, k, v, { isCausal: true }),
  },
];
