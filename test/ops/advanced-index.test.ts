import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import {
  arange,
  index,
  indexAdd,
  indexPut,
  ones,
  scatter,
  scatterAdd,
  tensor,
  zeros,
} from '../../src/index.js';

// index / indexPut (PyTorch's x[...] and index_put), scatter, scatterAdd and indexAdd: values and
// shapes as PyTorch 1.13 gives them, and PyTorch's gradient conventions where places repeat.

const i32 = (values: unknown): Tensor => tensor(values, { dtype: 'int32' });
const grid = (...shape: number[]): Tensor =>
  arange(shape.reduce((p, d) => p * d, 1)).reshape(shape);
/** A uint8 mask: stands in for the bool tensors comparisons will return (the bool dtype lands separately). */
const mask = (values: number[]): Tensor => {
  const t = i32(values);
  Object.defineProperty(t, 'dtype', { value: 'uint8' });
  return t;
};

describe('index: PyTorch layout of the result', () => {
  const x = grid(2, 3, 4);

  it('numbers select first; adjacent index tensors stay in place, others go first', () => {
    expect(x.index([0, null, i32([0, 1, 2, 3, 0])]).toArray()).toEqual([
      [0, 1, 2, 3, 0],
      [4, 5, 6, 7, 4],
      [8, 9, 10, 11, 8],
    ]);
    expect(x.index([i32([0, 1]), null, i32([1, 2])]).toArray()).toEqual([
      [1, 5, 9],
      [14, 18, 22],
    ]);
    expect(x.index([null, i32([0, 1]), i32([1, 2])]).toArray()).toEqual([
      [1, 6],
      [13, 18],
    ]);
    expect(
      x.index([
        null,
        '1:3',
        i32([
          [0, 1],
          [2, 3],
        ]),
      ]).shape,
    ).toEqual([2, 2, 2, 2]);
    expect(x.index(['...', i32([0])]).shape).toEqual([2, 3, 1]);
  });

  it('index tensors broadcast together; negative indices count from the end', () => {
    expect(index(grid(3, 3), [i32([[0], [-1]]), i32([0, 2])]).toArray()).toEqual([
      [0, 2],
      [6, 8],
    ]);
  });

  it('masks select where nonzero, covering as many dims as they have', () => {
    expect(x.index([null, mask([1, 0, 1])]).toArray()).toEqual([
      [
        [0, 1, 2, 3],
        [8, 9, 10, 11],
      ],
      [
        [12, 13, 14, 15],
        [20, 21, 22, 23],
      ],
    ]);
    expect(x.index([i32([1]), mask([1, 0, 1])]).toArray()).toEqual([
      [12, 13, 14, 15],
      [20, 21, 22, 23],
    ]);
  });

  it('without tensors it is a slice', () => {
    expect(x.index([1, '1:', 0]).toArray()).toEqual([16, 20]);
  });

  it('names the index that is out of range or of the wrong dtype', () => {
    expect(() => x.index([i32([2])])).toThrow(
      /index: index 2 is out of range for dimension 0 of size 2/,
    );
    expect(() => x.index([tensor([0.5])])).toThrow(/index tensors must be int32/);
    expect(() => x.index([0, 0, 0, i32([0])])).toThrow(/too many indices/);
  });

  it('an element read twice gets both gradients', () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    w.index([i32([2, 0, 2])])
      .sum()
      .backward();
    expect(w.grad?.toArray()).toEqual([1, 0, 2]);
  });
});

describe('indexPut', () => {
  it('writes broadcast values; with accumulate adds every repeat', () => {
    expect(
      zeros([3, 4])
        .indexPut([i32([0, 2])], tensor([1, 2, 3, 4]))
        .toArray(),
    ).toEqual([
      [1, 2, 3, 4],
      [0, 0, 0, 0],
      [1, 2, 3, 4],
    ]);
    expect(
      indexPut(zeros([2, 3]), [i32([[0], [1]]), i32([0, 2])], tensor(7), {
        accumulate: true,
      }).toArray(),
    ).toEqual([
      [7, 0, 7],
      [7, 0, 7],
    ]);
    expect(
      zeros([3])
        .indexPut([i32([1, 1])], tensor([1, 2]), { accumulate: true })
        .toArray(),
    ).toEqual([0, 3, 0]);
  });

  it('where a place repeats the last value wins, and every value gets the gradient at its place', () => {
    const v = tensor([1, 2, 3], { requiresGrad: true });
    const x = zeros([4], { requiresGrad: true });
    const out = x.indexPut([i32([1, 1, 2])], v);
    expect(out.toArray()).toEqual([0, 2, 3, 0]);
    out.backward(tensor([1, 2, 3, 4]));
    // PyTorch: v.grad = [2, 2, 3], x.grad = [1, 0, 0, 4]
    expect(v.grad?.toArray()).toEqual([2, 2, 3]);
    expect(x.grad?.toArray()).toEqual([1, 0, 0, 4]);
  });
});

describe('scatter, scatterAdd, indexAdd', () => {
  const index = i32([
    [0, 1, 2, 0],
    [0, 1, 0, 0],
  ]);

  it('scatter writes src (the last repeat wins) with PyTorch gradients', () => {
    const x = grid(3, 4).to('float64').requiresGrad_(true);
    const src = ones([2, 4], { dtype: 'float64', requiresGrad: true });
    const y = scatter(x, 0, index, src);
    expect(y.toArray()).toEqual([
      [1, 1, 1, 1],
      [4, 1, 6, 7],
      [8, 9, 1, 11],
    ]);
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([
      [0, 1, 0, 0],
      [1, 0, 1, 1],
      [1, 1, 0, 1],
    ]);
    expect(src.grad?.toArray()).toEqual([
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ]);
  });

  it("scatter with a number, reduce 'add' and 'multiply'", () => {
    expect(zeros([3, 4]).scatter(0, index, 2.5, { reduce: 'add' }).toArray()).toEqual([
      [5, 0, 2.5, 5],
      [0, 5, 0, 0],
      [0, 0, 2.5, 0],
    ]);
    expect(
      ones([3])
        .scatter(0, i32([0, 0, 2]), tensor([2, 3, 4]), { reduce: 'multiply' })
        .toArray(),
    ).toEqual([6, 1, 4]);
    expect(() => zeros([2]).scatter(0, i32([[0]]), 1)).toThrow(
      /must have as many dimensions as the input/,
    );
  });

  it('scatterAdd and indexAdd add every repeat to x', () => {
    expect(scatterAdd(ones([3]), 0, i32([0, 2, 0]), tensor([1, 2, 3])).toArray()).toEqual([
      5, 1, 3,
    ]);
    expect(
      indexAdd(ones([3, 1]), 0, i32([2, 0, 2]), tensor([[1], [2], [3]]), { alpha: 2 }).toArray(),
    ).toEqual([[5], [1], [9]]);
    expect(() => indexAdd(ones([3, 2]), 0, [0], ones([1, 3]))).toThrow(
      /expected \[1, 2\]|expected \[1,2\]/,
    );
  });
});
