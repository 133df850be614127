import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIdx } from '../../src/data/idx.js';
import { readIdx, readMnistIdx } from '../../src/node/datasets.js';
import { encodeIdx, SIZES, type IdxType } from './idx-encode.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const valueArb: Record<IdxType, fc.Arbitrary<number>> = {
  0x08: fc.integer({ min: 0, max: 255 }),
  0x09: fc.integer({ min: -128, max: 127 }),
  0x0b: fc.integer({ min: -32768, max: 32767 }),
  0x0c: fc.integer({ min: -2147483648, max: 2147483647 }),
  0x0d: fc.float({ noNaN: true, noDefaultInfinity: true }),
  0x0e: fc.double({ noNaN: true, noDefaultInfinity: true }),
};
const DTYPES: Record<IdxType, string> = {
  0x08: 'int32',
  0x09: 'int32',
  0x0b: 'int32',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

describe('parseIdx', () => {
  it.each(Object.keys(SIZES).map((k) => [`0x${Number(k).toString(16)}`, Number(k) as IdxType]))(
    'reads back what was written, type %s',
    (_hex, type) => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
          fc.infiniteStream(valueArb[type]),
          (shape, stream) => {
            const n = shape.reduce((a, b) => a * b, 1);
            const values = [...stream.take(n)];
            const t = parseIdx(encodeIdx(type, shape, values), 'round trip');
            expect(t.dtype).toBe(DTYPES[type]);
            expect(t.shape).toEqual(shape);
            expect(Array.from(t.data)).toEqual(values);
          },
        ),
        { seed: 1234, numRuns: 50 },
      );
    },
  );

  it('scales unsigned bytes to float32 in [0, 1] when asked', () => {
    const t = parseIdx(encodeIdx(0x08, [2, 2], [0, 51, 255, 128]), 'img', { scale: true });
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.data)).toEqual([0, 0.2, 1, 128 / 255].map(Math.fround));
    expect(() => parseIdx(encodeIdx(0x0d, [1], [0.5]), 'f.idx', { scale: true })).toThrow(
      'f.idx: scale applies to unsigned-byte IDX data (0x08), but this data holds floats (0x0d)',
    );
  });

  it('reads an IDX view that does not start at its buffer’s beginning', () => {
    const inner = encodeIdx(0x0c, [2], [-7, 9]);
    const outer = new Uint8Array(inner.length + 3);
    outer.set(inner, 3);
    expect(Array.from(parseIdx(outer.subarray(3)).data)).toEqual([-7, 9]);
  });

  it('refuses a bad magic number, with a hint for gzip', () => {
    expect(() => parseIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]), 'x.idx')).toThrow(
      'x.idx: not an IDX file: the magic number must start with 0x00 0x00, got 0x01 0x00',
    );
    const gz = gzipSync(encodeIdx(0x08, [1], [1]));
    expect(() => parseIdx(gz, 'y.gz')).toThrow(/got 0x1f 0x8b \(these bytes look gzip-compressed/);
    expect(() => parseIdx(new Uint8Array([0, 0]), 'tiny')).toThrow(
      'tiny: not an IDX file: 2 bytes, too short for the 4-byte magic number',
    );
  });

  it('refuses unknown types and zero dimensions', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 0]), 'z')).toThrow(
      /z: unknown IDX element type 0x0a; expected 0x08/,
    );
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 0]), 'z')).toThrow(
      'z: the IDX header declares 0 dimensions',
    );
  });

  it('refuses truncated headers and data', () => {
    const full = encodeIdx(0x08, [3, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(() => parseIdx(full.subarray(0, 10), 'labels')).toThrow(
      'labels: truncated IDX header: 3 dimensions need 16 header bytes, but the data has 10',
    );
    expect(() => parseIdx(full.subarray(0, full.length - 1), 'labels')).toThrow(
      'labels: truncated IDX data: the header declares shape [3,2,2] of unsigned bytes (12 bytes of data), but only 11 bytes follow the header',
    );
    const extra = new Uint8Array(full.length + 2);
    extra.set(full);
    expect(() => parseIdx(extra, 'labels')).toThrow(
      /labels: 2 unexpected bytes after the IDX data/,
    );
  });

  it('refuses huge declared sizes without allocating them', () => {
    const huge = encodeIdx(0x0e, [2147483647, 2147483647, 2147483647], []);
    expect(() => parseIdx(huge, 'huge')).toThrow(
      /huge: truncated IDX data: the header declares shape \[2147483647,2147483647,2147483647\] of doubles/,
    );
    const signed = encodeIdx(0x08, [1], []);
    new DataView(signed.buffer).setUint32(4, 0x80000000, false);
    expect(() => parseIdx(signed, 'neg')).toThrow(
      'neg: dimension 0 declares a size of 2147483648, more than 2^31 - 1',
    );
  });

  it('refuses what is not bytes', () => {
    expect(() => parseIdx([0, 0, 8, 1] as never)).toThrow(
      /parseIdx: IDX data: expected the bytes as a Uint8Array/,
    );
  });
});

describe('readIdx', () => {
  const values = [3, 1, 4, 1, 5, 9];
  const bytes = encodeIdx(0x08, [2, 3], values);

  it('reads plain and gzipped files alike', () => {
    writeFileSync(join(dir, 'plain.idx'), bytes);
    writeFileSync(join(dir, 'packed.idx'), gzipSync(bytes)); // detected by content, not name
    for (const name of ['plain.idx', 'packed.idx']) {
      const t = readIdx(join(dir, name));
      expect(t.shape).toEqual([2, 3]);
      expect(Array.from(t.data)).toEqual(values);
    }
    expect(Array.from(readIdx(join(dir, 'packed.idx'), { scale: true }).data)).toEqual(
      values.map((v) => Math.fround(v / 255)),
    );
  });

  it('names the file when it cannot be read, decompressed or parsed', () => {
    const missing = join(dir, 'missing.idx');
    expect(() => readIdx(missing)).toThrow(`readIdx: cannot read ${missing}: ENOENT`);
    const broken = join(dir, 'broken.gz');
    writeFileSync(broken, gzipSync(bytes).subarray(0, 12));
    expect(() => readIdx(broken)).toThrow(
      `readIdx: ${broken} looks gzip-compressed but cannot be decompressed`,
    );
    const truncated = join(dir, 'truncated.idx');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 2));
    expect(() => readIdx(truncated)).toThrow(`${truncated}: truncated IDX data`);
  });
});

describe('readMnistIdx', () => {
  /** A tiny MNIST-style folder: n images of 28×28 whose pixels all equal the label × 20. */
  function writeSet(folder: string, kind: string, labels: number[], gz: boolean): void {
    const pixels = labels.flatMap((l) => new Array<number>(784).fill(l * 20));
    const images = encodeIdx(0x08, [labels.length, 28, 28], pixels);
    const labelBytes = encodeIdx(0x08, [labels.length], labels);
    const suffix = gz ? '.gz' : '';
    writeFileSync(
      join(folder, `${kind}-images-idx3-ubyte${suffix}`),
      gz ? gzipSync(images) : images,
    );
    writeFileSync(
      join(folder, `${kind}-labels-idx1-ubyte${suffix}`),
      gz ? gzipSync(labelBytes) : labelBytes,
    );
  }

  it('reads the four files, gzipped or not, as float32 images and int32 labels', () => {
    const folder = join(dir, 'mnist');
    mkdirSync(folder);
    writeSet(folder, 'train', [5, 0, 4], true);
    writeSet(folder, 't10k', [7, 2], false);
    const { train, test } = readMnistIdx(folder);
    expect(train.x.shape).toEqual([3, 784]);
    expect(train.x.dtype).toBe('float32');
    expect(Array.from(train.y.data)).toEqual([5, 0, 4]);
    expect(train.y.dtype).toBe('int32');
    expect(train.x.data[0]).toBe(Math.fround(100 / 255));
    expect(test.x.shape).toEqual([2, 784]);
    expect(Array.from(test.y.data)).toEqual([7, 2]);
    expect(readMnistIdx(folder, { flatten: false }).train.x.shape).toEqual([3, 28, 28]);
  });

  it('names what is missing or inconsistent', () => {
    const folder = join(dir, 'half');
    mkdirSync(folder);
    writeSet(folder, 'train', [1, 2], false);
    expect(() => readMnistIdx(folder)).toThrow(
      `mnist: no t10k-images-idx3-ubyte[.gz] in ${folder} (it holds: train-images-idx3-ubyte, train-labels-idx1-ubyte)`,
    );
    writeFileSync(join(folder, 't10k-images-idx3-ubyte'), encodeIdx(0x08, [2, 28, 28], []));
    writeFileSync(join(folder, 't10k-labels-idx1-ubyte'), encodeIdx(0x08, [1], [3]));
    expect(() => readMnistIdx(folder)).toThrow(/t10k-images-idx3-ubyte: truncated IDX data/);
    writeFileSync(
      join(folder, 't10k-images-idx3-ubyte'),
      encodeIdx(0x08, [2, 28, 28], new Array<number>(2 * 784).fill(0)),
    );
    expect(() => readMnistIdx(folder)).toThrow(
      /t10k-labels-idx1-ubyte holds labels of shape \[1\], but .* holds 2 images/,
    );
    expect(() => readMnistIdx(join(dir, 'nowhere'))).toThrow(
      `mnist: cannot read the folder ${join(dir, 'nowhere')}: ENOENT`,
    );
  });
});
