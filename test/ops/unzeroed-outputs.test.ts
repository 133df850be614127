import { afterEach, describe, expect, it } from 'vitest';
import { emptyCache, manualSeed, noGrad, randn, type Tensor } from '../../src/index.js';
import { allocate } from '../../src/tensor/dtype.js';
import { engine } from '../../src/tensor/state.js';
import { BIG_BYTES, setUninitializedAllocator } from '../../src/tensor/storage.js';

// Outputs that their kernel overwrites whole (products, element-wise kernels) may come from memory
// that is not zeroed (Node's entry makes them with Buffer.allocUnsafeSlow). Here the memory is
// filled with NaN bit patterns instead: every kernel of the active backend must overwrite all of
// it, so the results are those computed over zeroed arrays, bit for bit.

const saved = engine.caches.storage.uninitialized;
afterEach(() => {
  engine.caches.storage.uninitialized = saved;
  emptyCache();
});

/** Array buffers of `bytes`, every byte 0xff (NaN as float32 and float64); counts their bytes. */
function garbage(made: number[]): (bytes: number) => ArrayBuffer {
  return (bytes) => {
    made.push(bytes);
    const buffer = new ArrayBuffer(bytes);
    new Uint8Array(buffer).fill(0xff);
    return buffer;
  };
}

/** A product, a broadcast bias, ReLU, exp, a product with itself and a comparison. */
function ops(dtype: 'float32' | 'float64'): Tensor[] {
  manualSeed(5);
  const a = randn([64, 96], { dtype });
  const b = randn([96, 80], { dtype });
  const row = randn([80], { dtype });
  return noGrad(() => {
    const p = a.matmul(b);
    const h = p.add(row).relu();
    return [p, h, h.neg().exp(), h.mul(p), p.gt(h), a.transpose(0, 1).matmul(a)];
  });
}

describe('outputs not zeroed before their kernel writes them', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`give the same bits as zeroed ones (${dtype})`, () => {
      engine.caches.storage.uninitialized = undefined;
      const want = ops(dtype).map((t) => Array.from(t.data));
      emptyCache();
      const made: number[] = [];
      setUninitializedAllocator(garbage(made));
      const got = ops(dtype).map((t) => Array.from(t.data));
      expect(made.length).toBeGreaterThanOrEqual(5);
      expect(Math.min(...made)).toBeGreaterThanOrEqual(BIG_BYTES);
      got.forEach((g, i) => expect(g).toEqual(want[i]));
    });
  }

  it('are never arrays that must start at zero, nor small ones', () => {
    const made: number[] = [];
    setUninitializedAllocator(garbage(made));
    expect(allocate('float32', 1 << 14).every((v) => v === 0)).toBe(true);
    noGrad(() => randn([4, 4]).matmul(randn([4, 4])));
    expect(made).toEqual([]);
  });
});
