/**
 * A strict, bounded JSON parser for file headers that may come from anywhere.
 *
 * Unlike `JSON.parse` it refuses duplicate keys, keeps every object's keys in file order (also
 * keys that look like integers, which plain objects would move to the front), keeps numbers as
 * their source text so that callers decide what an acceptable number is, stops at a fixed nesting
 * depth instead of overflowing the stack, and reports the position (in characters) of the first problem.
 */

/** A JSON number, kept as written (`12`, `-0`, `1e3`). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A parsed JSON value: objects are Maps in file order, numbers are `JsonNumber`. */
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** A JSON object with its keys in file order. */
export type JsonObject = Map<string, JsonValue>;

/** Thrown for text that is not JSON, or nests too deep; `message` says what and where. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

/** The deepest nesting of arrays and objects accepted. */
export const MAX_JSON_DEPTH = 64;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parses `text` as one JSON value, optionally surrounded by JSON whitespace. */
export function parseJson(text: string): JsonValue {
  return new JsonReader(text).document();
}

/** The characters a one-letter escape (`\n`, `\t`, …) stands for. */
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** A recursive-descent reader over one text; `pos` is where it stands, in UTF-16 code units. */
class JsonReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** The whole text as one value, with nothing but whitespace around it. */
  document(): JsonValue {
    const value = this.value(0);
    this.skipSpace();
    if (this.pos < this.text.length) {
      this.fail(`unexpected ${this.found()} after the end of the JSON value`);
    }
    return value;
  }

  /** Throws a `JsonSyntaxError` saying `what`, at the current position (1-based). */
  private fail(what: string): never {
    throw new JsonSyntaxError(`${what} at character ${this.pos + 1}`);
  }

  /** Steps over JSON whitespace: space, line feed, carriage return, tab. */
  private skipSpace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else return;
    }
  }

  /** What stands at the current position, for messages. */
  private found(): string {
    const { text, pos } = this;
    if (pos >= text.length) return 'the end';
    const c = text.charCodeAt(pos);
    return c >= 0x20 && c < 0x7f
      ? JSON.stringify(text[pos])
      : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }

  /** Any value, after optional whitespace; `depth` is the nesting of the arrays and objects around it. */
  private value(depth: number): JsonValue {
    this.skipSpace();
    const { text, pos } = this;
    const c = text[pos];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return this.string();
    if (c === 't' && text.startsWith('true', pos)) {
      this.pos += 4;
      return true;
    }
    if (c === 'f' && text.startsWith('false', pos)) {
      this.pos += 5;
      return false;
    }
    if (c === 'n' && text.startsWith('null', pos)) {
      this.pos += 4;
      return null;
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m === null) return this.fail(`expected a value but found ${this.found()}`);
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }

  /** A string, from its opening quote (at the current position) to its closing one. */
  private string(): string {
    const text = this.text;
    this.pos++;
    let out = '';
    let start = this.pos;
    for (;;) {
      if (this.pos >= text.length) this.fail('unterminated string');
      const c = text.charCodeAt(this.pos);
      if (c === 0x22) {
        out += text.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c === 0x5c) {
        out += text.slice(start, this.pos);
        this.pos++;
        out += this.escape();
        start = this.pos;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        // Text decoded from UTF-8 never holds lone surrogates, but a caller's string might.
        const next = text.charCodeAt(this.pos + 1);
        if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) this.fail('unpaired surrogate');
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
  }

  /** The characters of one escape, from the letter after its backslash (the current position). */
  private escape(): string {
    const e = this.text[this.pos];
    if (e === 'u') return this.unicodeEscape();
    const plain = Object.prototype.hasOwnProperty.call(ESCAPES, e) ? ESCAPES[e] : undefined;
    if (plain === undefined) return this.fail('invalid escape in string');
    this.pos++;
    return plain;
  }

  /** A `\uXXXX` escape, or a surrogate pair of two, from the `u` (the current position). */
  private unicodeEscape(): string {
    const text = this.text;
    const unit = this.hex4(this.pos + 1);
    this.pos += 5;
    if (unit >= 0xdc00 && unit <= 0xdfff) this.fail('unpaired surrogate in \\u escape');
    if (unit < 0xd800 || unit > 0xdbff) return String.fromCharCode(unit);
    if (text[this.pos] !== '\\' || text[this.pos + 1] !== 'u') {
      this.fail('unpaired surrogate in \\u escape');
    }
    const low = this.hex4(this.pos + 2);
    if (low < 0xdc00 || low > 0xdfff) this.fail('unpaired surrogate in \\u escape');
    this.pos += 6;
    return String.fromCharCode(unit, low);
  }

  /** The four hex digits at `at` as a number; fails there when they are not four hex digits. */
  private hex4(at: number): number {
    const digits = this.text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) {
      this.pos = at;
      this.fail('invalid \\u escape');
    }
    return parseInt(digits, 16);
  }

  /** An object, from its `{` (at the current position): keys in file order, no duplicates. */
  private object(depth: number): JsonObject {
    const text = this.text;
    if (depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.pos++; // {
    const out: JsonObject = new Map();
    this.skipSpace();
    if (text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (text[this.pos] !== '"') this.fail(`expected a key but found ${this.found()}`);
      const keyAt = this.pos;
      const key = this.string();
      if (out.has(key)) {
        this.pos = keyAt;
        this.fail(`duplicate key ${JSON.stringify(key)}`);
      }
      this.skipSpace();
      if (text[this.pos] !== ':') this.fail(`expected ':' but found ${this.found()}`);
      this.pos++;
      out.set(key, this.value(depth));
      if (this.closes('}')) return out;
    }
  }

  /** An array, from its `[` (at the current position). */
  private array(depth: number): JsonValue[] {
    if (depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.pos++; // [
    const out: JsonValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      if (this.closes(']')) return out;
    }
  }

  /** After a member: steps over a `,` (false: more follow) or the closing `close` (true). */
  private closes(close: '}' | ']'): boolean {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === ',' || c === close) {
      this.pos++;
      return c === close;
    }
    return this.fail(`expected ',' or '${close}' but found ${this.found()}`);
  }
}

/** Whether `value` nests arrays and objects deeper than `limit` levels (checked without recursion). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
