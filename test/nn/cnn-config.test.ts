import { describe, expect, it } from 'vitest';
import {
  AdaptiveAvgPool2d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  Dropout2d,
  Flatten,
  GroupNorm,
  LayerNorm,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
  Upsample,
  moduleFromConfig,
  type Module,
} from '../../src/index.js';

describe('toConfig and fromConfig', () => {
  const examples: Module[] = [
    new Conv2d(3, 8, 3),
    new Conv2d(4, 6, [3, 5], {
      stride: [2, 1],
      padding: [1, 2],
      dilation: 2,
      groups: 2,
      bias: false,
      paddingMode: 'reflect',
      init: 'kaimingNormal',
      dtype: 'float64',
    }),
    new Conv2d(2, 2, 3, { padding: 'same' }),
    new Conv1d(4, 8, 3, { padding: 'valid', stride: 2, paddingMode: 'replicate' }),
    new ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }),
    new MaxPool2d(3, { stride: 2, padding: 1, dilation: 1, ceilMode: true }),
    new AvgPool2d([2, 3], { countIncludePad: false, divisorOverride: 4 }),
    new AdaptiveAvgPool2d([3, null]),
    new AdaptiveAvgPool2d(1),
    new BatchNorm1d(4, { eps: 1e-3, momentum: null, affine: false }),
    new BatchNorm2d(8, { trackRunningStats: false, dtype: 'float64' }),
    new LayerNorm([4, 5], { elementwiseAffine: true, bias: false }),
    new LayerNorm(3, { elementwiseAffine: false }),
    new GroupNorm(2, 6, { eps: 1e-4, affine: false }),
    new Dropout2d(0.25),
    new Upsample({ size: [4, 6], mode: 'bilinear', alignCorners: false }),
    new Upsample({ scaleFactor: 2 }),
  ];

  it.each(examples.map((m) => [m.toString(), m] as const))(
    '%s comes back as itself',
    (_, module) => {
      const copy = moduleFromConfig(JSON.parse(JSON.stringify(module.toConfig())));
      expect(copy.constructor).toBe(module.constructor);
      expect(copy.toConfig()).toEqual(module.toConfig());
      expect(copy.toString()).toBe(module.toString());
      expect(Object.entries(copy.stateDict()).map(([k, t]) => [k, t.dtype, t.shape])).toEqual(
        Object.entries(module.stateDict()).map(([k, t]) => [k, t.dtype, t.shape]),
      );
    },
  );

  it('refuses a malformed config with the field named', () => {
    expect(() => moduleFromConfig({ type: 'Conv2d', inChannels: 1, outChannels: 2 })).toThrow(
      'model config: Conv2d.kernelSize must be',
    );
    expect(() =>
      moduleFromConfig({ type: 'BatchNorm2d', numFeatures: 2, momentum: 'fast' }),
    ).toThrow('model config: BatchNorm2d.momentum must be a probability');
  });
});

describe('summary', () => {
  it('shows each layer of a LeNet-like network with its output shape', () => {
    const lenet = new Sequential(
      new Conv2d(1, 6, 5),
      new BatchNorm2d(6),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(6, 16, 5),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(256, 120),
      new ReLU(),
      new Linear(120, 10),
    );
    const text = lenet.summary([2, 1, 28, 28]);
    const rows = text.split('\n').slice(2, 13);
    const cell = (i: number) => rows[i].split(/\s{2,}/);
    expect(cell(0)).toEqual(['0', 'Conv2d(1→6, 5×5)', '[2,6,24,24]', '156']);
    expect(cell(1)).toEqual(['1', 'BatchNorm2d(6)', '[2,6,24,24]', '12']);
    expect(cell(3)).toEqual(['3', 'MaxPool2d(2×2)', '[2,6,12,12]', '0']);
    expect(cell(4)).toEqual(['4', 'Conv2d(6→16, 5×5)', '[2,16,8,8]', '2,416']);
    expect(cell(6)[2]).toBe('[2,16,4,4]');
    expect(cell(7)[2]).toBe('[2,256]');
    expect(cell(10)[2]).toBe('[2,10]');
    expect(text).toContain('total parameters: 34,634'); // 156 + 12 + 2,416 + 30,840 + 1,210
    // Running the summary leaves the running statistics and the training flag alone.
    const bn = lenet.at(1) as BatchNorm2d;
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(bn.training).toBe(true);
  });

  it('runs a float64 network on a float64 input', () => {
    const net = new Sequential(
      new Conv2d(1, 2, 3, { dtype: 'float64' }),
      new BatchNorm2d(2, { dtype: 'float64' }),
    );
    expect(net.summary([1, 1, 5, 5])).toContain('[1,2,3,3]');
  });
});
