/**
 * The parser of scalar expressions (Pratt): tokens to a syntax tree whose nodes remember their
 * source spans, with errors that point at the column of the problem.
 *
 * @module
 */
import { kindOf } from '../../tensor/check.js';
import { ExpressionError } from './error.js';
import {
  children,
  EXPRESSION_FUNCTIONS,
  isFunctionName,
  type BinaryOperator,
  type Expr,
  type Span,
} from './syntax.js';
import { tokenize, type Token } from './tokenize.js';

const FUNCTION_LIST = Object.keys(EXPRESSION_FUNCTIONS).join(', ');

/** How deeply an expression may nest (parentheses, operators, calls) before it is refused. */
const MAX_DEPTH = 500;

/** Left and right binding powers of the infix operators; `^` is right-associative. */
const INFIX: Readonly<Record<string, readonly [number, number]>> = {
  '+': [10, 11],
  '-': [10, 11],
  '*': [20, 21],
  '/': [20, 21],
  '^': [40, 39],
};
/** The binding power of unary minus/plus: above `*`, below `^` (so `-x^2` is −(x²)). */
const PREFIX = 30;

const OPERAND = "expected a number, a variable, '(' or a function call";

/** A recursive-descent (Pratt) parser over the tokens of one expression. */
class Parser {
  private pos = 0;
  private depth = 0;
  /** Parentheses opened and not yet closed. */
  private open = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  /** The next token, left in place. */
  private peek(): Token {
    return this.tokens[this.pos];
  }

  /** The next token, consumed (the 'end' token stays). */
  private next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  /** Throws an ExpressionError pointing at source offset `at`. */
  fail(headline: string, at: number): never {
    throw new ExpressionError(`explain: ${headline}`, at + 1, this.source);
  }

  /** Throws for a token that cannot come here, saying what could (and hinting ^ for `**`). */
  private unexpected(token: Token, expected: string): never {
    const what =
      token.kind === 'end'
        ? 'unexpected end of expression'
        : `unexpected '${this.source.slice(token.start, token.end)}'`;
    let hint = `; ${expected}`;
    const prev = this.tokens[this.pos - 1];
    if (
      token.kind === 'punct' &&
      token.op === '*' &&
      prev?.kind === 'punct' &&
      prev.op === '*' &&
      prev.end === token.start
    ) {
      hint += ' (write ^ for a power)';
    }
    this.fail(`${what} at column ${token.start + 1}${hint}`, token.start);
  }

  /** The whole expression, refusing empty input and anything left over. */
  parseAll(): Expr {
    if (this.peek().kind === 'end') this.fail('empty expression at column 1', 0);
    const expr = this.parseExpr(0);
    const t = this.peek();
    if (t.kind !== 'end') {
      if (t.kind === 'punct' && t.op === ')') {
        this.fail(`unmatched ')' at column ${t.start + 1}`, t.start);
      }
      this.unexpected(t, 'expected an operator (+ - * / ^) or the end');
    }
    return expr;
  }

  /** An expression whose operators bind at least as tightly as `minBp`. */
  private parseExpr(minBp: number): Expr {
    if (++this.depth > MAX_DEPTH) {
      const t = this.peek();
      this.fail(
        `expression nests too deeply (more than ${MAX_DEPTH} levels) at column ${t.start + 1}`,
        t.start,
      );
    }
    let left = this.parsePrefix();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct') break;
      const bp = INFIX[t.op];
      if (bp === undefined || bp[0] < minBp) break;
      this.next();
      const right = this.parseExpr(bp[1]);
      left = {
        kind: 'binary',
        op: t.op as BinaryOperator,
        left,
        right,
        span: { start: this.extent(left).start, end: this.extent(right).end },
      };
      this.checkDepth(left, t.start);
    }
    this.depth--;
    return left;
  }

  /** Refuses trees deeper than MAX_DEPTH (long chains such as x+x+…+x), which recursion could not walk. */
  private readonly depths = new WeakMap<Expr, number>();
  /** The extent of a parenthesized node including its parentheses, for the spans of its parents. */
  private readonly outer = new WeakMap<Expr, Span>();
  /** A node's span, including its parentheses if it had some. */
  private extent(e: Expr): Span {
    return this.outer.get(e) ?? e.span;
  }
  /** Records a node's depth, refusing one deeper than MAX_DEPTH. */
  private checkDepth(node: Expr, at: number): void {
    let d = 0;
    for (const child of children(node)) d = Math.max(d, this.depths.get(child) ?? 1);
    this.depths.set(node, d + 1);
    if (d + 1 > MAX_DEPTH) {
      this.fail(
        `expression nests too deeply (more than ${MAX_DEPTH} levels) at column ${at + 1}`,
        at,
      );
    }
  }

  /** An operand: a number, a variable or a call, a signed operand, or a parenthesized expression. */
  private parsePrefix(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'number', value: t.value, span: { start: t.start, end: t.end } };
      case 'ident':
        return this.parseName(t);
      case 'punct':
        return this.parsePunct(t);
      case 'end':
        return this.unexpected(t, OPERAND);
    }
  }

  /** A variable, or a call when `(` follows; refuses a function name without its arguments. */
  private parseName(t: Extract<Token, { kind: 'ident' }>): Expr {
    const after = this.peek();
    const call = after.kind === 'punct' && after.op === '(';
    if (call) return this.parseCall(t.name, t.start);
    if (isFunctionName(t.name)) {
      const example = EXPRESSION_FUNCTIONS[t.name] === 2 ? `${t.name}(a, b)` : `${t.name}(x)`;
      this.fail(
        `${t.name} is a function and needs its arguments in parentheses at column ${t.start + 1}; write ${example}`,
        t.start,
      );
    }
    return { kind: 'variable', name: t.name, span: { start: t.start, end: t.end } };
  }

  /** An operand that starts with punctuation: unary minus or plus, or a parenthesized expression. */
  private parsePunct(t: Extract<Token, { kind: 'punct' }>): Expr {
    if (t.op === '-' || t.op === '+') {
      const operand = this.parseExpr(PREFIX);
      const span = { start: t.start, end: this.extent(operand).end };
      if (t.op === '+') {
        const same = { ...operand, span } as Expr;
        this.depths.set(same, this.depths.get(operand) ?? 1);
        return same;
      }
      const node: Expr = { kind: 'unary', op: '-', operand, span };
      this.checkDepth(node, t.start);
      return node;
    }
    if (t.op === '(') {
      this.open++;
      const inner = this.parseExpr(0);
      this.expectClose(t.start, "expected ')' or an operator");
      this.outer.set(inner, { start: t.start, end: this.tokens[this.pos - 1].end });
      return inner;
    }
    if (t.op === ')' && this.open === 0) {
      this.fail(`unmatched ')' at column ${t.start + 1}`, t.start);
    }
    this.pos--;
    return this.unexpected(t, OPERAND);
  }

  /** Consumes the `)` that closes the `(` at offset `open`, or throws. */
  private expectClose(open: number, expected: string): void {
    const t = this.peek();
    if (t.kind === 'punct' && t.op === ')') {
      this.next();
      this.open--;
      return;
    }
    if (t.kind === 'end') {
      this.fail(`unclosed '(' at column ${open + 1}; add ')'`, open);
    }
    this.unexpected(t, expected);
  }

  /** A call of `name` (at offset `start`), from its `(` through its `)`, checking the arity. */
  private parseCall(name: string, start: number): Expr {
    if (!isFunctionName(name)) {
      this.fail(`unknown function ${name} at column ${start + 1}; known: ${FUNCTION_LIST}`, start);
    }
    const open = this.next().start;
    this.open++;
    const args: Expr[] = [];
    const t = this.peek();
    if (t.kind === 'punct' && t.op === ')') {
      this.next();
      this.open--;
    } else {
      for (;;) {
        args.push(this.parseExpr(0));
        const sep = this.peek();
        if (sep.kind === 'punct' && sep.op === ',') {
          this.next();
          continue;
        }
        this.expectClose(open, "expected ',', ')' or an operator");
        break;
      }
    }
    const arity = EXPRESSION_FUNCTIONS[name];
    if (args.length !== arity) {
      this.fail(
        `${name} takes ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length} at column ${start + 1}`,
        start,
      );
    }
    const node: Expr = {
      kind: 'call',
      name,
      args,
      span: { start, end: this.tokens[this.pos - 1].end },
    };
    this.checkDepth(node, start);
    return node;
  }
}

/**
 * Parses a scalar expression: numbers (`2`, `0.5`, `1e-3`), variables (identifiers such as `x`,
 * `w0`, `x_1` that are not function names), `+ - * / ^` with the usual precedence (`^` is
 * right-associative and binds tighter than unary minus, so `-x^2` is −(x²) and `2^3^2` is 512),
 * unary minus and plus, parentheses, and the functions of {@link EXPRESSION_FUNCTIONS}.
 * Whitespace may appear anywhere between tokens.
 *
 * @throws {ExpressionError} with the column of the problem (unexpected token, unbalanced
 *   parentheses, unknown function, wrong number of arguments, malformed number, empty input).
 *
 * @example
 * import { parseExpression } from 'nabla/viz';
 * parseExpression('(x + y) * z'); // { kind: 'binary', op: '*', left: …, right: …, span: { start: 0, end: 11 } }
 */
export function parseExpression(source: string): Expr {
  if (typeof source !== 'string') {
    throw new TypeError(`parseExpression: expected a string, got ${kindOf(source)}`);
  }
  return new Parser(source, tokenize(source)).parseAll();
}
