import { fail } from '../tensor/check.js';

/**
 * The data layer's option checks, on top of `tensor/check.ts` (same message form, `<where>: <key>
 * must be <expected>, got <value>`). They keep the data layer's wording (`≥`) where the optimizers
 * write `>=`.
 *
 * @internal
 */

/** An integer ≥ `min`, else a RangeError. @internal */
export function integerAtLeast(where: string, key: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail({ where }, key, `an integer ≥ ${min}`, value);
  }
  return value;
}

/** A seed: a safe integer, else a TypeError. @internal */
export function checkSeed(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    fail({ where }, 'seed', 'an integer', value, TypeError);
  }
  return value;
}
