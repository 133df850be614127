import { Option } from 'commander';
import { constants } from 'node:os';
import { formatValue } from '../tensor/check.js';
import type { NumberLimit } from '../train/options.js';

/** A mistake in the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Training stopped by a signal (Ctrl-C, SIGTERM, SIGHUP): printed as one line, with the exit code
 * a shell reports for that signal (128 + its number: 130 for Ctrl-C, 143 for SIGTERM, 129 for
 * SIGHUP).
 */
export class Interrupted extends Error {
  readonly exitCode: number;
  constructor(message: string, signal: NodeJS.Signals = 'SIGINT') {
    super(message);
    this.name = 'Interrupted';
    this.exitCode = 128 + (constants.signals[signal] ?? constants.signals.SIGINT);
  }
}

/** What a number flag may be: `fit`'s limits ({@link NumberLimit}) and an upper bound. */
export interface FlagLimit extends NumberLimit {
  readonly max?: number;
}

/** Throws `<flag> must be <expected>, got <value>` as a mistake in the command line. */
function refuse(flag: string, expected: string, value: unknown): never {
  throw new UsageError(`${flag} must be ${expected}, got ${formatValue(value)}`);
}

/** Reads a number flag, refusing anything else with a one-line message. */
export function numberFlag(value: string, flag: string, limit: FlagLimit = {}): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || (limit.integer && !Number.isInteger(v)))
    refuse(flag, limit.integer ? 'an integer' : 'a number', value);
  if (limit.positive && !(v > 0)) refuse(flag, 'greater than 0', v);
  if (limit.min !== undefined && v < limit.min) refuse(flag, `at least ${limit.min}`, v);
  if (limit.max !== undefined && v > limit.max) refuse(flag, `at most ${limit.max}`, v);
  return v;
}

/** Reads a comma-separated list of positive integers (`128,64`). */
export function sizesFlag(value: string, flag: string): number[] {
  if (value.trim() === '' || value.trim() === 'none') return [];
  return value.split(',').map((part) => numberFlag(part.trim(), flag, { integer: true, min: 1 }));
}

/** Checks a flag against the values it may take. */
export function choiceFlag<T extends string>(
  value: string,
  flag: string,
  choices: readonly T[],
): T {
  if (!(choices as readonly string[]).includes(value))
    refuse(flag, `one of ${choices.join(', ')}`, value);
  return value as T;
}

/**
 * A commander option that takes one of `choices`: the help lists them, and a value not among
 * them is refused with {@link choiceFlag}'s one-line message.
 */
export function choiceOption(
  flags: string,
  description: string,
  choices: readonly string[],
): Option {
  const name = flags.split(' ')[0];
  return new Option(flags, description)
    .choices(choices)
    .argParser((value: string) => choiceFlag(value, name, choices));
}
