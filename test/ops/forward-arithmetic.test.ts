import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, div, mul, pow, scalar, sub, tensor } from '../../src/index.js';
import { expectValues, type Nested } from '../helpers.js';
import { expectTyped, f64, int } from './forward-helpers.js';

// Forward values of the element-wise arithmetic: add, sub, mul, div, pow, broadcasting and dtype
// promotion.

describe('add, sub, mul, div', () => {
  const x = tensor([1, 2, 3]);
  const y = tensor([10, 20, 40]);

  it('combine tensors element by element', () => {
    expectValues(x.add(y), [11, 22, 43]);
    expectValues(x.sub(y), [-9, -18, -37]);
    expectValues(x.mul(y), [10, 40, 120]);
    expectValues(y.div(x), [10, 10, 40 / 3]);
    expectValues(add(x, y), [11, 22, 43]);
    expectValues(x.neg(), [-1, -2, -3]);
  });

  it('take a number on either side', () => {
    expectValues(x.add(1), [2, 3, 4]);
    expectValues(add(1, x), [2, 3, 4]);
    expectValues(x.sub(1), [0, 1, 2]);
    expectValues(sub(1, x), [0, -1, -2]);
    expectValues(x.mul(2), [2, 4, 6]);
    expectValues(mul(2, x), [2, 4, 6]);
    expectValues(x.div(2), [0.5, 1, 1.5]);
    expectValues(div(1, x), [1, 0.5, 1 / 3]);
  });

  it('follow IEEE for division by zero', () => {
    expectValues(tensor([1, -1, 0]).div(0), [Infinity, -Infinity, NaN]);
  });

  it('match plain arithmetic on random float64 values', () => {
    const value = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 20 }), (pairs) => {
        const a = f64(pairs.map((p) => p[0]));
        const b = f64(pairs.map((p) => p[1]));
        expect(Array.from(a.add(b).data)).toEqual(pairs.map(([p, q]) => p + q));
        expect(Array.from(a.sub(b).data)).toEqual(pairs.map(([p, q]) => p - q));
        expect(Array.from(a.mul(b).data)).toEqual(pairs.map(([p, q]) => p * q));
        expect(Array.from(a.div(b).data)).toEqual(pairs.map(([p, q]) => p / q));
      }),
      { seed: 42 },
    );
  });
});

describe('pow', () => {
  const x = tensor([1, 2, 3]);

  it('with a number exponent', () => {
    expectValues(x.pow(2), [1, 4, 9]);
    expectValues(x.pow(3), [1, 8, 27]);
    expectValues(x.pow(0.5), [1, Math.SQRT2, Math.sqrt(3)]);
    expectValues(x.pow(-1), [1, 0.5, 1 / 3]);
    expectValues(x.pow(0), [1, 1, 1]);
    expectValues(tensor([-8, 4]).pow(1 / 3), [NaN, Math.cbrt(4)], 1e-5);
  });

  it('with a tensor exponent, broadcasting, and a number base', () => {
    expectValues(x.pow(tensor([3, 2, 1])), [1, 4, 3]);
    expectValues(tensor([[2], [3]]).pow(tensor([1, 2])), [
      [2, 4],
      [3, 9],
    ]);
    expectValues(pow(2, x), [2, 4, 8]);
    expectValues(pow(x, 2), [1, 4, 9]);
    expectValues(pow(x, scalar(2)), [1, 4, 9]);
  });
});

describe('broadcasting', () => {
  it('[3,1] + [1,4] gives [3,4]', () => {
    const a = tensor([[0], [10], [20]]);
    const b = tensor([[1, 2, 3, 4]]);
    expectValues(a.add(b), [
      [1, 2, 3, 4],
      [11, 12, 13, 14],
      [21, 22, 23, 24],
    ]);
    expectValues(b.add(a), a.add(b).toArray() as Nested);
  });

  it('[2,3] + [3] adds the row to every row', () => {
    expectValues(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]).add(tensor([10, 20, 30])),
      [
        [11, 22, 33],
        [14, 25, 36],
      ],
    );
    expectValues(
      tensor([10, 20, 30]).sub(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
      [
        [9, 18, 27],
        [6, 15, 24],
      ],
    );
  });

  it('[2,1,3] * [4,1] gives [2,4,3]', () => {
    const a = tensor([[[1, 2, 3]], [[4, 5, 6]]]);
    const b = tensor([[1], [2], [3], [4]]);
    const out = a.mul(b);
    expect(out.shape).toEqual([2, 4, 3]);
    const av = a.toArray() as number[][][];
    const bv = b.toArray() as number[][];
    const expected = [0, 1].map((i) =>
      [0, 1, 2, 3].map((j) => [0, 1, 2].map((k) => av[i][0][k] * bv[j][0])),
    );
    expectValues(out, expected);
  });

  it('0-d tensors broadcast against anything, and 0-d with 0-d stays 0-d', () => {
    expectValues(scalar(10).add(tensor([1, 2])), [11, 12]);
    expectValues(tensor([[1, 2]]).mul(scalar(3)), [[3, 6]]);
    const s = scalar(2).add(scalar(3));
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(5);
  });

  it('[m,1] op [1,n] is the outer operation, for random sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), (m, n) => {
        const a = Array.from({ length: m }, (_, i) => i + 1);
        const b = Array.from({ length: n }, (_, j) => 10 * (j + 1));
        const out = tensor(a.map((v) => [v])).sub(tensor([b]));
        expectValues(
          out,
          a.map((p) => b.map((q) => p - q)),
        );
      }),
      { seed: 42 },
    );
  });
});

describe('dtype promotion', () => {
  it('int32 with float32 gives float32; float32 with float64 gives float64', () => {
    const a = int([1, 2]).add(tensor([0.5, 0.5]));
    expect(a.dtype).toBe('float32');
    expectValues(a, [1.5, 2.5]);
    const b = tensor([1, 2]).add(f64([0.25, 0.5]));
    expect(b.dtype).toBe('float64');
    expectValues(b, [1.25, 2.5]);
    expect(int([1]).mul(f64([2])).dtype).toBe('float64');
    expect(f64([1]).sub(int([2])).dtype).toBe('float64');
  });

  it('a number keeps the tensor dtype unless an int32 meets a fraction', () => {
    expectTyped(int([1, 2, 3]).mul(2), 'int32', [2, 4, 6]);
    expectTyped(sub(10, int([1, 2])), 'int32', [9, 8]);
    const half = int([1, 2, 3]).mul(2.5);
    expect(half.dtype).toBe('float32');
    expectValues(half, [2.5, 5, 7.5]);
    expect(tensor([1]).add(1).dtype).toBe('float32');
    expect(f64([1]).add(1).dtype).toBe('float64');
    expect(f64([0.1]).add(0.2).data[0]).toBe(0.1 + 0.2);
  });

  it('int32 / int32 is true division in float32', () => {
    const q = int([1, 2, 3]).div(int([2, 2, 2]));
    expect(q.dtype).toBe('float32');
    expectValues(q, [0.5, 1, 1.5]);
    expect(int([7]).div(2).dtype).toBe('float32');
    expectValues(int([7]).div(2), [3.5]);
    expect(int([1]).div(f64([4])).dtype).toBe('float64');
  });

  it('int32 pow: integer exponent stays int32, fractional or negative gives float32', () => {
    expectTyped(int([2, 3]).pow(2), 'int32', [4, 9]);
    expectTyped(int([2, 3]).pow(3), 'int32', [8, 27]);
    const r = int([4, 9]).pow(0.5);
    expect(r.dtype).toBe('float32');
    expectValues(r, [2, 3]);
    const inv = int([2, 4]).pow(-1);
    expect(inv.dtype).toBe('float32');
    expectValues(inv, [0.5, 0.25]);
  });

  it('floating functions of int32 give float32; sign-like ones keep int32', () => {
    expect(int([0]).exp().dtype).toBe('float32');
    expect(int([4]).sqrt().dtype).toBe('float32');
    expect(int([1]).sigmoid().dtype).toBe('float32');
    expectTyped(int([-2, 3]).neg(), 'int32', [2, -3]);
    expectTyped(int([-2, 3]).abs(), 'int32', [2, 3]);
    expectTyped(int([-2, 0, 3]).sign(), 'int32', [-1, 0, 1]);
    expectTyped(int([-2, 0, 3]).relu(), 'int32', [0, 0, 3]);
  });
});
