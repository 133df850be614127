import fc from 'fast-check';
import { crossEntropy, tensor, type Tensor } from '../../src/index.js';
import type { OpCase } from './op-table.js';

/**
 * The fused softmax cross-entropy primitive (ops/cross-entropy.ts) in the gradcheck table: the
 * mean and the sum over [N, C] logits with labels that cover the classes.
 */

const size = fc.integer({ min: 1, max: 4 });

/** Labels 0, 1, …, wrapping at C. */
const labels = (x: Tensor): Tensor =>
  tensor(
    Array.from({ length: x.shape[0] }, (_, i) => (i * 3 + 1) % x.shape[1]),
    { dtype: 'int32' },
  );

export const crossEntropyCases: OpCase[] = [
  {
    name: 'crossEntropy (fused: mean over the batch)',
    primitives: ['softmaxCrossEntropy'],
    shapes: fc.tuple(size, size).map(([n, c]) => [[n, c]]),
    domain: 'any',
    fn: (x) => crossEntropy(x, labels(x)),
  },
  {
    name: 'crossEntropy (fused: summed)',
    primitives: ['softmaxCrossEntropy'],
    shapes: fc.tuple(size, size).map(([n, c]) => [[n, c]]),
    domain: 'any',
    fn: (x) => crossEntropy(x, labels(x), { reduction: 'sum' }),
  },
];
