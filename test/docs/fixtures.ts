// Small stand-ins for the data sets users download, written where the examples that read them
// look (under data/ in the example's scratch folder), so that those examples run for real.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '../data/idx-encode.js';

const IMAGES = 3;

/** `count` 28×28 byte images (a ramp) as IDX bytes. */
function idxImages(count: number): Uint8Array {
  const pixels = Array.from({ length: count * 28 * 28 }, (_, i) => i % 256);
  return encodeIdx(0x08, [count, 28, 28], pixels);
}

/** `count` labels 0, 1, 2, … as IDX bytes. */
function idxLabels(count: number): Uint8Array {
  return encodeIdx(
    0x08,
    [count],
    Array.from({ length: count }, (_, i) => i % 10),
  );
}

/** `count` CIFAR-10 records: a label byte, then 3·32·32 pixel bytes. */
function cifarBatch(count: number): Uint8Array {
  const record = 1 + 3 * 32 * 32;
  const bytes = new Uint8Array(count * record);
  for (let r = 0; r < count; r++) bytes[r * record] = r % 10;
  return bytes;
}

/** Writes every stand-in below `dir`: MNIST-style IDX files and CIFAR-10 batches. */
export function writeDataFixtures(dir: string): void {
  const data = join(dir, 'data');
  const fashion = join(data, 'fashion-mnist');
  mkdirSync(fashion, { recursive: true });
  writeFileSync(join(data, 'train-images-idx3-ubyte.gz'), gzipSync(idxImages(IMAGES)));
  for (const kind of ['train', 't10k']) {
    writeFileSync(join(fashion, `${kind}-images-idx3-ubyte`), idxImages(IMAGES));
    writeFileSync(join(fashion, `${kind}-labels-idx1-ubyte`), idxLabels(IMAGES));
  }
  for (let b = 1; b <= 5; b++) writeFileSync(join(data, `data_batch_${b}.bin`), cifarBatch(2));
  writeFileSync(join(data, 'test_batch.bin'), cifarBatch(2));
}
