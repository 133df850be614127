import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/io/checkpoint.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { datasets, fit, manualSeed, mlp, SGD, type TrainingCheckpoint } from '../../src/index.js';
import { concat, flipBit, fuzzSuite, loadsOrFailsCleanly, nestedJson, RUNS, u64 } from './fuzz.js';

// A checkpoint is one safetensors file whose metadata holds the run's JSON. Every input either
// decodes into a checkpoint or is refused with an Error naming the file.
const NAME = 'fuzz/checkpoint.safetensors';
const { cases } = fuzzSuite('checkpoint reader');

/** A real checkpoint: a few steps of SGD with momentum on the spiral, stopped mid-epoch. */
function realCheckpoint(): Uint8Array {
  manualSeed(3);
  const model = mlp([2, 4, 3], { activation: 'tanh', dropout: 0.1 });
  let bytes: Uint8Array | undefined;
  fit(model, datasets.spiral({ samples: 60, classes: 3, seed: 1 }), {
    epochs: 2,
    batchSize: 16,
    seed: 4,
    optimizer: (p) => new SGD(p, { lr: 0.1, momentum: 0.9 }),
    checkpoint: { every: 1000, save: (c) => (bytes = encodeCheckpoint(c)) },
    callbacks: { onBatchEnd: (b) => (b.step === 3 ? 'stop' : undefined) },
  });
  return bytes!;
}

const valid = realCheckpoint();
const decode = (bytes: Uint8Array): TrainingCheckpoint | Error =>
  loadsOrFailsCleanly(() => decodeCheckpoint(bytes, NAME), NAME, cases);

/** The checkpoint with its JSON metadata replaced (the tensors kept). */
function withJson(json: string): Uint8Array {
  const { tensors } = decodeSafetensors(valid);
  return encodeSafetensors(tensors, { 'nabla.checkpoint': json, format: 'pt' });
}
const validJson = decodeSafetensors(valid).metadata['nabla.checkpoint'];

describe('the checkpoint reader, fuzzed', () => {
  it('reads a real checkpoint back', () => {
    const c = decode(valid);
    expect(c).not.toBeInstanceOf(Error);
    expect((c as TrainingCheckpoint).history.steps).toBe(3);
  });

  it('refuses random bytes and random safetensors headers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(decode(bytes)).toBeInstanceOf(Error);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.json(), (header) => {
        const h = new TextEncoder().encode(header);
        decode(concat(u64(h.length), h));
      }),
      RUNS,
    );
  });

  it('refuses every truncation, and survives bit flips', () => {
    for (let n = 0; n < valid.length; n += Math.max(1, Math.floor(valid.length / 400)))
      expect(decode(valid.subarray(0, n))).toBeInstanceOf(Error);
    fc.assert(
      fc.property(fc.nat({ max: valid.length * 8 - 1 }), (bit) => {
        decode(flipBit(valid, bit));
      }),
      RUNS,
    );
  });

  it('refuses broken or hostile JSON in the metadata, naming the file', () => {
    const json = JSON.parse(validJson) as Record<string, unknown>;
    const variants: unknown[] = [
      null,
      [],
      { ...json, format: 'other' },
      { ...json, version: 3 },
      { ...json, version: 1, history: { ...(json.history as object), batchLosses: 'x' } },
      { ...json, epoch: -1 },
      { ...json, batch: 1.5 },
      { ...json, history: { epochs: 'x' } },
      { ...json, sums: { loss: 'a', hits: 0, seen: 0 } },
      { ...json, generator: { algorithm: 'mt19937' } },
      { ...json, startGenerator: null },
      { ...json, optimizer: { paramGroups: 3, state: {} } },
      { ...json, optimizer: { paramGroups: [], state: { 7: { momentumBuffer: 'tensor' } } } },
      { ...json, optimizer: { paramGroups: [], state: { 0: { step: [1] } } } },
    ];
    for (const v of variants) expect(decode(withJson(JSON.stringify(v)))).toBeInstanceOf(Error);
    expect(decode(withJson('{'))).toBeInstanceOf(Error);
    expect(decode(withJson(nestedJson(100_000, '[')))).toBeInstanceOf(Error);
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        decode(withJson(JSON.stringify(v)));
      }),
      RUNS,
    );
    // Any field of the real JSON replaced by any value: decoded or refused, never a crash.
    const keys = Object.keys(json);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        decode(withJson(JSON.stringify({ ...json, [key]: value })));
      }),
      RUNS,
    );
  });

  it('refuses tensors of the wrong kind', () => {
    const { tensors, metadata } = decodeSafetensors(valid);
    const order = tensors.get('order')!;
    const floatOrder = new Map(tensors);
    floatOrder.set('order', order.to('float32'));
    expect(decode(encodeSafetensors(floatOrder, metadata))).toBeInstanceOf(Error);
    const noModel = new Map([...tensors].filter(([k]) => !k.startsWith('model/')));
    expect(decode(encodeSafetensors(noModel, metadata))).toBeInstanceOf(Error);
    const noBuffer = new Map([...tensors].filter(([k]) => !k.startsWith('optimizer/')));
    expect(decode(encodeSafetensors(noBuffer, metadata))).toBeInstanceOf(Error);
  });
});
