/**
 * The per-step and per-epoch history of a training checkpoint as tensors in the safetensors body
 * (float64, so that a resumed run's history is bit-exact), not as JSON in its header: from
 * version 2 of the format, the header's size depends on the model, not on the number of steps
 * (version 1 kept about 53 bytes a step in the header and could not be written past about 1.9
 * million steps).
 *
 * @module
 */
import { Tensor } from '../tensor/tensor.js';
import type { EpochInfo, History } from '../train/types.js';

/** The tensor of every step's loss, shape [steps]. */
export const BATCH_LOSSES = 'history/batchLosses';
/** The tensor of the epochs' numbers, shape [epochs, columns]: one row an epoch. */
export const EPOCHS = 'history/epochs';
/** Which of the optional numbers each epoch has, shape [epochs]: one bit each. */
export const EPOCHS_PRESENT = 'history/epochsPresent';

const REQUIRED = ['epoch', 'step', 'loss', 'lr', 'seconds', 'samplesPerSecond'] as const;
const OPTIONAL = ['accuracy', 'valLoss', 'valAccuracy'] as const;
const COLUMNS = [...REQUIRED, ...OPTIONAL];
const KNOWN = new Set<string>(COLUMNS);

/** Throws an error about the checkpoint file, with `problem` after the file's name. */
type Fail = (problem: string) => never;

/**
 * Puts the history's per-step losses (and its epochs, when they hold only the known numbers) into
 * `tensors`, and returns the rest of the history, for the JSON header.
 */
export function historyToTensors(
  history: History,
  tensors: Map<string, Tensor>,
): Record<string, unknown> {
  const losses = Float64Array.from(history.batchLosses);
  tensors.set(BATCH_LOSSES, new Tensor(losses, [losses.length]));
  const rest: Record<string, unknown> = { ...history };
  delete rest.batchLosses;
  delete rest.epochs;
  const epochs = history.epochs;
  const plain = epochs.every(
    (e) =>
      Object.keys(e).every((k) => KNOWN.has(k)) && REQUIRED.every((k) => typeof e[k] === 'number'),
  );
  // Epochs with other fields than these stay in the header, as they are.
  if (!plain) return { ...rest, epochs };
  const n = epochs.length;
  const table = new Float64Array(n * COLUMNS.length);
  const present = new Int32Array(n);
  epochs.forEach((e, i) => {
    COLUMNS.forEach((k, j) => (table[i * COLUMNS.length + j] = e[k] ?? 0));
    OPTIONAL.forEach((k, j) => (present[i] |= e[k] === undefined ? 0 : 1 << j));
  });
  tensors.set(EPOCHS, new Tensor(table, [n, COLUMNS.length]));
  tensors.set(EPOCHS_PRESENT, new Tensor(present, [n]));
  return rest;
}

/** The tensor `name`, checked to be of `dtype` and `shape` (−1: any length). */
function tensorOf(
  tensors: Map<string, Tensor>,
  name: string,
  dtype: string,
  shape: number[],
  fail: Fail,
): Tensor {
  const t = tensors.get(name) ?? fail(`the tensor "${name}" is missing`);
  const fits =
    t.dtype === dtype &&
    t.shape.length === shape.length &&
    shape.every((s, i) => s === -1 || s === t.shape[i]);
  if (!fits)
    fail(
      `"${name}" must be a ${dtype} tensor of shape [${shape.map((s) => (s === -1 ? 'n' : s)).join(', ')}], ` +
        `got ${t.dtype} of shape [${t.shape.join(', ')}]`,
    );
  return t;
}

/** The history of a version-2 checkpoint: its header's part, with the losses and epochs put back. */
export function historyFromTensors(
  json: Record<string, unknown>,
  tensors: Map<string, Tensor>,
  fail: Fail,
): History {
  const losses = tensorOf(tensors, BATCH_LOSSES, 'float64', [-1], fail);
  const history = { ...json, batchLosses: Array.from(losses.data) } as History;
  if (Array.isArray(json.epochs)) return history;
  const table = tensorOf(tensors, EPOCHS, 'float64', [-1, COLUMNS.length], fail);
  const n = table.shape[0];
  const present = tensorOf(tensors, EPOCHS_PRESENT, 'int32', [n], fail).data;
  const d = table.data;
  history.epochs = Array.from({ length: n }, (_, i) => {
    const e = {} as Record<string, number>;
    REQUIRED.forEach((k, j) => (e[k] = d[i * COLUMNS.length + j]));
    OPTIONAL.forEach((k, j) => {
      if ((present[i] & (1 << j)) !== 0) e[k] = d[i * COLUMNS.length + REQUIRED.length + j];
    });
    return e as unknown as EpochInfo;
  });
  return history;
}
