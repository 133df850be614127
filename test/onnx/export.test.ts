import { describe, expect, it } from 'vitest';
import {
  AdaptiveAvgPool2d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  Dropout,
  Flatten,
  LayerNorm,
  Linear,
  MaxPool2d,
  PReLU,
  Sequential,
  Upsample,
  lenet5,
  manualSeed,
  mlp,
  randn,
  zeros,
  type Module,
} from '../../src/index.js';
import { ACTIVATIONS } from '../../src/io/onnx-activations.js';
import { exportOnnx, OnnxExportError } from '../../src/io/onnx-export.js';
import { moduleFromConfig } from '../../src/nn/config.js';
import { expectSameOutput } from './ort.js';

/** Exports `model` for an input like `shape` and checks ONNX Runtime on a batch of another size. */
async function roundTrip(model: Module, shape: number[], tol = 1e-5): Promise<void> {
  const bytes = exportOnnx(model, zeros(shape));
  await expectSameOutput(model, bytes, randn([shape[0] + 2, ...shape.slice(1)]), tol);
}

describe('exportOnnx, run by ONNX Runtime', () => {
  it('an MLP: the same outputs for a batch size other than the example', async () => {
    manualSeed(1);
    await roundTrip(mlp([4, 8, 3]), [1, 4]);
  });

  it('Linear on inputs of rank 3 and without bias', async () => {
    manualSeed(2);
    await roundTrip(new Sequential(new Linear(4, 5), new Linear(5, 2, { bias: false })), [2, 3, 4]);
  });

  it.each(Object.keys(ACTIVATIONS))('the activation %s', async (type) => {
    manualSeed(3);
    const config =
      type === 'Softmax' || type === 'LogSoftmax' || type === 'Softmin'
        ? { type, dim: 1 }
        : { type };
    const act = moduleFromConfig(config as never);
    await roundTrip(new Sequential(new Linear(4, 6), act), [3, 4], 1e-5);
  });

  it('PReLU with one slope and with a slope per channel', async () => {
    manualSeed(4);
    await roundTrip(new Sequential(new Linear(4, 6), new PReLU()), [3, 4]);
    await roundTrip(new Sequential(new Conv2d(2, 3, 3), new PReLU(3)), [2, 2, 6, 6]);
  });

  it('convolutions: stride, padding, dilation, groups, same/valid, no bias, 1-d, transposed', async () => {
    manualSeed(5);
    await roundTrip(
      new Conv2d(4, 6, 3, { stride: 2, padding: 1, dilation: 1, groups: 2 }),
      [2, 4, 9, 9],
    );
    await roundTrip(
      new Conv2d(2, 3, [3, 2], { padding: 'same', dilation: 2, bias: false }),
      [1, 2, 7, 8],
    );
    await roundTrip(new Conv2d(2, 3, 4, { padding: 'same' }), [1, 2, 7, 7]);
    await roundTrip(new Conv1d(2, 3, 3, { stride: 2, padding: 1 }), [2, 2, 11]);
    await roundTrip(
      new ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
      [1, 3, 5, 5],
    );
  });

  it('pooling: max with padding, dilation and ceil mode; average with and without padding counted; adaptive', async () => {
    manualSeed(6);
    await roundTrip(new MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }), [2, 2, 9, 9]);
    await roundTrip(new MaxPool2d(2, { dilation: 2 }), [1, 1, 8, 8]);
    await roundTrip(
      new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
      [1, 2, 7, 7],
    );
    await roundTrip(new AvgPool2d(2, { ceilMode: true }), [1, 2, 7, 7]);
    await roundTrip(new AdaptiveAvgPool2d(1), [2, 3, 5, 5]);
    await roundTrip(new AdaptiveAvgPool2d([2, 3]), [2, 3, 4, 6]);
  });

  it('normalization with trained running statistics, with and without affine weights', async () => {
    manualSeed(7);
    const bn = new BatchNorm2d(3);
    bn.train();
    for (let i = 0; i < 3; i++) bn.call(randn([4, 3, 5, 5]).mul(2).add(1));
    await roundTrip(new Sequential(new Conv2d(3, 3, 1), bn), [2, 3, 5, 5]);
    await roundTrip(
      new Sequential(new Linear(4, 3), new BatchNorm1d(3, { affine: false })),
      [2, 4],
    );
    await roundTrip(new Sequential(new Linear(4, 6), new LayerNorm(6)), [2, 4]);
    await roundTrip(new LayerNorm([3, 4], { elementwiseAffine: false }), [2, 3, 4]);
  });

  it('Flatten, Dropout (the identity) and LeNet-5', async () => {
    manualSeed(8);
    await roundTrip(new Sequential(new Flatten(2), new Dropout(0.5)), [2, 3, 4, 5]);
    await roundTrip(lenet5(), [1, 1, 28, 28], 1e-4);
  });

  it('keeps the state-dict names of the weights', async () => {
    const { onnx } = await import('../../src/io/onnx-graph.js');
    const model = mlp([4, 8, 3]);
    const decoded = onnx.ModelProto.decode(exportOnnx(model, zeros([1, 4])));
    const names = (decoded.graph?.initializer ?? []).map((t) => t.name);
    expect(names).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(Number(decoded.opsetImport[0].version)).toBe(17);
    expect(decoded.graph?.input?.[0].type?.tensorType?.shape?.dim?.[0].dimParam).toBe('batch');
  });

  it('names the layer it cannot export and what it can', () => {
    const model = new Sequential(new Conv2d(1, 1, 1), new Upsample({ scaleFactor: 2 }));
    expect(() => exportOnnx(model, zeros([1, 1, 4, 4]))).toThrow(OnnxExportError);
    expect(() => exportOnnx(model, zeros([1, 1, 4, 4]))).toThrow(
      /Upsample \(at '1'\) has no ONNX form yet; ONNX export supports Sequential, Linear, Conv1d/,
    );
    expect(() => exportOnnx(mlp([2, 2]), zeros([1, 2]), { opset: 11 })).toThrow(
      'opset must be an integer of at least 17, got 11',
    );
  });
});
