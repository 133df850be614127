import fc from 'fast-check';
import { conv1d, conv2d, convTranspose2d, fold, unfold } from '../../src/index.js';
import type { OpCase } from './op-table.js';

/**
 * The convolution and sliding-window ops in the gradcheck table (op-table.ts), each with one
 * window configuration over random sizes; conv-grad.test.ts draws the configurations at random.
 */

const int = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });

export const convCases: OpCase[] = [
  {
    name: 'conv2d (stride 2, padding 1, dilation 2, 2 groups, bias)',
    primitives: ['conv2d', 'convTranspose2d', 'conv2dWeight'],
    shapes: fc
      .tuple(int(1, 2), int(1, 2), int(1, 2), int(3, 4), int(3, 4))
      .map(([n, cg, og, h, w]) => [[n, 2 * cg, h, w], [2 * og, cg, 2, 2], [2 * og]]),
    domain: 'any',
    fn: (x, w, b) => conv2d(x, w, b, { stride: 2, padding: 1, dilation: 2, groups: 2 }),
  },
  {
    name: 'convTranspose2d (stride 2, padding 1, outputPadding 1, bias)',
    primitives: ['convTranspose2d', 'conv2d', 'conv2dWeight'],
    shapes: fc
      .tuple(int(1, 2), int(1, 3), int(1, 2), int(1, 3), int(1, 3))
      .map(([n, c, o, h, w]) => [[n, c, h, w], [c, o, 3, 3], [o]]),
    domain: 'any',
    fn: (x, w, b) => convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }),
  },
  {
    name: "conv1d (padding 'same', even kernel)",
    primitives: ['conv2d', 'convTranspose2d', 'conv2dWeight'],
    shapes: fc.tuple(int(1, 2), int(1, 3), int(1, 3), int(1, 6)).map(([n, c, o, l]) => [
      [n, c, l],
      [o, c, 2],
    ]),
    domain: 'any',
    fn: (x, w) => conv1d(x, w, null, { padding: 'same' }),
  },
  {
    name: 'unfold (kernel 2×3, stride [1, 2], padding 1)',
    primitives: ['im2col'],
    shapes: fc
      .tuple(int(1, 2), int(1, 2), int(1, 4), int(2, 4))
      .map(([n, c, h, w]) => [[n, c, h, w]]),
    domain: 'any',
    fn: (x) => unfold(x, [2, 3], { stride: [1, 2], padding: 1 }),
  },
  {
    name: 'fold (into 3×3, kernel 3, stride 2, padding 1: windows overlap and cross the border)',
    primitives: ['col2im'],
    shapes: fc.tuple(int(1, 2), int(1, 2)).map(([n, c]) => [[n, 9 * c, 4]]),
    domain: 'any',
    fn: (cols) => fold(cols, [3, 3], 3, { stride: 2, padding: 1 }),
  },
];
