import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import {
  arange,
  chunk,
  diag,
  diagEmbed,
  diagonal,
  empty,
  flip,
  maskedFill,
  maskedSelect,
  meshgrid,
  nonzero,
  oneHot,
  ones,
  repeatInterleave,
  roll,
  split,
  take,
  tensor,
  tril,
  triu,
  unflatten,
  zeros,
} from '../../src/index.js';

// Forward values of the shape ops of issue 15, each literal as PyTorch 1.13 gives it.

const i32 = (values: unknown): Tensor => tensor(values, { dtype: 'int32' });
const grid = (...shape: number[]): Tensor =>
  arange(shape.reduce((p, d) => p * d, 1)).reshape(shape);
const arrays = (ts: Tensor[]): unknown[] => ts.map((t) => t.toArray());

describe('flip, roll, repeat, repeatInterleave', () => {
  it('flip reverses the named dims', () => {
    expect(flip(grid(2, 3), [0, 1]).toArray()).toEqual([
      [5, 4, 3],
      [2, 1, 0],
    ]);
    expect(grid(2, 3).flip(-1).toArray()).toEqual([
      [2, 1, 0],
      [5, 4, 3],
    ]);
    expect(() => grid(2, 3).flip([1, -1])).toThrow(/flip: axis 1 appears more than once/);
  });

  it('roll shifts cyclically, flattened without dims', () => {
    expect(roll(grid(2, 3), 1).toArray()).toEqual([
      [5, 0, 1],
      [2, 3, 4],
    ]);
    expect(roll(grid(2, 3), [1, -1], [0, 1]).toArray()).toEqual([
      [4, 5, 3],
      [1, 2, 0],
    ]);
  });

  it('repeat tiles, adding leading dims', () => {
    const r = grid(2, 3).repeat(2, 1, 2);
    expect(r.shape).toEqual([2, 2, 6]);
    expect(r.toArray()).toEqual([
      [
        [0, 1, 2, 0, 1, 2],
        [3, 4, 5, 3, 4, 5],
      ],
      [
        [0, 1, 2, 0, 1, 2],
        [3, 4, 5, 3, 4, 5],
      ],
    ]);
    expect(() => grid(2, 3).repeat(2)).toThrow(/repeat: 1 count\(s\) for a tensor of shape/);
  });

  it('repeatInterleave repeats in place, by a count or a tensor of counts', () => {
    expect(
      i32([1, 2, 3])
        .repeatInterleave(i32([1, 0, 2]))
        .toArray(),
    ).toEqual([1, 3, 3]);
    expect(repeatInterleave(grid(2, 3), 2).toArray()).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(repeatInterleave(grid(2, 3), i32([1, 2]), 0).toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [3, 4, 5],
    ]);
    expect(() => repeatInterleave(grid(2), i32([1, 2, 3]))).toThrow(/expected one count or 2/);
  });
});

describe('diagonals and triangles', () => {
  it('diag builds a matrix from a vector and reads a matrix diagonal', () => {
    expect(diag(i32([1, 2]), 1).toArray()).toEqual([
      [0, 1, 0],
      [0, 0, 2],
      [0, 0, 0],
    ]);
    expect(diag(grid(3, 3), -1).toArray()).toEqual([3, 7]);
    expect(diag(grid(2, 3), 2).toArray()).toEqual([2]);
    expect(diag(grid(2, 3), 3).toArray()).toEqual([]);
  });

  it('diagonal appends the diagonal of two dims; diagEmbed is its adjoint', () => {
    expect(diagonal(grid(2, 3, 4), 1, 2, 0).toArray()).toEqual([[12], [16], [20]]);
    const want = [
      [
        [0, 0, 0, 0],
        [0, 3, 0, 0],
      ],
      [
        [0, 0, 1, 0],
        [0, 0, 4, 0],
      ],
      [
        [0, 0, 0, 2],
        [0, 0, 0, 5],
      ],
      [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    ];
    expect(diagEmbed(grid(2, 3), 1, 0, 2).toArray()).toEqual(want);
    expect(diagEmbed(grid(2, 3), -1, 2, 0).toArray()).toEqual(want);
    expect(() => diagonal(grid(3, 3), 0, 1, -1)).toThrow(/dim1 and dim2 are both dimension 1/);
  });

  it('tril and triu keep a triangle of the last two dims', () => {
    expect(tril(grid(3, 4), -1).toArray()).toEqual([
      [0, 0, 0, 0],
      [4, 0, 0, 0],
      [8, 9, 0, 0],
    ]);
    expect(
      triu(ones([2, 3, 3]), 1)
        .select(0, 1)
        .toArray(),
    ).toEqual([
      [0, 1, 1],
      [0, 0, 1],
      [0, 0, 0],
    ]);
  });
});

describe('split, chunk, unbind, unflatten, Tensor.unfold, meshgrid, empty', () => {
  it('split by a size or by sizes; chunk as PyTorch (fewer pieces where sizes round up)', () => {
    expect(arrays(split(grid(2, 3), [1, 2], 1))).toEqual([
      [[0], [3]],
      [
        [1, 2],
        [4, 5],
      ],
    ]);
    expect(arrays(grid(5).split(2))).toEqual([[0, 1], [2, 3], [4]]);
    expect(arrays(chunk(grid(6), 4))).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(arrays(grid(5).chunk(3))).toEqual([[0, 1], [2, 3], [4]]);
    expect(arrays(chunk(zeros([0]), 3))).toEqual([[], [], []]);
    expect(() => split(grid(3), [1, 1])).toThrow(/adding up to 3/);
  });

  it('unbind and unflatten', () => {
    expect(arrays(grid(2, 3).unbind(1))).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(unflatten(zeros([2, 12]), -1, [2, -1, 3]).shape).toEqual([2, 2, 2, 3]);
  });

  it('Tensor.unfold takes sliding windows as a new last dim', () => {
    expect(grid(8).unfold(0, 3, 2).toArray()).toEqual([
      [0, 1, 2],
      [2, 3, 4],
      [4, 5, 6],
    ]);
    const w = grid(2, 3, 4).unfold(1, 2, 1);
    expect(w.shape).toEqual([2, 2, 4, 2]);
    expect(w.select(0, 1).select(0, 0).toArray()).toEqual([
      [12, 16],
      [13, 17],
      [14, 18],
      [15, 19],
    ]);
    expect(tensor(5).unfold(0, 1, 1).toArray()).toEqual([5]);
  });

  it("meshgrid in 'ij' and 'xy' indexing", () => {
    const [a, b] = meshgrid([grid(2), grid(3)], { indexing: 'xy' });
    expect(a.toArray()).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    expect(b.toArray()).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(meshgrid([grid(2), grid(3)])[0].shape).toEqual([2, 3]);
  });

  it('empty is zero-filled', () => {
    expect(empty([2, 1], { dtype: 'float64' }).toArray()).toEqual([[0], [0]]);
  });
});

describe('masks, nonzero, take, oneHot', () => {
  it('maskedFill broadcasts the mask and keeps the dtype', () => {
    expect(
      i32([1, 2, 3])
        .maskedFill(i32([1, 0, 1]), 2.5)
        .toArray(),
    ).toEqual([2, 2, 2]);
    expect(maskedFill(grid(2, 2), i32([0, 1]), tensor(-1)).toArray()).toEqual([
      [0, -1],
      [2, -1],
    ]);
  });

  it('maskedSelect broadcasts and reads in row-major order', () => {
    expect(maskedSelect(grid(2, 3), i32([1, 0, 1])).toArray()).toEqual([0, 2, 3, 5]);
  });

  it('nonzero gives rows of indices, or one tensor per dim', () => {
    const x = i32([
      [0, 1],
      [2, 0],
    ]);
    expect(nonzero(x).toArray()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(arrays(nonzero(x, { asTuple: true }))).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(nonzero(tensor(3)).shape).toEqual([1, 0]);
    expect(arrays(nonzero(tensor(3), { asTuple: true }))).toEqual([[0]]);
    expect(nonzero(tensor(0)).shape).toEqual([0, 0]);
  });

  it('take reads flat positions, negative from the end', () => {
    expect(
      take(
        grid(2, 3),
        i32([
          [-1, 0],
          [2, 5],
        ]),
      ).toArray(),
    ).toEqual([
      [5, 0],
      [2, 5],
    ]);
    expect(() => take(grid(2), i32([2]))).toThrow(
      /take: index 2 is out of range for a tensor of 2 elements/,
    );
  });

  it('oneHot infers the class count by default, as F.one_hot(numClasses=-1)', () => {
    expect(
      oneHot(
        i32([
          [0, 2],
          [1, 1],
        ]),
      ).toArray(),
    ).toEqual([
      [
        [1, 0, 0],
        [0, 0, 1],
      ],
      [
        [0, 1, 0],
        [0, 1, 0],
      ],
    ]);
    expect(() => oneHot(i32([]))).toThrow(/cannot infer numClasses/);
  });
});
