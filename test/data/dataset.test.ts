import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomSplit, Subset, TensorDataset, type Dataset } from '../../src/data/dataset.js';
import { arange, tensor, zeros } from '../../src/tensor/creation.js';
import { Generator } from '../../src/tensor/random.js';
import { manualSeed } from '../../src/tensor/state.js';
import { expectExact } from '../helpers.js';

const rows = (n: number): TensorDataset =>
  new TensorDataset(arange(2 * n).reshape(n, 2), arange(n, { dtype: 'int32' }));

/** A dataset whose items are their own positions, to see which items a split took. */
const identity = (n: number): Dataset<number> => ({ length: n, get: (i) => i });

const items = <T>(d: Dataset<T>): T[] => Array.from({ length: d.length }, (_, i) => d.get(i));

describe('TensorDataset', () => {
  it('returns the i-th row of every tensor', () => {
    const ds = rows(4);
    expect(ds.length).toBe(4);
    expect(ds.tensors).toHaveLength(2);
    const [x, y] = ds.get(2);
    expectExact(x, [4, 5], 'float32');
    expectExact(y, 2, 'int32');
  });

  it('refuses tensors whose first dimensions differ, naming the shapes', () => {
    expect(() => new TensorDataset(zeros([5, 2]), zeros([3]))).toThrow(
      /same size in dimension 0, got shapes \[5,2\], \[3\]/,
    );
  });

  it('refuses no tensors, 0-d tensors and non-tensors', () => {
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
    expect(() => new TensorDataset(tensor(1))).toThrow(/tensor 0 is 0-d/);
    expect(() => new TensorDataset([1, 2] as never)).toThrow(/argument 0 is not a Tensor/);
  });

  it('refuses an index out of range', () => {
    expect(() => rows(3).get(3)).toThrow(
      'TensorDataset.get: index 3 is out of range for a dataset of 3 items (valid: 0 to 2)',
    );
    expect(() => rows(3).get(-1)).toThrow(/index -1 is out of range/);
    expect(() => rows(3).get(1.5)).toThrow(/index 1.5 is out of range/);
  });

  it('allows an empty dataset', () => {
    const ds = new TensorDataset(zeros([0, 3]));
    expect(ds.length).toBe(0);
    expect(() => ds.get(0)).toThrow(/out of range for a dataset of 0 items$/);
  });
});

describe('Subset', () => {
  it('reads the given positions in order', () => {
    const sub = new Subset(identity(10), [7, 2, 2, 9]);
    expect(sub.length).toBe(4);
    expect(items(sub)).toEqual([7, 2, 2, 9]);
  });

  it('refuses indices outside the dataset', () => {
    expect(() => new Subset(identity(3), [0, 3])).toThrow(
      'Subset: indices[1] is 3, not an integer in [0, 3) for a dataset of 3 items',
    );
    expect(() => new Subset(identity(3), [0.5])).toThrow(/indices\[0\] is 0.5/);
    expect(() => new Subset({} as never, [0])).toThrow(/expected a dataset/);
  });
});

describe('randomSplit', () => {
  it('splits by counts into disjoint parts covering the dataset', () => {
    const parts = randomSplit(identity(10), [3, 7], { generator: new Generator(1) });
    expect(parts.map((p) => p.length)).toEqual([3, 7]);
    expect([...items(parts[0]), ...items(parts[1])].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, i) => i),
    );
  });

  it('turns fractions into counts as PyTorch does', () => {
    const sizes = (n: number, fractions: number[]): number[] =>
      randomSplit(identity(n), fractions, { generator: new Generator(0) }).map((p) => p.length);
    expect(sizes(10, [0.3, 0.3, 0.4])).toEqual([3, 3, 4]);
    expect(sizes(11, [0.8, 0.2])).toEqual([9, 2]);
    expect(sizes(7, [1 / 3, 1 / 3, 1 / 3])).toEqual([3, 2, 2]);
    expect(sizes(1, [0.5, 0.5])).toEqual([1, 0]);
    expect(sizes(0, [0.5, 0.5])).toEqual([0, 0]);
  });

  it('is determined by the generator', () => {
    const split = (seed: number): number[][] =>
      randomSplit(identity(50), [0.5, 0.5], { generator: new Generator(seed) }).map(items);
    expect(split(4)).toEqual(split(4));
    expect(split(4)).not.toEqual(split(5));
  });

  it('draws from the default generator unless given one', () => {
    manualSeed(12);
    const a = randomSplit(identity(20), [10, 10]).map(items);
    manualSeed(12);
    const b = randomSplit(identity(20), [10, 10]).map(items);
    expect(a).toEqual(b);
  });

  it('partitions any dataset for any counts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 5 }),
        fc.integer(),
        (counts, seed) => {
          const n = counts.reduce((a, b) => a + b, 0);
          const parts = randomSplit(identity(n), counts, { generator: new Generator(seed) });
          expect(parts.map((p) => p.length)).toEqual(counts);
          const all = parts.flatMap(items).sort((a, b) => a - b);
          expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  it('refuses lengths that are neither counts nor fractions of the dataset', () => {
    expect(() => randomSplit(identity(100), [50, 40])).toThrow(
      'randomSplit: lengths [50, 40] sum to 90, but the dataset has 100 items; give counts that sum to 100 or fractions that sum to 1',
    );
    expect(() => randomSplit(identity(10), [0.5, 0.6])).toThrow(/sum to 1.1/);
    expect(() => randomSplit(identity(10), [-1, 11])).toThrow(/lengths\[0\] is -1/);
    expect(() => randomSplit(identity(10), [])).toThrow(/non-empty list/);
  });

  it('keeps the TensorDataset rows reachable through the subsets', () => {
    const [a] = randomSplit(rows(6), [2, 4], { generator: new Generator(3) });
    const [x, y] = a.get(0);
    expect(Array.from(x.data)).toEqual([2 * y.item(), 2 * y.item() + 1]);
  });
});
