import fc from 'fast-check';
import type { Tensor } from '../../src/index.js';
import {
  chunk,
  concat,
  diag,
  einsum,
  indexPut,
  maskedFill,
  maskedSelect,
  meshgrid,
  repeatInterleave,
  scatter,
  take,
  tensor,
} from '../../src/index.js';
import type { OpCase } from './op-table.js';

/**
 * The shape and indexing ops of issue 15 in the gradcheck table (op-table.ts): random shapes
 * (sizes 0 to 3 where an op allows empty dims), negative dims, repeated indices and broadcasting.
 */

const int = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });
/** One shape of rank min…max, sizes lo…3. */
const shape = (min: number, max: number, lo = 1): fc.Arbitrary<number[][]> =>
  fc.array(int(lo, 3), { minLength: min, maxLength: max }).map((s) => [s]);
const idx = (values: readonly number[], dims?: number[]): Tensor =>
  tensor(values as number[], { dtype: 'int32', shape: dims ?? [values.length] });
/** A mask over `dims`: every other element, starting with the first. */
const mask = (dims: readonly number[]): Tensor => {
  const n = dims.reduce((p, d) => p * d, 1);
  return idx(
    Array.from({ length: n }, (_, i) => (i + 1) % 2),
    dims.slice(),
  );
};

export const indexOpCases: OpCase[] = [
  {
    name: 'shape and indexing ops on empty dims',
    primitives: [],
    shapes: fc.tuple(int(0, 2), int(0, 3)).map(([m, n]) => [[m, 0, n]]),
    domain: 'any',
    fn: (x) =>
      x
        .flip([0, -1])
        .add(x.roll(1, 1))
        .add(x.tril())
        .add(x.index([null, null, idx([0, 0]).narrow(0, 0, x.shape[2] > 0 ? 2 : 0)]).sum(-1, true))
        .add(einsum('ijk,ijk->ij', x, x).unsqueeze(-1))
        .add(x.diagonal(0, 1, 2).sum()),
  },
  {
    name: 'flip (two dims, one negative)',
    primitives: ['slice'],
    shapes: shape(1, 3, 2),
    domain: 'any',
    fn: (x) => x.flip(x.ndim > 1 ? [0, -1] : -1),
  },
  {
    name: 'roll (shifts along two dims, and flattened)',
    primitives: ['slice', 'concat'],
    shapes: shape(1, 3, 2),
    domain: 'any',
    fn: (x) => x.roll([1, -2], [0, -1]).add(x.roll(3)),
  },
  {
    name: 'diagonal (offset, dims out of order)',
    primitives: ['diagonal'],
    shapes: shape(2, 3, 0),
    domain: 'any',
    fn: (x) => x.diagonal(1, -1, 0),
  },
  {
    name: 'diagEmbed and diag (vector to matrix, matrix to vector)',
    primitives: ['undiagonal', 'diagonal'],
    shapes: shape(1, 2, 0),
    domain: 'any',
    fn: (x) => (x.ndim === 1 ? diag(x, -1) : diag(x, 1).diagEmbed(-1, 0, -1)),
  },
  {
    name: 'tril and triu',
    primitives: ['where'],
    shapes: shape(2, 3, 0),
    domain: 'any',
    fn: (x) => x.tril(-1).add(x.triu(1).mul(2)),
  },
  {
    name: 'repeat and repeatInterleave (count and tensor of counts)',
    primitives: ['expand', 'indexSelect'],
    shapes: shape(1, 2),
    domain: 'any',
    fn: (x) => {
      const counts = idx(Array.from({ length: x.shape[0] }, (_, i) => i % 3));
      const tiled = x.repeat([2, ...x.shape.map(() => 1)]).sum(0);
      return tiled.add(repeatInterleave(x, 2).sum()).add(repeatInterleave(x, counts, 0).sum(0));
    },
  },
  {
    name: 'split, chunk, unbind and unflatten',
    primitives: ['slice', 'concat'],
    shapes: fc.tuple(int(1, 2), int(0, 4)).map(([m, n]) => [[m, n]]),
    domain: 'any',
    fn: (x) => {
      const pieces = chunk(x, 3, -1).map((p, i) => p.mul(i + 1));
      const rows = x.unbind(0).map((r, i) => r.mul(i + 2));
      return concat(pieces, -1).add(
        concat(
          rows.map((r) => r.unflatten(0, [1, -1]).sum(0)),
          0,
        ).sum(0),
      );
    },
  },
  {
    name: 'Tensor.unfold (overlapping windows)',
    primitives: ['indexSelect'],
    shapes: fc.tuple(int(1, 2), int(2, 5)).map(([m, n]) => [[m, n]]),
    domain: 'any',
    fn: (x) => x.unfold(-1, 2, 1),
  },
  {
    name: 'meshgrid (xy)',
    primitives: ['expand'],
    shapes: fc.tuple(int(0, 3), int(1, 3)).map(([m, n]) => [[m], [n]]),
    domain: 'any',
    fn: (a, b) => {
      const [u, v] = meshgrid([a, b], { indexing: 'xy' });
      return u.mul(v);
    },
  },
  {
    name: 'maskedFill (tensor value, broadcast mask) and maskedSelect',
    primitives: ['where', 'indexSelect'],
    shapes: shape(1, 3).map(([s]) => [s, []]),
    domain: 'any',
    fn: (x, v) => {
      const m = mask(x.shape.slice(1));
      return maskedFill(x, m, v).sum().add(maskedSelect(x, m).mul(3).sum());
    },
  },
  {
    // distinct places: where a place repeats, PyTorch's gradient (every src element gets the
    // gradient at its place) is a convention, not a derivative (shape-index.test.ts checks it)
    name: 'scatter (src larger than the index) and scatter with a number',
    primitives: ['scatter', 'gather'],
    shapes: int(1, 3).map((n) => [
      [3, n],
      [2, n + 1],
    ]),
    domain: 'any',
    fn: (x, src) => {
      const n = x.shape[1];
      const index = idx(
        Array.from({ length: 2 * n }, (_, i) => ((i % n) + (i < n ? 0 : 1)) % 3),
        [2, n],
      );
      return scatter(x, 0, index, src).add(x.scatter(-2, index, 0.5));
    },
  },
  {
    name: 'scatterAdd and indexAdd (public, with x)',
    primitives: ['scatterAdd', 'indexAdd', 'gather', 'indexSelect'],
    shapes: int(1, 3).map((n) => [
      [2, n],
      [3, n],
    ]),
    domain: 'any',
    fn: (x, src) => {
      const n = x.shape[1];
      const index = idx(
        Array.from({ length: 2 * n }, (_, i) => i % n),
        [2, n],
      );
      return x
        .scatterAdd(-1, index.narrow(1, 0, Math.min(n, 2)), src)
        .indexAdd(0, [1, 1, 0], src, { alpha: 2 });
    },
  },
  {
    name: 'take (negative and repeated positions)',
    primitives: ['indexSelect'],
    shapes: shape(0, 3),
    domain: 'any',
    fn: (x) => take(x, idx([0, -1, 0, x.size - 1], [2, 2])),
  },
  {
    name: 'index (broadcast index tensors, a range, a number)',
    primitives: ['indexSelect', 'indexAdd'],
    shapes: fc.tuple(int(2, 3), int(1, 3), int(2, 3)).map((s) => [s]),
    domain: 'any',
    fn: (x) =>
      x
        .index([idx([1, -1, 1], [3, 1]), '0:', idx([0, -1])])
        .add(x.index([0, null, idx([1])]).sum()),
  },
  {
    name: 'indexPut (broadcast values, negative indices)',
    primitives: ['scatter', 'gather'],
    shapes: int(1, 3).map((n) => [[3, n], [n]]),
    domain: 'any',
    fn: (x, v) => indexPut(x, [idx([2, 0]), '...'], v),
  },
  {
    name: 'indexPut with accumulate',
    primitives: ['indexAdd', 'indexSelect'],
    shapes: int(1, 3).map((n) => [[3, n], [1]]),
    domain: 'any',
    fn: (x, v) => x.indexPut([idx([2, 0, 2]), idx([0])], v, { accumulate: true }),
  },
  {
    name: 'einsum (batched matmul, broadcast ellipsis)',
    primitives: ['matmul'],
    shapes: fc.tuple(int(1, 2), int(0, 3), int(1, 3), int(1, 3)).map(([b, i, j, k]) => [
      [b, i, j],
      [1, j, k],
    ]),
    domain: 'any',
    fn: (a, b) => einsum('...ij,...jk->...ik', a, b),
  },
  {
    name: 'einsum (diagonal, trace, outer product, three operands, implicit output)',
    primitives: ['diagonal', 'mul', 'matmul', 'sum'],
    shapes: fc.tuple(int(1, 3), int(1, 3)).map(([n, m]) => [[n, n, m], [m], [n]]),
    domain: 'any',
    fn: (a, b, c) =>
      einsum('iij->j', a)
        .add(einsum('iij,j,i', a, b, c))
        .add(einsum('i,j->ij', c, b).sum(0)),
  },
];
