import { formatValue } from '../tensor/check.js';
import { Tensor } from '../tensor/tensor.js';
import type { LabeledData } from './dataset.js';
import { checkAllocation } from './limits.js';

/** The ten CIFAR-10 class names, indexed by label. */
export const CIFAR10_CLASSES: readonly string[] = Object.freeze([
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
]);

/** Bytes per CIFAR-10 record: one label byte and 3 × 32 × 32 pixel bytes (red, green, blue planes). */
const RECORD = 1 + 3 * 32 * 32;
const PIXELS = 3 * 32 * 32;

/**
 * Checks CIFAR-10 binary bytes (a whole number of 3073-byte records, every label 0–9) and returns
 * the number of records.
 *
 * @internal Lets the Node reader check each file before decoding them all at once.
 */
export function checkCifar10(bytes: Uint8Array, name: string): number {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `parseCifar10: ${name}: expected the bytes as a Uint8Array, got ${formatValue(bytes)}`,
    );
  }
  if (bytes.length === 0) throw new Error(`${name}: no CIFAR-10 records (0 bytes)`);
  if (bytes.length % RECORD !== 0) {
    throw new Error(
      `${name}: ${bytes.length} bytes is not a whole number of CIFAR-10 records of ${RECORD} bytes ` +
        `(1 label byte + 3072 pixel bytes); ${Math.floor(bytes.length / RECORD)} records and ${bytes.length % RECORD} bytes over. ` +
        'Is this the binary version of CIFAR-10 (not CIFAR-100 or the Python pickles)?',
    );
  }
  const n = bytes.length / RECORD;
  for (let i = 0; i < n; i++) {
    const label = bytes[i * RECORD];
    if (label > 9) {
      throw new Error(
        `${name}: record ${i} (at byte ${i * RECORD}) has label ${label}; CIFAR-10 labels are 0–9`,
      );
    }
  }
  return n;
}

/**
 * Reads the binary version of CIFAR-10 (`data_batch_1.bin` … `test_batch.bin`): records of one
 * label byte followed by 3072 pixel bytes, the red, green and blue 32×32 planes in turn. Pixels are
 * scaled to float32 in [0, 1]; the layout stays channels-first.
 *
 * @param bytes - the whole file (or several files' bytes one after another).
 * @param name - what to call the data in error messages, such as its file name.
 * @throws Error naming `name` when the length is not a multiple of 3073 or a label exceeds 9.
 * @example
 * const bytes = new Uint8Array(2 * 3073); // two records (a whole file holds 10,000)
 * bytes[0] = 6; // the first record's label
 * const { x, y } = parseCifar10(bytes, 'data_batch_1.bin');
 * x.shape; // => [2, 3, 32, 32]
 * CIFAR10_CLASSES[y.data[0]]; // => 'frog'
 */
export function parseCifar10(bytes: Uint8Array, name = 'CIFAR-10 data'): LabeledData {
  checkCifar10(bytes, name);
  return decodeCifar10([bytes], name);
}

/**
 * Decodes the records of several CIFAR-10 files, each already checked by {@link checkCifar10}, into
 * one data set, without joining their bytes first. The size of the result is checked before it is
 * allocated.
 *
 * @internal Lets the Node reader decode five training batches without a copy of all their bytes.
 */
export function decodeCifar10(parts: readonly Uint8Array[], name: string): LabeledData {
  const n = parts.reduce((a, p) => a + Math.floor(p.length / RECORD), 0);
  checkAllocation(n * PIXELS, 4, `${n} CIFAR-10 images as float32`, name);
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  let i = 0;
  for (const bytes of parts) {
    for (let at = 0; at + RECORD <= bytes.length; at += RECORD, i++) {
      y[i] = bytes[at];
      const out = i * PIXELS;
      for (let j = 0; j < PIXELS; j++) x[out + j] = bytes[at + 1 + j] / 255;
    }
  }
  return { x: new Tensor(x, [n, 3, 32, 32]), y: new Tensor(y, [n]) };
}
