/**
 * One small validator for the JSON that nabla reads back from files (model.json, a checkpoint's
 * description, the flags a run recorded). A schema says what each field must hold; a value that
 * does not fit is refused with one message naming the file, the field, what the field holds and
 * what was expected:
 *
 * `runs/xor/model.json: "metadata.split.samples" is "600" (a string); expected an integer from 10 to 100000000`
 *
 * Objects are open (fields a schema does not name are kept as they are), so files written by a
 * later version with extra fields still load. Every check is iterative over the schema, which
 * nests a few levels at most; the value's own depth is checked by the readers before.
 *
 * @module
 */
import { formatValue } from '../tensor/check.js';

/** A check of one JSON value: `expected` says what it must be, `read` returns it or throws. */
export interface Schema<T> {
  /** What the value must be, for messages: "an integer from 0 to 10". */
  readonly expected: string;
  /** The value checked (and typed); `at` is its field's path, for a {@link SchemaMismatch}. */
  read(value: unknown, at: string): T;
}

/** What a schema accepts. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Thrown by a schema's `read`; {@link readJson} turns it into an error naming the file. */
export class SchemaMismatch extends Error {
  override name = 'SchemaMismatch';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(describe(field, value, expected));
  }
}

/** `"a.b" is 3; expected a string`, or `the file holds 3; …` for the root. */
function describe(field: string, value: unknown, expected: string): string {
  const what = value === undefined ? 'is missing' : `is ${formatValue(value)}`;
  return `${field === '' ? 'the JSON' : `"${field}"`} ${what}; expected ${expected}`;
}

/** The path of a field: `a.b`, `a[0]`, or `a['0.weight']` for a key that is not a plain name. */
const join = (at: string, key: string | number): string =>
  typeof key === 'number'
    ? `${at}[${key}]`
    : !/^[A-Za-z_$][\w$]*$/.test(key)
      ? `${at}['${key.replace(/[\\']/g, '\\$&')}']`
      : at === ''
        ? key
        : `${at}.${key}`;

/** A schema from its description and a test; values that pass are returned as they are. */
function test<T>(expected: string, ok: (v: unknown) => boolean): Schema<T> {
  return {
    expected,
    read(value, at) {
      if (!ok(value)) throw new SchemaMismatch(at, value, expected);
      return value as T;
    },
  };
}

/** The range part of a number's description: " from 0 to 10", " ≥ 0", "". */
function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` >= ${min}`;
  return max === undefined ? '' : ` <= ${max}`;
}

/** Limits of a number: `min`/`max` inclusive, `above` exclusive. */
export interface NumberLimits {
  min?: number;
  max?: number;
  above?: number;
}

/** A finite number within the limits. */
export function number({ min, max, above }: NumberLimits = {}, why = ''): Schema<number> {
  const bounds = above === undefined ? range(min, max) : ` > ${above}${range(undefined, max)}`;
  return test(`a finite number${bounds}${why === '' ? '' : ` (${why})`}`, (v) =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (min === undefined || v >= min) &&
    (max === undefined || v <= max) &&
    (above === undefined || v > above));
}

/** Any number, also NaN and ±Infinity (as a checkpoint stores a plateau's "best"). */
export const anyNumber: Schema<number> = test('a number', (v) => typeof v === 'number');

/** An integer within the limits (safe integers only). */
export function integer({ min, max }: Omit<NumberLimits, 'above'> = {}): Schema<number> {
  return test(`an integer${range(min, max)}`, (v) =>
    Number.isSafeInteger(v) &&
    (min === undefined || (v as number) >= min) &&
    (max === undefined || (v as number) <= max));
}

/** A string, one of `choices` when given. */
export function string<T extends string = string>(choices?: readonly T[]): Schema<T> {
  if (choices === undefined) return test('a string', (v) => typeof v === 'string');
  const list = choices.map((c) => JSON.stringify(c)).join(', ');
  return test(choices.length === 1 ? list : `one of ${list}`, (v) => choices.includes(v as T));
}

/** true or false. */
export const boolean: Schema<boolean> = test('true or false', (v) => typeof v === 'boolean');

/** Anything at all (checked elsewhere, or not at all). */
export const anything: Schema<unknown> = test('anything', () => true);

/** A list of `item`s, of `min` to `max` entries. */
export function list<T>(item: Schema<T>, { min = 0, max = Infinity } = {}): Schema<T[]> {
  const count =
    max === Infinity
      ? min > 1
        ? ` of at least ${min} entries`
        : min === 1
          ? ' of at least one entry'
          : ''
      : min === max
        ? ` of ${min} entries`
        : ` of ${min} to ${max} entries`;
  const expected = `a list${count}, each ${item.expected}`;
  return {
    expected,
    read(value, at) {
      if (!Array.isArray(value) || value.length < min || value.length > max)
        throw new SchemaMismatch(at, value, expected);
      value.forEach((v, i) => item.read(v, join(at, i)));
      return value as T[];
    },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** An object whose every field (of any name) is an `item`. */
export function record<T>(item: Schema<T>, expected = 'an object'): Schema<Record<string, T>> {
  return {
    expected,
    read(value, at) {
      if (!isRecord(value)) throw new SchemaMismatch(at, value, expected);
      for (const [k, v] of Object.entries(value)) item.read(v, join(at, k));
      return value as Record<string, T>;
    },
  };
}

/** A field that may be left out (or null, when `nullable`). */
export interface Optional<T> extends Schema<T | undefined> {
  readonly optional: true;
}

/** `schema`, or the field left out. */
export function optional<T>(schema: Schema<T>): Optional<T> {
  return {
    optional: true,
    expected: schema.expected,
    read: (value, at) => (value === undefined ? undefined : schema.read(value, at)),
  };
}

/** `schema`, or null. */
export function nullable<T>(schema: Schema<T>): Schema<T | null> {
  return either(
    test<null>('null', (v) => v === null),
    schema,
  );
}

/** Either schema: the first that fits. */
export function either<A, B>(a: Schema<A>, b: Schema<B>): Schema<A | B> {
  const expected = `${a.expected} or ${b.expected}`;
  return {
    expected,
    read(value, at) {
      for (const s of [a, b] as Schema<A | B>[]) {
        try {
          return s.read(value, at);
        } catch (e) {
          if (!(e instanceof SchemaMismatch) || e.field !== at) throw e;
        }
      }
      throw new SchemaMismatch(at, value, expected);
    },
  };
}

type Fields = Record<string, Schema<unknown>>;

/** What an object schema of `F` accepts: its named fields (optional ones may be missing), and more. */
export type ObjectOf<F extends Fields> = {
  [K in keyof F as F[K] extends Optional<unknown> ? never : K]: Infer<F[K]>;
} & {
  [K in keyof F as F[K] extends Optional<unknown> ? K : never]?: Infer<F[K]>;
} & Record<string, unknown>;

/** An object with the named `fields` (a field without `optional` is required), and maybe others. */
export function object<F extends Fields>(fields: F, expected = 'an object'): Schema<ObjectOf<F>> {
  return {
    expected,
    read(value, at) {
      if (!isRecord(value)) throw new SchemaMismatch(at, value, expected);
      for (const [k, s] of Object.entries(fields)) s.read(value[k], join(at, k));
      return value as ObjectOf<F>;
    },
  };
}

/**
 * `value` checked against `schema`, or an Error `<file>: "<field>" is <value>; expected …`. `at`
 * is the path of `value` in the file when it is a part of it (`"meta.flags"`).
 */
export function readJson<T>(schema: Schema<T>, value: unknown, file: string, at = ''): T {
  try {
    return schema.read(value, at);
  } catch (e) {
    if (e instanceof SchemaMismatch) throw new Error(`${file}: ${e.message}`);
    throw e;
  }
}
