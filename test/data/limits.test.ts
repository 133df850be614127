import { describe, expect, it } from 'vitest';
import { decodeCifar10 } from '../../src/data/cifar10.js';
import { checkAllocation, formatBytes } from '../../src/data/limits.js';

describe('formatBytes', () => {
  it('writes sizes in decimal units with two or three digits', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1000)).toBe('1.0 KB');
    expect(formatBytes(47040016)).toBe('47 MB');
    expect(formatBytes(1e9)).toBe('1.0 GB');
    expect(formatBytes(2 ** 30)).toBe('1.1 GB');
    expect(formatBytes(16e9)).toBe('16 GB');
    expect(formatBytes(999.6e6)).toBe('1.0 GB');
    expect(formatBytes(1e30)).toBe('1000000000000 EB');
  });
});

describe('checkAllocation', () => {
  it('refuses a tensor over 4 GB with the number, before allocating', () => {
    expect(() => checkAllocation(4e9, 4, 'shape [4000000000] as float32', 'f')).toThrow(
      /^f: shape \[4000000000\] as float32 would need 16 GB of memory, more than the 4\.0 GB/,
    );
    expect(() => checkAllocation(1e9, 4, 'x', 'f')).not.toThrow();
  });

  it('is applied to CIFAR-10 data before the images are allocated', () => {
    // Parts are only measured, never read, before the check: a fake length stands in for 1.4M records.
    const part = { length: 1.4e6 * 3073 } as unknown as Uint8Array;
    expect(() => decodeCifar10([part], 'batches')).toThrow(
      /^batches: 1400000 CIFAR-10 images as float32 would need 17 GB of memory/,
    );
  });
});
