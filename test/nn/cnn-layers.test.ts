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
  Generator,
  GroupNorm,
  LayerNorm,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  Upsample,
  conv1d,
  conv2d,
  manualSeed,
  ones,
  pad,
  randn,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { expectValues } from '../helpers.js';

const shapes = (m: Module): Record<string, readonly number[]> =>
  Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape]));

describe("the layers' state, as PyTorch names and shapes it", () => {
  // Written from PyTorch's nn modules: {name: shape} of module.state_dict().
  const cases: [string, () => Module, Record<string, number[]>][] = [
    ['Conv2d(3, 8, 3)', () => new Conv2d(3, 8, 3), { weight: [8, 3, 3, 3], bias: [8] }],
    [
      'Conv2d(4, 6, (3, 5), groups=2, bias=False)',
      () => new Conv2d(4, 6, [3, 5], { groups: 2, bias: false }),
      { weight: [6, 2, 3, 5] },
    ],
    ['Conv1d(4, 8, 3)', () => new Conv1d(4, 8, 3), { weight: [8, 4, 3], bias: [8] }],
    [
      'ConvTranspose2d(4, 6, 3, groups=2)',
      () => new ConvTranspose2d(4, 6, 3, { groups: 2 }),
      { weight: [4, 3, 3, 3], bias: [6] },
    ],
    [
      'BatchNorm2d(8)',
      () => new BatchNorm2d(8),
      {
        weight: [8],
        bias: [8],
        running_mean: [8],
        running_var: [8],
        num_batches_tracked: [],
      },
    ],
    [
      'BatchNorm1d(5, affine=False)',
      () => new BatchNorm1d(5, { affine: false }),
      { running_mean: [5], running_var: [5], num_batches_tracked: [] },
    ],
    [
      'BatchNorm1d(5, track_running_stats=False)',
      () => new BatchNorm1d(5, { trackRunningStats: false }),
      { weight: [5], bias: [5] },
    ],
    ['LayerNorm([4, 5])', () => new LayerNorm([4, 5]), { weight: [4, 5], bias: [4, 5] }],
    ['LayerNorm(4, bias=False)', () => new LayerNorm(4, { bias: false }), { weight: [4] }],
    [
      'LayerNorm(4, elementwise_affine=False)',
      () => new LayerNorm(4, { elementwiseAffine: false }),
      {},
    ],
    ['GroupNorm(2, 6)', () => new GroupNorm(2, 6), { weight: [6], bias: [6] }],
    ['MaxPool2d(2)', () => new MaxPool2d(2), {}],
    ['AvgPool2d(2)', () => new AvgPool2d(2), {}],
    ['AdaptiveAvgPool2d(1)', () => new AdaptiveAvgPool2d(1), {}],
    ['Dropout2d()', () => new Dropout2d(), {}],
    ['Upsample(scale_factor=2)', () => new Upsample({ scaleFactor: 2 }), {}],
  ];
  it.each(cases)('%s', (_, make, expected) => {
    const m = make();
    expect(shapes(m)).toEqual(expected);
    expect(Object.keys(m.stateDict())).toEqual(Object.keys(expected));
  });

  it('keys a network as PyTorch keys it (features.0.weight, bn1.running_mean)', () => {
    class Net extends Module {
      features = new Sequential(new Conv2d(1, 4, 3), new ReLU());
      bn1 = new BatchNorm2d(4);
      forward(x: Tensor) {
        return this.bn1.call(this.features.call(x));
      }
    }
    expect(Object.keys(new Net().stateDict())).toEqual([
      'features.0.weight',
      'features.0.bias',
      'bn1.weight',
      'bn1.bias',
      'bn1.running_mean',
      'bn1.running_var',
      'bn1.num_batches_tracked',
    ]);
  });
});

describe('initialization, as PyTorch', () => {
  it('draws conv weights and biases from U(−1/√fanIn, 1/√fanIn), fanIn = in/groups · kernel', () => {
    manualSeed(3);
    for (const [m, fanIn] of [
      [new Conv2d(6, 8, [3, 2], { groups: 2 }), 3 * 3 * 2],
      [new Conv1d(5, 4, 3), 15],
      [new ConvTranspose2d(4, 6, 3), 6 * 9],
    ] as const) {
      const bound = 1 / Math.sqrt(fanIn);
      for (const p of [m.weight.data, m.bias!.data]) {
        const values = Array.from(p);
        expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bound);
        expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(bound / 4);
      }
    }
  });

  it('is seeded: the same generator gives the same weights', () => {
    const a = new Conv2d(2, 3, 3, { generator: new Generator(5) });
    const b = new Conv2d(2, 3, 3, { generator: new Generator(5) });
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
    const z = new Conv2d(2, 3, 3, { init: 'zeros' });
    expect(Array.from(z.weight.data).every((v) => v === 0)).toBe(true);
  });

  it('starts norm weights at 1 and biases at 0; resetParameters resets the running statistics', () => {
    const bn = new BatchNorm2d(3);
    expect(Array.from(bn.weight!.data)).toEqual([1, 1, 1]);
    expect(Array.from(bn.bias!.data)).toEqual([0, 0, 0]);
    bn.call(randn([4, 3, 2, 2]).add(5));
    expect(bn.numBatchesTracked!.item()).toBe(1);
    bn.resetParameters();
    expect(Array.from(bn.runningMean!.data)).toEqual([0, 0, 0]);
    expect(Array.from(bn.runningVar!.data)).toEqual([1, 1, 1]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    const gn = new GroupNorm(1, 2);
    expect(Array.from(gn.weight!.data)).toEqual([1, 1]);
  });
});

describe('forward passes', () => {
  it('Conv2d and Conv1d call the functional ops with their options', () => {
    const c = new Conv2d(2, 4, [3, 2], { stride: [2, 1], padding: 1, dilation: [1, 2] });
    const x = randn([2, 2, 7, 6]);
    const want = conv2d(x, c.weight, c.bias, { stride: [2, 1], padding: 1, dilation: [1, 2] });
    expectValues(c.call(x), want.toArray() as number[][][][]);
    const c1 = new Conv1d(4, 2, 3, { padding: 'same', groups: 2 });
    const x1 = randn([3, 4, 8]);
    const want1 = conv1d(x1, c1.weight, c1.bias, { padding: 'same', groups: 2 });
    expectValues(c1.call(x1), want1.toArray() as number[][][]);
  });

  it('pads by the padding mode before convolving (reflect, replicate), as PyTorch', () => {
    const c = new Conv2d(1, 1, 3, { padding: [1, 2], paddingMode: 'reflect', bias: false });
    const x = randn([1, 1, 5, 6]);
    const padded = pad(x, [2, 2, 1, 1], { mode: 'reflect' });
    expectValues(c.call(x), conv2d(padded, c.weight).toArray() as number[][][][], 1e-5);
    const s = new Conv1d(1, 1, 4, { padding: 'same', paddingMode: 'replicate', bias: false });
    const x1 = tensor([[[1, 2, 3, 4, 5]]]);
    // 'same' with kernel 4 pads 1 on the left and 2 on the right.
    const p1 = pad(x1, [1, 2], { mode: 'replicate' });
    expect(s.call(x1).shape).toEqual([1, 1, 5]);
    expectValues(s.call(x1), conv1d(p1, s.weight).toArray() as number[][][], 1e-5);
  });

  it('ConvTranspose2d gives the size PyTorch gives', () => {
    const up = new ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 });
    expect(up.call(randn([1, 4, 5, 5])).shape).toEqual([1, 2, 10, 10]);
  });

  it('BatchNorm2d in training: per-channel batch statistics; running stats with the unbiased variance', () => {
    const bn = new BatchNorm2d(1, { momentum: 0.5 });
    const x = tensor([[[[1, 3]]], [[[5, 7]]]]); // one channel: mean 4, biased var 5, unbiased 20/3
    const y = bn.call(x);
    const s = Math.sqrt(5 + 1e-5);
    expectValues(y, [[[[-3 / s, -1 / s]]], [[[1 / s, 3 / s]]]], 1e-5);
    expectValues(bn.runningMean!, [2], 1e-6);
    expectValues(bn.runningVar!, [0.5 + 0.5 * (20 / 3)], 1e-6);
  });

  it('BatchNorm with momentum null keeps the cumulative average of the batch statistics', () => {
    const bn = new BatchNorm1d(1, { momentum: null });
    bn.call(tensor([[0], [2]])); // mean 1
    bn.call(tensor([[4], [6]])); // mean 5
    bn.call(tensor([[6], [6]])); // mean 6
    expectValues(bn.runningMean!, [(1 + 5 + 6) / 3], 1e-6);
    expect(bn.numBatchesTracked!.item()).toBe(3);
  });

  it('BatchNorm without running statistics uses the batch in evaluation too', () => {
    const bn = new BatchNorm1d(1, { trackRunningStats: false }).eval();
    const y = bn.call(tensor([[1], [3]]));
    expectValues(y, [[-1 / Math.sqrt(1 + 1e-5)], [1 / Math.sqrt(1 + 1e-5)]], 1e-5);
  });

  it('BatchNorm refuses an input of the wrong rank, naming the layer', () => {
    expect(() => new BatchNorm2d(3).call(randn([2, 3]))).toThrow(
      'BatchNorm2d(3): expected a 4-d input [N, C, H, W], got shape [2,3]',
    );
    expect(() => new BatchNorm1d(3).call(randn([2, 3, 1, 1]))).toThrow(
      'BatchNorm1d(3): expected a 2-d or 3-d',
    );
  });

  it('LayerNorm and GroupNorm normalize with their affine parameters', () => {
    const ln = new LayerNorm(2);
    ln.weight!.data.set([2, 1]);
    ln.bias!.data.set([0, 10]);
    const k = 1 / Math.sqrt(1 + 1e-5);
    expectValues(ln.call(tensor([[1, 3]])), [[-2 * k, 10 + k]], 1e-5);
    const gn = new GroupNorm(2, 4);
    const y = gn.call(tensor([[[1], [3], [5], [5]]]));
    expectValues(y, [[[-k], [k], [0], [0]]], 1e-5);
  });

  it('pooling layers give PyTorch sizes and values', () => {
    const x = tensor([
      [
        [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
          [9, 10, 11, 12],
          [13, 14, 15, 16],
        ],
      ],
    ]);
    expectValues(new MaxPool2d(2).call(x), [
      [
        [
          [6, 8],
          [14, 16],
        ],
      ],
    ]);
    expectValues(new AvgPool2d(2).call(x), [
      [
        [
          [3.5, 5.5],
          [11.5, 13.5],
        ],
      ],
    ]);
    expectValues(
      new AvgPool2d(2, { stride: 1, padding: 1, countIncludePad: false })
        .call(x)
        .narrow(2, 0, 1)
        .narrow(3, 0, 1),
      [[[[1]]]],
    );
    expectValues(new AdaptiveAvgPool2d(1).call(x), [[[[8.5]]]]);
    expect(new MaxPool2d(3, { stride: 2, ceilMode: true }).call(randn([1, 1, 6, 6])).shape).toEqual(
      [1, 1, 3, 3],
    );
    expect(new AdaptiveAvgPool2d([2, null]).call(randn([2, 3, 5, 7])).shape).toEqual([2, 3, 2, 7]);
  });

  it('Dropout2d zeroes whole channels and scales the rest by 1/(1 − p), seeded; eval passes through', () => {
    const d = new Dropout2d(0.5, { generator: new Generator(1) });
    const y = d.call(ones([4, 8, 3, 3]));
    const maps = Array.from({ length: 32 }, (_, i) => Array.from(y.data.slice(i * 9, i * 9 + 9)));
    for (const m of maps) expect(m.every((v) => v === 0) || m.every((v) => v === 2)).toBe(true);
    const zeroed = maps.filter((m) => m[0] === 0).length;
    expect(zeroed).toBeGreaterThan(4);
    expect(zeroed).toBeLessThan(28);
    const again = new Dropout2d(0.5, { generator: new Generator(1) }).call(ones([4, 8, 3, 3]));
    expect(Array.from(again.data)).toEqual(Array.from(y.data));
    d.eval();
    const x = randn([2, 3, 2, 2]);
    expect(d.call(x)).toBe(x);
    expect(() => d.call(randn([2, 3]))).toThrow('Dropout2d: expected a 4-d input');
  });

  it('Upsample resizes as interpolate', () => {
    const x = tensor([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    expectValues(new Upsample({ scaleFactor: 2 }).call(x), [
      [
        [
          [1, 1, 2, 2],
          [1, 1, 2, 2],
          [3, 3, 4, 4],
          [3, 3, 4, 4],
        ],
      ],
    ]);
    const b = new Upsample({ size: 3, mode: 'bilinear', alignCorners: true }).call(x);
    expectValues(b, [
      [
        [
          [1, 1.5, 2],
          [2, 2.5, 3],
          [3, 3.5, 4],
        ],
      ],
    ]);
  });
});

describe('argument checks name the layer', () => {
  it.each([
    [
      () => new Conv2d(3, 8, 3, { groups: 2 }),
      'Conv2d: inChannels must be divisible by groups (2), got 3',
    ],
    [
      () => new Conv2d(4, 6, 3, { groups: 4 }),
      'Conv2d: outChannels must be divisible by groups (4), got 6',
    ],
    [
      () => new Conv2d(1, 1, 3, { padding: 'same', stride: 2 }),
      "Conv2d: stride must be 1 with padding 'same'",
    ],
    [() => new Conv2d(1, 1, 0), 'Conv2d: kernelSize must be a positive integer'],
    [
      () => new Conv2d(1, 1, 3, { paddingMode: 'circular' as never }),
      'Conv2d: paddingMode must be one of',
    ],
    [() => new Conv2d(1, 1, 3, { strides: 2 } as never), 'Conv2d: unknown option "strides"'],
    [
      () => new ConvTranspose2d(1, 1, 3, { outputPadding: 1 }),
      'ConvTranspose2d: outputPadding must be smaller than either stride or dilation',
    ],
    [
      () => new MaxPool2d(2, { padding: 2 }),
      'MaxPool2d: padding must be at most half the kernel size',
    ],
    [
      () => new AvgPool2d(2, { divisorOverride: 0 }),
      'AvgPool2d: divisorOverride must be a non-zero integer or null',
    ],
    [() => new AdaptiveAvgPool2d(0), 'AdaptiveAvgPool2d: outputSize must be a positive integer'],
    [() => new BatchNorm2d(0), 'BatchNorm2d: numFeatures must be a positive integer, got 0'],
    [
      () => new BatchNorm2d(2, { momentum: 2 }),
      'BatchNorm2d: momentum must be a number in [0, 1] or null, got 2',
    ],
    [() => new GroupNorm(4, 6), 'GroupNorm: numChannels must be divisible by numGroups (4), got 6'],
    [
      () => new LayerNorm([]),
      'LayerNorm: normalizedShape must be a positive integer or a non-empty list',
    ],
    [() => new Dropout2d(1.5), 'Dropout2d: p must be a probability in [0, 1], got 1.5'],
    [() => new Upsample({}), 'Upsample: give exactly one of size and scaleFactor'],
    [
      () => new Upsample({ size: 2, alignCorners: true }),
      'Upsample: alignCorners must be left out in nearest mode',
    ],
  ] as const)('%#', (make, message) => {
    expect(make).toThrow(message);
  });
});
