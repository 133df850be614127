import { describe, expect, it } from 'vitest';
import {
  Generator,
  arange,
  eye,
  full,
  fullLike,
  linspace,
  manualSeed,
  ones,
  onesLike,
  rand,
  randint,
  randn,
  scalar,
  tensor,
  zeros,
  zerosLike,
} from '../../src/index.js';
import { expectValues, sampleStats } from '../helpers.js';

describe('tensor(): from nested arrays, numbers and typed arrays', () => {
  it('reads nested arrays row-major and infers the shape, float32 by default', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rounds to float32 by default and keeps full precision for float64', () => {
    expect(tensor([0.1]).data[0]).toBe(Math.fround(0.1));
    expect(tensor([0.1], { dtype: 'float64' }).data[0]).toBe(0.1);
  });

  it('makes a 0-d tensor from a number and reads booleans as 1 and 0', () => {
    const s = tensor(2.5);
    expect(s.shape).toEqual([]);
    expect(s.ndim).toBe(0);
    expect(s.item()).toBe(2.5);
    expectValues(tensor([true, false, true]), [1, 0, 1]);
  });

  it('gives empty arrays the shapes [0] and [2, 0]', () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(tensor([]).size).toBe(0);
  });

  it('keeps the dtype of a typed array and copies it', () => {
    const src64 = Float64Array.of(1.5, -2.25);
    const t64 = tensor(src64);
    expect(t64.dtype).toBe('float64');
    src64[0] = 100;
    expect(Array.from(t64.data)).toEqual([1.5, -2.25]);
    expect(t64.data).not.toBe(src64);

    const t32 = tensor(Int32Array.of(3, -4));
    expect(t32.dtype).toBe('int32');
    expect(Array.from(t32.data)).toEqual([3, -4]);
    expect(tensor(Float32Array.of(1, 2)).dtype).toBe('float32');
  });

  it('reads a Uint8Array as uint8, other numeric typed arrays as float32', () => {
    const t = tensor(Uint8Array.of(1, 2, 255));
    expect(t.dtype).toBe('uint8');
    expectValues(t, [1, 2, 255]);
    const u16 = tensor(Uint16Array.of(1, 2, 65535));
    expect(u16.dtype).toBe('float32');
    expectValues(u16, [1, 2, 65535]);
  });

  it('converts to a requested dtype (int32 truncates toward zero)', () => {
    expect(Array.from(tensor([1.7, -1.7, 2], { dtype: 'int32' }).data)).toEqual([1, -1, 2]);
    expect(Array.from(tensor(Float64Array.of(2.9, -0.5), { dtype: 'int32' }).data)).toEqual([2, 0]);
    expect(tensor(Int32Array.of(1, 2), { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('copies a Tensor given as data', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor(a);
    expect(b.data).not.toBe(a.data);
    expect(b.requiresGrad).toBe(false);
    expectValues(b, [1, 2, 3]);
    expect(tensor(a, { dtype: 'int32' }).dtype).toBe('int32');
  });

  it('gives flat data the { shape } asked for', () => {
    const t = tensor(Float64Array.of(1, 2, 3, 4, 5, 6), { shape: [2, 3] });
    expect(t.dtype).toBe('float64');
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(tensor([1, 2, 3, 4], { shape: [2, 2] }).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { shape: [4] },
      ).shape,
    ).toEqual([4]);
    expect(tensor([7], { shape: [] }).shape).toEqual([]);
  });

  it('takes requiresGrad and name options', () => {
    const t = tensor([1, 2], { requiresGrad: true, name: 'w' });
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
    expect(t.name).toBe('w');
    expect(tensor([1, 2]).requiresGrad).toBe(false);
  });
});

describe('scalar, zeros, ones, full and the *Like functions', () => {
  it('scalar() makes a 0-d tensor', () => {
    const s = scalar(3);
    expect(s.shape).toEqual([]);
    expect(s.dtype).toBe('float32');
    expect(s.item()).toBe(3);
    expect(scalar(-2, { dtype: 'int32' }).dtype).toBe('int32');
  });

  it('zeros/ones/full take a shape list or a single size', () => {
    expectValues(zeros([2, 3]), [
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expectValues(zeros(3), [0, 0, 0]);
    expectValues(ones([2, 2]), [
      [1, 1],
      [1, 1],
    ]);
    expectValues(ones(2), [1, 1]);
    expectValues(full([2, 2], 7), [
      [7, 7],
      [7, 7],
    ]);
    expectValues(full(3, -0.5), [-0.5, -0.5, -0.5]);
    expectValues(full([2], 0), [0, 0]);
  });

  it('zeros/ones/full take a dtype and handle 0-d and empty shapes', () => {
    const z = zeros([2], { dtype: 'int32' });
    expect(z.dtype).toBe('int32');
    expect(ones([3], { dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
    expect(Array.from(full([2], 2.7, { dtype: 'int32' }).data)).toEqual([2, 2]);
    expect(zeros([]).shape).toEqual([]);
    expect(zeros([]).item()).toBe(0);
    expect(ones([]).item()).toBe(1);
    expect(zeros([2, 0]).size).toBe(0);
    expect(zeros([2, 0]).shape).toEqual([2, 0]);
  });

  it('*Like copy the shape and dtype, not the values or requiresGrad', () => {
    const like = tensor([[1, 2, 3]], { dtype: 'float64', requiresGrad: true });
    const z = zerosLike(like);
    expect(z.shape).toEqual([1, 3]);
    expect(z.dtype).toBe('float64');
    expect(z.requiresGrad).toBe(false);
    expectValues(z, [[0, 0, 0]]);
    expectValues(onesLike(like), [[1, 1, 1]]);
    expectValues(fullLike(like, 4), [[4, 4, 4]]);
    expect(fullLike(like, 4).dtype).toBe('float64');
  });

  it('*Like keep the dtype of `like` when options.dtype is undefined', () => {
    const like = tensor([1, 2], { dtype: 'int32' });
    expect(zerosLike(like, { dtype: undefined }).dtype).toBe('int32');
    expect(onesLike(like, { dtype: undefined }).dtype).toBe('int32');
    expect(fullLike(like, 3, { dtype: undefined }).dtype).toBe('int32');
  });

  it('*Like accept a dtype override', () => {
    const like = tensor([1, 2], { dtype: 'int32' });
    expect(zerosLike(like).dtype).toBe('int32');
    expect(onesLike(like, { dtype: 'float32' }).dtype).toBe('float32');
    expect(fullLike(like, 0.5, { dtype: 'float64' }).data[0]).toBe(0.5);
  });
});

describe('rand, randn, randint', () => {
  it('repeat exactly after manualSeed', () => {
    manualSeed(7);
    const a = [rand([5]), randn([5]), randint(0, 100, [5])];
    manualSeed(7);
    const b = [rand([5]), randn([5]), randint(0, 100, [5])];
    a.forEach((t, i) => expect(Array.from(b[i].data)).toEqual(Array.from(t.data)));
    manualSeed(8);
    expect(Array.from(rand([5]).data)).not.toEqual(Array.from(a[0].data));
  });

  it('repeat exactly with an explicit Generator, without touching the default one', () => {
    const a = rand([6], { generator: new Generator(123) });
    const b = rand([6], { generator: new Generator(123) });
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(Array.from(randn([4], { generator: new Generator(5) }).data)).toEqual(
      Array.from(randn([4], { generator: new Generator(5) }).data),
    );
    expect(Array.from(randint(0, 9, [4], { generator: new Generator(5) }).data)).toEqual(
      Array.from(randint(0, 9, [4], { generator: new Generator(5) }).data),
    );

    manualSeed(1);
    const first = Array.from(rand([3]).data);
    manualSeed(1);
    rand([3], { generator: new Generator(99) });
    randn([3], { generator: new Generator(99) });
    expect(Array.from(rand([3]).data)).toEqual(first);
  });

  it('rand draws in [0, 1) with mean 1/2 and std 1/sqrt(12) over 10k draws', () => {
    manualSeed(42);
    const t = rand([100, 100]);
    expect(t.shape).toEqual([100, 100]);
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.data).every((v) => v >= 0 && v < 1)).toBe(true);
    const { mean, std } = sampleStats(t.data);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(std - 1 / Math.sqrt(12))).toBeLessThan(0.01);
  });

  it('rand draws in [low, high) and in float64 when asked', () => {
    manualSeed(42);
    const t = rand([10_000], { low: -3, high: -1, dtype: 'float64' });
    expect(t.dtype).toBe('float64');
    expect(Array.from(t.data).every((v) => v >= -3 && v < -1)).toBe(true);
    expect(Math.abs(sampleStats(t.data).mean + 2)).toBeLessThan(0.03);
  });

  it('randn has mean 0 and std 1 (or the given ones) over 10k draws', () => {
    manualSeed(42);
    const z = sampleStats(randn([10_000]).data);
    expect(Math.abs(z.mean)).toBeLessThan(0.04);
    expect(Math.abs(z.std - 1)).toBeLessThan(0.03);
    const t = randn([10_000], { mean: 5, std: 2, dtype: 'float64' });
    expect(t.dtype).toBe('float64');
    const s = sampleStats(t.data);
    expect(Math.abs(s.mean - 5)).toBeLessThan(0.08);
    expect(Math.abs(s.std - 2)).toBeLessThan(0.06);
  });

  it('randint draws int32 integers in [low, high), every value appearing', () => {
    manualSeed(42);
    const t = randint(0, 10, [10_000]);
    expect(t.dtype).toBe('int32');
    const counts = new Array<number>(10).fill(0);
    for (const v of t.data) counts[v]++;
    expect(counts.every((c) => c > 800 && c < 1200)).toBe(true);
    expect(Math.abs(sampleStats(t.data).mean - 4.5)).toBeLessThan(0.1);
    const neg = randint(-3, 3, 200);
    expect(neg.shape).toEqual([200]);
    expect(Array.from(neg.data).every((v) => Number.isInteger(v) && v >= -3 && v < 3)).toBe(true);
    expect(randint(0, 2, [3], { dtype: 'float32' }).dtype).toBe('float32');
  });
});

describe('arange, linspace, eye', () => {
  it('arange with 1, 2 and 3 numbers', () => {
    expectValues(arange(5), [0, 1, 2, 3, 4]);
    expect(arange(5).dtype).toBe('float32');
    expectValues(arange(2, 6), [2, 3, 4, 5]);
    expectValues(arange(1, 2, 0.25), [1, 1.25, 1.5, 1.75]);
    expectValues(arange(5, 1, -1), [5, 4, 3, 2]);
    expectValues(arange(0, 0.3, 0.1), [0, 0.1, 0.2]);
    expect(arange(3, 3).shape).toEqual([0]);
    expect(arange(3, 1).shape).toEqual([0]);
  });

  it('arange takes its options object in any position', () => {
    const a = arange(4, { dtype: 'int32' });
    expect(a.dtype).toBe('int32');
    expect(Array.from(a.data)).toEqual([0, 1, 2, 3]);
    const b = arange(1, 4, { dtype: 'float64' });
    expect(b.dtype).toBe('float64');
    expect(Array.from(b.data)).toEqual([1, 2, 3]);
    const c = arange(0, 10, 3, { dtype: 'int32' });
    expect(c.dtype).toBe('int32');
    expect(Array.from(c.data)).toEqual([0, 3, 6, 9]);
    expect(arange(3, { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('linspace includes both endpoints exactly', () => {
    expectValues(linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
    const t = linspace(-1.3, 2.7, 7);
    expect(t.data[0]).toBe(Math.fround(-1.3));
    expect(t.data[6]).toBe(Math.fround(2.7));
    const d = linspace(0.1, 0.7, 13, { dtype: 'float64' });
    expect(d.data[0]).toBe(0.1);
    expect(d.data[12]).toBe(0.7);
    expectValues(linspace(3, -3, 4), [3, 1, -1, -3]);
    expectValues(linspace(2, 2, 3), [2, 2, 2]);
    expect(linspace(0, 1, 0).shape).toEqual([0]);
  });

  it('linspace with one step gives the start, as PyTorch and NumPy do', () => {
    expectValues(linspace(0, 1, 1), [0]);
    expectValues(linspace(-5, 5, 1), [-5]);
  });

  it('eye(n) and eye(n, m)', () => {
    expectValues(eye(3), [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expectValues(eye(2, 3), [
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expectValues(eye(3, 2), [
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    const i = eye(2, { dtype: 'int32' });
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.data)).toEqual([1, 0, 0, 1]);
    expect(eye(2, 3, { dtype: 'float64' }).dtype).toBe('float64');
    expect(eye(0).shape).toEqual([0, 0]);
  });
});

describe('Tensor properties and conversions', () => {
  it('shape, size, ndim, dtype, numel(), dim()', () => {
    const t = zeros([2, 3, 4], { dtype: 'float64' });
    expect(t.shape).toEqual([2, 3, 4]);
    expect(t.size).toBe(24);
    expect(t.numel()).toBe(24);
    expect(t.ndim).toBe(3);
    expect(t.dim()).toBe(3);
    expect(t.dtype).toBe('float64');
    const s = scalar(1);
    expect([s.size, s.numel(), s.ndim, s.dim()]).toEqual([1, 1, 0, 0]);
  });

  it('item() reads the one element of a 0-d or one-element tensor', () => {
    expect(scalar(2.5).item()).toBe(2.5);
    expect(tensor([[7]]).item()).toBe(7);
    expect(tensor([-3], { dtype: 'int32' }).item()).toBe(-3);
  });

  it('item() on more than one element names the shape', () => {
    expect(() => tensor([1, 2, 3]).item()).toThrow(
      /item: only a tensor with exactly one element has an item; this one has shape \[3\] \(3 elements\)/,
    );
    expect(() => zeros([0]).item()).toThrow(/item: .*shape \[0\] \(0 elements\)/);
  });

  it('toArray() gives nested arrays, a number for 0-d', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).toArray(),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(scalar(5).toArray()).toBe(5);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
    expect(tensor([1.5], { dtype: 'float64' }).toArray()).toEqual([1.5]);
  });

  it('toString() prints like PyTorch, with dtype / requiresGrad / gradFn suffixes', () => {
    expect(tensor([1, 2, 3]).toString()).toBe('tensor([1., 2., 3.])');
    expect(scalar(2.5).toString()).toBe('tensor(2.5000)');
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).toString(),
    ).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(tensor([1, 2, 3], { dtype: 'int32' }).toString()).toBe('tensor([1, 2, 3], dtype=int32)');
    expect(tensor([0.5, 1.5], { dtype: 'float64' }).toString()).toBe(
      'tensor([0.5000, 1.5000], dtype=float64)',
    );
    const x = tensor([1, 2], { requiresGrad: true });
    expect(x.toString()).toBe('tensor([1., 2.], requiresGrad=true)');
    expect(x.mul(2).toString()).toBe('tensor([2., 4.], gradFn=<MulBackward>)');
    expect(String(tensor([1, 2]))).toBe('tensor([1., 2.])');
  });
});
