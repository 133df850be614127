/**
 * What a checkpoint's JSON description must hold, as a schema (src/io/schema.ts): a wrong field
 * is refused with the file, its path, its value and what was expected, before training resumes.
 * The parts that their owners check in full when they are loaded (the optimizer's param groups,
 * the schedule, the generators' states) are checked here for their sort only.
 *
 * @module
 */
import {
  anyNumber,
  boolean,
  either,
  integer,
  list,
  nullable,
  number,
  object,
  optional,
  record,
  string,
} from './schema.js';
import type { StopReason } from '../train/types.js';

const COUNT = integer({ min: 0 });

/** Why a run stopped (`History.stopReason`). */
const STOP_REASONS = [
  'epochs',
  'maxSteps',
  'targetLoss',
  'minImprovement',
  'earlyStopping',
  'callback',
] as const satisfies readonly StopReason[];

/** A per-parameter optimizer value: a number, or "tensor" for one kept in the body. */
const STATE_VALUE = either(string(['tensor']), anyNumber);

/** The description's fields common to both versions of the format. */
const COMMON = {
  epoch: COUNT,
  batch: COUNT,
  sums: object({ loss: number(), hits: number({ min: 0 }), seen: COUNT }),
  generator: object({}, 'a generator state'),
  startGenerator: object({}, 'a generator state'),
  rules: object({ best: anyNumber, sinceBest: COUNT, bestEpoch: optional(COUNT) }),
  optimizer: object({
    optimizer: optional(string()),
    paramGroups: list(object({ params: list(COUNT) }, 'a param group')),
    state: record(record(STATE_VALUE), "an object of each parameter's state"),
  }),
  scheduler: optional(nullable(object({}))),
  hasBest: optional(boolean),
  meta: optional(object({})),
  /** The training transform's description (`Transform.toConfig()`), checked when resuming. */
  transform: optional(object({}, "a transform's description")),
};

/** The part of the history kept in the header, in both versions. */
const HISTORY = {
  steps: COUNT,
  bestEpoch: optional(nullable(COUNT)),
  seconds: optional(number({ min: 0 })),
  stopReason: optional(string(STOP_REASONS)),
  nonFinite: optional(list(object({}))),
  runs: optional(list(object({}))),
};

/** Version 2 keeps the batch losses (and usually the epochs) as tensors in the body. */
export const CHECKPOINT_V2 = object({
  ...COMMON,
  history: object({ ...HISTORY, epochs: optional(list(object({}, 'an epoch'))) }),
});

/** Version 1 kept the whole history in the header. */
export const CHECKPOINT_V1 = object({
  ...COMMON,
  history: object({
    ...HISTORY,
    epochs: list(object({}, 'an epoch')),
    batchLosses: list(anyNumber),
  }),
});
