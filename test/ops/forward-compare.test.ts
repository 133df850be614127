import { describe, expect, it } from 'vitest';
import { tensor, where } from '../../src/index.js';
import { expectValues } from '../helpers.js';
import { expectTyped, f64, int } from './forward-helpers.js';

// Forward values of comparisons, isfinite, where and casts.

describe('comparisons and isfinite', () => {
  const x = tensor([1, 2, 3]);

  it('give bool against a number (as PyTorch)', () => {
    expectTyped(x.eq(2), 'bool', [0, 1, 0]);
    expectTyped(x.ne(2), 'bool', [1, 0, 1]);
    expectTyped(x.lt(2), 'bool', [1, 0, 0]);
    expectTyped(x.le(2), 'bool', [1, 1, 0]);
    expectTyped(x.gt(2), 'bool', [0, 0, 1]);
    expectTyped(x.ge(2), 'bool', [0, 1, 1]);
  });

  it('compare tensors with broadcasting and mixed dtypes', () => {
    expectTyped(tensor([[1], [2], [3]]).lt(tensor([1, 2, 3])), 'bool', [
      [0, 1, 1],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    expectTyped(int([1, 2]).eq(tensor([1, 2.5])), 'bool', [1, 0]);
    expectTyped(tensor([0.1]).eq(0.1), 'bool', [1]);
  });

  it('treat NaN as unequal to everything', () => {
    const n = tensor([NaN]);
    expectTyped(n.eq(n), 'bool', [0]);
    expectTyped(n.ne(n), 'bool', [1]);
    expectTyped(n.lt(0), 'bool', [0]);
    expectTyped(n.ge(0), 'bool', [0]);
  });

  it('isfinite is false for NaN and ±Infinity, true for every int32', () => {
    expectTyped(tensor([1, Infinity, -Infinity, NaN, 0]).isfinite(), 'bool', [1, 0, 0, 0, 1]);
    expectTyped(int([5, -7]).isfinite(), 'bool', [1, 1]);
  });
});

describe('where', () => {
  it('chooses element-wise, broadcasting all three', () => {
    const cond = int([[[1]], [[0]]]); // [2,1,1]
    const a = tensor([[[1], [2], [3]]]); // [1,3,1]
    const b = tensor([10, 20, 30, 40]); // [4]
    const out = where(cond, a, b);
    expect(out.shape).toEqual([2, 3, 4]);
    expectValues(out, [
      [
        [1, 1, 1, 1],
        [2, 2, 2, 2],
        [3, 3, 3, 3],
      ],
      [
        [10, 20, 30, 40],
        [10, 20, 30, 40],
        [10, 20, 30, 40],
      ],
    ]);
  });

  it('takes numbers for either branch and the Tensor method form', () => {
    const x = tensor([-1, 2, -3]);
    const c = x.gt(0);
    expectValues(where(c, 1, 0), [0, 1, 0]);
    expectValues(where(c, x, 0), [0, 2, 0]);
    expectValues(where(c, -1, x), [-1, -1, -3]);
    expectValues(x.where(c, tensor([7, 8, 9])), [7, 2, 9]);
    expectValues(where(tensor([0.5, 0, -1]), x, 9), [-1, 9, -3]);
  });

  it('promotes the two branches', () => {
    const c = int([1, 0]);
    const out = where(c, int([1, 2]), tensor([0.5, 0.5]));
    expect(out.dtype).toBe('float32');
    expectValues(out, [1, 0.5]);
    expect(where(c, tensor([1, 2]), f64([3, 4])).dtype).toBe('float64');
  });
});

describe('casts: to, float, double, int', () => {
  it('int truncates toward zero', () => {
    expectTyped(tensor([1.7, -1.7, 2.5, -0.2]).int(), 'int32', [1, -1, 2, 0]);
    expectTyped(tensor([3.9]).to('int32'), 'int32', [3]);
  });

  it('float and double convert values', () => {
    const i = int([1, -2]);
    expect(i.float().dtype).toBe('float32');
    expect(Array.from(i.float().data)).toEqual([1, -2]);
    const d = f64([0.1]).float();
    expect(d.dtype).toBe('float32');
    expect(d.data[0]).toBe(Math.fround(0.1));
    const up = tensor([0.1]).double();
    expect(up.dtype).toBe('float64');
    expect(up.data[0]).toBe(Math.fround(0.1));
    expect(tensor([1.5]).to('float64').data).toBeInstanceOf(Float64Array);
  });

  it('to the same dtype keeps the values', () => {
    const x = tensor([1.5, 2]);
    expectValues(x.to('float32'), [1.5, 2]);
    expect(x.float().dtype).toBe('float32');
  });
});
