/**
 * Reading data files with bounded memory: only regular files (never a FIFO or a device such as
 * /dev/zero, which would block or never end), no more bytes than a cap, and gzip decompressed no
 * further than the IDX header inside declares. Every refusal is one message naming the file and
 * the numbers.
 *
 * @module
 */
import { constants as bufferConstants } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { declaredIdx, idxHeaderLength } from '../data/idx.js';
import { formatBytes } from '../data/limits.js';
import { formatShape } from '../tensor/shape.js';

/** The most bytes of text (a CSV file) read from one file: 1 GB. */
export const MAX_TEXT_BYTES = 1e9;

/** The most bytes of binary data (an IDX or CIFAR-10 file, after decompression) read from one file: 4 GB. */
export const MAX_DATA_BYTES = Math.min(4e9, bufferConstants.MAX_LENGTH - 1);

/** The most bytes decompressed while looking for an IDX header in a gzipped file. */
const PROBE_BYTES = 16e6;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** What a file that is not regular is, for the message that refuses it. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Refuses what is not a regular file or is larger than `limit`; returns its size. */
function checkFile(stats: Stats, path: string, what: string, limit: number): number {
  if (!stats.isFile()) {
    throw new Error(`${what}: ${path} is ${kindOf(stats)}, not a regular file; give a file's path`);
  }
  if (stats.size > limit) {
    throw new Error(
      `${what}: ${path} holds ${formatBytes(stats.size)}, more than the ${formatBytes(limit)} ` +
        'nabla reads from one file',
    );
  }
  return stats.size;
}

/** Reads from `fd` until the end of the file, refusing more than `limit` bytes in all. */
function readAll(fd: number, size: number, path: string, what: string, limit: number): Uint8Array {
  // One byte more than the size stat gave, to see the end of the file in the same read.
  let buffer = Buffer.allocUnsafe(Math.min(size, limit) + 1);
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      if (total > limit) {
        throw new Error(
          `${what}: ${path} grew past ${formatBytes(limit)} while being read, more than nabla ` +
            'reads from one file',
        );
      }
      const larger = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(2 * total, 65536)));
      buffer.copy(larger, 0, 0, total);
      buffer = larger;
    }
    const n = readSync(fd, buffer, total, buffer.length - total, null);
    if (n === 0) return buffer.subarray(0, total);
    total += n;
  }
}

/**
 * The bytes of a regular file of at most `limit` bytes. A FIFO, a device, a directory or a larger
 * file is refused before anything is read.
 *
 * @param what - what reads the file, the start of every message (such as 'readCsv').
 * @throws Error `${what}: …` naming the path and, for a file too large, both sizes.
 */
export function readFileCapped(path: string, what: string, limit: number): Uint8Array {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (e) {
    throw new Error(`${what}: cannot read ${path}: ${message(e)}`, { cause: e });
  }
  // Checked before opening: opening a FIFO for reading blocks until something writes to it.
  checkFile(stats, path, what, limit);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new Error(`${what}: cannot read ${path}: ${message(e)}`, { cause: e });
  }
  try {
    // Checked again on what was opened, in case the path changed in between.
    const size = checkFile(fstatSync(fd), path, what, limit);
    return readAll(fd, size, path, what, limit);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith(`${what}: `)) throw e;
    throw new Error(`${what}: cannot read ${path}: ${message(e)}`, { cause: e });
  } finally {
    closeSync(fd);
  }
}

/** The first bytes of a gzip stream, at least enough for an IDX header when the stream has them. */
function gunzipHead(bytes: Uint8Array): Uint8Array {
  for (let k = 64; ; k *= 2) {
    const part = bytes.subarray(0, Math.min(k, bytes.length));
    // Z_SYNC_FLUSH decompresses a prefix of the stream without asking for its end.
    const out = gunzipSync(part, {
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
      maxOutputLength: PROBE_BYTES,
    });
    if (out.length >= idxHeaderLength(out) || part.length === bytes.length) return out;
  }
}

/** The uncompressed size (modulo 2^32) a gzip stream's trailer records for its last member. */
const trailerSize = (bytes: Uint8Array): number =>
  bytes.length < 18
    ? 0
    : new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(
        bytes.length - 4,
        true,
      );

/**
 * Decompresses a gzipped IDX file no further than its header declares: the header is read from
 * the first bytes, its declared length checked against `limit`, and the rest decompressed into
 * one buffer of that length. A stream longer than declared, or a header declaring too much, is
 * refused with both numbers; a stream that is not IDX is returned as far as its first bytes, for
 * `parseIdx` to say what is wrong with them.
 *
 * @throws Error `${what}: …` naming the path.
 */
export function gunzipIdx(
  bytes: Uint8Array,
  path: string,
  what: string,
  limit = MAX_DATA_BYTES,
): Uint8Array {
  const fail = (e: unknown): never => {
    throw new Error(
      `${what}: ${path} looks gzip-compressed but cannot be decompressed: ${message(e)}`,
      { cause: e },
    );
  };
  let head: Uint8Array = new Uint8Array(0);
  try {
    head = gunzipHead(bytes);
  } catch (e) {
    fail(e);
  }
  const declared = declaredIdx(head);
  if (declared === undefined) {
    // Too short for a header: the whole stream is in `head`; decompressed again to its end, so
    // that a truncated stream is reported as such.
    if (head.length < idxHeaderLength(head)) {
      try {
        return gunzipSync(bytes, { maxOutputLength: PROBE_BYTES });
      } catch (e) {
        fail(e);
      }
    }
    return head;
  }
  const { length, shape, typeName } = declared;
  const declares = `its IDX header declares ${formatBytes(length)} (shape ${formatShape(shape)} of ${typeName}s)`;
  if (length > limit) {
    throw new Error(
      `${what}: ${path} would need ${formatBytes(length)} decompressed: ${declares}, more than ` +
        `the ${formatBytes(limit)} nabla reads from one file`,
    );
  }
  try {
    // One output buffer of the declared length (and a byte to spare): no copies, no more.
    return gunzipSync(bytes, {
      maxOutputLength: Math.max(1, length),
      chunkSize: Math.max(64, length + 1),
    });
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_BUFFER_TOO_LARGE') fail(e);
    const trailer = trailerSize(bytes);
    const need =
      trailer > length
        ? `${formatBytes(trailer)} by its gzip trailer`
        : `more than ${formatBytes(length)}`;
    throw new Error(
      `${what}: ${path} decompresses to more than its header declares: it would need ${need}, ` +
        `${declares}; the file is corrupt or not what it is named`,
      { cause: e },
    );
  }
}
