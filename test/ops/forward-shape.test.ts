import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arange,
  expand,
  flatten,
  matmul,
  permute,
  randn,
  reshape,
  squeeze,
  tensor,
  transpose,
  unsqueeze,
  Generator,
  type Tensor,
} from '../../src/index.js';
import { expectValues } from '../helpers.js';

// Forward values of matmul (against a naive loop) and of the shape ops.

/** The product of two matrices given as nested arrays, by the textbook triple loop. */
function naive(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

const gen = (seed: number): Generator => new Generator(seed);
const rnd = (shape: number[], seed: number): Tensor =>
  randn(shape, { generator: gen(seed), dtype: 'float64' });
/** [2,3] tensor [[0,1,2],[3,4,5]]. */
const m23 = (): Tensor => arange(6).reshape(2, 3);

describe('matmul', () => {
  it('1-D · 1-D is a 0-d dot product', () => {
    const d = matmul(tensor([1, 2, 3]), tensor([4, 5, 6]));
    expect(d.shape).toEqual([]);
    expect(d.item()).toBe(32);
  });

  it('2-D · 2-D', () => {
    expectValues(
      tensor([
        [1, 2],
        [3, 4],
      ]).matmul(
        tensor([
          [5, 6],
          [7, 8],
        ]),
      ),
      [
        [19, 22],
        [43, 50],
      ],
    );
    expectValues(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]).matmul(
        tensor([
          [7, 8],
          [9, 10],
          [11, 12],
        ]),
      ),
      [
        [58, 64],
        [139, 154],
      ],
    );
    expectValues(tensor([[1, 2]]).mm(tensor([[3], [4]])), [[11]]);
  });

  it('1-D · 2-D treats the vector as a row; 2-D · 1-D as a column', () => {
    expectValues(
      matmul(
        tensor([1, 2]),
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
      [9, 12, 15],
    );
    expectValues(
      matmul(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        tensor([1, 0, -1]),
      ),
      [-2, -2],
    );
  });

  it('batched 3-D · 3-D', () => {
    const a = rnd([2, 3, 4], 1);
    const b = rnd([2, 4, 5], 2);
    const av = a.toArray() as number[][][];
    const bv = b.toArray() as number[][][];
    expectValues(matmul(a, b), [naive(av[0], bv[0]), naive(av[1], bv[1])], 1e-12);
  });

  it('broadcasts batch dimensions: [2,1,3,4] · [5,4,2] → [2,5,3,2]', () => {
    const a = rnd([2, 1, 3, 4], 3);
    const b = rnd([5, 4, 2], 4);
    const av = a.toArray() as number[][][][];
    const bv = b.toArray() as number[][][];
    const out = matmul(a, b);
    expect(out.shape).toEqual([2, 5, 3, 2]);
    expectValues(
      out,
      av.map((ai) => bv.map((bj) => naive(ai[0], bj))),
      1e-12,
    );
  });

  it('3-D · 2-D, 3-D · 1-D and 1-D · 3-D', () => {
    const a = rnd([2, 3, 4], 5);
    const w = rnd([4, 5], 6);
    const v = rnd([4], 7);
    const av = a.toArray() as number[][][];
    const wv = w.toArray() as number[][];
    const vv = v.toArray() as number[];
    expectValues(
      matmul(a, w),
      av.map((ai) => naive(ai, wv)),
      1e-12,
    );
    expectValues(
      matmul(a, v),
      av.map((ai) =>
        naive(
          ai,
          vv.map((x) => [x]),
        ).map((r) => r[0]),
      ),
      1e-12,
    );
    const b = rnd([2, 4, 3], 8);
    const bv = b.toArray() as number[][][];
    expectValues(
      matmul(v, b),
      bv.map((bi) => naive([vv], bi)[0]),
      1e-12,
    );
  });

  it('agrees with the naive loop on random shapes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (batch, m, k, n, seed) => {
          const a = rnd([batch, m, k], seed);
          const b = rnd([k, n], seed + 1);
          const bv = b.toArray() as number[][];
          const expected = (a.toArray() as number[][][]).map((ai) => naive(ai, bv));
          expectValues(matmul(a, b), expected, 1e-12);
          expectValues(matmul(a.get(0), b), expected[0], 1e-12);
        },
      ),
      { seed: 42 },
    );
  });

  it('promotes dtypes: int32 · int32 stays int32, float32 · float64 gives float64', () => {
    const i = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'int32' },
    );
    const p = i.matmul(i);
    expect(p.dtype).toBe('int32');
    expect(Array.from(p.data)).toEqual([7, 10, 15, 22]);
    expect(tensor([[1]]).matmul(tensor([[2]], { dtype: 'float64' })).dtype).toBe('float64');
  });
});

describe('transpose, t, T, permute', () => {
  it('swap the two dimensions of a matrix', () => {
    const expected = [
      [0, 3],
      [1, 4],
      [2, 5],
    ];
    expectValues(m23().transpose(0, 1), expected);
    expectValues(m23().t(), expected);
    expectValues(m23().T, expected);
    expectValues(transpose(m23(), -1, -2), expected);
  });

  it('leave 0-d and 1-D tensors alone', () => {
    expectValues(tensor([1, 2]).t(), [1, 2]);
    expectValues(tensor(3).t(), 3);
  });

  it('transpose swaps dims 0 and 2 of a 3-D tensor', () => {
    const x = arange(24).reshape(2, 3, 4);
    const y = x.transpose(0, 2);
    expect(y.shape).toEqual([4, 3, 2]);
    const xv = x.toArray() as number[][][];
    const yv = y.toArray() as number[][][];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(yv[k][j][i]).toBe(xv[i][j][k]);
  });

  it('permute reorders dimensions (variadic or list, negative dims)', () => {
    const x = arange(24).reshape(2, 3, 4);
    const xv = x.toArray() as number[][][];
    for (const y of [x.permute(2, 0, 1), x.permute([2, 0, 1]), permute(x, [-1, 0, 1])]) {
      expect(y.shape).toEqual([4, 2, 3]);
      const yv = y.toArray() as number[][][];
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 3; j++)
          for (let k = 0; k < 4; k++) expect(yv[k][i][j]).toBe(xv[i][j][k]);
    }
    expectValues(x.permute(0, 1, 2), xv);
  });
});

describe('reshape, view, flatten', () => {
  it('reshape keeps the row-major order', () => {
    expectValues(m23().reshape(3, 2), [
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expectValues(m23().reshape([6]), [0, 1, 2, 3, 4, 5]);
    expectValues(m23().view(1, 6), [[0, 1, 2, 3, 4, 5]]);
    expectValues(reshape(m23(), [3, 1, 2]), [[[0, 1]], [[2, 3]], [[4, 5]]]);
    expectValues(tensor([7]).reshape([]), 7);
  });

  it('reshape infers one -1', () => {
    expect(m23().reshape(-1).shape).toEqual([6]);
    expect(m23().reshape(3, -1).shape).toEqual([3, 2]);
    expect(m23().reshape([-1, 1, 3]).shape).toEqual([2, 1, 3]);
    expect(tensor([[], []]).reshape(-1).shape).toEqual([0]);
  });

  it('reshape shares the data (no copy)', () => {
    const x = m23();
    expect(x.reshape(6).data).toBe(x.data);
  });

  it('flatten merges startDim…endDim', () => {
    const x = arange(24).reshape(2, 3, 4);
    expect(x.flatten().shape).toEqual([24]);
    expect(x.flatten(1).shape).toEqual([2, 12]);
    expect(x.flatten(0, 1).shape).toEqual([6, 4]);
    expect(flatten(x, -2).shape).toEqual([2, 12]);
    expect(x.flatten(1, 1).shape).toEqual([2, 3, 4]);
    expectValues(
      x.flatten(),
      Array.from({ length: 24 }, (_, i) => i),
    );
    expect(tensor(5).flatten().shape).toEqual([1]);
  });
});

describe('squeeze, unsqueeze, expand', () => {
  const x = arange(6).reshape(1, 3, 1, 2);

  it('squeeze removes all size-1 dims, or only the given ones', () => {
    expect(x.squeeze().shape).toEqual([3, 2]);
    expect(x.squeeze(0).shape).toEqual([3, 1, 2]);
    expect(x.squeeze([0, 2]).shape).toEqual([3, 2]);
    expect(x.squeeze(-2).shape).toEqual([1, 3, 2]);
    expect(x.squeeze(1).shape).toEqual([1, 3, 1, 2]);
    expectValues(squeeze(x), [
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(tensor([[5]]).squeeze().shape).toEqual([]);
  });

  it('unsqueeze inserts a size-1 dim, negative dims counting from the end of the result', () => {
    const v = tensor([1, 2, 3]);
    expect(v.unsqueeze(0).shape).toEqual([1, 3]);
    expect(v.unsqueeze(1).shape).toEqual([3, 1]);
    expect(v.unsqueeze(-1).shape).toEqual([3, 1]);
    expect(v.unsqueeze(-2).shape).toEqual([1, 3]);
    expect(unsqueeze(m23(), -1).shape).toEqual([2, 3, 1]);
    expect(m23().unsqueeze(-3).shape).toEqual([1, 2, 3]);
    expect(m23().unsqueeze(1).shape).toEqual([2, 1, 3]);
    expectValues(v.unsqueeze(1), [[1], [2], [3]]);
    expect(tensor(4).unsqueeze(0).shape).toEqual([1]);
  });

  it('expand stretches size-1 dims, -1 keeps a size, and new leading dims repeat', () => {
    const c = tensor([[1], [2], [3]]);
    expectValues(c.expand(3, 4), [
      [1, 1, 1, 1],
      [2, 2, 2, 2],
      [3, 3, 3, 3],
    ]);
    expectValues(c.expand(-1, 2), [
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const lead = c.expand([2, 3, 2]);
    expect(lead.shape).toEqual([2, 3, 2]);
    expectValues(lead, [
      [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
      [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
    ]);
    expectValues(expand(tensor([1, 2]), [2, -1]), [
      [1, 2],
      [1, 2],
    ]);
    expectValues(tensor(7).expand(3), [7, 7, 7]);
  });
});
