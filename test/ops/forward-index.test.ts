import { describe, expect, it } from 'vitest';
import {
  arange,
  cat,
  concat,
  gather,
  indexSelect,
  narrow,
  scalar,
  select,
  slice,
  stack,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { expectExact, type Nested } from '../helpers.js';

// Forward values of slicing and indexing, of joining (concat / stack), and of clone / detach.

const int = (v: Nested): Tensor => tensor(v, { dtype: 'int32' });
/** [[0,1,2,3],[4,5,6,7],[8,9,10,11]]. */
const m34 = (): Tensor => arange(12).reshape(3, 4);

describe('get: indexing by number', () => {
  it('get(i) takes a row, get(i, j) an element as a 0-d tensor', () => {
    expectExact(m34().get(1), [4, 5, 6, 7]);
    const e = m34().get(1, 2);
    expect(e.shape).toEqual([]);
    expect(e.item()).toBe(6);
    expectExact(tensor([[[1, 2]], [[3, 4]]]).get(1, 0), [3, 4]);
  });

  it('negative indices count from the end', () => {
    expectExact(m34().get(-1), [8, 9, 10, 11]);
    expect(m34().get(-1, -1).item()).toBe(11);
    expect(m34().get(0, -4).item()).toBe(0);
  });
});

describe('slice', () => {
  it("':' and null keep a dimension; 'a:b' takes a range", () => {
    expectExact(m34().slice(':', '1:3'), [
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    expectExact(m34().slice(null, '1:3'), [
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    expectExact(m34().slice('1:'), [
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    expectExact(m34().slice(':2', ':1'), [[0], [4]]);
  });

  it("'::2' takes every other element", () => {
    expectExact(m34().slice('::2'), [
      [0, 1, 2, 3],
      [8, 9, 10, 11],
    ]);
    expectExact(m34().slice(':', '::2'), [
      [0, 2],
      [4, 6],
      [8, 10],
    ]);
    expectExact(m34().slice(':', '1::2'), [
      [1, 3],
      [5, 7],
      [9, 11],
    ]);
    expectExact(arange(10).slice('1:8:3'), [1, 4, 7]);
  });

  it('negative positions count from the end, and out-of-range ends are clamped', () => {
    expectExact(m34().slice('-2:'), [
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    expectExact(m34().slice(':', ':-1').get(0), [0, 1, 2]);
    expectExact(m34().slice('0:100', '-100:1'), [[0], [4], [8]]);
    expect(m34().slice('2:1').shape).toEqual([0, 4]);
    expect(m34().slice('1:1').shape).toEqual([0, 4]);
  });

  it('{ start, end, step } objects', () => {
    expectExact(m34().slice({ start: 1 }), [
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    expectExact(m34().slice({ start: 0, end: 3, step: 2 }, { start: -2 }), [
      [2, 3],
      [10, 11],
    ]);
    expectExact(m34().slice({}, { end: 1 }), [[0], [4], [8]]);
  });

  it('a number in a slice drops its dimension; a numeric string is an index too', () => {
    expectExact(m34().slice(1, '1:'), [5, 6, 7]);
    expectExact(m34().slice(':', 0), [0, 4, 8]);
    expectExact(m34().slice('2'), [8, 9, 10, 11]);
    expectExact(slice(m34(), [-1, '::3']), [8, 11]);
  });

  it('keeps the dtype', () => {
    expectExact(int([5, 6, 7]).slice('1:'), [6, 7], 'int32');
  });
});

describe('select and narrow', () => {
  it('select(dim, index) removes the dimension', () => {
    expectExact(m34().select(1, 2), [2, 6, 10]);
    expectExact(m34().select(0, -1), [8, 9, 10, 11]);
    expectExact(select(m34(), -1, 0), [0, 4, 8]);
    const x = arange(24).reshape(2, 3, 4);
    expectExact(x.select(2, 1), [
      [1, 5, 9],
      [13, 17, 21],
    ]);
  });

  it('narrow(dim, start, length) keeps the dimension', () => {
    expectExact(m34().narrow(1, 1, 2), [
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    expectExact(m34().narrow(0, -2, 2), [
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    expectExact(narrow(m34(), -1, 3, 1), [[3], [7], [11]]);
    expect(m34().narrow(0, 1, 0).shape).toEqual([0, 4]);
  });
});

describe('indexSelect and gather', () => {
  it('indexSelect picks rows or columns, repeats allowed', () => {
    expectExact(m34().indexSelect(0, [2, 0, 2]), [
      [8, 9, 10, 11],
      [0, 1, 2, 3],
      [8, 9, 10, 11],
    ]);
    expectExact(m34().indexSelect(1, int([3, 0])), [
      [3, 0],
      [7, 4],
      [11, 8],
    ]);
    expectExact(indexSelect(m34(), -1, [1, 1]), [
      [1, 1],
      [5, 5],
      [9, 9],
    ]);
    expect(m34().indexSelect(0, []).shape).toEqual([0, 4]);
    expectExact(int([10, 20, 30]).indexSelect(0, [2, 2, 0]), [30, 30, 10], 'int32');
  });

  it('gather along dim 1: out[i][j] = x[i][index[i][j]]', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expectExact(
      x.gather(
        1,
        int([
          [0, 0],
          [1, 0],
        ]),
      ),
      [
        [1, 1],
        [4, 3],
      ],
    );
    expectExact(gather(x, 1, int([[1], [0]])), [[2], [3]]);
    expectExact(
      gather(
        x,
        -1,
        int([
          [1, 1, 0],
          [0, 0, 0],
        ]),
      ),
      [
        [2, 2, 1],
        [3, 3, 3],
      ],
    );
  });

  it('gather along dim 0: out[i][j] = x[index[i][j]][j]', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expectExact(
      x.gather(
        0,
        int([
          [0, 1],
          [1, 0],
        ]),
      ),
      [
        [1, 4],
        [3, 2],
      ],
    );
    expectExact(x.gather(0, int([[1, 1]])), [[3, 4]]);
  });
});

describe('concat / cat', () => {
  const a = tensor([
    [1, 2],
    [3, 4],
  ]);

  it('joins along axis 0, 1 and -1', () => {
    expectExact(concat([a, tensor([[5, 6]])]), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expectExact(concat([a, tensor([[5], [6]])], 1), [
      [1, 2, 5],
      [3, 4, 6],
    ]);
    expectExact(cat([a, tensor([[5], [6]]), a], -1), [
      [1, 2, 5, 1, 2],
      [3, 4, 6, 3, 4],
    ]);
    expectExact(concat([tensor([1, 2]), tensor([3]), tensor([])]), [1, 2, 3]);
    expectExact(concat([a]), [
      [1, 2],
      [3, 4],
    ]);
  });

  it('promotes mixed dtypes', () => {
    const m = concat([int([1, 2]), tensor([0.5])]);
    expectExact(m, [1, 2, 0.5], 'float32');
    expect(concat([tensor([1]), tensor([2], { dtype: 'float64' })]).dtype).toBe('float64');
    expect(concat([int([1]), int([2])]).dtype).toBe('int32');
  });
});

describe('stack', () => {
  const p = tensor([1, 2]);
  const q = tensor([3, 4]);

  it('joins along a new axis 0, 1 or -1', () => {
    expectExact(stack([p, q]), [
      [1, 2],
      [3, 4],
    ]);
    expectExact(stack([p, q], 1), [
      [1, 3],
      [2, 4],
    ]);
    expectExact(stack([p, q], -1), [
      [1, 3],
      [2, 4],
    ]);
  });

  it('stacks matrices and 0-d tensors', () => {
    const m = tensor([
      [1, 2],
      [3, 4],
    ]);
    const s = stack([m, m.mul(10)], -1);
    expect(s.shape).toEqual([2, 2, 2]);
    expectExact(s, [
      [
        [1, 10],
        [2, 20],
      ],
      [
        [3, 30],
        [4, 40],
      ],
    ]);
    expect(stack([m, m], 1).shape).toEqual([2, 2, 2]);
    expectExact(stack([scalar(1), scalar(2), scalar(3)]), [1, 2, 3]);
  });
});

describe('clone and detach', () => {
  it('clone copies the data and does not require a gradient', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const c = x.clone();
    expectExact(c, [1, 2, 3], 'float32');
    expect(c.data).not.toBe(x.data);
    c.data[0] = 99;
    expect(x.data[0]).toBe(1);
    expect(c.requiresGrad).toBe(false);
    expect(c.isLeaf).toBe(true);
    expectExact(int([[4, 5]]).clone(), [[4, 5]], 'int32');
  });

  it('detach shares the data and does not require a gradient', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    const d = y.detach();
    expect(d.data).toBe(y.data);
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.gradFn).toBeNull();
    expect(x.detach().shape).toEqual([2]);
    expectExact(d, [2, 4]);
  });
});
