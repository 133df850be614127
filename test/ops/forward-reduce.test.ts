import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arange,
  argmax,
  argmin,
  logSoftmax,
  logsumexp,
  max,
  mean,
  min,
  scalar,
  softmax,
  sum,
  tensor,
  zeros,
  type Tensor,
} from '../../src/index.js';
import { expectExact, expectValues, type Nested } from '../helpers.js';

// Forward values of the reductions: sum, mean, max, min, argmax, argmin, logsumexp, softmax and
// logSoftmax.

/** Checks int32 dtype, shape and exact values. */
const expectInt = (t: Tensor, expected: Nested): void => expectExact(t, expected, 'int32');

/** [[1,2,3],[4,5,6]]. */
const m = (): Tensor =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
/** [2,3,4] holding 0…23. */
const cube = (): Tensor => arange(24).reshape(2, 3, 4);
/** Sum of 0…23 over the given axes, by hand. */
function cubeSum(keep: (i: number, j: number, k: number) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 3; j++)
      for (let k = 0; k < 4; k++) {
        const key = keep(i, j, k);
        out.set(key, (out.get(key) ?? 0) + i * 12 + j * 4 + k);
      }
  return out;
}

describe('sum', () => {
  it('over all elements gives a 0-d tensor', () => {
    const s = m().sum();
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(21);
    expect(sum(scalar(4)).item()).toBe(4);
    expect(tensor([]).sum().item()).toBe(0);
  });

  it('over one axis, negative axes, keepdims', () => {
    expectValues(m().sum(0), [5, 7, 9]);
    expectValues(m().sum(1), [6, 15]);
    expectValues(m().sum(-1), [6, 15]);
    expectValues(m().sum(-2), [5, 7, 9]);
    expectValues(m().sum(0, true), [[5, 7, 9]]);
    expectValues(m().sum(1, true), [[6], [15]]);
  });

  it('over several axes', () => {
    expectValues(m().sum([0, 1]), 21);
    expectValues(m().sum([0, 1], true), [[21]]);
    const s02 = cubeSum((_i, j) => `${j}`);
    expectValues(
      cube().sum([0, 2]),
      [0, 1, 2].map((j) => s02.get(`${j}`) as number),
    );
    expectValues(
      cube().sum([-1, 0]),
      [0, 1, 2].map((j) => s02.get(`${j}`) as number),
    );
    const s1 = cubeSum((i, _j, k) => `${i},${k}`);
    expectValues(
      cube().sum(1, true),
      [0, 1].map((i) => [[0, 1, 2, 3].map((k) => s1.get(`${i},${k}`) as number)]),
    );
  });

  it('keeps int32, and sums float32 accurately', () => {
    const s = tensor([1, 2, 3], { dtype: 'int32' }).sum();
    expect(s.dtype).toBe('int32');
    expect(s.item()).toBe(6);
    expect(tensor(new Array(10_000).fill(0.1)).sum().item()).toBeCloseTo(1000, 1);
  });
});

describe('mean', () => {
  it('over all, one axis, several axes, keepdims', () => {
    expect(m().mean().item()).toBeCloseTo(3.5, 6);
    expectValues(m().mean(0), [2.5, 3.5, 4.5]);
    expectValues(m().mean(1, true), [[2], [5]]);
    expectValues(m().mean(-1), [2, 5]);
    const s02 = cubeSum((_i, j) => `${j}`);
    expectValues(
      cube().mean([0, 2]),
      [0, 1, 2].map((j) => (s02.get(`${j}`) as number) / 8),
    );
  });

  it('of int32 gives float32', () => {
    const t = mean(tensor([1, 2], { dtype: 'int32' }));
    expect(t.dtype).toBe('float32');
    expect(t.item()).toBe(1.5);
  });
});

describe('max and min', () => {
  const x = tensor([
    [3, -1, 7],
    [2, 9, -4],
  ]);

  it('over all, one axis, several axes, negative axes, keepdims', () => {
    expect(x.max().item()).toBe(9);
    expect(x.min().item()).toBe(-4);
    expectValues(x.max(0), [3, 9, 7]);
    expectValues(x.min(0), [2, -1, -4]);
    expectValues(x.max(1), [7, 9]);
    expectValues(min(x, -1), [-1, -4]);
    expectValues(max(x, 1, true), [[7], [9]]);
    expectValues(x.min([0, 1], true), [[-4]]);
    expectValues(cube().max([0, 2]), [15, 19, 23]);
    expectValues(cube().min([-1, -3]), [0, 4, 8]);
  });

  it('of a 0-d tensor is itself; NaN propagates', () => {
    expect(scalar(5).max().item()).toBe(5);
    expect(tensor([1, NaN, 3]).max().item()).toBeNaN();
    expect(tensor([1, NaN, 3]).min().item()).toBeNaN();
  });

  it('keep the dtype', () => {
    const t = tensor([3, 1, 2], { dtype: 'int32' });
    expect(t.max().dtype).toBe('int32');
    expect(t.max().item()).toBe(3);
  });
});

describe('argmax and argmin', () => {
  const x = tensor([
    [1, 5, 5],
    [2, 0, 5],
  ]);

  it('over the flattened tensor (first index on ties)', () => {
    expectInt(x.argmax(), 1);
    expectInt(x.argmin(), 4);
    expectInt(argmax(tensor([7, 7, 7])), 0);
    expectInt(argmin(tensor([7, 7, 7])), 0);
    expectInt(x.argmax(undefined, true), [[1]]);
  });

  it('along an axis, negative axes, keepdims (first index on ties)', () => {
    expectInt(x.argmax(1), [1, 2]);
    expectInt(x.argmax(0), [1, 0, 0]);
    expectInt(x.argmin(0), [0, 1, 0]);
    expectInt(x.argmin(-1), [0, 1]);
    expectInt(x.argmax(0, true), [[1, 0, 0]]);
    expectInt(x.argmax(1, true), [[1], [2]]);
    expectInt(scalar(3).argmax(), 0);
  });
});

describe('logsumexp', () => {
  it('matches log Σ exp on small values', () => {
    expectValues(tensor([1, 2, 3]).logsumexp(), Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)));
    expectValues(
      tensor([
        [1, 2],
        [3, 4],
      ]).logsumexp(1),
      [2 + Math.log1p(Math.exp(-1)), 4 + Math.log1p(Math.exp(-1))],
    );
    expectValues(
      tensor([
        [1, 2],
        [3, 4],
      ]).logsumexp(0, true),
      [[3 + Math.log1p(Math.exp(-2)), 4 + Math.log1p(Math.exp(-2))]],
    );
    expectValues(logsumexp(tensor([0, 0, 0, 0]), [0]), Math.log(4));
  });

  it('stays finite for large values', () => {
    expectValues(tensor([1000, 1000]).logsumexp(), 1000 + Math.LN2);
    expectValues(tensor([-1000, -1000]).logsumexp(), -1000 + Math.LN2);
    expectValues(tensor([1000, 0, -1000]).logsumexp(), 1000);
    expectValues(
      tensor([[1e4, 1e4 - 1]], { dtype: 'float64' }).logsumexp(-1),
      [1e4 + Math.log1p(Math.exp(-1))],
      1e-14,
    );
  });

  it('is -Infinity when every element is -Infinity, +Infinity when one is +Infinity', () => {
    expectValues(tensor([-Infinity, -Infinity]).logsumexp(), -Infinity);
    expectValues(
      tensor([
        [-Infinity, -Infinity],
        [0, -Infinity],
      ]).logsumexp(1),
      [-Infinity, 0],
    );
    expectValues(tensor([Infinity, 0]).logsumexp(), Infinity);
  });
});

describe('reductions over an empty dimension', () => {
  it('logsumexp of nothing is -Infinity, as log(0) (PyTorch agrees)', () => {
    expectValues(zeros([2, 0]).logsumexp(1), [-Infinity, -Infinity]);
    expectValues(logsumexp(zeros([0]), 0), -Infinity);
  });

  it('softmax and logSoftmax of an empty row are empty', () => {
    expect(zeros([2, 0]).softmax().shape).toEqual([2, 0]);
    expect(zeros([2, 0]).logSoftmax(-1).shape).toEqual([2, 0]);
  });
});

describe('softmax and logSoftmax', () => {
  it('of a 0-d tensor: softmax 1, logSoftmax 0, and the axis is checked', () => {
    expectValues(scalar(3.5).softmax(), 1);
    expectValues(scalar(-2).logSoftmax(), 0);
    expectValues(softmax(scalar(7), 0), 1);
    expect(() => softmax(scalar(7), 1)).toThrow(/^softmax: axis 1 is out of range/);
    expect(() => scalar(7).logSoftmax(2)).toThrow(/^logSoftmax: axis 2 is out of range/);
  });

  it('softmax values, rows summing to 1', () => {
    const e = [1, 2, 3].map(Math.exp);
    const z = e[0] + e[1] + e[2];
    expectValues(
      tensor([1, 2, 3]).softmax(),
      e.map((v) => v / z),
    );
    const s = tensor([
      [1, 2, 3],
      [0, 0, 0],
    ]).softmax();
    expectValues(s.sum(-1), [1, 1]);
    expectValues(s.get(1), [1 / 3, 1 / 3, 1 / 3]);
    expectValues(
      softmax(
        tensor([
          [1, 3],
          [1, 1],
        ]),
        0,
      ).sum(0),
      [1, 1],
    );
    expectValues(
      softmax(
        tensor([
          [0, 0],
          [0, Math.log(3)],
        ]),
        0,
      ),
      [
        [0.5, 0.25],
        [0.5, 0.75],
      ],
    );
  });

  it('logSoftmax exponentiates to rows summing to 1', () => {
    const l = tensor([
      [1, 2, 3],
      [-1, 0, 5],
    ]).logSoftmax();
    expectValues(l.exp().sum(1), [1, 1]);
    expectValues(
      l.get(0),
      [1, 2, 3].map((v) => v - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))),
    );
    expectValues(
      logSoftmax(
        tensor([
          [0, 0],
          [0, 0],
        ]),
        0,
      ),
      [
        [-Math.LN2, -Math.LN2],
        [-Math.LN2, -Math.LN2],
      ],
    );
  });

  it('is stable at logits of ±1000', () => {
    const s = tensor([1000, 0, -1000]).softmax();
    expectValues(s, [1, 0, 0]);
    expectValues(tensor([1000, 1000]).softmax(), [0.5, 0.5]);
    expectValues(tensor([-1000, -1000, -1000, -1000]).softmax(), [0.25, 0.25, 0.25, 0.25]);
    const l = tensor([1000, 1000, -1000]).logSoftmax();
    expectValues(l, [-Math.LN2, -Math.LN2, -2000 - Math.LN2]);
    expect(Array.from(l.data).every(Number.isFinite)).toBe(true);
  });

  it('int32 input gives float32 probabilities', () => {
    const s = tensor([0, 0], { dtype: 'int32' }).softmax();
    expect(s.dtype).toBe('float32');
    expectValues(s, [0.5, 0.5]);
  });

  it('rows sum to 1 for random logits', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 4, maxLength: 4 }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        (rows) => {
          const x = tensor(rows, { dtype: 'float64' });
          expectValues(
            x.softmax().sum(-1),
            rows.map(() => 1),
            1e-12,
          );
          expectValues(
            x.logSoftmax().exp().sum(1),
            rows.map(() => 1),
            1e-12,
          );
          const s = Array.from(x.softmax().data);
          expect(s.every((v) => v >= 0 && v <= 1)).toBe(true);
        },
      ),
      { seed: 42 },
    );
  });
});
