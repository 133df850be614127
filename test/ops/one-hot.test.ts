import { describe, expect, it } from 'vitest';
import { oneHot, tensor } from '../../src/index.js';

describe('oneHot', () => {
  it('turns labels into one-hot rows of int32, as F.one_hot', () => {
    const y = oneHot(tensor([2, 0, 1], { dtype: 'int32' }), 3);
    expect(y.dtype).toBe('int32');
    expect(y.shape).toEqual([3, 3]);
    expect(Array.from(y.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  it('keeps the labels shape in front', () => {
    const y = oneHot(tensor([[1], [0]], { dtype: 'int32' }), 2);
    expect(y.shape).toEqual([2, 1, 2]);
    expect(Array.from(y.data)).toEqual([0, 1, 1, 0]);
  });

  it('refuses float labels, labels out of range and a bad class count', () => {
    expect(() => oneHot(tensor([0.5]), 2)).toThrow(
      /oneHot: labels must be an int32 tensor, got float32/,
    );
    expect(() => oneHot(tensor([0, 3], { dtype: 'int32' }), 3)).toThrow(
      /oneHot: label 3 at index 1 is out of range for 3 classes/,
    );
    expect(() => oneHot(tensor([0], { dtype: 'int32' }), 0)).toThrow(
      /numClasses must be a positive integer/,
    );
  });
});
