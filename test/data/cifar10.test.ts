import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR10_CLASSES, parseCifar10 } from '../../src/data/cifar10.js';
import { readCifar10 } from '../../src/node/datasets.js';

/** One record per label; pixel j of record i holds (i · 7 + j) mod 256, so every byte is traceable. */
function records(labels: number[], first = 0): Uint8Array {
  const bytes = new Uint8Array(labels.length * 3073);
  labels.forEach((label, r) => {
    const i = first + r;
    bytes[r * 3073] = label;
    for (let j = 0; j < 3072; j++) bytes[r * 3073 + 1 + j] = (i * 7 + j) % 256;
  });
  return bytes;
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-cifar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseCifar10', () => {
  it('reads labels and channels-first pixels scaled to [0, 1]', () => {
    const { x, y } = parseCifar10(records([6, 9, 0]), 'batch');
    expect(x.shape).toEqual([3, 3, 32, 32]);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.data)).toEqual([6, 9, 0]);
    // x[i, c, h, w] is pixel byte c·1024 + h·32 + w of record i
    const at = (i: number, c: number, h: number, w: number): number =>
      x.data[((i * 3 + c) * 32 + h) * 32 + w];
    for (const [i, c, h, w] of [
      [0, 0, 0, 0],
      [1, 1, 5, 7],
      [2, 2, 31, 31],
    ]) {
      expect(at(i, c, h, w)).toBe(Math.fround(((i * 7 + c * 1024 + h * 32 + w) % 256) / 255));
    }
    expect(Math.min(...x.data)).toBe(0);
    expect(Math.max(...x.data)).toBe(1);
  });

  it('names the classes', () => {
    expect(CIFAR10_CLASSES).toHaveLength(10);
    expect(CIFAR10_CLASSES[0]).toBe('airplane');
    expect(CIFAR10_CLASSES[9]).toBe('truck');
  });

  it('refuses a length that is not a whole number of records', () => {
    expect(() => parseCifar10(new Uint8Array(3073 * 2 + 5), 'data_batch_1.bin')).toThrow(
      'data_batch_1.bin: 6151 bytes is not a whole number of CIFAR-10 records of 3073 bytes (1 label byte + 3072 pixel bytes); 2 records and 5 bytes over.',
    );
    expect(() => parseCifar10(new Uint8Array(0), 'empty.bin')).toThrow(
      'empty.bin: no CIFAR-10 records (0 bytes)',
    );
    expect(() => parseCifar10([1, 2] as never)).toThrow(/expected the bytes as a Uint8Array/);
  });

  it('refuses a label above 9', () => {
    expect(() => parseCifar10(records([1, 2, 10]), 'test_batch.bin')).toThrow(
      'test_batch.bin: record 2 (at byte 6146) has label 10; CIFAR-10 labels are 0–9',
    );
  });
});

describe('readCifar10', () => {
  function writeBatches(folder: string): void {
    mkdirSync(folder, { recursive: true });
    for (let b = 1; b <= 5; b++) {
      writeFileSync(join(folder, `data_batch_${b}.bin`), records([b, b - 1], 2 * (b - 1)));
    }
    writeFileSync(join(folder, 'test_batch.bin'), records([3]));
  }

  it('joins the five training batches and reads the test batch', () => {
    const folder = join(dir, 'flat');
    writeBatches(folder);
    const { train, test } = readCifar10(folder);
    expect(train.x.shape).toEqual([10, 3, 32, 32]);
    expect(Array.from(train.y.data)).toEqual([1, 0, 2, 1, 3, 2, 4, 3, 5, 4]);
    // record 7 (batch 4, second record) keeps its own pixels
    expect(train.x.data[7 * 3072 + 100]).toBe(Math.fround(((7 * 7 + 100) % 256) / 255));
    expect(test.x.shape).toEqual([1, 3, 32, 32]);
    expect(Array.from(test.y.data)).toEqual([3]);
  });

  it('finds the cifar-10-batches-bin folder the archive unpacks to', () => {
    const parent = join(dir, 'archive');
    writeBatches(join(parent, 'cifar-10-batches-bin'));
    expect(readCifar10(parent).train.y.shape).toEqual([10]);
  });

  it('names the file that is missing or malformed', () => {
    const folder = join(dir, 'bad');
    writeBatches(folder);
    writeFileSync(join(folder, 'data_batch_3.bin'), new Uint8Array(100));
    expect(() => readCifar10(folder)).toThrow(
      `cifar10: ${join(folder, 'data_batch_3.bin')}: 100 bytes is not a whole number of CIFAR-10 records`,
    );
    rmSync(join(folder, 'test_batch.bin'));
    writeFileSync(join(folder, 'data_batch_3.bin'), records([0]));
    expect(() => readCifar10(folder)).toThrow(
      `cifar10: cannot read ${join(folder, 'test_batch.bin')}: ENOENT`,
    );
  });
});
