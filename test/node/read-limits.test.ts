import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareData } from '../../src/cli/data.js';
import { UsageError } from '../../src/cli/errors.js';
import { readCifar10, readCsv, readIdx, readMnistIdx } from '../../src/node/datasets.js';
import { readFileChecked, writeFileAtomic } from '../../src/node/files.js';
import { gunzipIdx, readFileCapped } from '../../src/node/read-limits.js';
import { encodeIdx } from '../data/idx-encode.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-read-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IDX header of unsigned bytes with the given shape (and no elements). */
const idxHeader = (shape: number[]): Uint8Array => encodeIdx(0x08, shape, []);

/** Writes bytes to a file in the temporary folder and returns its path. */
function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Makes a FIFO, or returns undefined where mkfifo is missing. */
function fifo(path: string): string | undefined {
  try {
    execSync(`mkfifo ${JSON.stringify(path)}`, { stdio: 'ignore' });
    return path;
  } catch {
    return undefined;
  }
}

const flags = { seed: 1, validation: 0.2, test: 0.2 };

describe('gzipped IDX files are decompressed no further than their header declares', () => {
  it('refuses a stream longer than its header declares, with both sizes', () => {
    // The header declares 1000 × 1000 bytes (1.0 MB); the stream holds 4.0 MB after it.
    const header = idxHeader([1000, 1000]);
    const body = new Uint8Array(4e6 - header.length);
    const path = file('long-idx3-ubyte.gz', gzipSync(Buffer.concat([header, body])));
    expect(() => readIdx(path)).toThrow(
      /^readIdx: .*long-idx3-ubyte\.gz decompresses to more than its header declares: it would need 4\.0 MB by its gzip trailer, its IDX header declares 1\.0 MB \(shape \[1000,1000\] of unsigned bytes\)/,
    );
  });

  it('stops a 1 GB bomb of about 1 MB after what the header declares, in bounded memory', () => {
    // Concatenated gzip members decompress one after another: a valid small IDX file followed by
    // 1,000 members of 1 MB of zeros each, about 1 GB in all from about 1 MB of gzip.
    const small = gzipSync(encodeIdx(0x08, [2, 2], [1, 2, 3, 4]));
    const megabyte = gzipSync(new Uint8Array(1e6));
    const bomb = Buffer.concat([small, ...Array.from({ length: 1000 }, () => megabyte)]);
    expect(bomb.length).toBeLessThan(1.2e6);
    const path = file('bomb-idx3-ubyte.gz', bomb);
    // The peak resident size (in KB) of this process: decompressing the whole bomb would raise it by 1 GB.
    const before = process.resourceUsage().maxRSS;
    expect(() => readIdx(path)).toThrow(
      /bomb-idx3-ubyte\.gz decompresses to more than its header declares: it would need .*, its IDX header declares 16 bytes \(shape \[2,2\]/,
    );
    expect(process.resourceUsage().maxRSS - before).toBeLessThan(300e3);
  });

  it('refuses a header that declares more than a file may hold, before decompressing', () => {
    const path = file('huge-idx3-ubyte.gz', gzipSync(idxHeader([100000, 100000])));
    expect(() => readIdx(path)).toThrow(
      /^readIdx: .*huge-idx3-ubyte\.gz would need 10 GB decompressed: its IDX header declares 10 GB \(shape \[100000,100000\] of unsigned bytes\), more than the 4\.0 GB nabla reads from one file$/,
    );
    const bytes = gzipSync(idxHeader([1000, 1000]));
    expect(() => gunzipIdx(bytes, 'x.gz', 'test', 1e5)).toThrow(
      /^test: x\.gz would need 1\.0 MB decompressed: .* more than the 100 KB nabla reads/,
    );
  });

  it('still reads a gzipped file that holds what its header declares, and names other faults', () => {
    const path = file('ok-idx1-ubyte.gz', gzipSync(encodeIdx(0x08, [3], [7, 8, 9])));
    expect(readIdx(path).toArray()).toEqual([7, 8, 9]);
    const short = file('short-idx1-ubyte.gz', gzipSync(encodeIdx(0x08, [5], [7, 8, 9])));
    expect(() => readIdx(short)).toThrow(/short-idx1-ubyte\.gz: truncated IDX data/);
    const notIdx = file('text.gz', gzipSync(Buffer.from('hello, world '.repeat(1e5))));
    expect(() => readIdx(notIdx)).toThrow(/text\.gz: not an IDX file/);
    const broken = gzipSync(encodeIdx(0x08, [3], [7, 8, 9]));
    broken[12] ^= 0xff;
    expect(() => readIdx(file('broken.gz', broken))).toThrow(
      /broken\.gz looks gzip-compressed but cannot be decompressed/,
    );
  });
});

describe('data files must be regular files of bounded size', () => {
  it('refuses /dev/zero as CSV data, IDX data and CIFAR-10 data in one line', () => {
    expect(() => readCsv('/dev/zero')).toThrow(
      /^readCsv: \/dev\/zero is a character device, not a regular file; give a file's path$/,
    );
    expect(() => prepareData('csv:/dev/zero', flags)).toThrow(/^readCsv: \/dev\/zero is a char/);
    expect(() => readIdx('/dev/zero')).toThrow(/^readIdx: \/dev\/zero is a character device/);
  });

  it('refuses a FIFO without waiting for a writer', () => {
    const path = fifo(join(dir, 'pipe.csv'));
    if (path === undefined) return; // no mkfifo here: /dev/zero above covers the check
    expect(() => readCsv(path)).toThrow(
      /^readCsv: .*pipe\.csv is a FIFO \(named pipe\), not a regular file/,
    );
    expect(() => prepareData(`csv:${path}`, flags)).toThrow(/pipe\.csv is a FIFO/);
    const mnist = join(dir, 'mnist-fifo');
    mkdirSync(mnist);
    fifo(join(mnist, 'train-images-idx3-ubyte'));
    writeFileSync(join(mnist, 'train-labels-idx1-ubyte'), encodeIdx(0x08, [1], [1]));
    expect(() => readMnistIdx(mnist)).toThrow(/^mnist: .*train-images-idx3-ubyte is a FIFO/);
    const cifar = join(dir, 'cifar-fifo');
    mkdirSync(cifar);
    fifo(join(cifar, 'data_batch_1.bin'));
    expect(() => readCifar10(cifar)).toThrow(/^cifar10: .*data_batch_1\.bin is a FIFO/);
  });

  it('refuses a directory and a file over the cap, naming the sizes', () => {
    expect(() => readCsv(dir)).toThrow(/is a directory, not a regular file/);
    // A sparse file: 1.1 GB long without taking the disk space.
    const big = file('big.csv', '');
    truncateSync(big, 1.1e9);
    expect(() => readCsv(big)).toThrow(
      /^readCsv: .*big\.csv holds 1\.1 GB, more than the 1\.0 GB nabla reads from one file$/,
    );
    expect(() => readFileCapped(file('ten.bin', '0123456789'), 'test', 9)).toThrow(
      /ten\.bin holds 10 bytes, more than the 9 bytes/,
    );
    expect(readFileCapped(file('nine.bin', '012345678'), 'test', 9)).toHaveLength(9);
    expect(() => readCsv(join(dir, 'missing.csv'))).toThrow(/^readCsv: cannot read .*ENOENT/);
  });
});

describe('sizes given as flags', () => {
  it('refuses a --samples whose toy data would not fit, before allocating it', () => {
    expect(() => prepareData('spiral', { ...flags, samples: 1e9 })).toThrow(
      /^--samples 1000000000 would need about 48 GB of memory for the spiral data, more than the 4\.0 GB nabla allows; give at most 83333333$/,
    );
    expect(() => prepareData('spiral', { ...flags, samples: 1e9 })).toThrow(UsageError);
  });
});

describe('paths of the wrong sort', () => {
  it('are refused naming the function, not by Node', async () => {
    expect(() => readCifar10(42 as never)).toThrow(
      new TypeError('readCifar10: dir must be a non-empty string, got 42'),
    );
    expect(() => readMnistIdx('')).toThrow(RangeError);
    expect(() => readIdx(null as never)).toThrow(/^readIdx: path must be/);
    expect(() => readFileChecked('x', undefined as never)).toThrow(
      /^readFileChecked: what must be/,
    );
    await expect(writeFileAtomic({} as never, 'data')).rejects.toThrow(
      'writeFileAtomic: path must be a non-empty string, got Object',
    );
  });
});
