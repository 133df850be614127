import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deserializeModel, parseModelDescription, serializeModel } from '../../src/io/model.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { mlp } from '../../src/nn/mlp.js';
import type { Module } from '../../src/nn/module.js';
import { load } from '../../src/node/model-files.js';
import { Tensor } from '../../src/tensor/tensor.js';
import {
  CASE_MS,
  CaseCounter,
  ENORMOUS_MS,
  concat,
  flipBit,
  loadsOrFailsCleanly,
  nestedJson,
  RUNS,
  u64,
  runs,
} from './fuzz.js';

// A model is two files read together: model.json (the architecture) and model.safetensors (the
// weights). Every pair either loads into a model whose parameters are the weights' tensors, or is
// refused with an Error naming one of the files (or both, for a mismatch between them).
const JSON_NAME = 'fuzz/model.json';
const WEIGHTS_NAME = 'fuzz/model.safetensors';
const cases = new CaseCounter();

type Loaded = { model: Module };

function loadOrFailCleanly(json: string, weights: Uint8Array, ms = CASE_MS): Loaded | Error {
  const result = loadsOrFailsCleanly(
    () => deserializeModel(json, weights, { json: JSON_NAME, weights: WEIGHTS_NAME }),
    [JSON_NAME, WEIGHTS_NAME],
    cases,
    ms,
  );
  if (result instanceof Error) {
    expect(result.message).toMatch(/^fuzz\/model\.(json|safetensors)[: ]/);
  } else {
    for (const [name, p] of result.model.namedParameters()) {
      expect(p.data.every(Number.isFinite) || p.data.some(Number.isNaN), name).toBe(true);
    }
  }
  return result;
}

function parseOrFailCleanly(text: string): unknown {
  const result = loadsOrFailsCleanly(
    () => parseModelDescription(text, JSON_NAME),
    JSON_NAME,
    cases,
  );
  if (result instanceof Error) expect(result.message).toMatch(/^fuzz\/model\.json: \S/);
  return result;
}

const sample = serializeModel(mlp([3, 4, 2], { activation: 'tanh', dropout: 0.25 }), {
  data: 'xor',
});
const sampleDescription = JSON.parse(sample.json) as Record<string, unknown>;
const withDescription = (changes: Record<string, unknown>): string =>
  JSON.stringify({ ...sampleDescription, ...changes });

/** Weights for a model, written as a writer would (float32 unless told). */
const weightsOf = (
  state: Record<string, { shape: number[]; dtype?: 'float32' | 'float64' | 'int32' }>,
): Uint8Array =>
  encodeSafetensors(
    new Map(
      Object.entries(state).map(([k, { shape, dtype = 'float32' }]) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const data =
          dtype === 'float64'
            ? new Float64Array(n)
            : dtype === 'int32'
              ? new Int32Array(n)
              : new Float32Array(n);
        return [k, new Tensor(data, shape)];
      }),
    ),
  );

const dir = mkdtempSync(join(tmpdir(), 'nabla-model-fuzz-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(`model reader (model.json + model.safetensors): ${cases.count} fuzz cases`);
});

describe('model.json and model.safetensors, damaged or hostile (fuzz)', () => {
  it('the sample loads', () => {
    expect(loadOrFailCleanly(sample.json, sample.weights) instanceof Error).toBe(false);
  });

  it('random text and random JSON as model.json', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.json(),
          fc
            .jsonValue()
            .map((v) => JSON.stringify({ format: 'nabla-model', version: 1, ...Object(v) })),
          fc.jsonValue().map((v) => withDescription({ architecture: v })),
          fc.jsonValue().map((v) => withDescription({ parameters: v })),
          fc.jsonValue().map((v) => withDescription({ metadata: v })),
          fc.jsonValue().map((v) => withDescription({ version: v })),
        ),
        (text) => {
          parseOrFailCleanly(text);
          loadOrFailCleanly(text, sample.weights);
        },
      ),
      RUNS,
    );
  });

  it('architectures made of plausible pieces, some wrong', () => {
    const size = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom<unknown>(0, -1, 2.5, 1e9, 2 ** 31, 2 ** 53, 1e308, '3', null),
      },
    );
    const { layer } = fc.letrec((tie) => ({
      layer: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({
          type: fc.constant('Linear'),
          inFeatures: size,
          outFeatures: size,
          bias: fc.boolean(),
        }),
        fc.record({ type: fc.constantFrom('ReLU', 'Tanh', 'Flatten', 'Softmax', 'Nope', '') }),
        fc.record({ type: fc.constant('Dropout'), p: fc.constantFrom<unknown>(0.5, -1, 2, 'x') }),
        fc.record({
          type: fc.constant('Sequential'),
          layers: fc.oneof(fc.array(tie('layer'), { maxLength: 3 }), fc.constant(null)),
        }),
      ),
    }));
    fc.assert(
      fc.property(layer, fc.boolean(), (architecture, matching) => {
        const json = withDescription({ architecture });
        // Half the time, weights that fit the Linear layers found in the tree, as saved.
        let weights = sample.weights;
        if (matching) {
          const state: Record<string, { shape: number[] }> = {};
          const walk = (c: unknown, prefix: string): void => {
            const o = c as Record<string, unknown>;
            if (o.type === 'Linear') {
              const [i, n] = [o.inFeatures, o.outFeatures].map((v) =>
                Number.isInteger(v) ? (v as number) : 0,
              );
              if (i > 0 && n > 0 && i * n <= 64) {
                state[`${prefix}weight`] = { shape: [n, i] };
                if (o.bias !== false) state[`${prefix}bias`] = { shape: [n] };
              }
            } else if (o.type === 'Sequential' && Array.isArray(o.layers)) {
              o.layers.forEach((l, k) => walk(l, `${prefix}${k}.`));
            }
          };
          walk(architecture, '');
          weights = weightsOf(state);
        }
        loadOrFailCleanly(json, weights);
      }),
      RUNS,
    );
  });

  it('huge layer sizes are refused by the weights file size, before anything is allocated', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (inFeatures, outFeatures) => {
          fc.pre(inFeatures * outFeatures > 10_000);
          const json = withDescription({
            architecture: { type: 'Linear', inFeatures, outFeatures, bias: true },
          });
          const result = loadOrFailCleanly(json, sample.weights);
          expect(result instanceof Error).toBe(true);
          expect((result as Error).message).toMatch(/parameters/);
        },
      ),
      runs(200),
    );
  });

  it('every truncation of model.json and of model.safetensors is refused', () => {
    for (let n = 0; n < sample.json.trimEnd().length; n++) {
      expect(loadOrFailCleanly(sample.json.slice(0, n), sample.weights) instanceof Error).toBe(
        true,
      );
    }
    for (let n = 0; n < sample.weights.length; n++) {
      const result = loadOrFailCleanly(sample.json, sample.weights.subarray(0, n));
      expect(result instanceof Error, `length ${n}`).toBe(true);
    }
  });

  it('single-bit flips of model.json and of model.safetensors load or are refused', () => {
    const text = new TextEncoder().encode(sample.json);
    const decoder = new TextDecoder();
    fc.assert(
      fc.property(fc.nat(text.length * 8 - 1), fc.nat(sample.weights.length * 8 - 1), (a, b) => {
        loadOrFailCleanly(decoder.decode(flipBit(text, a)), sample.weights);
        loadOrFailCleanly(sample.json, flipBit(sample.weights, b));
      }),
      RUNS,
    );
  });

  it('dtype, shape and name mismatches between the two files name both', () => {
    const good = { '0.weight': [4, 3], '0.bias': [4], '3.weight': [2, 4], '3.bias': [2] };
    fc.assert(
      fc.property(
        fc.constantFrom('0.weight', '0.bias', '3.weight', '3.bias'),
        fc.constantFrom('dtype', 'shape', 'missing', 'extra', 'renamed'),
        fc.constantFrom<'float64' | 'int32'>('float64', 'int32'),
        (name, change, dtype) => {
          const state: Record<string, { shape: number[]; dtype?: 'float64' | 'int32' }> = {};
          for (const [k, shape] of Object.entries(good)) state[k] = { shape };
          if (change === 'dtype') state[name].dtype = dtype;
          else if (change === 'shape')
            state[name].shape = [...state[name].shape].reverse().concat(1);
          else if (change === 'missing') delete state[name];
          else if (change === 'extra') state[`${name}.extra`] = { shape: [1] };
          else {
            state[`x${name}`] = state[name];
            delete state[name];
          }
          const result = loadOrFailCleanly(sample.json, weightsOf(state));
          if (change === 'dtype') {
            // A float64 or int32 tensor of the right shape is converted, as loadStateDict does.
            if (result instanceof Error) expect(result.message).toMatch(/does not match/);
          } else {
            expect(result instanceof Error).toBe(true);
            expect((result as Error).message).toContain(
              `${WEIGHTS_NAME} does not match ${JSON_NAME}`,
            );
          }
        },
      ),
      runs(100),
    );
  });

  it('a "parameters" list that does not match the architecture is refused', () => {
    for (const parameters of [
      null,
      [],
      { '0.weight': [3, 4], '0.bias': [4], '3.weight': [2, 4], '3.bias': [2] },
      { '0.weight': [4, 3] },
      { '0.weight': '4x3' },
      { '0.weight': [4, -3] },
    ]) {
      const result = loadOrFailCleanly(withDescription({ parameters }), sample.weights);
      expect(result instanceof Error, JSON.stringify(parameters)).toBe(true);
      expect((result as Error).message).toMatch(/^fuzz\/model\.json: .*"parameters/);
    }
  });

  it('deeply nested JSON anywhere in model.json', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom<'[' | '{"a":'>('[', '{"a":'),
        fc.boolean(),
        fc.constantFrom('metadata', 'architecture', 'parameters', 'top'),
        (depth, opener, close, where) => {
          const inner = nestedJson(depth, opener, close);
          const text =
            where === 'top'
              ? inner
              : sample.json.replace(`"${where}": `, `"${where}": ${inner}, "x${where}": `);
          const result = loadOrFailCleanly(text, sample.weights, ENORMOUS_MS);
          if (depth > 100 || !close) expect(result instanceof Error).toBe(true);
        },
      ),
      runs(25, { examples: [[100_000, '[', true, 'metadata']] }),
    );
    // Sequential inside Sequential, 100,000 times: valid JSON, but no model.
    let architecture = '{"type":"ReLU"}';
    for (let i = 0; i < 100_000; i++)
      architecture = `{"type":"Sequential","layers":[${architecture}]}`;
    const result = loadOrFailCleanly(
      withDescription({ architecture: 0 }).replace('0', architecture),
      sample.weights,
      ENORMOUS_MS,
    );
    expect((result as Error).message).toMatch(/nest/);
  });

  it('enormous JSON: long strings, many keys, many layers', () => {
    const long = withDescription({ metadata: { note: 'x'.repeat(5_000_000) } });
    expect(loadOrFailCleanly(long, sample.weights, ENORMOUS_MS) instanceof Error).toBe(false);
    const keys = withDescription({
      metadata: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])),
    });
    expect(loadOrFailCleanly(keys, sample.weights, ENORMOUS_MS) instanceof Error).toBe(false);
    const layers = withDescription({
      architecture: { type: 'Sequential', layers: Array(100_000).fill({ type: 'ReLU' }) },
      parameters: {},
    });
    expect(loadOrFailCleanly(layers, weightsOf({}), ENORMOUS_MS) instanceof Error).toBe(true);
    const fewer = withDescription({
      architecture: { type: 'Sequential', layers: Array(5_000).fill({ type: 'ReLU' }) },
      parameters: {},
    });
    expect(loadOrFailCleanly(fewer, weightsOf({}), ENORMOUS_MS) instanceof Error).toBe(false);
  });

  it('NaN and infinite weights are refused by name, and load with allowNonFinite', () => {
    const model = mlp([3, 4, 2], { activation: 'tanh', dropout: 0.25 });
    const [name, p] = model.namedParameters()[0];
    p.data[0] = NaN;
    p.data[1] = Infinity;
    const { json, weights } = serializeModel(model);
    const refused = loadOrFailCleanly(json, weights);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain(`${WEIGHTS_NAME}: tensor "${name}" holds NaN`);
    const { model: back } = deserializeModel(json, weights, {}, { allowNonFinite: true });
    const w = back.namedParameters()[0][1].data;
    expect(Number.isNaN(w[0]) && w[1] === Infinity).toBe(true);
  });

  it('load(dir) with random files, missing files and folders in their place', () => {
    let folder = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant(sample.json),
          fc.string({ maxLength: 40 }),
          fc.constantFrom('missing', 'folder'),
        ),
        fc.oneof(
          fc.constant(sample.weights),
          fc.uint8Array({ maxLength: 40 }),
          fc.uint8Array({ maxLength: 40 }).map((b) => concat(u64(2n ** 63n), b)),
          fc.constantFrom('missing', 'folder'),
        ),
        (json, weights) => {
          const root = join(dir, `m${folder++}`);
          mkdirSync(root);
          for (const [file, c] of [
            ['model.json', json],
            ['model.safetensors', weights],
          ] as const) {
            if (c === 'folder') mkdirSync(join(root, file));
            else if (c !== 'missing') writeFileSync(join(root, file), c);
          }
          const result = loadsOrFailsCleanly(
            () => load(root),
            ['model.json', 'model.safetensors'],
            cases,
          );
          expect(result instanceof Error).toBe(json !== sample.json || weights !== sample.weights);
        },
      ),
      runs(60),
    );
  });
});
