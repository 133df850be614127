import fc from 'fast-check';
import { batchNorm, groupNorm, layerNorm, type Tensor } from '../../src/index.js';
import type { OpCase } from './op-table.js';

/**
 * The normalization primitives in the gradcheck table (op-table.ts), one case each with weight
 * and bias over random shapes; norm-grad.test.ts checks the other variants (no affine, weight
 * only, evaluation) and the two forms of the derivative against each other.
 */

const size = (min: number): fc.Arbitrary<number> => fc.integer({ min, max: 3 });

/** [N, C, ...spatial] with N ≥ 2, and [C] for the weight and bias. */
export const batchShapes = fc
  .tuple(size(2), size(1), fc.array(size(1), { maxLength: 2 }))
  .map(([n, c, rest]) => [[n, c, ...rest], [c], [c]]);

/** [...lead, ...normalized], and the normalized shape for the weight and bias. */
export const layerShapes = fc
  .tuple(fc.array(size(1), { maxLength: 2 }), fc.array(size(2), { minLength: 1, maxLength: 2 }))
  .map(([lead, ns]) => [[...lead, ...ns], ns, ns]);

/** [N, C, L] with L ≥ 2, and [C] for the weight and bias. */
export const groupShapes = fc
  .tuple(size(1), size(1), size(1), size(2))
  .map(([n, g, k, l]) => [[n, g * k, l], [g * k], [g * k]]);

/** The largest divisor of C up to 3, so that random shapes give groups of several sizes. */
export function groupsOf(x: Tensor): number {
  const c = x.shape[1];
  return c % 3 === 0 ? 3 : c % 2 === 0 ? 2 : 1;
}

export const normCases: OpCase[] = [
  {
    name: 'batchNorm (training, weight and bias)',
    primitives: ['batchNorm'],
    shapes: batchShapes,
    domain: 'any',
    fn: (x, w, b) => batchNorm(x, null, null, { weight: w, bias: b, training: true }),
  },
  {
    name: 'layerNorm (weight and bias)',
    primitives: ['layerNorm'],
    shapes: layerShapes,
    domain: 'any',
    fn: (x, w, b) => layerNorm(x, w.shape, { weight: w, bias: b }),
  },
  {
    name: 'groupNorm (weight and bias)',
    primitives: ['groupNorm'],
    shapes: groupShapes,
    domain: 'any',
    fn: (x, w, b) => groupNorm(x, groupsOf(x), { weight: w, bias: b }),
  },
];
