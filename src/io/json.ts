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
  let pos = 0;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at character ${pos + 1}`);
  };

  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return;
    }
  };

  /** What stands at the current position, for messages. */
  const found = (): string => {
    if (pos >= text.length) return 'the end';
    const c = text.charCodeAt(pos);
    return c >= 0x20 && c < 0x7f
      ? JSON.stringify(text[pos])
      : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  };

  const parseString = (): string => {
    // pos is at the opening quote.
    pos++;
    let out = '';
    let start = pos;
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(start, pos);
        pos++;
        return out;
      }
      if (c < 0x20) fail('control character in string');
      if (c === 0x5c) {
        out += text.slice(start, pos);
        pos++;
        const e = text[pos];
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            pos++;
            break;
          case 'b':
            out += '\b';
            pos++;
            break;
          case 'f':
            out += '\f';
            pos++;
            break;
          case 'n':
            out += '\n';
            pos++;
            break;
          case 'r':
            out += '\r';
            pos++;
            break;
          case 't':
            out += '\t';
            pos++;
            break;
          case 'u': {
            const unit = readHex4(pos + 1);
            pos += 5;
            if (unit >= 0xdc00 && unit <= 0xdfff) fail('unpaired surrogate in \\u escape');
            if (unit >= 0xd800 && unit <= 0xdbff) {
              if (text[pos] !== '\\' || text[pos + 1] !== 'u') {
                fail('unpaired surrogate in \\u escape');
              }
              const low = readHex4(pos + 2);
              if (low < 0xdc00 || low > 0xdfff) fail('unpaired surrogate in \\u escape');
              pos += 6;
              out += String.fromCharCode(unit, low);
            } else {
              out += String.fromCharCode(unit);
            }
            break;
          }
          default:
            fail('invalid escape in string');
        }
        start = pos;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        // Text decoded from UTF-8 never holds lone surrogates, but a caller's string might.
        const next = text.charCodeAt(pos + 1);
        if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) fail('unpaired surrogate');
        pos += 2;
        continue;
      }
      pos++;
    }
  };

  const readHex4 = (at: number): number => {
    const digits = text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) {
      pos = at;
      fail('invalid \\u escape');
    }
    return parseInt(digits, 16);
  };

  const parseValue = (depth: number): JsonValue => {
    skipSpace();
    const c = text[pos];
    if (c === '{') return parseObject(depth + 1);
    if (c === '[') return parseArray(depth + 1);
    if (c === '"') return parseString();
    if (c === 't' && text.startsWith('true', pos)) {
      pos += 4;
      return true;
    }
    if (c === 'f' && text.startsWith('false', pos)) {
      pos += 5;
      return false;
    }
    if (c === 'n' && text.startsWith('null', pos)) {
      pos += 4;
      return null;
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m === null) return fail(`expected a value but found ${found()}`);
    pos += m[0].length;
    return new JsonNumber(m[0]);
  };

  const parseObject = (depth: number): JsonObject => {
    if (depth > MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    pos++; // {
    const out: JsonObject = new Map();
    skipSpace();
    if (text[pos] === '}') {
      pos++;
      return out;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail(`expected a key but found ${found()}`);
      const keyAt = pos;
      const key = parseString();
      if (out.has(key)) {
        pos = keyAt;
        fail(`duplicate key ${JSON.stringify(key)}`);
      }
      skipSpace();
      if (text[pos] !== ':') fail(`expected ':' but found ${found()}`);
      pos++;
      out.set(key, parseValue(depth));
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      fail(`expected ',' or '}' but found ${found()}`);
    }
  };

  const parseArray = (depth: number): JsonValue[] => {
    if (depth > MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    pos++; // [
    const out: JsonValue[] = [];
    skipSpace();
    if (text[pos] === ']') {
      pos++;
      return out;
    }
    for (;;) {
      out.push(parseValue(depth));
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      fail(`expected ',' or ']' but found ${found()}`);
    }
  };

  const value = parseValue(0);
  skipSpace();
  if (pos < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
  return value;
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
