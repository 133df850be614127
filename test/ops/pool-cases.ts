import fc from 'fast-check';
import { adaptiveAvgPool2d, avgPool2d, interpolate, maxPool2d, pad } from '../../src/index.js';
import type { OpCase } from './op-table.js';

/**
 * The pooling and resizing ops in the gradcheck table (op-table.ts), one configuration each over
 * random sizes; pool-grad.test.ts, resize-pad.test.ts and resize-interpolate.test.ts draw the
 * configurations at random.
 */

const int = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });
const image = (min: number): fc.Arbitrary<number[][]> =>
  fc.tuple(int(1, 2), int(1, 2), int(min, 5), int(min, 5)).map((s) => [s]);

export const poolOpCases: OpCase[] = [
  {
    name: 'maxPool2d (kernel 3, stride 2, padding 1)',
    primitives: ['maxPool2d'],
    shapes: image(2),
    domain: 'distinct',
    fn: (x) => maxPool2d(x, 3, { stride: 2, padding: 1 }),
  },
  {
    name: 'avgPool2d (overlapping windows: im2col)',
    primitives: ['im2col', 'sum', 'div'],
    shapes: image(2),
    domain: 'any',
    fn: (x) => avgPool2d(x, 2, { stride: 1, padding: 1, countIncludePad: false }),
  },
  {
    name: 'adaptiveAvgPool2d (uneven windows: band matrices)',
    primitives: ['matmul', 'div'],
    shapes: image(2),
    domain: 'any',
    fn: (x) => adaptiveAvgPool2d(x, [3, 2]),
  },
  {
    name: 'pad (constant, negative widths crop)',
    primitives: ['constantPad', 'slice'],
    shapes: image(2),
    domain: 'any',
    fn: (x) => pad(x, [2, -1, 1, 0], { value: 0.5 }),
  },
  {
    name: 'interpolate (bilinear)',
    primitives: ['indexSelect', 'mul', 'add'],
    shapes: image(1),
    domain: 'any',
    fn: (x) => interpolate(x, { scaleFactor: [1.5, 2], mode: 'bilinear' }),
  },
];
