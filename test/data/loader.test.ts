import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { randomSplit, Subset, TensorDataset, type Dataset } from '../../src/data/dataset.js';
import { DataLoader } from '../../src/data/loader.js';
import { arange, tensor } from '../../src/tensor/creation.js';
import { Generator } from '../../src/tensor/random.js';
import { manualSeed } from '../../src/tensor/state.js';
import type { Tensor } from '../../src/tensor/tensor.js';

/** x[i] = [2i, 2i + 1], y[i] = i: the label of a row tells where it came from. */
const rows = (n: number): TensorDataset =>
  new TensorDataset(arange(2 * n).reshape(n, 2), arange(n, { dtype: 'int32' }));

/** The labels of every batch of one epoch, checking that each x row belongs to its label. */
function epoch(loader: Iterable<Tensor[]>): number[][] {
  const out: number[][] = [];
  for (const [x, y] of loader) {
    const labels = Array.from(y.data);
    expect(x.shape).toEqual([labels.length, 2]);
    expect(Array.from(x.data)).toEqual(labels.flatMap((i) => [2 * i, 2 * i + 1]));
    out.push(labels);
  }
  return out;
}

describe('DataLoader: batching', () => {
  it('yields the dataset in order, in batches, with a smaller last batch', () => {
    const loader = new DataLoader(rows(7), { batchSize: 3 });
    expect(loader.length).toBe(3);
    expect(epoch(loader)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('drops the last smaller batch with dropLast', () => {
    const loader = new DataLoader(rows(7), { batchSize: 3, dropLast: true });
    expect(loader.length).toBe(2);
    expect(epoch(loader)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it('defaults to batches of one; a batch of the whole dataset is full-batch', () => {
    expect(epoch(new DataLoader(rows(3)))).toEqual([[0], [1], [2]]);
    expect(epoch(new DataLoader(rows(3), { batchSize: 3 }))).toEqual([[0, 1, 2]]);
    expect(epoch(new DataLoader(rows(3), { batchSize: 100 }))).toEqual([[0, 1, 2]]);
  });

  it('counts batches and items right for any size (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        fc.boolean(),
        (n, batchSize, dropLast, shuffle) => {
          fc.pre(!dropLast || batchSize <= n);
          const loader = new DataLoader(rows(n), {
            batchSize,
            dropLast,
            shuffle,
            generator: new Generator(n),
          });
          const batches = epoch(loader);
          expect(batches.length).toBe(loader.length);
          expect(loader.length).toBe(
            dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize),
          );
          batches.forEach((b, i) => {
            if (i < batches.length - 1 || dropLast) expect(b.length).toBe(batchSize);
          });
          const seen = batches.flat();
          expect(new Set(seen).size).toBe(seen.length);
          expect(seen.length).toBe(dropLast ? batches.length * batchSize : n);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it('takes TensorDataset batches with indexSelect, not item by item', () => {
    const ds = rows(10);
    const get = vi.spyOn(ds, 'get');
    const x = new DataLoader(ds, { batchSize: 4, shuffle: true })[Symbol.iterator]().next().value;
    expect(get).not.toHaveBeenCalled();
    expect(x?.[1].dtype).toBe('int32');
    expect(x?.[1].shape).toEqual([4]);
  });

  it('takes subsets of a TensorDataset on the fast path too', () => {
    const ds = rows(10);
    const get = vi.spyOn(ds, 'get');
    const sub = new Subset(new Subset(ds, [9, 8, 7, 6, 5]), [4, 0, 2]);
    expect(epoch(new DataLoader(sub, { batchSize: 2 }))).toEqual([[5, 9], [7]]);
    const [train] = randomSplit(ds, [6, 4], { generator: new Generator(0) });
    expect(epoch(new DataLoader(train, { batchSize: 6 }))[0]).toEqual(
      Array.from({ length: 6 }, (_, i) => train.indices[i]),
    );
    expect(get).not.toHaveBeenCalled();
  });
});

describe('DataLoader: shuffling', () => {
  const shuffled = (seed: number): DataLoader =>
    new DataLoader(rows(20), { batchSize: 6, shuffle: true, generator: new Generator(seed) });

  it('gives the same batches for the same seed', () => {
    const a = shuffled(3);
    const b = shuffled(3);
    expect(epoch(a)).toEqual(epoch(b));
    expect(epoch(a)).toEqual(epoch(b));
    expect(epoch(shuffled(3))).not.toEqual(epoch(shuffled(4)));
  });

  it('draws a fresh permutation of all items every epoch', () => {
    const loader = shuffled(1);
    const first = epoch(loader).flat();
    const second = epoch(loader).flat();
    expect(first).not.toEqual(second);
    const all = Array.from({ length: 20 }, (_, i) => i);
    expect([...first].sort((a, b) => a - b)).toEqual(all);
    expect([...second].sort((a, b) => a - b)).toEqual(all);
  });

  it('draws the order when the epoch starts, not when the first batch is read', () => {
    const g = new Generator(5);
    const loader = new DataLoader(rows(10), { batchSize: 10, shuffle: true, generator: g });
    const it1 = loader[Symbol.iterator]();
    g.manualSeed(5);
    const it2 = loader[Symbol.iterator]();
    expect(Array.from(it2.next().value?.[1].data ?? [])).toEqual(
      Array.from(it1.next().value?.[1].data ?? []),
    );
  });

  it('uses the default generator, so manualSeed repeats the run', () => {
    manualSeed(21);
    const a = epoch(new DataLoader(rows(12), { batchSize: 5, shuffle: true }));
    manualSeed(21);
    const b = epoch(new DataLoader(rows(12), { batchSize: 5, shuffle: true }));
    expect(a).toEqual(b);
  });
});

describe('DataLoader: other datasets', () => {
  it('stacks tensors and batches numbers (int32 for integers, float32 otherwise)', () => {
    const ds: Dataset<[Tensor, number, number]> = {
      length: 5,
      get: (i) => [tensor([i, -i]), i % 2, i / 2],
    };
    const batches = [...new DataLoader(ds, { batchSize: 2 })];
    expect(batches).toHaveLength(3);
    const [x, label, half] = batches[1];
    expect(x.toArray()).toEqual([
      [2, -2],
      [3, -3],
    ]);
    expect(label.dtype).toBe('int32');
    expect(Array.from(label.data)).toEqual([0, 1]);
    expect(half.dtype).toBe('float32');
    expect(Array.from(half.data)).toEqual([1, 1.5]);
  });

  it('batches datasets of single tensors', () => {
    const ds: Dataset<Tensor> = { length: 3, get: (i) => tensor([i]) };
    const [[x]] = [...new DataLoader(ds, { batchSize: 3 })];
    expect(x.toArray()).toEqual([[0], [1], [2]]);
  });

  it('uses a collate function when given one', () => {
    const ds: Dataset<string> = { length: 4, get: (i) => 'abcd'[i] };
    const loader = new DataLoader(ds, {
      batchSize: 2,
      collate: (items) => [tensor(items.map((c) => c.charCodeAt(0)))],
    });
    expect([...loader].map(([t]) => Array.from(t.data))).toEqual([
      [97, 98],
      [99, 100],
    ]);
  });

  it('says what it cannot batch', () => {
    const ds: Dataset<unknown> = { length: 2, get: () => ({ a: 1 }) };
    expect(() => [...new DataLoader(ds, { batchSize: 2 })]).toThrow(
      /cannot batch items like an object.*give a collate function/,
    );
    const mixed: Dataset<unknown[]> = { length: 2, get: (i) => [i === 0 ? 1 : tensor(1)] };
    expect(() => [...new DataLoader(mixed, { batchSize: 2 })]).toThrow(
      /cannot batch element 0 of the items: tensors mixed with numbers/,
    );
  });
});

describe('DataLoader: errors', () => {
  it('refuses a batchSize that is not an integer ≥ 1', () => {
    expect(() => new DataLoader(rows(3), { batchSize: 0 })).toThrow(
      'DataLoader: batchSize must be an integer ≥ 1, got 0',
    );
    expect(() => new DataLoader(rows(3), { batchSize: 1.5 })).toThrow(/got 1.5/);
    expect(() => new DataLoader(rows(3), { batchSize: '2' as never })).toThrow(/got "2"/);
  });

  it('refuses an empty dataset and a dropLast that leaves nothing', () => {
    const empty = new TensorDataset(arange(0));
    expect(() => new DataLoader(empty)).toThrow(/the dataset is empty/);
    expect(() => new DataLoader(rows(5), { batchSize: 8, dropLast: true })).toThrow(
      'DataLoader: batchSize 8 with dropLast leaves no batch from a dataset of 5 items; use a smaller batchSize or dropLast: false',
    );
  });

  it('refuses things that are not datasets and options of the wrong type', () => {
    expect(() => new DataLoader([1, 2] as never)).toThrow(/expected a dataset/);
    expect(() => new DataLoader(rows(2), { shuffle: 1 as never })).toThrow(/shuffle must be/);
  });
});
