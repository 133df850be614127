/**
 * The split a model recorded in its `model.json`, checked before `nabla evaluate` re-prepares its
 * data: a wrong type or a size that would allocate gigabytes is one line naming the file and field.
 *
 * @module
 */
import { MAX_TENSOR_BYTES } from '../data/limits.js';
import type { DataFlags } from './data.js';

/** The most toy points a recorded split may ask for (the data takes about 48 bytes a point). */
const MAX_SAVED_SAMPLES = Math.floor(MAX_TENSOR_BYTES / 48);

type Rule = { integer?: boolean; min: number; max: number };

const RULES: Record<keyof DataFlags, Rule> = {
  seed: { integer: true, min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  validation: { min: 0, max: 0.5 },
  test: { min: 0, max: 0.5 },
  samples: { integer: true, min: 10, max: MAX_SAVED_SAMPLES },
  noise: { min: 0, max: 1e6 },
  classes: { integer: true, min: 2, max: 1e6 },
};

/**
 * Checks `split` (the `metadata.split` of `file`): an object whose fields are numbers within the
 * limits the flags that wrote them allow. Throws `<file>: metadata.split.<field> …` otherwise.
 */
export function checkSavedSplit(split: unknown, file: string): DataFlags {
  const where = `${file}: metadata.split`;
  if (typeof split !== 'object' || split === null || Array.isArray(split))
    throw new Error(`${where} must be an object, got ${JSON.stringify(split)}`);
  const record = split as Record<string, unknown>;
  for (const [field, rule] of Object.entries(RULES)) {
    const v = record[field];
    if (v === undefined && field !== 'seed' && field !== 'validation' && field !== 'test') continue;
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (!rule.integer || Number.isInteger(v)) &&
      v >= rule.min &&
      v <= rule.max;
    if (!ok)
      throw new Error(
        `${where}.${field} must be ${rule.integer ? 'an integer' : 'a number'} from ` +
          `${rule.min} to ${rule.max}, got ${JSON.stringify(v) ?? 'nothing'}`,
      );
  }
  return record as unknown as DataFlags;
}
