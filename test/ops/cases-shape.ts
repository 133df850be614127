import fc from 'fast-check';
import type { Tensor } from '../../src/index.js';
import { concat, stack, tensor } from '../../src/index.js';
import { indexAdd, scatterAdd } from '../../src/ops/indexing.js';
import { dim, shapeArb, single } from './arbitraries.js';
import type { OpCase } from './op-table.js';

/** The shape and indexing ops of the gradcheck table (op-table.ts): views, slices and gathers. */

const idx = (values: number[], shape?: number[]): Tensor =>
  tensor(values, { dtype: 'int32', shape });

export const shapeCases: OpCase[] = [
  // --- shape
  {
    name: 'reshape',
    primitives: ['reshape'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.reshape(-1, 1).mul(x.reshape(1, -1)),
  },
  {
    name: 'permute',
    primitives: ['permute'],
    shapes: single(3, 3),
    domain: 'any',
    fn: (x) =>
      x
        .permute(2, 0, 1)
        .mul(tensor([1, 2, 3, 4], { dtype: 'float64' }).reshape(-1, 1, 1).slice(`:${x.shape[2]}`)),
  },
  {
    name: 'transpose',
    primitives: ['permute'],
    shapes: single(2, 3),
    domain: 'any',
    fn: (x) => x.transpose(0, -1),
  },
  {
    name: 'flatten',
    primitives: ['reshape'],
    shapes: single(2, 3),
    domain: 'any',
    fn: (x) => x.flatten(),
  },
  {
    name: 'squeeze/unsqueeze',
    primitives: ['reshape'],
    shapes: single(),
    domain: 'any',
    fn: (x) => x.unsqueeze(0).unsqueeze(-1).squeeze(),
  },
  {
    name: 'expand',
    primitives: ['expand'],
    shapes: shapeArb(0, 2).map((s) => [s.map((d, i) => (i === 0 ? 1 : d))]),
    domain: 'any',
    fn: (x) => x.expand([3, ...x.shape.map((d, i) => (i === 0 ? 2 : d))]),
  },
  // --- indexing
  {
    name: 'slice with steps',
    primitives: ['slice', 'unslice'],
    shapes: single(1, 3),
    domain: 'any',
    fn: (x) => x.slice('::2', ...(x.ndim > 1 ? ['1:'] : [])),
  },
  {
    name: 'get a row and an element',
    primitives: ['slice', 'reshape'],
    shapes: single(2, 2),
    domain: 'any',
    fn: (x) => x.get(-1).add(x.get(0, 0)),
  },
  {
    name: 'select and narrow',
    primitives: ['slice'],
    shapes: single(2, 3),
    domain: 'any',
    fn: (x) =>
      x
        .select(1, 0)
        .sum()
        .add(x.narrow(0, 0, 1)),
  },
  {
    name: 'concat',
    primitives: ['concat'],
    shapes: fc.tuple(shapeArb(1, 3), dim, dim).map(([s, a, b]) => [
      [...s.slice(0, -1), a],
      [...s.slice(0, -1), b],
    ]),
    domain: 'any',
    fn: (a, b) => concat([a, b, a], -1),
  },
  {
    name: 'stack',
    primitives: ['concat', 'reshape'],
    shapes: shapeArb().map((s) => [s, s]),
    domain: 'any',
    fn: (a, b) => stack([a, b], a.ndim),
  },
  {
    name: 'indexSelect with repeats',
    primitives: ['indexSelect', 'indexAdd'],
    shapes: single(1, 3),
    domain: 'any',
    fn: (x) => x.indexSelect(0, idx([0, x.shape[0] - 1, 0])),
  },
  {
    name: 'gather',
    primitives: ['gather', 'scatterAdd'],
    shapes: fc.tuple(dim, dim).map(([m, n]) => [[m, n]]),
    domain: 'any',
    fn: (x) => {
      const [m, n] = x.shape;
      const index = Array.from({ length: m * 3 }, (_, i) => (i * 7) % n);
      return x.gather(1, idx(index, [m, 3]));
    },
  },
  {
    name: 'indexAdd (adjoint of indexSelect)',
    primitives: ['indexAdd'],
    shapes: fc.tuple(dim).map(([n]) => [[3, n]]),
    domain: 'any',
    fn: (src) => indexAdd(src, 0, idx([1, 0, 1]), [2, src.shape[1]]),
  },
  {
    name: 'scatterAdd (adjoint of gather)',
    primitives: ['scatterAdd'],
    shapes: fc.tuple(dim).map(([m]) => [[m, 3]]),
    domain: 'any',
    fn: (src) =>
      scatterAdd(
        src,
        1,
        idx(
          Array.from({ length: src.shape[0] * 3 }, (_, i) => i % 2),
          [src.shape[0], 3],
        ),
        [src.shape[0], 2],
      ),
  },
];
