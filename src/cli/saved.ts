/**
 * What `nabla train` records of a run and reads back: the split in model.json's metadata (for
 * `nabla evaluate`) and the command line in a checkpoint (for `--resume`), as schemas
 * (src/io/schema.ts). A wrong field is one line naming the file, the field, its value and what
 * was expected, before any data is prepared or any memory allocated for it.
 *
 * @module
 */
import { MAX_TENSOR_BYTES } from '../data/limits.js';
import type { Metadata } from '../io/model-schema.js';
import {
  boolean,
  integer,
  number,
  object,
  optional,
  readJson,
  string,
  type Schema,
} from '../io/schema.js';
import type { DataFlags } from './data.js';
import type { TrainFlags } from './train-flags.js';

/** The most toy points a recorded split may ask for (the data takes about 48 bytes a point). */
const MAX_SAVED_SAMPLES = Math.floor(MAX_TENSOR_BYTES / 48);

/** The split as `nabla train` records it in model.json (`metadata.split`). */
const SPLIT: Schema<DataFlags> = object({
  seed: integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  validation: number({ min: 0, max: 0.5 }),
  test: number({ min: 0, max: 0.5 }),
  samples: optional(integer({ min: 10, max: MAX_SAVED_SAMPLES })),
  noise: optional(number({ min: 0, max: 1e6 })),
  classes: optional(integer({ min: 2, max: 1e6 })),
});

/** What `nabla evaluate` reads of a model.json's metadata, beyond what the model loader checks. */
export interface SavedMetadata {
  data?: string;
  split?: DataFlags;
  classes?: number;
  classNames?: string[];
  loss?: string;
  /** A convolutional model's input [C, H, W]. */
  inputShape?: number[];
}

/**
 * The metadata of `file` (already checked by the model loader for its common fields), with its
 * split checked: within the limits of the flags that wrote it. A list of class names counts as
 * that many classes.
 */
export function savedMetadata(metadata: Metadata | undefined, file: string): SavedMetadata {
  const m = metadata ?? {};
  const split =
    m.split === undefined ? undefined : readJson(SPLIT, m.split, file, 'metadata.split');
  const classes = Array.isArray(m.classes) ? m.classes.length : m.classes;
  return {
    data: m.data,
    split,
    classes,
    classNames: m.classNames ?? undefined,
    loss: m.loss,
    inputShape: m.inputShape,
  };
}

/** A flag's value as commander hands it over: a string. */
const TEXT = optional(string());
const SWITCH = optional(boolean);

/** The command line `nabla train` keeps in its checkpoints (`meta.flags`). */
const FLAGS = object(
  {
    data: string(),
    ...Object.fromEntries(
      [
        'model',
        'hidden',
        'activation',
        'loss',
        'optimizer',
        'lr',
        'momentum',
        'batchSize',
        'epochs',
        'seed',
        'dropout',
        'weightDecay',
        'l2',
        'jitter',
        'earlyStopping',
        'restarts',
        'samples',
        'noise',
        'classes',
        'validation',
        'test',
        'out',
        'maxSteps',
        'checkpointDir',
        'checkpointEvery',
        'resume',
      ].map((k) => [k, TEXT]),
    ),
    overwrite: SWITCH,
    progress: SWITCH,
    plots: SWITCH,
    augment: SWITCH,
  },
  'the flags of nabla train',
);

/**
 * The flags a checkpoint of `nabla train` recorded (`meta.flags` of `file`), checked for their
 * sorts: strings as commander gives them, switches true or false.
 */
export function savedFlags(meta: unknown, file: string): TrainFlags {
  const flags = readJson(object({ flags: FLAGS }), meta ?? {}, file, 'meta');
  return flags.flags as unknown as TrainFlags;
}
