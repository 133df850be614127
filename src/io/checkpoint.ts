/**
 * A training checkpoint (src/train/checkpoint.ts) as one safetensors file: the tensors as tensors
 * (readable by any safetensors reader), the rest as JSON in the header's metadata.
 *
 * @module
 */
import type { TransformConfig } from '../data/transform.js';
import type { OptimizerStateDict } from '../optim/optimizer.js';
import { checkObject, formatValue } from '../tensor/check.js';
import { Generator, type GeneratorState } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { CHECKPOINT_VERSION, type TrainingCheckpoint } from '../train/checkpoint.js';
import type { StoppingState } from '../train/stopping.js';
import type { History } from '../train/types.js';
import { historyFromTensors, historyToTensors } from './checkpoint-history.js';
import { CHECKPOINT_V1, CHECKPOINT_V2 } from './checkpoint-schema.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json.js';
import { readJson } from './schema.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

/** The metadata key of the JSON part. */
const KEY = 'nabla.checkpoint';

/** JSON cannot hold NaN and ±Infinity (a plateau scheduler's `best` starts at Infinity). */
const toJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v,
  );

/** Parsed JSON with `{ $number: 'Infinity' }` turned back into numbers (depth already checked). */
function revive(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(revive);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === '$number' && typeof o.$number === 'string')
    return Number(o.$number);
  return Object.fromEntries(keys.map((k) => [k, revive(o[k])]));
}

/** The checkpoint as the bytes of one safetensors file. */
export function encodeCheckpoint(c: TrainingCheckpoint): Uint8Array {
  checkObject({ where: 'encodeCheckpoint' }, 'checkpoint', c);
  if (c.format !== 'nabla-checkpoint' || typeof c.model !== 'object' || c.model === null)
    throw new TypeError(
      'encodeCheckpoint: expected a checkpoint as fit gives it (checkpoint.save receives one)',
    );
  const tensors = new Map<string, Tensor>();
  for (const [name, t] of Object.entries(c.model)) tensors.set(`model/${name}`, t);
  for (const [name, t] of Object.entries(c.best ?? {})) tensors.set(`best/${name}`, t);
  if (c.order !== null) tensors.set('order', new Tensor(c.order, [c.order.length]));
  const history = historyToTensors(c.history, tensors);
  const state: Record<number, Record<string, number | string>> = {};
  for (const [index, s] of Object.entries(c.optimizer.state)) {
    const plain: Record<string, number | string> = {};
    for (const [key, value] of Object.entries(s)) {
      if (value instanceof Tensor) {
        tensors.set(`optimizer/${index}/${key}`, value);
        plain[key] = 'tensor';
      } else plain[key] = value;
    }
    state[Number(index)] = plain;
  }
  const json = {
    format: c.format,
    version: CHECKPOINT_VERSION,
    epoch: c.epoch,
    batch: c.batch,
    sums: c.sums,
    history,
    generator: c.generator,
    startGenerator: c.startGenerator,
    rules: c.rules,
    optimizer: { optimizer: c.optimizer.optimizer, paramGroups: c.optimizer.paramGroups, state },
    scheduler: c.scheduler,
    hasBest: c.best !== undefined,
    meta: c.meta,
    transform: c.transform,
  };
  return encodeSafetensors(tensors, { [KEY]: toJson(json), format: 'pt' });
}

/** Throws an error about one checkpoint file, with `problem` after the file's name. */
type Fail = (problem: string) => never;

/** The optimizer part of the description, checked by {@link checkDescription}. */
interface OptimizerJson {
  optimizer?: string;
  paramGroups: OptimizerStateDict['paramGroups'];
  state: Record<string, Record<string, number | string>>;
}

/** The tensors of a checkpoint file, sorted by their name's prefix. */
interface CheckpointTensors {
  model: Record<string, Tensor>;
  best: Record<string, Tensor>;
  order: Int32Array | null;
}

/**
 * Reads a checkpoint written by {@link encodeCheckpoint}; `source` names the file in errors. A
 * file that is not a whole checkpoint is refused with an error that says what is wrong.
 */
export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): TrainingCheckpoint {
  if (typeof source !== 'string')
    throw new TypeError(`decodeCheckpoint: source must be a string, got ${formatValue(source)}`);
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  const fail = (problem: string): never => {
    throw new Error(`${source}: ${problem}`);
  };
  const json = readDescription(metadata, fail);
  checkDescription(json, fail, source);
  const optimizer = json.optimizer as OptimizerJson;
  const state = restoreOptimizerState(optimizer, tensors, fail);
  const { model, best, order } = sortTensors(tensors, fail);
  const header = json.history as Record<string, unknown>;
  const history =
    json.version === 1 ? (header as unknown as History) : historyFromTensors(header, tensors, fail);
  const c: TrainingCheckpoint = {
    format: 'nabla-checkpoint',
    version: CHECKPOINT_VERSION,
    epoch: json.epoch as number,
    batch: json.batch as number,
    order,
    sums: json.sums as TrainingCheckpoint['sums'],
    history,
    generator: json.generator as GeneratorState,
    startGenerator: json.startGenerator as GeneratorState,
    rules: json.rules as StoppingState,
    optimizer: {
      ...(optimizer.optimizer === undefined ? {} : { optimizer: optimizer.optimizer }),
      paramGroups: optimizer.paramGroups,
      state,
    },
    scheduler: json.scheduler,
    model,
  };
  if (json.hasBest === true) {
    if (Object.keys(best).length === 0) fail('"hasBest" is true, but it holds no best weights');
    c.best = best;
  }
  if (json.meta !== undefined) c.meta = json.meta as Record<string, unknown>;
  if (json.transform !== undefined) c.transform = json.transform as TransformConfig;
  c.source = source;
  return c;
}

/** The JSON description in the metadata, parsed, its depth checked and its numbers revived. */
function readDescription(metadata: Record<string, string>, fail: Fail): Record<string, unknown> {
  const text = metadata[KEY] ?? fail(`not a nabla checkpoint (no "${KEY}" metadata)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return fail(`the checkpoint's description is not valid JSON (${(e as Error).message})`);
  }
  if (nestsDeeperThan(parsed, MAX_JSON_DEPTH))
    fail(`the checkpoint's description nests deeper than ${MAX_JSON_DEPTH} levels`);
  return revive(parsed) as Record<string, unknown>;
}

/**
 * Checks the description's format and version, then every field against the schema of its
 * version (checkpoint-schema.ts), and that the generators' states are ones a generator takes.
 */
function checkDescription(json: Record<string, unknown>, fail: Fail, source: string): void {
  if (json === null || typeof json !== 'object' || json.format !== 'nabla-checkpoint')
    fail('not a nabla checkpoint (expected "format": "nabla-checkpoint")');
  if (json.version !== 1 && json.version !== CHECKPOINT_VERSION)
    fail(
      `unsupported checkpoint version ${JSON.stringify(json.version)} (this nabla reads 1 to ${CHECKPOINT_VERSION})`,
    );
  readJson(json.version === 1 ? CHECKPOINT_V1 : CHECKPOINT_V2, json, source);
  for (const key of ['generator', 'startGenerator'] as const) {
    try {
      new Generator().setState(json[key] as GeneratorState);
    } catch (e) {
      fail(`"${key}" is not a generator state (${(e as Error).message})`);
    }
  }
}

/** The optimizer's per-parameter state, with each `'tensor'` mark replaced by its tensor. */
function restoreOptimizerState(
  optimizer: OptimizerJson,
  tensors: Map<string, Tensor>,
  fail: Fail,
): OptimizerStateDict['state'] {
  const state: OptimizerStateDict['state'] = {};
  for (const [index, s] of Object.entries(optimizer.state ?? {})) {
    const restored: Record<string, Tensor | number> = {};
    for (const [key, value] of Object.entries(s)) {
      if (value === 'tensor') {
        restored[key] =
          tensors.get(`optimizer/${index}/${key}`) ??
          fail(`the optimizer's ${key} of parameter ${index} is missing`);
      } else if (typeof value === 'number') restored[key] = value;
      else fail(`the optimizer's ${key} of parameter ${index} is ${JSON.stringify(value)}`);
    }
    state[Number(index)] = restored;
  }
  return state;
}

/** The model weights, the best weights and the shuffle order; there must be model weights. */
function sortTensors(tensors: Map<string, Tensor>, fail: Fail): CheckpointTensors {
  const model: Record<string, Tensor> = {};
  const best: Record<string, Tensor> = {};
  let order: Int32Array | null = null;
  for (const [name, t] of tensors) {
    if (name.startsWith('model/')) model[name.slice(6)] = t;
    else if (name.startsWith('best/')) best[name.slice(5)] = t;
    else if (name === 'order') {
      if (t.dtype !== 'int32') fail(`"order" must be int32, got ${t.dtype}`);
      order = t.data as Int32Array;
    }
  }
  if (Object.keys(model).length === 0) fail('it holds no model weights');
  return { model, best, order };
}
