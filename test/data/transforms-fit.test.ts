import { describe, expect, it } from 'vitest';
import {
  Compose,
  decodeCheckpoint,
  encodeCheckpoint,
  fit,
  Flatten,
  Linear,
  manualSeed,
  Normalize,
  RandomCrop,
  RandomHorizontalFlip,
  ReLU,
  Sequential,
  Tensor,
  Generator,
  type FitOptions,
  type Module,
} from '../../src/index.js';

/** 48 images 1×6×6 whose class (0–2) is which third of the rows is bright, plus noise. */
function images(): { x: Tensor; y: Tensor } {
  const g = new Generator(2);
  const x = new Float32Array(48 * 36);
  const y = new Int32Array(48);
  for (let i = 0; i < 48; i++) {
    y[i] = i % 3;
    for (let p = 0; p < 36; p++) {
      const row = Math.floor(p / 6);
      x[i * 36 + p] = (Math.floor(row / 2) === y[i] ? 0.8 : 0.1) + 0.1 * g.random();
    }
  }
  return { x: new Tensor(x, [48, 1, 6, 6]), y: new Tensor(y, [48]) };
}

const data = images();

function network(seed: number): Module {
  manualSeed(seed);
  return new Sequential(new Flatten(), new Linear(36, 12), new ReLU(), new Linear(12, 3));
}

const augment = (p = 0.5): Compose =>
  new Compose([
    new RandomCrop(6, { padding: 1 }),
    new RandomHorizontalFlip(p),
    new Normalize([0.4], [0.3]),
  ]);

const options = (transform = augment()): FitOptions => ({
  epochs: 3,
  batchSize: 8,
  lr: 0.01,
  seed: 5,
  transform,
});

const bits = (m: Module): number[][] => m.parameters().map((p) => Array.from(p.data));

describe('fit with a training transform', () => {
  it('augments every batch: another run than without it, the same run for the same seed', () => {
    const a = network(1);
    const b = network(1);
    const c = network(1);
    const ha = fit(a, data, options());
    const hb = fit(b, data, options());
    const hc = fit(c, data, { ...options(), transform: undefined });
    expect(ha.batchLosses).toEqual(hb.batchLosses);
    expect(bits(a)).toEqual(bits(b));
    expect(ha.batchLosses).not.toEqual(hc.batchLosses);
  });

  it('records the transform in checkpoints and resumes mid-epoch bit for bit', () => {
    const whole = network(1);
    const left = fit(whole, data, options());
    let saved: Uint8Array | undefined;
    fit(network(1), data, {
      ...options(),
      checkpoint: { every: 1000, save: (c) => (saved = encodeCheckpoint(c)) },
      callbacks: { onBatchEnd: (b) => (b.step === 9 ? 'stop' : undefined) }, // epoch 2, batch 3
    });
    const c = decodeCheckpoint(saved!);
    expect([c.epoch, c.batch]).toEqual([2, 3]);
    expect(c.transform).toEqual(augment().toConfig());
    const resumed = network(99);
    const right = fit(resumed, data, { ...options(), resumeFrom: c });
    expect(right.batchLosses).toEqual(left.batchLosses);
    expect(bits(resumed)).toEqual(bits(whole));
  });

  it('refuses to resume with another transform, or none', () => {
    let saved: Uint8Array | undefined;
    fit(network(1), data, {
      ...options(),
      checkpoint: { every: 1000, save: (c) => (saved = encodeCheckpoint(c)) },
      callbacks: { onBatchEnd: (b) => (b.step === 2 ? 'stop' : undefined) },
    });
    const other = { ...options(augment(0.9)), resumeFrom: decodeCheckpoint(saved!) };
    expect(() => fit(network(1), data, other)).toThrow(
      /cannot resume from it: it was written with the training transform .*"p":0.5.*but this run has .*"p":0.9/,
    );
    const none = { ...options(), transform: undefined, resumeFrom: decodeCheckpoint(saved!) };
    expect(() => fit(network(1), data, none)).toThrow('but this run has none');
  });

  it('refuses a transform that is not one', () => {
    expect(() => fit(network(1), data, { ...options(), transform: 'flip' as never })).toThrow(
      'fit: transform must be a transform',
    );
  });
});
