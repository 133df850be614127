import { describe, expect, it } from 'vitest';
import {
  BatchNorm2d,
  Conv2d,
  Dropout2d,
  Flatten,
  Linear,
  MaxPool2d,
  ReLU,
  SGD,
  Sequential,
  decodeCheckpoint,
  decodeSafetensors,
  deserializeModel,
  encodeCheckpoint,
  fit,
  manualSeed,
  randint,
  randn,
  serializeModel,
  type Module,
  type Parameter,
} from '../../src/index.js';
import { u64 } from './safetensors-helpers.js';

/** A small convolutional network with batch norm (and channel dropout, to use the generator). */
function cnn(seed: number): Sequential {
  manualSeed(seed);
  return new Sequential(
    new Conv2d(1, 4, 3, { padding: 1 }),
    new BatchNorm2d(4),
    new ReLU(),
    new Dropout2d(0.1),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(4 * 3 * 3, 3),
  );
}

/** Trains `net` a few steps so that its running statistics move away from 0 and 1. */
function warm(net: Module): void {
  const opt = new SGD(net.parameters(), { lr: 0.1 });
  for (let i = 0; i < 3; i++) {
    const out = net.call(randn([8, 1, 6, 6]).add(2));
    const loss = out.sub(1).square().mean();
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
}

const bits = (m: Module): [string, number[]][] =>
  Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.data)]);

describe('model files with buffers', () => {
  it('save the running statistics and load them exactly; model.json lists the buffers', () => {
    const net = cnn(1);
    warm(net);
    const { json, weights } = serializeModel(net);
    const description = JSON.parse(json);
    expect(description.buffers).toEqual({
      '1.running_mean': [4],
      '1.running_var': [4],
      '1.num_batches_tracked': [],
    });
    expect(Object.keys(description.parameters)).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '6.weight',
      '6.bias',
    ]);
    const tensors = decodeSafetensors(weights).tensors;
    expect(tensors.get('1.num_batches_tracked')?.dtype).toBe('int32');
    expect(tensors.get('1.num_batches_tracked')?.item()).toBe(3);
    const { model } = deserializeModel(json, weights);
    expect(bits(model)).toEqual(bits(net));
    net.eval();
    model.eval();
    const x = randn([2, 1, 6, 6]);
    expect(Array.from(model.call(x).data)).toEqual(Array.from(net.call(x).data));
  });

  it('leave "buffers" out of model.json for a model without any', () => {
    const { json } = serializeModel(new Sequential(new Linear(2, 2)));
    expect(JSON.parse(json).buffers).toBeUndefined();
  });

  it('refuse a "buffers" list that differs from the architecture', () => {
    const net = cnn(2);
    const { json, weights } = serializeModel(net);
    const d = JSON.parse(json);
    d.buffers['1.running_mean'] = [5];
    expect(() => deserializeModel(JSON.stringify(d), weights)).toThrow(
      'model.json: "buffers" does not match the architecture: "1.running_mean" is listed as [5] but has shape [4]',
    );
    delete d.buffers;
    expect(() => deserializeModel(JSON.stringify(d), weights)).toThrow(
      '"buffers" does not match the architecture: "1.running_mean"',
    );
    d.buffers = { '1.running_std': [4] };
    expect(() => deserializeModel(JSON.stringify(d), weights)).toThrow(
      '"1.running_std" is not a buffer of the model',
    );
  });

  it("load PyTorch's int64 num_batches_tracked into the int32 buffer", () => {
    const bn = new BatchNorm2d(2);
    const json = serializeModel(bn).json;
    // The file PyTorch's safetensors.torch.save_file writes for BatchNorm2d(2) after 7 batches.
    const f32 = (v: number[]) => Array.from(new Uint8Array(new Float32Array(v).buffer));
    const entries: [string, string, number[], number[]][] = [
      ['weight', 'F32', [2], f32([1.5, 2])],
      ['bias', 'F32', [2], f32([0.25, -1])],
      ['running_mean', 'F32', [2], f32([0.5, -0.5])],
      ['running_var', 'F32', [2], f32([2, 3])],
      ['num_batches_tracked', 'I64', [], [...u64(7)]],
    ];
    let at = 0;
    const header: Record<string, unknown> = {};
    for (const [name, dtype, shape, bytes] of entries) {
      header[name] = { dtype, shape, data_offsets: [at, at + bytes.length] };
      at += bytes.length;
    }
    let text = JSON.stringify(header);
    while (text.length % 8 !== 0) text += ' ';
    const head = Array.from(new TextEncoder().encode(text));
    const bytes = new Uint8Array([...u64(head.length), ...head, ...entries.flatMap((e) => e[3])]);
    const { model } = deserializeModel(json, bytes);
    const loaded = model as BatchNorm2d;
    expect(loaded.numBatchesTracked?.dtype).toBe('int32');
    expect(loaded.numBatchesTracked?.item()).toBe(7);
    expect(Array.from(loaded.runningVar!.data)).toEqual([2, 3]);
    expect(Array.from(loaded.weight!.data)).toEqual([1.5, 2]);
  });
});

describe('training checkpoints with buffers', () => {
  it('keep the running statistics bit for bit through encode and decode', () => {
    const net = cnn(3);
    warm(net);
    let saved: Uint8Array | undefined;
    const x = randn([24, 1, 6, 6]);
    const y = randint(0, 3, [24]);
    fit(
      net,
      { x, y },
      {
        epochs: 1,
        batchSize: 8,
        checkpoint: { every: 1, save: (c) => (saved = encodeCheckpoint(c)) },
      },
    );
    const c = decodeCheckpoint(saved!);
    expect(Object.keys(c.model)).toContain('1.running_var');
    expect(c.model['1.num_batches_tracked'].dtype).toBe('int32');
    expect(c.model['1.num_batches_tracked'].item()).toBe(3 + 3);
    const restored = cnn(99);
    restored.loadStateDict(c.model);
    expect(bits(restored)).toEqual(bits(net));
  });

  it('resume a batch-norm CNN run that stopped mid-epoch to the same weights and statistics', () => {
    const x = randn([40, 1, 6, 6]);
    const y = randint(0, 3, [40]);
    const data = { x, y };
    const options = {
      epochs: 3,
      batchSize: 8,
      seed: 5,
      validation: 0.2,
      optimizer: (p: Parameter[]) => new SGD(p, { lr: 0.05, momentum: 0.9 }),
    };
    const whole = cnn(1);
    const left = fit(whole, data, options);

    let saved: Uint8Array | undefined;
    fit(cnn(1), data, {
      ...options,
      checkpoint: { every: 1000, save: (c) => (saved = encodeCheckpoint(c)) },
      callbacks: { onBatchEnd: (b) => (b.step === 6 ? 'stop' : undefined) },
    });
    const resumed = cnn(42);
    const right = fit(resumed, data, { ...options, resumeFrom: decodeCheckpoint(saved!) });
    expect(bits(resumed)).toEqual(bits(whole));
    expect(right.batchLosses).toEqual(left.batchLosses);
    expect((resumed.at(1) as BatchNorm2d).numBatchesTracked?.item()).toBe(left.steps);
  });
});
