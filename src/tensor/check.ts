/**
 * Checks of numbers and options given by users (optimizers, schedulers, fit, layer configs, the
 * CLI, data loaders and generators, plots) and the one way a value is described in an error
 * message (`formatValue` for the value given, `kindOf` for its sort). Every message names the
 * class, the option, the value given and what was expected:
 * `SGD: lr must be a positive number, got -0.1`.
 *
 * This module is at the bottom of the layers (it imports nothing), so every layer can use it.
 */

/** Where a check runs: the class name and, for a param group's own value, the group's index. */
export interface CheckContext {
  readonly where: string;
  readonly group?: number;
}

/**
 * A value as it should appear after "got" in an error message — with `kindOf`, the one describer
 * of the library (every "got …" goes through one of the two):
 *
 * - numbers as JavaScript prints them (`-0` kept, `NaN`, `Infinity`): `got -0.1`;
 * - strings quoted, cut after 40 characters, and marked when they would read as a number:
 *   `got "up"`, `got "3" (a string)`;
 * - booleans, `null`, `undefined` as written; bigints with their `n`: `got 5n`;
 * - arrays spelled out with `, ` between items, cut after 80 characters: `got [0.9]`;
 * - any other object by its constructor's name (`got Object`, `got Map`), else by `kindOf`.
 */
export function formatValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string': {
      const quoted = JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
      return value.trim() !== '' && !Number.isNaN(Number(value)) ? `${quoted} (a string)` : quoted;
    }
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
  }
  if (Array.isArray(value)) {
    const text = `[${value.map(formatValue).join(', ')}]`;
    return text.length > 80 ? `${text.slice(0, 76)}...]` : text;
  }
  if (typeof value === 'object' && value !== null) return constructorName(value) ?? 'an object';
  return kindOf(value);
}

/**
 * What sort of value this is, for messages that expected another sort ("expected a Tensor, got
 * …"): `null`, `an array`, `an object` for a plain object, a class instance by its class name
 * (`Float32Array`, `Map`), and otherwise the word `typeof` gives (`string`, `number`, `boolean`,
 * `undefined`, `function`, `bigint`, `symbol`).
 */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return typeof value;
  const name = constructorName(value);
  return name === undefined || name === 'Object' ? 'an object' : name;
}

function constructorName(value: object): string | undefined {
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/**
 * Throws `<where>: <key> must be <expected>, got <value>[ (param group i)]`, a RangeError unless
 * `error` says otherwise (a TypeError where the value is of the wrong sort altogether).
 */
export function fail(
  ctx: CheckContext,
  key: string,
  expected: string,
  value: unknown,
  error: new (message: string) => Error = RangeError,
): never {
  const group = ctx.group === undefined ? '' : ` (param group ${ctx.group})`;
  throw new error(`${ctx.where}: ${key} must be ${expected}, got ${formatValue(value)}${group}`);
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

/** A function (a callback such as the `f` of `gradcheck(f, inputs)`). */
export function checkFunction<F extends (...args: never[]) => unknown>(
  ctx: CheckContext,
  key: string,
  value: unknown,
): F {
  if (typeof value !== 'function') fail(ctx, key, 'a function', value, TypeError);
  return value as F;
}

/** A plain object of options or fields (not null, not an array); `undefined` when `optional`. */
export function checkObject(
  ctx: CheckContext,
  key: string,
  value: unknown,
  optional = false,
): Record<string, unknown> {
  if (optional && value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(ctx, key, 'an object', value, TypeError);
  }
  return value as Record<string, unknown>;
}

/**
 * The name a class meant to be extended (`Optimizer`, `LRScheduler`) goes by in messages: `name`
 * when its subclass gives one, else the subclass's own name. Refuses the base class itself, which
 * JavaScript lets anyone construct: `Optimizer: the base class cannot be used on its own; use SGD,
 * Adam, …, or extend it`.
 */
export function subclassLabel(
  target: { readonly name: string },
  base: { readonly name: string },
  name: unknown,
  use: string,
): string {
  if (target === base) {
    throw new TypeError(
      `${base.name}: the base class cannot be used on its own; use ${use}, or extend it`,
    );
  }
  if (name !== undefined && typeof name !== 'string') {
    fail({ where: target.name }, 'name', 'a string', name, TypeError);
  }
  return name ?? target.name;
}
