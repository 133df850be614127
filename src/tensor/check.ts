/**
 * Checks of numbers and options given by users (optimizers, schedulers, fit, layer configs, the CLI)
 * and the one way a value is described in an error message. Every message names the
 * class, the option, the value given and what was expected:
 * `SGD: lr must be a positive number, got -0.1`.
 */

/** Where a check runs: the class name and, for a param group's own value, the group's index. */
export interface CheckContext {
  readonly where: string;
  readonly group?: number;
}

/** A value as it should appear in an error message. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return typeof value;
}

/** Throws `<where>: <key> must be <expected>, got <value>[ (param group i)]`. */
export function fail(ctx: CheckContext, key: string, expected: string, value: unknown): never {
  const group = ctx.group === undefined ? '' : ` (param group ${ctx.group})`;
  throw new RangeError(
    `${ctx.where}: ${key} must be ${expected}, got ${formatValue(value)}${group}`,
  );
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);

/** A finite number > 0. */
export function checkPositive(ctx: CheckContext, key: string, value: unknown): number {
  if (!isNumber(value) || !Number.isFinite(value) || value <= 0) {
    fail(ctx, key, 'a positive number', value);
  }
  return value;
}

/** A finite number ≥ 0. */
export function checkNonNegative(ctx: CheckContext, key: string, value: unknown): number {
  if (!isNumber(value) || !Number.isFinite(value) || value < 0) {
    fail(ctx, key, 'a number >= 0', value);
  }
  return value;
}

/** Any finite number. */
export function checkFiniteNumber(ctx: CheckContext, key: string, value: unknown): number {
  if (!isNumber(value) || !Number.isFinite(value)) fail(ctx, key, 'a finite number', value);
  return value;
}

/** A number in [0, 1). */
export function checkUnitInterval(ctx: CheckContext, key: string, value: unknown): number {
  if (!isNumber(value) || value < 0 || value >= 1) fail(ctx, key, 'a number in [0, 1)', value);
  return value;
}

/** An integer ≥ `min`. */
export function checkInteger(ctx: CheckContext, key: string, value: unknown, min: number): number {
  if (!isNumber(value) || !Number.isInteger(value) || value < min) {
    fail(ctx, key, min === 1 ? 'a positive integer' : `an integer >= ${min}`, value);
  }
  return value;
}

/** true or false. */
export function checkBoolean(ctx: CheckContext, key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(ctx, key, 'true or false', value);
  return value;
}

/** One of the given strings. */
export function checkChoice<T extends string>(
  ctx: CheckContext,
  key: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (!choices.includes(value as T)) {
    fail(ctx, key, `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`, value);
  }
  return value as T;
}

/**
 * Fills the options a user left out from `defaults`, refusing a non-object and keys the class does
 * not know (a misspelt option would otherwise be silently replaced by its default).
 */
export function resolveOptions<H extends object>(where: string, options: unknown, defaults: H): H {
  if (options === undefined) return { ...defaults };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(
      `${where}: options must be an object such as { lr: 0.01 }, got ${formatValue(options)}`,
    );
  }
  const known = Object.keys(defaults);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${where}: unknown option ${JSON.stringify(key)}; the options are ${known.join(', ')}`,
      );
    }
  }
  const out = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out as H;
}
