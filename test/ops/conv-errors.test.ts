import { describe, expect, it } from 'vitest';
import { conv1d, conv2d, convTranspose2d, fold, ones, unfold, zeros } from '../../src/index.js';

/** The convolutions refuse bad arguments with a message that names the op, the values and what was expected. */

const x4 = ones([2, 3, 5, 5]);

describe('conv2d refuses', () => {
  it('a channel mismatch, naming both counts and the weight', () => {
    expect(() => conv2d(x4, ones([8, 4, 3, 3]))).toThrow(
      'conv2d: input has 3 channels but weight expects 4 (weight [8,4,3,3], groups 1)',
    );
    expect(() => conv2d(ones([1, 6, 5, 5]), ones([4, 2, 3, 3]), null, { groups: 2 })).toThrow(
      'conv2d: input has 6 channels but weight expects 4 (weight [4,2,3,3], groups 2)',
    );
  });

  it('groups that do not divide the channels', () => {
    expect(() => conv2d(x4, ones([4, 1, 3, 3]), null, { groups: 2 })).toThrow(
      "conv2d: groups 2 must divide the input's 3 channels",
    );
    expect(() => conv2d(ones([1, 4, 5, 5]), ones([3, 2, 3, 3]), null, { groups: 2 })).toThrow(
      "conv2d: groups 2 must divide the weight's 3 output channels (weight [3,2,3,3], groups 2)",
    );
    expect(() => conv2d(x4, ones([4, 3, 3, 3]), null, { groups: 0 })).toThrow(
      'conv2d: groups must be a positive integer, got 0',
    );
  });

  it('wrong ranks', () => {
    expect(() => conv2d(ones([3, 5]), ones([4, 3, 3, 3]))).toThrow(
      'conv2d: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got shape [3,5]',
    );
    expect(() => conv2d(x4, ones([4, 3, 3]))).toThrow(
      'conv2d: weight must be 4-D [out, in/groups, kh, kw], got shape [4,3,3]',
    );
    expect(() => conv2d(x4, ones([4, 3, 3, 3]), ones([3]))).toThrow(
      'conv2d: bias must have shape [4] (one per output channel), got shape [3]',
    );
  });

  it('a kernel larger than the padded input', () => {
    expect(() => conv2d(ones([1, 1, 3, 3]), ones([1, 1, 5, 5]))).toThrow(
      'conv2d: the kernel 5×5 (dilation 1×1) does not fit the input [1,1,3,3] padded by 0×0',
    );
    expect(() => conv2d(ones([1, 1, 3, 3]), ones([1, 1, 3, 3]), null, { dilation: 2 })).toThrow(
      'does not fit',
    );
    // padding makes room
    expect(conv2d(ones([1, 1, 3, 3]), ones([1, 1, 5, 5]), null, { padding: 1 }).shape).toEqual([
      1, 1, 1, 1,
    ]);
  });

  it("padding 'same' with a stride, and unknown padding words", () => {
    expect(() => conv2d(x4, ones([4, 3, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(
      "conv2d: padding 'same' needs stride 1 (as in PyTorch), got stride 2",
    );
    expect(() =>
      conv2d(x4, ones([4, 3, 3, 3]), null, { padding: 'full' as unknown as 'same' }),
    ).toThrow('conv2d: padding must be one of "same", "valid", got "full"');
    expect(() => conv2d(x4, ones([4, 3, 3, 3]), null, { padding: -1 })).toThrow(
      'conv2d: padding must be an integer >= 0, got -1',
    );
  });

  it('mixed dtypes, integer input, non-tensors and unknown options', () => {
    expect(() => conv2d(x4, ones([4, 3, 3, 3], { dtype: 'float64' }))).toThrow(
      'conv2d: input is float32 but weight is float64; give them one dtype',
    );
    expect(() => conv2d(zeros([1, 1, 3, 3], { dtype: 'int32' }), ones([1, 1, 1, 1]))).toThrow(
      'conv2d: input must be float32 or float64, got int32',
    );
    expect(() => conv2d(x4, [1, 2] as never)).toThrow(
      'conv2d: expected a Tensor as weight, got an array',
    );
    expect(() => conv2d(x4, ones([4, 3, 3, 3]), null, { strides: 2 } as never)).toThrow(
      'conv2d: unknown option "strides"; the options are stride, padding, dilation, groups',
    );
    expect(() => conv2d(x4, ones([4, 3, 3, 3]), null, { stride: [1, 0] })).toThrow(
      'conv2d: stride[1] must be a positive integer, got 0',
    );
  });
});

describe('conv1d refuses', () => {
  it('bad ranks, channels and options, in its own name and shapes', () => {
    expect(() => conv1d(ones([2, 3, 5, 5]), ones([4, 3, 3]))).toThrow(
      'conv1d: input must be 3-D [N, C, L] or 2-D [C, L], got shape [2,3,5,5]',
    );
    expect(() => conv1d(ones([2, 3, 5]), ones([8, 4, 3]))).toThrow(
      'conv1d: input has 3 channels but weight expects 4 (weight [8,4,3], groups 1)',
    );
    expect(() =>
      conv1d(ones([2, 3, 5]), ones([8, 3, 3]), null, { stride: [2, 2] as never }),
    ).toThrow('conv1d: stride must be a positive integer, got [2, 2]');
    expect(() =>
      conv1d(ones([2, 3, 5]), ones([8, 3, 3]), null, { padding: 'same', stride: 2 }),
    ).toThrow("conv1d: padding 'same' needs stride 1 (as in PyTorch), got stride 2");
    expect(() => conv1d(ones([1, 1, 3]), ones([1, 1, 5]))).toThrow(
      'conv1d: the kernel 5 (dilation 1) does not fit the input [1,1,3] padded by 0',
    );
    expect(conv1d(ones([1, 1, 3]), ones([1, 1, 5]), null, { padding: 1 }).shape).toEqual([1, 1, 1]);
    expect(() => conv1d(ones([2, 3, 5]), ones([8, 3, 3, 3]))).toThrow(
      'conv1d: weight must be 3-D [out, in/groups, kw], got shape [8,3,3,3]',
    );
  });
});

describe('convTranspose2d refuses', () => {
  it('a channel mismatch, a large outputPadding and an empty output', () => {
    expect(() => convTranspose2d(x4, ones([4, 2, 3, 3]))).toThrow(
      'convTranspose2d: input has 3 channels but weight expects 4 (weight [4,2,3,3], groups 1)',
    );
    expect(() => convTranspose2d(x4, ones([3, 2, 3, 3]), null, { outputPadding: 1 })).toThrow(
      'convTranspose2d: outputPadding must be smaller than either stride or dilation, got outputPadding [1, 1], stride [1, 1] and dilation [1, 1]',
    );
    expect(() =>
      convTranspose2d(ones([1, 1, 1, 1]), ones([1, 1, 1, 1]), null, { padding: 1 }),
    ).toThrow(
      'convTranspose2d: the output would be -1×-1 for the input [1,1,1,1], kernel 1×1 and padding 1×1; it must be at least 1×1',
    );
    expect(() => convTranspose2d(x4, ones([3, 2, 3, 3]), ones([3]))).toThrow(
      'convTranspose2d: bias must have shape [2] (one per output channel), got shape [3]',
    );
    expect(() => convTranspose2d(x4, ones([3, 2, 3, 3]), null, { groups: 2 })).toThrow(
      "convTranspose2d: groups 2 must divide the input's 3 channels",
    );
  });
});

describe('unfold and fold refuse', () => {
  it('wrong ranks, bad sizes and a column count that does not match the windows', () => {
    expect(() => unfold(ones([5, 5]), 2)).toThrow(
      'unfold: input must be 3-D or 4-D [N, C, H, W] ([C, H, W] unbatched), got shape [5,5]',
    );
    expect(() => unfold(x4, 6)).toThrow(
      'unfold: the kernel 6×6 (dilation 1×1) does not fit the input [2,3,5,5] padded by 0×0',
    );
    expect(() => unfold(x4, 2, { stride: 0 })).toThrow(
      'unfold: stride must be a positive integer, got 0',
    );
    expect(() => fold(ones([1, 10, 4]), [3, 3], 2)).toThrow(
      "fold: the input's 10 rows (dimension 1) must be a multiple of the kernel's 2×2 = 4 taps",
    );
    expect(() => fold(ones([1, 8, 5]), [3, 3], 2)).toThrow(
      'fold: the input has 5 columns but outputSize [3, 3] with kernel 2×2, stride 1×1, padding 0×0 and dilation 1×1 makes 2×2 = 4 windows',
    );
    expect(() => fold(ones([8]), [3, 3], 2)).toThrow(
      'fold: input must be 2-D or 3-D [N, C·kh·kw, L] ([C·kh·kw, L] unbatched), got shape [8]',
    );
  });
});
