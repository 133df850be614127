import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabeledData } from '../../src/data/dataset.js';
import { parseCifar10 } from '../../src/data/cifar10.js';
import { readCifar10, type TrainTest } from '../../src/node/datasets.js';
import { flipBit, fuzzSuite, loadsOrFailsCleanly, RUNS, runs } from './fuzz.js';

// Every input either parses into well-formed records or is refused with an Error naming the file.
const NAME = 'fuzz_batch.bin';
const RECORD = 3073;
const { cases, dir } = fuzzSuite('CIFAR-10 reader');

function parseOrFailCleanly(bytes: Uint8Array): LabeledData | Error {
  const result = loadsOrFailsCleanly(() => parseCifar10(bytes, NAME), NAME, cases);
  if (result instanceof Error) {
    expect(result.message).toMatch(new RegExp(`^${NAME}: \\S`));
  } else {
    const n = bytes.length / RECORD;
    expect(result.x.shape).toEqual([n, 3, 32, 32]);
    expect(result.y.shape).toEqual([n]);
    for (let i = 0; i < n; i++) expect(result.y.data[i]).toBe(bytes[i * RECORD]);
    expect(result.x.data.every((v) => v >= 0 && v <= 1)).toBe(true);
  }
  return result;
}

/** `n` records with labels 0–9 and pixels that vary. */
const sample = (n: number): Uint8Array => {
  const bytes = new Uint8Array(n * RECORD);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 256;
  for (let r = 0; r < n; r++) bytes[r * RECORD] = r % 10;
  return bytes;
};

describe('CIFAR-10 reading of damaged or hostile input (fuzz)', () => {
  it('random bytes of any length, and of whole numbers of records', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc
            .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: -2, max: 2 }), fc.nat(255))
            .map(([n, extra, seed]) => {
              const bytes = new Uint8Array(n * RECORD + extra);
              for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + seed * 7) % 256;
              return bytes;
            }),
        ),
        (bytes) => {
          parseOrFailCleanly(bytes);
        },
      ),
      RUNS,
    );
  });

  it('every truncation of a valid two-record file', () => {
    const bytes = sample(2);
    for (let n = 0; n <= bytes.length; n++) {
      const result = parseOrFailCleanly(bytes.subarray(0, n));
      expect(result instanceof Error, `length ${n}`).toBe(n !== RECORD && n !== 2 * RECORD);
    }
  });

  it('every single-bit flip of the first and last 64 bytes of a valid record', () => {
    const bytes = sample(1);
    const bits = [...Array(512).keys()].flatMap((b) => [b, bytes.length * 8 - 1 - b]);
    for (const bit of bits) {
      const result = parseOrFailCleanly(flipBit(bytes, bit));
      // Only a label above 9 is wrong; a pixel flip changes a value.
      expect(result instanceof Error).toBe(bit < 8 && (bytes[0] ^ (1 << bit)) > 9);
    }
  });

  it('labels beyond 9 are refused, naming the record', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.nat(),
        fc.integer({ min: 10, max: 255 }),
        (n, r, label) => {
          const bytes = sample(n);
          const at = r % n;
          bytes[at * RECORD] = label;
          const result = parseOrFailCleanly(bytes);
          expect((result as Error).message).toMatch(
            new RegExp(`record ${at} \\(at byte ${at * RECORD}\\) has label ${label}`),
          );
        },
      ),
      runs(100),
    );
  });

  it('readCifar10: folders of files with wrong sizes, missing files or folders in their place', () => {
    const FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat('test_batch.bin');
    let folder = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { weight: 4, arbitrary: fc.integer({ min: 1, max: 2 }).map((n) => sample(n)) },
            { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
            { weight: 1, arbitrary: fc.constantFrom('missing', 'folder') },
          ),
          { minLength: 6, maxLength: 6 },
        ),
        (contents) => {
          const root = join(dir, `d${folder++}`);
          mkdirSync(root);
          contents.forEach((c, i) => {
            const path = join(root, FILES[i]);
            if (c === 'folder') mkdirSync(path);
            else if (c !== 'missing') writeFileSync(path, c);
          });
          const result = loadsOrFailsCleanly<TrainTest>(() => readCifar10(root), root, cases);
          const good = contents.every(
            (c) => c instanceof Uint8Array && c.length > 0 && c.length % RECORD === 0,
          );
          expect(result instanceof Error, String(result)).toBe(!good);
          if (result instanceof Error) expect(result.message).toMatch(/^cifar10: /);
        },
      ),
      runs(60),
    );
  });
});
