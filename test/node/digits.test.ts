import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistFromDigits } from '../../src/data/mnist.js';
import { mnistDigits } from '../../src/node/datasets.js';
import {
  decodeDigits,
  decodeDigitSplit,
  DIGITS_FILE,
  encodeDigits,
  readDigits,
} from '../../src/node/digits.js';
import { createHash } from 'node:crypto';

const dir = mkdtempSync(join(tmpdir(), 'nabla-digits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes bytes to a file in the temporary folder and returns its path. */
function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** The bit patterns of float32 values, so that -0 and +0 (or two NaNs) count as different. */
const bits = (values: ArrayLike<number>): Uint32Array =>
  new Uint32Array(Float32Array.from(values).buffer);

/** The digits as the mnist package's JSON holds them (what mnistDigits parsed before). */
function jsonDigits(): number[][] {
  const require = createRequire(import.meta.url);
  return Array.from({ length: 10 }, (_, d) => {
    const path = require.resolve(`mnist/src/digits/${d}.json`);
    return (JSON.parse(readFileSync(path, 'utf8')) as { data: number[] }).data;
  });
}

/** `n` images of 784 pixels for each digit, pixel i of image k of digit d being `value(d, k, i)`. */
function synthetic(n: number[], value: (d: number, k: number, i: number) => number): number[][] {
  return n.map((count, d) =>
    Array.from({ length: count * 784 }, (_, j) => value(d, Math.floor(j / 784), j % 784)),
  );
}

describe('the bundled digits, data/mnist-digits.bin', () => {
  let json: number[][];
  const shipped = readFileSync(DIGITS_FILE);

  beforeAll(() => {
    json = jsonDigits();
  });

  it('decode to the float32 values the JSON gives, element for element, digit by digit', () => {
    const decoded = readDigits();
    expect(decoded.map((d) => d.length / 784)).toEqual([
      1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978,
    ]);
    decoded.forEach((pixels, d) => {
      expect(pixels).toBeInstanceOf(Float32Array);
      expect(pixels.length).toBe(json[d].length);
      const want = bits(json[d]);
      const got = bits(pixels);
      let differ = 0;
      for (let i = 0; i < want.length; i++) if (want[i] !== got[i]) differ++;
      expect(differ).toBe(0);
    });
  });

  it('give mnistDigits the very splits mnistFromDigits makes of the JSON', () => {
    for (const options of [{}, { seed: 7, validation: 500, test: 300, image: true }]) {
      const want = mnistFromDigits(json, options);
      const got = mnistDigits(options);
      for (const part of ['train', 'validation', 'test'] as const) {
        expect(got[part].x.shape).toEqual(want[part].x.shape);
        expect(
          Buffer.from(got[part].x.data.buffer).equals(Buffer.from(want[part].x.data.buffer)),
        ).toBe(true);
        expect(got[part].y.data).toEqual(want[part].y.data);
      }
    }
  });

  it('store each pixel as its 8-bit intensity k, of value round(k / 255, 3)', () => {
    const view = new DataView(shipped.buffer, shipped.byteOffset, shipped.byteLength);
    for (let k = 0; k < 256; k++) {
      expect(view.getFloat32(96 + 4 * k, true)).toBe(
        Math.fround(Math.round((1000 * k) / 255) / 1000),
      );
    }
    expect(shipped.length).toBeLessThan(2.1e6);
  });

  it('are what the generator writes, the same bytes on every run', { timeout: 240_000 }, () => {
    expect(Buffer.from(encodeDigits(json)).equals(shipped)).toBe(true);
    // A second, separate run of the script itself: it finds the file it would write already there.
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/make-digits.ts', '--check', DIGITS_FILE],
      { encoding: 'utf8', stdio: 'pipe' },
    );
    expect(out).toBe(`make-digits: ${DIGITS_FILE} is up to date (${shipped.length} bytes)\n`);
  });
});

describe('encodeDigits and decodeDigits', () => {
  it('give back any pixels of at most 256 values, bit for bit', () => {
    const value = fc.oneof(
      fc.constant(0),
      fc.constant(1),
      fc.double({ min: 0, max: 1, noNaN: true }).filter((v) => !Object.is(v, -0)),
    );
    fc.assert(
      fc.property(
        fc.array(fc.nat(3), { minLength: 10, maxLength: 10 }),
        fc.array(value, { minLength: 1, maxLength: 40 }),
        fc.nat(),
        (counts, values, seed) => {
          // Mostly zeros, in runs of every length, among the given values.
          const raw = synthetic(counts, (d, k, i) =>
            (d * 31 + k * 7 + i + seed) % 5 < 3
              ? 0
              : values[(d + k * 3 + i * 11 + seed) % values.length],
          );
          const bytes = encodeDigits(raw);
          const decoded = decodeDigits(bytes, 'test');
          decoded.forEach((pixels, d) => expect(bits(pixels)).toEqual(bits(raw[d])));
          // Straight into the splits: the very tensors mnistFromDigits makes of the lists.
          const total = counts.reduce((a, b) => a + b, 0);
          const options = { seed, validation: Math.min(1, total), test: total > 2 ? 2 : 0 };
          const want = mnistFromDigits(raw, options);
          const got = decodeDigitSplit(bytes, 'test', options);
          for (const part of ['train', 'validation', 'test'] as const) {
            expect(bits(got[part].x.data as Float32Array)).toEqual(bits(want[part].x.data));
            expect([...got[part].y.data]).toEqual([...want[part].y.data]);
          }
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });

  it('code long runs of zeros and a file without a zero pixel', () => {
    const blank = synthetic([2, 0, 0, 0, 0, 0, 0, 0, 0, 1], (d) => (d === 9 ? 0.5 : 0));
    const bytes = encodeDigits(blank);
    // 96-byte header, 1024-byte palette, 1568 zeros in 7 runs of at most 256 (2 bytes each), 784 bytes of 0.5
    expect(bytes.length).toBe(96 + 1024 + 14 + 784);
    const decoded = decodeDigits(bytes, 'blank');
    expect(decoded.map((d) => d.length)).toEqual([1568, 0, 0, 0, 0, 0, 0, 0, 0, 784]);
    expect(decoded[0].every((v) => v === 0)).toBe(true);
    expect(decoded[9].every((v) => v === 0.5)).toBe(true);
    const full = synthetic([1, 0, 0, 0, 0, 0, 0, 0, 0, 0], () => 1);
    expect(decodeDigits(encodeDigits(full), 'full')[0].every((v) => v === 1)).toBe(true);
  });

  it('refuse pixels one byte cannot give back exactly', () => {
    const many = synthetic([1, 0, 0, 0, 0, 0, 0, 0, 0, 0], (_, __, i) => i / 783);
    expect(() => encodeDigits(many)).toThrow(
      'encodeDigits: the pixels take 784 different float32 values; one byte per pixel holds at most 256 exactly',
    );
    const value = (v: number): number[][] =>
      synthetic([1, 0, 0, 0, 0, 0, 0, 0, 0, 0], (_, __, i) => (i === 5 ? v : 0));
    expect(() => encodeDigits(value(1.5))).toThrow(
      'encodeDigits: digit 0, value 5 is 1.5; pixels must be numbers in [0, 1] (not -0)',
    );
    expect(() => encodeDigits(value(-0))).toThrow('digit 0, value 5 is -0');
    expect(() => encodeDigits(value(NaN))).toThrow('digit 0, value 5 is NaN');
    expect(() => encodeDigits([[0]])).toThrow(
      'encodeDigits: expected 10 lists of pixels, one per digit, got 1',
    );
    expect(() =>
      encodeDigits(
        synthetic([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], () => 0).map((d, i) => (i === 3 ? [0, 0] : d)),
      ),
    ).toThrow('encodeDigits: digit 3 has 2 values, not a whole number of 784-pixel images');
  });
});

describe('readDigits names the file and what is wrong with it', () => {
  const shipped = readFileSync(DIGITS_FILE);
  const remedy =
    'reinstall nabla, or write the file again with `npx tsx scripts/make-digits.ts` in its repository';

  it('when it is missing or not a file', () => {
    const missing = join(dir, 'missing.bin');
    expect(() => readDigits(missing)).toThrow(
      new RegExp(
        `^mnist: cannot read ${missing}: ENOENT.*; it holds the digits nabla ships: reinstall nabla`,
      ),
    );
    expect(() => readDigits(dir)).toThrow(`mnist: ${dir} is a directory, not a regular file`);
  });

  it('when it is truncated or too long', () => {
    const cut = file('cut.bin', shipped.subarray(0, shipped.length - 100));
    expect(() => readDigits(cut)).toThrow(
      `mnist: ${cut} is truncated: its header declares a body of ${shipped.length - 96} bytes (at least 1024), so ${shipped.length} bytes in all, but the file has ${shipped.length - 100}; ${remedy}`,
    );
    const long = file('long.bin', Buffer.concat([shipped, Buffer.from([1])]));
    expect(() => readDigits(long)).toThrow(
      `mnist: ${long} has the wrong size: its header declares`,
    );
    const head = file('head.bin', shipped.subarray(0, 10));
    expect(() => readDigits(head)).toThrow(
      `mnist: ${head} is not nabla's digit file: it has 10 bytes, fewer than the 96-byte header; ${remedy}`,
    );
  });

  it('when it is another kind of file, or another version', () => {
    const other = file('other.bin', `{ "data": [${'0,'.repeat(60)}0] }`);
    expect(() => readDigits(other)).toThrow(
      `mnist: ${other} is not nabla's digit file: it starts with "{ \\"data\\"", not "NBDIGITS"`,
    );
    const bytes = Buffer.from(shipped);
    bytes.writeUInt32LE(2, 8);
    const v2 = file('v2.bin', bytes);
    expect(() => readDigits(v2)).toThrow(
      `mnist: ${v2} is not nabla's digit file: its format version is 2; this nabla reads version 1`,
    );
    bytes.writeUInt32LE(1, 8);
    bytes.writeUInt32LE(32, 12);
    const big = file('big.bin', bytes);
    expect(() => readDigits(big)).toThrow('its images are 32 × 28 pixels, not 28 × 28');
  });

  it('when a byte of its body changed', () => {
    const bytes = Buffer.from(shipped);
    bytes[500_000] ^= 0x10;
    const damaged = file('damaged.bin', bytes);
    expect(() => readDigits(damaged)).toThrow(
      new RegExp(
        `^mnist: ${damaged} is damaged: the SHA-256 of its body is [0-9a-f]{64}, its header says [0-9a-f]{64}; `,
      ),
    );
  });

  it('when its pixels do not add up to the images its header declares', () => {
    const bytes = Buffer.from(shipped);
    bytes.writeUInt32LE(1002, 20); // one image more of digit 0 than the body holds
    const more = `mnist: more.bin is damaged: its coded pixels give 7840000 pixels (when 0 of their bytes are left), not the 7840784 its header declares; ${remedy}`;
    expect(() => decodeDigits(bytes, 'more.bin')).toThrow(more);
    expect(() => decodeDigitSplit(bytes, 'more.bin')).toThrow(more);
    bytes.writeUInt32LE(1000, 20); // one image fewer: the last run of zeros overshoots
    const fewer =
      'mnist: fewer.bin is damaged: its coded pixels give 7839396 pixels (when 168 of their bytes are left), not the 7839216 its header declares';
    expect(() => decodeDigits(bytes, 'fewer.bin')).toThrow(fewer);
    expect(() => decodeDigitSplit(bytes, 'fewer.bin')).toThrow(fewer);
    const grey = encodeDigits(
      synthetic([1, 0, 0, 0, 0, 0, 0, 0, 0, 1], (d) => (d === 9 ? 1 : 0.5)),
    );
    new DataView(grey.buffer).setUint32(56, 0, true); // no image of digit 9: its 784 bytes are left
    const left = `mnist: left.bin is damaged: 784 bytes are left after the 784 pixels its header declares; ${remedy}`;
    expect(() => decodeDigits(grey, 'left.bin')).toThrow(left);
    expect(() => decodeDigitSplit(grey, 'left.bin', { validation: 0, test: 0 })).toThrow(left);
  });

  it('when its palette holds a value outside [0, 1]', () => {
    const bytes = Buffer.from(shipped);
    bytes.writeFloatLE(2, 96 + 4 * 255);
    createHash('sha256').update(bytes.subarray(96)).digest().copy(bytes, 64);
    const message = `mnist: bright.bin has 2 for pixel byte 255, not a value in [0, 1]; ${remedy}`;
    expect(() => decodeDigits(bytes, 'bright.bin')).toThrow(message);
    expect(() => decodeDigitSplit(bytes, 'bright.bin')).toThrow(message);
  });
});
