import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  div,
  log1p,
  maximum,
  minimum,
  mul,
  pow,
  scalar,
  softplus,
  sub,
  tensor,
  where,
  type Tensor,
} from '../../src/index.js';
import { expectExact, expectValues, type Nested } from '../helpers.js';

// Forward values of the element-wise ops: arithmetic, broadcasting, dtype promotion, unary
// functions, activations, comparisons, where and casts.

/** Checks dtype, shape and exact values. */
const expectTyped = (t: Tensor, dtype: string, expected: Nested): void =>
  expectExact(t, expected, dtype);

const int = (v: Nested): Tensor => tensor(v, { dtype: 'int32' });
const f64 = (v: Nested): Tensor => tensor(v, { dtype: 'float64' });

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

describe('unary functions', () => {
  it('exp, log, sqrt', () => {
    expectValues(tensor([0, 1, -1]).exp(), [1, Math.E, 1 / Math.E]);
    expectValues(tensor([1, Math.E, 0, -1]).log(), [0, 1, -Infinity, NaN]);
    expectValues(tensor([0, 4, 2, -1]).sqrt(), [0, 2, Math.SQRT2, NaN]);
    expectValues(f64([1e-300]).log(), [Math.log(1e-300)], 1e-12);
  });

  it('log1p keeps the digits of small x that log(1 + x) loses', () => {
    const small = f64([1e-10, -1e-12, 1e-300]).log1p();
    // ln(1 + x) = x − x²/2 + …: for these x the result is x to double precision.
    expect(Array.from(small.data)).toEqual([1e-10 - 5e-21, -1e-12 - 5e-25, 1e-300]);
    expectValues(tensor([0, 1, Math.E - 1, -1, -2]).log1p(), [0, Math.LN2, 1, -Infinity, NaN]);
    expect(log1p(int([0, 1])).dtype).toBe('float32');
  });

  it('softplus as PyTorch: (1/β)·log(1 + e^(βx)), x itself where βx > threshold', () => {
    // torch.nn.functional.softplus(torch.tensor([0., 1., -30., 19., 21.], dtype=torch.float64))
    const y = softplus(f64([0, 1, -30, 19, 21]));
    const want = [Math.LN2, 1.3132616875182228, 9.357622968839737e-14, 19.000000005602796, 21];
    y.data.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-15 * want[i]));
    // beta = 2, threshold = 1: 0.5·log(1 + e^0.8) at 0.4, x itself at 0.6 (βx = 1.2 > 1)
    expectValues(
      f64([0.4, 0.6, -1]).softplus({ beta: 2, threshold: 1 }),
      [0.5 * Math.log(1 + Math.exp(0.8)), 0.6, 0.5 * Math.log(1 + Math.exp(-2))],
      1e-15,
    );
    // No overflow without the switch, and large negative x underflows gracefully.
    expectValues(f64([1000, -1000]).softplus({ threshold: Infinity }), [1000, 0]);
    expect(softplus(int([0])).dtype).toBe('float32');
    expect(() => softplus(f64([1]), { beta: 0 })).toThrow(/^softplus: beta must be a positive/);
  });

  it('abs, sign (NaN stays NaN), neg', () => {
    expectValues(tensor([-2, 0, 3.5]).abs(), [2, 0, 3.5]);
    expectValues(tensor([-2, 0, 3.5, NaN]).sign(), [-1, 0, 1, NaN]);
  });

  it('sin and cos', () => {
    const t = f64([0, Math.PI / 2, Math.PI, -Math.PI / 6]);
    expectValues(t.sin(), [0, 1, 0, -0.5], 1e-12);
    expectValues(t.cos(), [1, 0, -1, Math.sqrt(3) / 2], 1e-12);
  });

  it('tanh and sigmoid, exact values', () => {
    expectValues(tensor([0, 1, -1, 100, -100]).tanh(), [0, Math.tanh(1), -Math.tanh(1), 1, -1]);
    expectValues(tensor([0, 2, -2]).sigmoid(), [
      0.5,
      1 / (1 + Math.exp(-2)),
      1 / (1 + Math.exp(2)),
    ]);
  });

  it('sigmoid stays finite and in [0, 1] at large |x|', () => {
    for (const t of [
      tensor([100, -100, 1000, -1000, 1e30, -1e30]),
      f64([100, -100, 1000, -1000]),
    ]) {
      const s = t.sigmoid();
      expect(Array.from(s.data).every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
      expect(s.data[0]).toBe(1);
      expect(s.data[1]).toBeLessThan(1e-40);
    }
    expect(f64([-100]).sigmoid().data[0]).toBeCloseTo(Math.exp(-100), 50);
  });

  it('square, reciprocal', () => {
    expectValues(tensor([-3, 0.5, 2]).square(), [9, 0.25, 4]);
    expectValues(tensor([1, 2, 4, -0.5]).reciprocal(), [1, 0.5, 0.25, -2]);
    expectValues(tensor([0]).reciprocal(), [Infinity]);
    expect(int([2, 4]).reciprocal().dtype).toBe('float32');
    expectValues(int([2, 4]).reciprocal(), [0.5, 0.25]);
  });
});

describe('activations', () => {
  const x = tensor([-2, -0.5, 0, 0.5, 2]);

  it('relu', () => {
    expectValues(x.relu(), [0, 0, 0, 0.5, 2]);
  });

  it('leakyRelu (default slope 0.01, or given)', () => {
    expectValues(x.leakyRelu(), [-0.02, -0.005, 0, 0.5, 2]);
    expectValues(x.leakyRelu(0.2), [-0.4, -0.1, 0, 0.5, 2]);
  });

  it('step is 1 only where x > 0 (step(0) = 0)', () => {
    expectValues(x.step(), [0, 0, 0, 1, 1]);
    expectValues(tensor([-0]).step(), [0]);
  });
});

describe('clamp, maximum, minimum', () => {
  it('clamp limits to [min, max], either bound optional; NaN passes through', () => {
    const x = tensor([-2, 0.5, 2, NaN]);
    expectValues(x.clamp(-1, 1), [-1, 0.5, 1, NaN]);
    expectValues(x.clamp(0), [0, 0.5, 2, NaN]);
    expectValues(x.clamp(null, 1), [-2, 0.5, 1, NaN]);
    expectValues(x.clamp(undefined, 0), [-2, 0, 0, NaN]);
    expectTyped(int([-5, 3, 9]).clamp(0, 5), 'int32', [0, 3, 5]);
  });

  it('maximum and minimum, with tensors, numbers and broadcasting', () => {
    const a = tensor([1, 5, 3]);
    const b = tensor([4, 2, 3]);
    expectValues(a.maximum(b), [4, 5, 3]);
    expectValues(a.minimum(b), [1, 2, 3]);
    expectValues(maximum(tensor([-1, 0, 2]), 0), [0, 0, 2]);
    expectValues(minimum(1, tensor([-1, 0, 2])), [-1, 0, 1]);
    expectValues(tensor([[1], [4]]).maximum(tensor([2, 3])), [
      [2, 3],
      [4, 4],
    ]);
  });

  it('maximum and minimum propagate NaN from either side', () => {
    expectValues(tensor([NaN, 1]).maximum(tensor([1, NaN])), [NaN, NaN]);
    expectValues(tensor([NaN, 1]).minimum(tensor([1, NaN])), [NaN, NaN]);
  });
});

describe('comparisons and isfinite', () => {
  const x = tensor([1, 2, 3]);

  it('give int32 0/1 against a number', () => {
    expectTyped(x.eq(2), 'int32', [0, 1, 0]);
    expectTyped(x.ne(2), 'int32', [1, 0, 1]);
    expectTyped(x.lt(2), 'int32', [1, 0, 0]);
    expectTyped(x.le(2), 'int32', [1, 1, 0]);
    expectTyped(x.gt(2), 'int32', [0, 0, 1]);
    expectTyped(x.ge(2), 'int32', [0, 1, 1]);
  });

  it('compare tensors with broadcasting and mixed dtypes', () => {
    expectTyped(tensor([[1], [2], [3]]).lt(tensor([1, 2, 3])), 'int32', [
      [0, 1, 1],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    expectTyped(int([1, 2]).eq(tensor([1, 2.5])), 'int32', [1, 0]);
    expectTyped(tensor([0.1]).eq(0.1), 'int32', [1]);
  });

  it('treat NaN as unequal to everything', () => {
    const n = tensor([NaN]);
    expectTyped(n.eq(n), 'int32', [0]);
    expectTyped(n.ne(n), 'int32', [1]);
    expectTyped(n.lt(0), 'int32', [0]);
    expectTyped(n.ge(0), 'int32', [0]);
  });

  it('isfinite is 0 for NaN and ±Infinity, 1 for every int32', () => {
    expectTyped(tensor([1, Infinity, -Infinity, NaN, 0]).isfinite(), 'int32', [1, 0, 0, 0, 1]);
    expectTyped(int([5, -7]).isfinite(), 'int32', [1, 1]);
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
