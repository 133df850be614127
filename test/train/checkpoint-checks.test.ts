import { describe, expect, it } from 'vitest';
import {
  Adam,
  AdamW,
  DataLoader,
  SGD,
  TensorDataset,
  arange,
  datasets,
  decodeCheckpoint,
  encodeCheckpoint,
  fit,
  manualSeed,
  mlp,
  type FitOptions,
  type Module,
  type Tensor,
} from '../../src/index.js';

const data = datasets.spiral({ samples: 60, classes: 3, noise: 0.1, seed: 4 });

function network(): Module {
  manualSeed(1);
  return mlp([2, 8, 3], { activation: 'tanh' });
}

const options: FitOptions = {
  epochs: 3,
  batchSize: 10,
  seed: 3,
  optimizer: (p) => new SGD(p, { lr: 0.05, momentum: 0.9 }),
};

/** A checkpoint taken mid-epoch 2 (6 steps an epoch), encoded. */
function midEpoch(): Uint8Array {
  let saved: Uint8Array | undefined;
  fit(network(), data, {
    ...options,
    checkpoint: { every: 1000, save: (c) => (saved = encodeCheckpoint(c)) },
    callbacks: { onBatchEnd: (b) => (b.step === 9 ? 'stop' : undefined) },
  });
  return saved!;
}

describe('a checkpoint is checked before a run resumes from it', () => {
  it('resumes from an untouched checkpoint', () => {
    const c = decodeCheckpoint(midEpoch());
    expect(c.order).not.toBeNull();
    expect(() => fit(network(), data, { ...options, resumeFrom: c })).not.toThrow();
  });

  it('refuses a shuffle order that is not a permutation, naming the field', () => {
    const dup = decodeCheckpoint(midEpoch());
    dup.order![1] = dup.order![0];
    expect(() => fit(network(), data, { ...options, resumeFrom: dup })).toThrow(
      /the checkpoint's "order" is not a permutation of 0…59: \d+ appears twice/,
    );
    const out = decodeCheckpoint(midEpoch());
    out.order![5] = 60;
    expect(() => fit(network(), data, { ...options, resumeFrom: out })).toThrow(
      `the checkpoint's "order" is not a permutation of 0…59: item 5 is 60`,
    );
    const short = decodeCheckpoint(midEpoch());
    short.order = short.order!.slice(0, 30);
    expect(() => fit(network(), data, { ...options, resumeFrom: short })).toThrow(
      `the checkpoint's "order" has 30 items but the dataset has 60`,
    );
  });

  it('refuses an optimizer state saved by another optimizer class', () => {
    const c = decodeCheckpoint(midEpoch());
    expect(() =>
      fit(network(), data, { ...options, optimizer: (p) => new Adam(p), resumeFrom: c }),
    ).toThrow(/Adam\.loadStateDict: .*this state dict comes from SGD, not Adam/);
  });

  it('keeps the optimizer class in the file: Adam state does not resume into AdamW', () => {
    const adam = { ...options, optimizer: (p: Tensor[]) => new Adam(p) };
    let saved: Uint8Array | undefined;
    fit(network(), data, {
      ...adam,
      checkpoint: { every: 1000, save: (c) => (saved = encodeCheckpoint(c)) },
      callbacks: { onBatchEnd: (b) => (b.step === 4 ? 'stop' : undefined) },
    });
    const c = decodeCheckpoint(saved!, 'adam.safetensors');
    expect(c.optimizer.optimizer).toBe('Adam');
    expect(() =>
      fit(network(), data, { ...options, optimizer: (p) => new AdamW(p), resumeFrom: c }),
    ).toThrow(
      'adam.safetensors: cannot resume from it: AdamW.loadStateDict: this state dict comes from Adam, not AdamW',
    );
    expect(() => fit(network(), data, { ...adam, resumeFrom: c })).not.toThrow();
  });

  it('refuses an optimizer state with a missing entry', () => {
    const c = decodeCheckpoint(midEpoch());
    delete c.optimizer.state[0].momentumBuffer;
    expect(() => fit(network(), data, { ...options, resumeFrom: c })).toThrow(
      'SGD.loadStateDict: the saved state of parameter 0 lacks momentumBuffer, which SGD needs',
    );
  });
});

describe('DataLoader.epoch with a saved order', () => {
  const loader = new DataLoader(new TensorDataset(arange(4)), { batchSize: 2 });
  it('takes a permutation and refuses anything else', () => {
    const { batches } = loader.epoch({ order: Int32Array.from([3, 2, 1, 0]), from: 1 });
    expect(Array.from(batches.next().value![0].data)).toEqual([1, 0]);
    expect(() => loader.epoch({ order: Int32Array.from([0, 1, 2, -1]), from: 0 })).toThrow(
      `DataLoader: the checkpoint's "order" is not a permutation of 0…3: item 3 is -1`,
    );
    expect(() => loader.epoch({ order: Int32Array.from([0, 1, 1, 3]), from: 0 })).toThrow(
      /1 appears twice/,
    );
  });
});
