import { describe, expect, it } from 'vitest';
import {
  SGD,
  datasets,
  decodeCheckpoint,
  decodeSafetensors,
  deserializeModel,
  encodeCheckpoint,
  encodeSafetensors,
  fit,
  manualSeed,
  mlp,
  serializeModel,
  tensor,
  type FitOptions,
  type Module,
} from '../../src/index.js';

/**
 * Every field of a checkpoint's description and of a model.json, replaced by a value of the
 * wrong sort, is either used or refused with a message naming the file and the field: never an
 * internal crash ("value.trim is not a function", "Invalid typed array length").
 */

const INTERNAL =
  /Cannot read propert|Cannot convert|is not a function|is not iterable|is not a constructor|Invalid typed array length|Invalid array length|Array buffer allocation failed|Maximum call stack|Invalid string length|Cannot destructure|Cannot use 'in' operator|Cannot create property|^undefined\b/;

/** Values of every sort but the right one (for most fields). */
const WRONG: readonly unknown[] = ['x', 1e18, -1, 1.5, null, [], {}, true, [1e18]];

type Json = Record<string, unknown> | unknown[];

/** Every path to a field of `value` (array entries: the first two only). */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value)
    ? [...value.keys()].slice(0, 2)
    : Object.keys(value);
  return keys.flatMap((k) => [
    [...at, k],
    ...paths((value as Record<string | number, unknown>)[k], [...at, k]),
  ]);
}

/** A deep copy of `json` with the field at `path` set to `v`. */
function withField(json: Json, path: (string | number)[], v: unknown): Json {
  const copy = structuredClone(json) as Record<string | number, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1]] = v;
  return copy as Json;
}

/** Runs `use`; fails on an internal crash or a message without `file`; true when it worked. */
function usedOrRefused(use: () => void, file: string, what: string): boolean {
  try {
    use();
    return true;
  } catch (e) {
    const message = (e as Error).message;
    expect(message, what).not.toMatch(INTERNAL);
    // A run resumed with wild but legal hyperparameters (momentum 1e18) may diverge: fit says so.
    if (!/became non-finite/.test(message)) expect(message, what).toContain(file);
    return false;
  }
}

const data = datasets.spiral({ samples: 40, classes: 3, noise: 0.1, seed: 4 });
function network(): Module {
  manualSeed(1);
  return mlp([2, 6, 3], { activation: 'tanh' });
}
const options: FitOptions = {
  epochs: 2,
  batchSize: 10,
  seed: 3,
  optimizer: (p) => new SGD(p, { lr: 0.05, momentum: 0.9 }),
};

describe('wrong JSON in a checkpoint', () => {
  let saved: Uint8Array | undefined;
  fit(network(), data, {
    ...options,
    checkpoint: { every: 1000, save: (c) => (saved = encodeCheckpoint(c)) },
    callbacks: { onBatchEnd: (b) => (b.step === 5 ? 'stop' : undefined) },
  });
  const { tensors, metadata } = decodeSafetensors(saved!);
  const description = JSON.parse(metadata['nabla.checkpoint']) as Json;

  it('every field of the wrong sort is used or refused by name', () => {
    let refused = 0;
    let cases = 0;
    for (const path of paths(description)) {
      for (const v of WRONG) {
        const json = withField(description, path, v);
        const bytes = encodeSafetensors(tensors, {
          ...metadata,
          'nabla.checkpoint': JSON.stringify(json),
        });
        const what = `${path.join('.')} = ${JSON.stringify(v)}`;
        cases++;
        const ok = usedOrRefused(
          () =>
            fit(network(), data, {
              ...options,
              resumeFrom: decodeCheckpoint(bytes, 'ck.safetensors'),
            }),
          'ck.safetensors',
          what,
        );
        if (!ok) refused++;
      }
    }
    console.log(`checkpoint fields: ${cases} cases, ${refused} refused`);
    expect(refused).toBeGreaterThan(cases / 2);
  });
});

describe('wrong JSON in a model.json', () => {
  const metadata = {
    data: 'spiral',
    features: 2,
    classes: 3,
    classNames: ['a', 'b', 'c'],
    standardization: { mean: [0, 0], std: [1, 1] },
  };
  const { json, weights } = serializeModel(network(), metadata);
  const description = JSON.parse(json) as Json;

  it('every field of the wrong sort is used or refused by name', () => {
    let refused = 0;
    let cases = 0;
    for (const path of paths(description)) {
      for (const v of WRONG) {
        const text = JSON.stringify(withField(description, path, v));
        cases++;
        const ok = usedOrRefused(
          () => {
            const { model } = deserializeModel(text, weights, { json: 'm/model.json' });
            model.forward(tensor([[0.5, -0.5]]));
          },
          'm/model.json',
          `${path.join('.')} = ${JSON.stringify(v)}`,
        );
        if (!ok) refused++;
      }
    }
    console.log(`model.json fields: ${cases} cases, ${refused} refused`);
    expect(refused).toBeGreaterThan(cases / 2);
  });
});
