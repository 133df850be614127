import { describe, expect, it } from 'vitest';
import { lenet5, smallVgg, zeros } from '../../src/index.js';

describe('lenet5 and smallVgg', () => {
  it('lenet5 has LeNet-5’s layers and parameter count (61,706 for 1×28×28, 10 classes)', () => {
    const net = lenet5();
    expect(net.numParameters()).toBe(156 + 2416 + 48120 + 10164 + 850);
    const shapes = Object.fromEntries(net.namedParameters().map(([k, p]) => [k, p.shape]));
    expect(shapes).toEqual({
      '0.weight': [6, 1, 5, 5],
      '0.bias': [6],
      '3.weight': [16, 6, 5, 5],
      '3.bias': [16],
      '7.weight': [120, 400],
      '7.bias': [120],
      '9.weight': [84, 120],
      '9.bias': [84],
      '11.weight': [10, 84],
      '11.bias': [10],
    });
    expect(net.call(zeros([2, 1, 28, 28])).shape).toEqual([2, 10]);
  });

  it('lenet5 follows the image size, channels and classes it is given', () => {
    const net = lenet5({ inChannels: 3, imageSize: 32, classes: 4 });
    expect(net.call(zeros([1, 3, 32, 32])).shape).toEqual([1, 4]);
    // 32 → 16 → 12 → 6: the first dense layer takes 16·6·6 inputs.
    expect(net.namedParameters().find(([k]) => k === '7.weight')?.[1].shape).toEqual([120, 576]);
  });

  it('smallVgg has PyTorch’s parameter count for the same network and batch-norm buffers', () => {
    const net = smallVgg();
    expect(net.numParameters()).toBe(
      896 + 64 + 9248 + 64 + 18496 + 128 + 36928 + 128 + 1048832 + 2570,
    );
    const keys = Object.keys(net.stateDict());
    expect(keys).toContain('1.running_mean');
    expect(keys).toContain('1.num_batches_tracked');
    expect(net.call(zeros([2, 3, 32, 32])).shape).toEqual([2, 10]);
  });

  it('lenet5 widens and takes batch norm after each convolution', () => {
    const net = lenet5({ channels: [16, 32], hidden: [128], batchNorm: true, dropout: 0.25 });
    const names = net.children().map((m) => m.constructor.name);
    expect(names).toEqual([
      'Conv2d',
      'BatchNorm2d',
      'ReLU',
      'MaxPool2d',
      'Conv2d',
      'BatchNorm2d',
      'ReLU',
      'MaxPool2d',
      'Flatten',
      'Dropout',
      'Linear',
      'ReLU',
      'Dropout',
      'Linear',
    ]);
    expect(net.numParameters()).toBe(416 + 32 + 12832 + 64 + 102528 + 1290);
    expect(net.call(zeros([3, 1, 28, 28])).shape).toEqual([3, 10]);
    expect(() => lenet5({ channels: [16] as never })).toThrow(
      /lenet5: channels must be two channel counts/,
    );
    expect(() => lenet5({ hidden: [0] })).toThrow(
      /lenet5: hidden\[0\] must be a positive integer, got 0/,
    );
    expect(() => lenet5({ batchNorm: 1 as never })).toThrow(
      /lenet5: batchNorm must be true or false/,
    );
  });

  it('refuses sizes the networks cannot take, naming the option', () => {
    expect(() => lenet5({ imageSize: 8 })).toThrow(/lenet5: imageSize must be at least 12/);
    expect(() => smallVgg({ imageSize: 30 })).toThrow(
      /smallVgg: imageSize must be a multiple of 4/,
    );
    expect(() => lenet5({ classes: 0 })).toThrow(
      /lenet5: classes must be a positive integer, got 0/,
    );
    expect(() => smallVgg({ dropout: 1 })).toThrow(
      /smallVgg: dropout must be a number in \[0, 1\)/,
    );
  });
});
