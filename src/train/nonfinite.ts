/** Finding NaN and ±Infinity in a training step (for `fit`'s `onNonFinite`). */
import { AnomalyError, detectAnomaly } from '../autograd/anomaly.js';
import type { Dataset } from '../data/dataset.js';
import type { Module } from '../nn/module.js';
import type { GeneratorState } from '../tensor/random.js';
import { engine } from '../tensor/state.js';
import type { Tensor } from '../tensor/tensor.js';
import type { EpochInfo, NonFiniteEvent } from './types.js';

/** A NaN or ±Infinity, and where it was first seen: the loss, or a parameter's gradient. */
export type NonFiniteValue = { where: 'loss' | 'gradient'; value: number };

/** The first NaN or ±Infinity in the parameters' gradients, or undefined. */
export function nonFiniteGradient(model: Module): NonFiniteValue | undefined {
  for (const p of model.parameters()) {
    const g = p._grad?.data; // only read: the gradient stays unseen
    if (g === undefined) continue;
    for (let i = 0; i < g.length; i++) {
      const v = g[i];
      if (v - v !== 0) return { where: 'gradient', value: v };
    }
  }
  return undefined;
}

/** The operation that first produced a bad value, and in which pass. */
export type BadOperation = { op: string; phase: 'forward' | 'backward' };

/**
 * The operation `detectAnomaly` stops at while `run` runs, or undefined when none does. With
 * `from`, `run` starts from that state of the default generator (to re-run a step exactly), and
 * the generator is put back as it was afterwards.
 */
export function firstBadOperation(
  run: () => void,
  from?: GeneratorState,
): BadOperation | undefined {
  const after = engine.generator.getState();
  if (from !== undefined) engine.generator.setState(from);
  try {
    detectAnomaly(run);
  } catch (e) {
    if (e instanceof AnomalyError) return { op: e.op, phase: e.phase };
    throw e;
  } finally {
    engine.generator.setState(after);
  }
  return undefined;
}

/** Where a step went bad, for {@link nonFiniteMessage}. */
export interface NonFiniteAt {
  epoch: number;
  batch: number;
  step: number;
  lr: number;
}

/**
 * The message of a step whose loss or a gradient became NaN or ±Infinity; `cause` is the likely
 * cause when it is known (NaN in the data), otherwise the learning rate is blamed.
 */
export function nonFiniteMessage(
  bad: NonFiniteValue,
  operation: BadOperation | undefined,
  at: NonFiniteAt,
  cause?: string,
): string {
  const where =
    bad.where === 'loss' ? `the loss became ${bad.value}` : `a gradient held ${bad.value}`;
  const first =
    operation === undefined ? '' : ` (first in the ${operation.phase} pass of ${operation.op})`;
  const why =
    cause ??
    `the learning rate (${at.lr}) is probably too large — try a smaller one, or clip the gradients (clipGradNorm)`;
  return `fit: ${where} at epoch ${at.epoch}, batch ${at.batch} (step ${at.step})${first}; ${why}`;
}

/** What `fit` records of a step it skipped or warned about. */
export function nonFiniteEvent(
  bad: NonFiniteValue,
  operation: BadOperation | undefined,
  at: NonFiniteAt,
  action: 'skip' | 'warn',
  cause?: string,
): NonFiniteEvent {
  const message = nonFiniteMessage(bad, operation, at, cause);
  const { epoch, batch, step } = at;
  const found = operation === undefined ? {} : { operation };
  return { epoch, batch, step, where: bad.where, value: bad.value, ...found, action, message };
}

/** The first NaN or ±Infinity in a model's weights and buffers: its name, flat index and value. */
export function nonFiniteWeight(
  model: Module,
): { name: string; index: number; value: number } | undefined {
  for (const [name, t] of Object.entries(model.stateDict())) {
    const d = t.data;
    for (let i = 0; i < d.length; i++)
      if (d[i] - d[i] !== 0) return { name, index: i, value: d[i] };
  }
  return undefined;
}

/** The first NaN or ±Infinity in a batch of examples: its row (example) and place in the row. */
export function nonFiniteEntry(
  x: Tensor,
): { row: number; place: string; value: number } | undefined {
  const d = x.data;
  const width = x.shape.length === 0 ? 1 : d.length / Math.max(1, x.shape[0]);
  for (let i = 0; i < d.length; i++) {
    if (d[i] - d[i] === 0) continue;
    const within = i % width;
    const place = x.shape.length <= 2 ? `column ${within}` : `element ${within}`;
    return { row: Math.floor(i / width), place, value: d[i] };
  }
  return undefined;
}

/** The first non-finite input or target of a dataset, as a phrase ("the validation data holds …"). */
export function nonFiniteInData(data: Dataset<Tensor[]>, what: string): string | undefined {
  for (let i = 0; i < data.length; i++) {
    const [x, y] = data.get(i);
    for (const [t, part] of [
      [x, 'input'],
      [y, 'target'],
    ] as const) {
      const bad = t === undefined ? undefined : nonFiniteEntry(t.reshape([1, -1]));
      if (bad !== undefined)
        return `the ${what} holds ${bad.value} at example ${i}, ${part} ${bad.place.replace('column', 'value')}`;
    }
  }
  return undefined;
}

/** Why a model's weights are not finite after training steps: a step that exploded. */
export function explodedMessage(
  bad: { name: string; index: number; value: number },
  when: string,
  lr: number,
): string {
  return (
    `fit: the weights became non-finite (${bad.name}[${bad.index}] is ${bad.value}) ${when}; ` +
    `the learning rate (${lr}) is probably too large — try a smaller one, or clip the gradients (clipGradNorm)`
  );
}

/** Throws when a model's weights are not finite before training (loaded `fromCheckpoint` or not). */
export function checkStartingWeights(model: Module, fromCheckpoint: boolean): void {
  const bad = nonFiniteWeight(model);
  if (bad === undefined) return;
  const from = fromCheckpoint ? ' (loaded from the checkpoint)' : '';
  throw new Error(
    `fit: the model's weights held ${bad.value} before training${from} (${bad.name}[${bad.index}]); ` +
      'initialize or load finite weights',
  );
}

/**
 * Whether `model`'s weights are all finite; when not, throws (`stop`) or warns with a message
 * that says `when` they were found so and blames the learning rate `lr`.
 */
export function weightsFinite(model: Module, when: string, lr: number, stop: boolean): boolean {
  const bad = nonFiniteWeight(model);
  if (bad === undefined) return true;
  const message = explodedMessage(bad, when, lr);
  if (stop) throw new Error(message);
  console.warn(message);
  return false;
}

/**
 * "the input data holds NaN at example …" when a batch's inputs `x` or targets `y` are not finite;
 * the batch begins at position `first` of the epoch's `order` (or of the data, unshuffled).
 */
export function nonFiniteInBatch(
  x: Tensor,
  y: Tensor,
  first: number,
  order: Int32Array | null,
): string | undefined {
  for (const [t, what] of [
    [x, 'input data holds'],
    [y, 'targets hold'],
  ] as const) {
    const bad = nonFiniteEntry(t);
    if (bad === undefined) continue;
    const k = first + bad.row;
    const example = order === null ? k : order[k];
    return (
      `the ${what} ${bad.value} at example ${example} of the training data ` +
      `(row ${bad.row} of the batch, ${bad.place}) — clean the data or leave that example out`
    );
  }
  return undefined;
}

/**
 * Throws when the validation loss of an epoch is not finite, naming the likely cause: weights that
 * are not finite, validation data that is not, or else the learning rate.
 */
export function checkValidationLoss(
  model: Module,
  validation: Dataset<Tensor[]>,
  info: EpochInfo,
): void {
  const v = info.valLoss;
  if (v === undefined || Number.isFinite(v)) return;
  weightsFinite(
    model,
    `by the end of epoch ${info.epoch} (the validation loss is ${v})`,
    info.lr,
    true,
  );
  const cause =
    nonFiniteInData(validation, 'validation data') ??
    `the learning rate (${info.lr}) may be too large, or the loss overflowed`;
  throw new Error(`fit: the validation loss became ${v} at epoch ${info.epoch}; ${cause}`);
}
