/**
 * The lexer of scalar expressions: source text to numbers, identifiers and punctuation, each with
 * its source offsets.
 *
 * @module
 */
import { ExpressionError } from './error.js';

/** The punctuation an expression may contain. */
export type Punct = '+' | '-' | '*' | '/' | '^' | '(' | ')' | ',';

/** One token, with the offsets of its first character and just after its last. */
export type Token =
  | {
      readonly kind: 'number';
      readonly value: number;
      readonly start: number;
      readonly end: number;
    }
  | { readonly kind: 'ident'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: 'punct'; readonly op: Punct; readonly start: number; readonly end: number }
  | { readonly kind: 'end'; readonly start: number; readonly end: number };

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const WORD_CHAR = /[0-9A-Za-z_.]/;
const PUNCT = '+-*/^(),';

/** Splits an expression into tokens, ending with an 'end' token; throws at a malformed number or a stray character. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (PUNCT.includes(c)) {
      tokens.push({ kind: 'punct', op: c as Punct, start: i, end: i + 1 });
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(source);
    if (num !== null) {
      let end = i + num[0].length;
      const next = source[end] ?? '';
      if (next === '.' || next === 'e' || next === 'E' || /\d/.test(next)) {
        while (end < source.length && WORD_CHAR.test(source[end])) end++;
        throw new ExpressionError(
          `explain: malformed number '${source.slice(i, end)}' at column ${i + 1}`,
          i + 1,
          source,
        );
      }
      const value = Number(num[0]);
      if (!Number.isFinite(value)) {
        throw new ExpressionError(
          `explain: number ${num[0]} is too large at column ${i + 1}`,
          i + 1,
          source,
        );
      }
      tokens.push({ kind: 'number', value, start: i, end });
      i = end;
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(source);
    if (id !== null) {
      tokens.push({ kind: 'ident', name: id[0], start: i, end: i + id[0].length });
      i += id[0].length;
      continue;
    }
    const ch = String.fromCodePoint(source.codePointAt(i) ?? 0);
    throw new ExpressionError(
      `explain: unexpected character '${ch}' at column ${i + 1}`,
      i + 1,
      source,
    );
  }
  tokens.push({ kind: 'end', start: source.length, end: source.length });
  return tokens;
}
