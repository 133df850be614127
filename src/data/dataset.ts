import { select } from '../ops/index.js';
import { formatValue } from '../tensor/check.js';
import type { Generator } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import { engine } from '../tensor/state.js';
import { Tensor } from '../tensor/tensor.js';
import { permutation } from './permutation.js';

/**
 * A collection of examples that can be counted and read by position, as PyTorch's map-style
 * `Dataset`. Items are `Tensor[]` by default (features, label, …); a `DataLoader` turns them into
 * batches.
 *
 * @example
 * const squares: Dataset<Tensor[]> = {
 *   length: 10,
 *   get: (i) => [tensor([i]), tensor(i * i)],
 * };
 */
export interface Dataset<T = Tensor[]> {
  /** The number of examples. */
  readonly length: number;
  /** The example at `index`, 0 ≤ index < length. */
  get(index: number): T;
}

/**
 * Examples as two tensors with the same first dimension: inputs `x` and targets `y` (class labels
 * as int32, or values to regress). What the toy generators and the file readers return; make it a
 * dataset with `new TensorDataset(data.x, data.y)`.
 */
export interface LabeledData {
  x: Tensor;
  y: Tensor;
}

/** Throws a RangeError unless `index` is an integer in [0, length). */
function checkIndex(index: number, length: number, where: string): void {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(
      `${where}: index ${formatValue(index)} is out of range for a dataset of ${length} item${length === 1 ? '' : 's'}` +
        (length > 0 ? ` (valid: 0 to ${length - 1})` : ''),
    );
  }
}

/** Throws a TypeError unless `dataset` looks like a {@link Dataset}. @internal */
export function checkDataset(dataset: unknown, where: string): void {
  const d = dataset as Dataset<unknown> | null;
  if (
    typeof d !== 'object' ||
    d === null ||
    typeof d.get !== 'function' ||
    typeof d.length !== 'number' ||
    !Number.isInteger(d.length) ||
    d.length < 0
  ) {
    throw new TypeError(
      `${where}: expected a dataset (an object with an integer length ≥ 0 and a get(index) method), got ${formatValue(dataset)}`,
    );
  }
}

/**
 * A dataset of tensors that share their first dimension: example `i` is the list of the i-th rows,
 * `[x[i], y[i], …]` (PyTorch's `TensorDataset`). A `DataLoader` over it takes whole batches with
 * one `indexSelect` per tensor instead of reading examples one by one.
 *
 * @example
 * const ds = new TensorDataset(randn([100, 2]), randint(0, 2, [100]));
 * ds.length; // => 100
 * const [x, y] = ds.get(0); // x: shape [2], y: a 0-d int32 tensor
 */
export class TensorDataset implements Dataset<Tensor[]> {
  /** The tensors, each with `length` rows. */
  readonly tensors: readonly Tensor[];
  /** The number of rows, the size of every tensor's first dimension. */
  readonly length: number;

  /**
   * @throws TypeError when given no tensor or something that is not a Tensor; RangeError when a
   *   tensor is 0-d or the first dimensions differ (the message lists the shapes).
   */
  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) {
      throw new TypeError('TensorDataset: needs at least one tensor');
    }
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) {
        throw new TypeError(`TensorDataset: argument ${i} is not a Tensor, got ${formatValue(t)}`);
      }
      if (t.ndim === 0) {
        throw new RangeError(
          `TensorDataset: tensor ${i} is 0-d; every tensor needs a first dimension to index examples by`,
        );
      }
    });
    const n = tensors[0].shape[0];
    if (tensors.some((t) => t.shape[0] !== n)) {
      throw new RangeError(
        `TensorDataset: all tensors must have the same size in dimension 0, got shapes ${tensors
          .map((t) => formatShape(t.shape))
          .join(', ')}`,
      );
    }
    this.tensors = Object.freeze(tensors.slice());
    this.length = n;
  }

  /** The i-th row of every tensor (each one dimension lower than its tensor). */
  get(index: number): Tensor[] {
    checkIndex(index, this.length, 'TensorDataset.get');
    return this.tensors.map((t) => select(t, 0, index));
  }
}

/**
 * The examples of `dataset` at the given positions, in that order (PyTorch's `Subset`).
 *
 * @example
 * const ds = new TensorDataset(randn([100, 2]), randint(0, 2, [100]));
 * const firstTen = new Subset(ds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * firstTen.length; // => 10
 */
export class Subset<T = Tensor[]> implements Dataset<T> {
  /** The dataset the examples come from. */
  readonly dataset: Dataset<T>;
  /** The positions in `dataset`, one per example of the subset. */
  readonly indices: readonly number[];

  /**
   * @throws TypeError when `dataset` is not a dataset or `indices` not a list; RangeError naming
   *   the first index that is not an integer in [0, dataset.length).
   */
  constructor(dataset: Dataset<T>, indices: ArrayLike<number>) {
    checkDataset(dataset, 'Subset');
    if (
      indices === null ||
      typeof indices !== 'object' ||
      typeof (indices as ArrayLike<number>).length !== 'number'
    ) {
      throw new TypeError(
        `Subset: indices must be a list of integers, got ${formatValue(indices)}`,
      );
    }
    const list = Array.from(indices);
    const n = dataset.length;
    list.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n) {
        throw new RangeError(
          `Subset: indices[${i}] is ${formatValue(v)}, not an integer in [0, ${n}) for a dataset of ${n} items`,
        );
      }
    });
    this.dataset = dataset;
    this.indices = Object.freeze(list);
  }

  /** The number of examples in the subset. */
  get length(): number {
    return this.indices.length;
  }

  /** Example `index` of the subset: `dataset.get(indices[index])`. */
  get(index: number): T {
    checkIndex(index, this.indices.length, 'Subset.get');
    return this.dataset.get(this.indices[index]);
  }
}

/**
 * The tensors behind a TensorDataset, or behind a chain of Subsets of one, with the rows that the
 * dataset's examples map to (null: example i is row i). Null for any other dataset.
 *
 * @internal The DataLoader's fast path.
 */
export function tensorRows(
  dataset: Dataset<unknown>,
): { tensors: readonly Tensor[]; rows: Int32Array | null } | null {
  if (dataset instanceof TensorDataset) return { tensors: dataset.tensors, rows: null };
  if (dataset instanceof Subset) {
    const inner = tensorRows(dataset.dataset as Dataset<unknown>);
    if (inner === null) return null;
    const idx = dataset.indices;
    const rows = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) {
      rows[i] = inner.rows === null ? idx[i] : inner.rows[idx[i]];
    }
    return { tensors: inner.tensors, rows };
  }
  return null;
}

/** Options of {@link randomSplit}. */
export interface RandomSplitOptions {
  /** Where the permutation is drawn from (default: the default generator, seeded by `manualSeed`). */
  generator?: Generator;
}

/**
 * The sizes of the parts: counts summing to `n`, or fractions summing to 1 turned into counts as
 * PyTorch does (floor of each, then one more to each part in turn until they add up to `n`).
 */
function splitSizes(lengths: readonly number[], n: number): number[] {
  const where = 'randomSplit';
  if (!Array.isArray(lengths) || lengths.length === 0) {
    throw new TypeError(
      `${where}: lengths must be a non-empty list of counts or fractions, got ${formatValue(lengths)}`,
    );
  }
  lengths.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(
        `${where}: lengths[${i}] is ${formatValue(v)}; each length must be a count ≥ 0 or a fraction in [0, 1]`,
      );
    }
  });
  const total = lengths.reduce((a, b) => a + b, 0);
  if (lengths.every(Number.isInteger) && total === n) return lengths.slice();
  const fractions = Math.abs(total - 1) < 1e-6 && lengths.every((v) => v <= 1);
  if (!fractions) {
    throw new RangeError(
      `${where}: lengths ${formatValue(lengths)} sum to ${total}, but the dataset has ${n} items; ` +
        `give counts that sum to ${n} or fractions that sum to 1`,
    );
  }
  const sizes = lengths.map((f) => Math.floor(f * n));
  let remainder = n - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; remainder > 0; i = (i + 1) % sizes.length, remainder--) sizes[i] += 1;
  return sizes;
}

/**
 * Splits a dataset at random into non-overlapping subsets of the given sizes (PyTorch's
 * `random_split`). `lengths` holds either counts summing to the dataset's length, or fractions
 * summing to 1: fractions become `floor(fraction × length)` each, and the items left over go one
 * at a time to the parts in order (so `[0.8, 0.2]` of 11 items gives 9 and 2). The split is a
 * Fisher–Yates permutation drawn from `options.generator`, so the same seed gives the same split.
 *
 * @throws RangeError when the lengths are neither counts summing to the dataset's length nor
 *   fractions summing to 1.
 * @example
 * const ds = new TensorDataset(randn([100, 2]), randint(0, 2, [100]));
 * const [train, validation] = randomSplit(ds, [0.8, 0.2], { generator: new Generator(1) });
 * [train.length, validation.length]; // => [80, 20]
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: readonly number[],
  options: RandomSplitOptions = {},
): Subset<T>[] {
  checkDataset(dataset, 'randomSplit');
  const n = dataset.length;
  const sizes = splitSizes(lengths, n);
  const order = permutation(n, options.generator ?? engine.generator);
  let offset = 0;
  return sizes.map((size) => {
    const part = new Subset(dataset, order.subarray(offset, offset + size));
    offset += size;
    return part;
  });
}
