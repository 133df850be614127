import { indexSelect, stack } from '../ops/index.js';
import { fail, formatValue, kindOf } from '../tensor/check.js';
import type { Generator } from '../tensor/random.js';
import { engine } from '../tensor/state.js';
import { Tensor } from '../tensor/tensor.js';
import { checkDataset, tensorRows, type Dataset } from './dataset.js';
import { integerAtLeast } from './options.js';
import { permutation } from './permutation.js';

/** What the default collation can batch: a tensor, a number, or a list of tensors and numbers. */
export type Collatable = Tensor | number | readonly (Tensor | number)[];

/** Options of a {@link DataLoader}. */
export interface DataLoaderOptions<T = Tensor[]> {
  /** Examples per batch, an integer ≥ 1 (default 1). For full-batch training pass the dataset's length. */
  batchSize?: number;
  /** Draw a new random order at the start of every epoch (default false: the dataset's order). */
  shuffle?: boolean;
  /** Leave out the last batch when it would be smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Where shuffled orders are drawn from (default: the default generator, seeded by `manualSeed`). */
  generator?: Generator;
  /**
   * Turns the items of one batch into tensors. By default tensors at the same position are
   * stacked along a new first dimension and numbers become a 1-D tensor (int32 when all are
   * integers, else float32).
   */
  collate?: (items: T[]) => Tensor[];
}

/**
 * Refuses a saved shuffle order (a checkpoint's `order`) that is not a permutation of 0…n−1:
 * a wrong length, an index out of range or one taken twice would skip or repeat examples.
 */
function checkOrder(order: Int32Array, n: number): void {
  const what = `DataLoader: the checkpoint's "order"`;
  if (order.length !== n)
    throw new RangeError(`${what} has ${order.length} items but the dataset has ${n}`);
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = order[i];
    if (!(v >= 0 && v < n))
      throw new RangeError(`${what} is not a permutation of 0…${n - 1}: item ${i} is ${v}`);
    if (seen[v] === 1)
      throw new RangeError(`${what} is not a permutation of 0…${n - 1}: ${v} appears twice`);
    seen[v] = 1;
  }
}

/**
 * Cuts a dataset into batches, optionally in a fresh random order every epoch (PyTorch's
 * `DataLoader`). Iterating yields one `Tensor[]` per batch, each tensor with the batch as its
 * first dimension: `[x, y]` for a `TensorDataset(x, y)`.
 *
 * Over a `TensorDataset` (or a `Subset` of one, as `randomSplit` makes) each batch is taken with a
 * single `indexSelect` per tensor; any other dataset is read item by item and collated.
 *
 * Each call of `[Symbol.iterator]()` — each `for…of` — is one epoch: with `shuffle` it draws a new
 * Fisher–Yates permutation from the generator right away, so a given seed gives the same sequence
 * of epochs.
 *
 * @example
 * const x = randn([100, 2]);
 * const y = randint(0, 2, [100]);
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const [xb, yb] of loader) {
 *     // xb: [32, features], yb: [32]
 *   }
 * }
 */
export class DataLoader<T = Tensor[]> implements Iterable<Tensor[]> {
  /** The dataset batches are taken from. */
  readonly dataset: Dataset<T>;
  /** Examples per batch (the last batch may be smaller unless `dropLast`). */
  readonly batchSize: number;
  /** Whether each epoch uses a fresh random order. */
  readonly shuffle: boolean;
  /** Whether a last, smaller batch is left out. */
  readonly dropLast: boolean;
  /** The generator shuffled orders are drawn from. */
  readonly generator: Generator;
  private readonly collate: ((items: T[]) => Tensor[]) | undefined;

  /**
   * @throws TypeError when `dataset` is not a dataset or an option has the wrong type; RangeError
   *   when `batchSize` is not an integer ≥ 1, when the dataset is empty, or when `dropLast` would
   *   leave no batch at all.
   */
  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T> = {}) {
    checkDataset(dataset, 'DataLoader');
    const { batchSize = 1, shuffle = false, dropLast = false, generator, collate } = options;
    const ctx = { where: 'DataLoader' };
    integerAtLeast(ctx.where, 'batchSize', batchSize, 1);
    if (typeof shuffle !== 'boolean') fail(ctx, 'shuffle', 'true or false', shuffle, TypeError);
    if (typeof dropLast !== 'boolean') fail(ctx, 'dropLast', 'true or false', dropLast, TypeError);
    if (collate !== undefined && typeof collate !== 'function') {
      fail(ctx, 'collate', 'a function', collate, TypeError);
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = generator ?? engine.generator;
    this.collate = collate;
    this.checkSize(dataset.length);
  }

  /** The number of batches in one epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Starts an epoch: draws the order now (when shuffling) and yields the batches lazily. */
  [Symbol.iterator](): Iterator<Tensor[]> {
    return this.epoch().batches;
  }

  /**
   * Starts an epoch and says its order (null when not shuffling) — or, to go on with an epoch
   * that was interrupted (a checkpoint), takes its order and the number of batches already done.
   *
   * @throws RangeError when a saved order is not a permutation of 0…n−1 for this dataset.
   */
  epoch(resume?: { order: Int32Array | null; from: number }): {
    order: Int32Array | null;
    batches: Iterator<Tensor[]>;
  } {
    const n = this.dataset.length;
    this.checkSize(n);
    if (resume !== undefined && resume.order !== null) checkOrder(resume.order, n);
    const order =
      resume !== undefined ? resume.order : this.shuffle ? permutation(n, this.generator) : null;
    const fast = this.collate === undefined ? tensorRows(this.dataset) : null;
    return { order, batches: this.batches(n, order, fast, resume?.from ?? 0) };
  }

  private checkSize(n: number): void {
    if (n === 0) {
      throw new RangeError('DataLoader: the dataset is empty (length 0); there is nothing to load');
    }
    if (this.dropLast && n < this.batchSize) {
      throw new RangeError(
        `DataLoader: batchSize ${this.batchSize} with dropLast leaves no batch from a dataset of ${n} item${n === 1 ? '' : 's'}; ` +
          'use a smaller batchSize or dropLast: false',
      );
    }
  }

  private *batches(
    n: number,
    order: Int32Array | null,
    fast: { tensors: readonly Tensor[]; rows: Int32Array | null } | null,
    from = 0,
  ): IterableIterator<Tensor[]> {
    const count = this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
    for (let b = from; b < count; b++) {
      const start = b * this.batchSize;
      const size = Math.min(this.batchSize, n - start);
      if (fast !== null) {
        const index = new Int32Array(size);
        for (let k = 0; k < size; k++) {
          const i = order === null ? start + k : order[start + k];
          index[k] = fast.rows === null ? i : fast.rows[i];
        }
        const idx = new Tensor(index, [size]);
        yield fast.tensors.map((t) => indexSelect(t, 0, idx));
      } else {
        const items: T[] = [];
        for (let k = 0; k < size; k++) {
          items.push(this.dataset.get(order === null ? start + k : order[start + k]));
        }
        yield this.collate !== undefined ? this.collate(items) : defaultCollate(items);
      }
    }
  }
}

/**
 * Batches items: tensors at the same position are stacked along a new first dimension, numbers
 * become a 1-D tensor (int32 when all are integers, else float32).
 */
function defaultCollate(items: readonly unknown[]): Tensor[] {
  const first = items[0];
  if (first instanceof Tensor || typeof first === 'number') {
    return [collateColumn(items, 'items')];
  }
  if (!Array.isArray(first)) {
    throw new TypeError(
      `DataLoader: cannot batch items like ${kindOf(first)}; items must be tensors, numbers or lists of them, or give a collate function`,
    );
  }
  const width = first.length;
  items.forEach((item, i) => {
    if (!Array.isArray(item) || item.length !== width) {
      throw new TypeError(
        `DataLoader: item ${i} of the batch is ${formatValue(item)}, but the first item is a list of ${width}; every item must have the same structure`,
      );
    }
  });
  return Array.from({ length: width }, (_, k) =>
    collateColumn(
      items.map((item) => (item as unknown[])[k]),
      `element ${k} of the items`,
    ),
  );
}

function collateColumn(values: readonly unknown[], what: string): Tensor {
  if (values.every((v) => v instanceof Tensor)) return stack(values as Tensor[]);
  if (values.every((v) => typeof v === 'number')) {
    const numbers = values as number[];
    const ints = numbers.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647);
    return new Tensor(ints ? Int32Array.from(numbers) : Float32Array.from(numbers), [
      numbers.length,
    ]);
  }
  const bad = values.find((v) => !(v instanceof Tensor) && typeof v !== 'number');
  throw new TypeError(
    `DataLoader: cannot batch ${what}: ${bad === undefined ? 'tensors mixed with numbers' : `found ${formatValue(bad)}`}; give a collate function`,
  );
}
