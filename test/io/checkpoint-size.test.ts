import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/io/checkpoint.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import {
  datasets,
  fit,
  manualSeed,
  mlp,
  SGD,
  type EpochInfo,
  type TrainingCheckpoint,
} from '../../src/index.js';

/** A real checkpoint of a few steps on the spiral, stopped mid-epoch. */
function realCheckpoint(): TrainingCheckpoint {
  manualSeed(3);
  const model = mlp([2, 8, 3], { activation: 'tanh' });
  let saved: TrainingCheckpoint | undefined;
  fit(model, datasets.spiral({ samples: 60, classes: 3, seed: 1 }), {
    epochs: 2,
    batchSize: 16,
    seed: 4,
    optimizer: (p) => new SGD(p, { lr: 0.1, momentum: 0.9 }),
    checkpoint: { every: 1000, save: (c) => (saved = c) },
    callbacks: { onBatchEnd: (b) => (b.step === 3 ? 'stop' : undefined) },
  });
  return saved!;
}

/** The length of a safetensors file's JSON header (its first 8 bytes, little-endian). */
const headerBytes = (bytes: Uint8Array): number =>
  Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));

/** The first index where two lists differ in their bits (NaN payloads and −0 included), or −1. */
function firstDifference(a: number[], b: number[]): number {
  const x = new BigInt64Array(Float64Array.from(a).buffer);
  const y = new BigInt64Array(Float64Array.from(b).buffer);
  if (x.length !== y.length) return Math.min(x.length, y.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

describe('checkpoints of bounded size', () => {
  it('keeps two million steps of history out of the header, and reads them back exactly', () => {
    const c = realCheckpoint();
    const steps = 2_000_000;
    const losses = new Array<number>(steps);
    for (let i = 0; i < steps; i++) losses[i] = Math.exp(-i / 1e5) * (1 + Math.sin(i) / 3);
    losses[5] = NaN;
    losses[6] = Infinity;
    losses[7] = -0;
    losses[8] = Number.MIN_VALUE;
    const long: TrainingCheckpoint = {
      ...c,
      history: { ...c.history, steps, batchLosses: losses },
    };
    const started = performance.now();
    const bytes = encodeCheckpoint(long);
    const seconds = (performance.now() - started) / 1000;
    expect(headerBytes(bytes)).toBeLessThan(1 << 20);
    // The header is that of a three-step checkpoint: the body holds the 16 MB of losses.
    expect(headerBytes(bytes)).toBeLessThan(headerBytes(encodeCheckpoint(c)) + 200);
    expect(seconds).toBeLessThan(20);
    const back = decodeCheckpoint(bytes, 'long.safetensors');
    expect(back.history.steps).toBe(steps);
    expect(back.history.batchLosses).toHaveLength(steps);
    expect(firstDifference(back.history.batchLosses, losses)).toBe(-1);
    expect(Object.is(back.history.batchLosses[7], -0)).toBe(true);
    expect(back.version).toBe(2);
  });

  it('keeps the epochs out of the header too, with their optional numbers', () => {
    const c = realCheckpoint();
    const n = 200_000;
    const epochs: EpochInfo[] = Array.from({ length: n }, (_, i) => {
      const e: EpochInfo = {
        epoch: i + 1,
        step: i + 1,
        loss: 1 / (i + 1),
        lr: 0.1 * 0.99 ** i,
        seconds: i * 1e-3,
        samplesPerSecond: 1e5 + i,
      };
      if (i % 2 === 0) e.accuracy = (i % 100) / 100;
      if (i % 3 !== 0) e.valLoss = i === 7 ? NaN : 2 / (i + 1);
      if (i % 5 === 0) e.valAccuracy = 0.5;
      return e;
    });
    const long = { ...c, history: { ...c.history, steps: n, batchLosses: [], epochs } };
    const bytes = encodeCheckpoint(long);
    expect(headerBytes(bytes)).toBeLessThan(headerBytes(encodeCheckpoint(c)) + 200);
    const back = decodeCheckpoint(bytes, 'long.safetensors').history.epochs;
    expect(back).toHaveLength(n);
    for (let i = 0; i < n; i += 997) expect(back[i]).toStrictEqual(epochs[i]);
    expect(back[7].valLoss).toBeNaN();
    expect(back.at(-1)).toStrictEqual(epochs.at(-1));
  });

  it('still reads a version-1 checkpoint, with its losses in the header', () => {
    const c = realCheckpoint();
    const { tensors, metadata } = decodeSafetensors(encodeCheckpoint(c));
    const json = JSON.parse(metadata['nabla.checkpoint']) as Record<string, unknown>;
    expect(json.version).toBe(2);
    expect(json.history).not.toHaveProperty('batchLosses');
    for (const name of ['history/batchLosses', 'history/epochs', 'history/epochsPresent'])
      tensors.delete(name);
    const v1 = {
      ...json,
      version: 1,
      history: {
        ...(json.history as object),
        epochs: c.history.epochs,
        batchLosses: c.history.batchLosses,
      },
    };
    const old = encodeSafetensors(tensors, {
      'nabla.checkpoint': JSON.stringify(v1),
      format: 'pt',
    });
    const back = decodeCheckpoint(old, 'old.safetensors');
    expect(back.history.batchLosses).toEqual(c.history.batchLosses);
    expect(back.history.epochs).toEqual(c.history.epochs);
    expect(back.history.steps).toBe(3);
    expect(back.version).toBe(2);
  });

  it('refuses a version-2 checkpoint without its losses, or with losses of the wrong kind', () => {
    const { tensors, metadata } = decodeSafetensors(encodeCheckpoint(realCheckpoint()));
    const without = new Map(tensors);
    without.delete('history/batchLosses');
    expect(() => decodeCheckpoint(encodeSafetensors(without, metadata), 'ck')).toThrow(
      'ck: the tensor "history/batchLosses" is missing',
    );
    const float32 = new Map(tensors);
    float32.set('history/batchLosses', tensors.get('history/batchLosses')!.to('float32'));
    expect(() => decodeCheckpoint(encodeSafetensors(float32, metadata), 'ck')).toThrow(
      /ck: "history\/batchLosses" must be a float64 tensor of shape \[n\], got float32/,
    );
  });
});
