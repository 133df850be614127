import { afterEach, describe, expect, it } from 'vitest';
import { emptyCache, manualSeed, memoryStats, randn } from '../../src/index.js';
import { allocate } from '../../src/tensor/dtype.js';
import { release, SMALL_BYTES } from '../../src/tensor/storage.js';

// Arrays above 64 bytes are cached too (V8 keeps smaller ones in its own heap, cheaply): a small
// network's gradients are reused by the next pass, zeroed, with the same results.

afterEach(() => emptyCache());

describe('caching allocator, small arrays', () => {
  it('caches arrays from SMALL_BYTES up, and hands them out zeroed', () => {
    const tiny = allocate('float32', (SMALL_BYTES - 1) / 4); // 64 bytes: left to V8
    release(tiny, 'float32');
    expect(memoryStats().cachedBytes).toBe(0);
    const a = allocate('float32', 512);
    a.fill(3);
    release(a, 'float32');
    release(a, 'float32'); // a second release is ignored
    expect(memoryStats().cachedBytes).toBe(2048);
    const b = allocate('float32', 512);
    expect(b).toBe(a);
    expect(b.every((v) => v === 0)).toBe(true);
    expect(allocate('float32', 512)).not.toBe(a);
    expect(allocate('float64', 256)).not.toBe(a); // same bytes, another dtype
  });

  it('reuses a small network’s gradients in the next pass, with the same results', () => {
    manualSeed(4);
    const x = randn([32, 2]);
    const w1 = randn([2, 16], { requiresGrad: true });
    const w2 = randn([16, 16], { requiresGrad: true });
    const step = (): Float32Array[] => {
      w1.grad = null;
      w2.grad = null;
      x.matmul(w1).tanh().matmul(w2).tanh().square().sum().backward();
      return [w1.grad!.data.slice() as Float32Array, w2.grad!.data.slice() as Float32Array];
    };
    const first = step();
    const before = memoryStats().reusedBytes;
    for (let i = 0; i < 3; i++) expect(step()).toEqual(first);
    expect(memoryStats().reusedBytes - before).toBeGreaterThan(0);
  });
});
