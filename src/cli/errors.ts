/** A mistake in the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Training stopped by Ctrl-C: printed as one line, exit code 130 (as a shell reports SIGINT). */
export class Interrupted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Interrupted';
  }
}

/** Reads a number flag, refusing anything else with a one-line message. */
export function numberFlag(
  value: string,
  flag: string,
  check: { min?: number; max?: number; integer?: boolean; positive?: boolean } = {},
): number {
  const v = Number(value);
  const what = check.integer ? 'an integer' : 'a number';
  if (value.trim() === '' || !Number.isFinite(v) || (check.integer && !Number.isInteger(v))) {
    throw new UsageError(`${flag} must be ${what}, got ${JSON.stringify(value)}`);
  }
  if (check.positive && !(v > 0))
    throw new UsageError(`${flag} must be greater than 0, got ${value}`);
  if (check.min !== undefined && v < check.min)
    throw new UsageError(`${flag} must be at least ${check.min}, got ${value}`);
  if (check.max !== undefined && v > check.max)
    throw new UsageError(`${flag} must be at most ${check.max}, got ${value}`);
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
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(
      `${flag} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}
