import { indexSelect, stack } from '../ops/index.js';
import { fail, formatValue, kindOf } from '../tensor/check.js';
import type { Generator, GeneratorState } from '../tensor/random.js';
import { engine } from '../tensor/state.js';
import { Tensor } from '../tensor/tensor.js';
import { checkDataset, tensorRows, type Dataset } from './dataset.js';
import { integerAtLeast } from './options.js';
import { permutation } from './permutation.js';
import { checkTransform, type Transform } from './transform.js';

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
  /**
   * Applied to the first tensor of every batch (the inputs, images [N, C, H, W]) as it is made,
   * with this loader's `generator` for its random draws: data augmentation such as
   * `new Compose([new RandomCrop(32, { padding: 4 }), new RandomHorizontalFlip()])`. Give it to
   * the training loader only; the other tensors (the labels) pass unchanged.
   */
  transform?: Transform;
}

/**
 * Where a {@link DataLoader} is (torchdata's `StatefulDataLoader.state_dict()`): the order of the
 * epoch in progress (null when not shuffling), how many of its batches were handed out, and the
 * generator's state then. `loadStateDict` makes the next epoch go on from there bit for bit.
 */
export interface DataLoaderState {
  order: Int32Array | null;
  batch: number;
  generator: GeneratorState;
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
 * of epochs. A `transform` (data augmentation) is applied to each batch's inputs as the batch is
 * made, drawing from the same generator; `stateDict()` / `loadStateDict()` save and restore the
 * position within an epoch and the generator, so a resumed loader yields the same batches.
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
  /** Applied to the inputs of every batch (data augmentation), or undefined. */
  readonly transform: Transform | undefined;
  private readonly collate: ((items: T[]) => Tensor[]) | undefined;
  /** The epoch in progress: its order and the batches handed out so far. */
  private current: { order: Int32Array | null; done: number } | undefined;
  /** Where the next epoch goes on from, after `loadStateDict`. */
  private pending: { order: Int32Array | null; from: number } | undefined;

  /**
   * @throws TypeError when `dataset` is not a dataset or an option has the wrong type; RangeError
   *   when `batchSize` is not an integer ≥ 1, when the dataset is empty, or when `dropLast` would
   *   leave no batch at all.
   */
  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T> = {}) {
    checkDataset(dataset, 'DataLoader');
    const { batchSize = 1, shuffle = false, dropLast = false, generator, collate } = options;
    if (options.transform !== undefined)
      checkTransform(options.transform, 'DataLoader', 'transform');
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
    this.transform = options.transform;
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
    if (resume === undefined && this.pending !== undefined) resume = this.pending;
    this.pending = undefined;
    if (resume !== undefined && resume.order !== null) checkOrder(resume.order, n);
    const order =
      resume !== undefined ? resume.order : this.shuffle ? permutation(n, this.generator) : null;
    const fast = this.collate === undefined ? tensorRows(this.dataset) : null;
    const current = { order, done: resume?.from ?? 0 };
    this.current = current;
    return { order, batches: this.batches(n, current, fast) };
  }

  /**
   * Where the loader is now: the epoch in progress and the batches already handed out, with the
   * generator's state (a copy). After a finished epoch it says to start the next one afresh.
   *
   * @example
   * const ds = new TensorDataset(arange(32).reshape([16, 2]), arange(16));
   * const loader = new DataLoader(ds, { batchSize: 8, shuffle: true, generator: new Generator(0) });
   * loader[Symbol.iterator]().next(); // one batch handed out
   * loader.stateDict().batch; // => 1
   */
  stateDict(): DataLoaderState {
    const c =
      this.pending !== undefined ? { ...this.pending, done: this.pending.from } : this.current;
    const running = c !== undefined && c.done < this.length;
    return {
      order: running && c.order !== null ? c.order.slice() : null,
      batch: running ? c.done : 0,
      generator: this.generator.getState(),
    };
  }

  /**
   * Puts back a state from {@link DataLoader.stateDict}: sets the generator's state, and makes the
   * next epoch (the next `for…of`) go on from the saved batch in the saved order, drawing the
   * same augmentations as the run it was saved from.
   *
   * @throws TypeError or RangeError when the state does not fit this loader (an order that is not a
   *   permutation of its dataset, a batch beyond the epoch).
   * @example
   * const ds = new TensorDataset(arange(32).reshape([16, 2]), arange(16));
   * const loader = new DataLoader(ds, { batchSize: 4, shuffle: true, generator: new Generator(0) });
   * loader[Symbol.iterator]().next(); // one batch handed out
   * const state = loader.stateDict();
   * const resumed = new DataLoader(ds, { batchSize: 4, shuffle: true, generator: new Generator(1) });
   * resumed.loadStateDict(state);
   * [...resumed].length; // => 3   (batches 2 to 4 of the interrupted epoch)
   */
  loadStateDict(state: DataLoaderState): void {
    const s = state as Partial<DataLoaderState> | null;
    if (s === null || typeof s !== 'object' || typeof s.generator !== 'object') {
      throw new TypeError(
        `DataLoader.loadStateDict: expected { order, batch, generator } as stateDict() gives it, got ${formatValue(state)}`,
      );
    }
    const order = s.order ?? null;
    if (order !== null && !(order instanceof Int32Array)) {
      throw new TypeError(
        `DataLoader.loadStateDict: order must be an Int32Array or null, got ${formatValue(order)}`,
      );
    }
    integerAtLeast('DataLoader.loadStateDict', 'batch', s.batch, 0);
    if (s.batch! > this.length) {
      throw new RangeError(
        `DataLoader.loadStateDict: batch ${s.batch} is beyond the ${this.length} batches of an epoch`,
      );
    }
    if (order !== null) checkOrder(order, this.dataset.length);
    this.generator.setState(s.generator!);
    // An epoch whose order was drawn goes on in that order even before its first batch.
    const started = (s.batch! > 0 || order !== null) && s.batch! < this.length;
    this.pending = started ? { order: order?.slice() ?? null, from: s.batch! } : undefined;
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
    current: { order: Int32Array | null; done: number },
    fast: { tensors: readonly Tensor[]; rows: Int32Array | null } | null,
  ): IterableIterator<Tensor[]> {
    const count = this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
    const order = current.order;
    for (let b = current.done; b < count; b++) {
      current.done = b + 1;
      yield this.transformed(this.batch(b, n, order, fast));
    }
  }

  /** The batch with the transform applied to its inputs. */
  private transformed(batch: Tensor[]): Tensor[] {
    if (this.transform === undefined) return batch;
    batch[0] = this.transform.call(batch[0], this.generator);
    return batch;
  }

  /** Batch `b` of the epoch in the given order. */
  private batch(
    b: number,
    n: number,
    order: Int32Array | null,
    fast: { tensors: readonly Tensor[]; rows: Int32Array | null } | null,
  ): Tensor[] {
    const start = b * this.batchSize;
    const size = Math.min(this.batchSize, n - start);
    if (fast !== null) {
      const index = new Int32Array(size);
      for (let k = 0; k < size; k++) {
        const i = order === null ? start + k : order[start + k];
        index[k] = fast.rows === null ? i : fast.rows[i];
      }
      const idx = new Tensor(index, [size]);
      return fast.tensors.map((t) => indexSelect(t, 0, idx));
    } else {
      const items: T[] = [];
      for (let k = 0; k < size; k++) {
        items.push(this.dataset.get(order === null ? start + k : order[start + k]));
      }
      return this.collate !== undefined ? this.collate(items) : defaultCollate(items);
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
