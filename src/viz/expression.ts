import { add, div, maximum, minimum, mul, pow, sub } from '../ops/index.js';
import { scalar } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Scalar expressions such as `(x + y) * z` or `1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))`: a parser to
 * a small syntax tree that remembers where each part came from in the source, and an evaluator
 * that builds the computation out of nabla's differentiable operations, so that it can be
 * backpropagated, traced, explained and drawn. Browser-safe.
 */

/**
 * Where a node came from in the source: `start` is the 0-based offset of its first character and
 * `end` the offset just after its last, so `source.slice(start, end)` is its text and its
 * 1-based column is `start + 1`. A parenthesized expression's span excludes the parentheses.
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A numeric constant: `2`, `0.5`, `1e-3`. The parser never makes a negative one (`-2` is a unary minus). */
export interface NumberExpr {
  readonly kind: 'number';
  readonly value: number;
  readonly span: Span;
}

/** A variable: any identifier that is not a function name. */
export interface VariableExpr {
  readonly kind: 'variable';
  readonly name: string;
  readonly span: Span;
}

/** Unary minus. (Unary plus is dropped by the parser: `+x` is `x`, with the span widened.) */
export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: '-';
  readonly operand: Expr;
  readonly span: Span;
}

/** The binary operators, `^` being the power. */
export type BinaryOperator = '+' | '-' | '*' | '/' | '^';

/** A binary operation. */
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

/** The names of the functions an expression may call. */
export type FunctionName =
  'exp' | 'log' | 'sqrt' | 'tanh' | 'sigmoid' | 'relu' | 'step' | 'abs' | 'max' | 'min';

/** A function call; `span` covers the name through the closing parenthesis. */
export interface CallExpr {
  readonly kind: 'call';
  readonly name: FunctionName;
  readonly args: readonly Expr[];
  readonly span: Span;
}

/** A node of the syntax tree of a scalar expression. */
export type Expr = NumberExpr | VariableExpr | UnaryExpr | BinaryExpr | CallExpr;

/**
 * The functions an expression may call and how many arguments each takes, in the order error
 * messages list them. `max`/`min` are the element-wise `maximum`/`minimum` of two values.
 */
export const EXPRESSION_FUNCTIONS: Readonly<Record<FunctionName, number>> = Object.freeze({
  exp: 1,
  log: 1,
  sqrt: 1,
  tanh: 1,
  sigmoid: 1,
  relu: 1,
  step: 1,
  abs: 1,
  max: 2,
  min: 2,
});

const FUNCTION_LIST = Object.keys(EXPRESSION_FUNCTIONS).join(', ');

function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(EXPRESSION_FUNCTIONS, name);
}

/** How deeply an expression may nest (parentheses, operators, calls) before it is refused. */
const MAX_DEPTH = 500;

/**
 * A syntax error in an expression, or an expression that cannot be evaluated (a variable without
 * a value). The first line of `message` says everything essential, including the column
 * (`explain: unexpected '*' at column 6; …`); the next two lines repeat the source with a caret
 * under that column.
 */
export class ExpressionError extends Error {
  /** The 1-based column (UTF-16 code unit) the error points at. */
  readonly column: number;
  /** The expression as given ('' when the error was raised without it). */
  readonly source: string;

  /**
   * @param headline - the first line, ending in or containing `at column N`
   * @param column - 1-based
   * @param source - the expression; without it, the message is the headline alone
   */
  constructor(headline: string, column: number, source?: string) {
    super(
      source === undefined
        ? headline
        : `${headline}\n  ${source.replace(/\s/g, ' ')}\n  ${' '.repeat(Math.max(0, column - 1))}^`,
    );
    this.name = 'ExpressionError';
    this.column = column;
    this.source = source ?? '';
  }
}

// ---------------------------------------------------------------------------------------------
// Lexer

type Punct = '+' | '-' | '*' | '/' | '^' | '(' | ')' | ',';

type Token =
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

function tokenize(source: string): Token[] {
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

// ---------------------------------------------------------------------------------------------
// Parser (Pratt)

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

class Parser {
  private pos = 0;
  private depth = 0;
  /** Parentheses opened and not yet closed. */
  private open = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  fail(headline: string, at: number): never {
    throw new ExpressionError(`explain: ${headline}`, at + 1, this.source);
  }

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
  private extent(e: Expr): Span {
    return this.outer.get(e) ?? e.span;
  }
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

  private parsePrefix(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'number', value: t.value, span: { start: t.start, end: t.end } };
      case 'ident': {
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
      case 'punct': {
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
      case 'end':
        return this.unexpected(t, OPERAND);
    }
  }

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

function children(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'number':
    case 'variable':
      return [];
    case 'unary':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'call':
      return expr.args;
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
 * parseExpression('(x + y) * z'); // { kind: 'binary', op: '*', left: …, right: …, span: { start: 0, end: 11 } }
 */
export function parseExpression(source: string): Expr {
  if (typeof source !== 'string') {
    throw new TypeError(`parseExpression: expected a string, got ${typeof source}`);
  }
  return new Parser(source, tokenize(source)).parseAll();
}

/** The variables of an expression, each once, in the order they first appear. */
export function variables(expr: Expr): string[] {
  const seen = new Set<string>();
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'variable') seen.add(node.name);
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return [...seen];
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Options of {@link evaluateExpression}. */
export interface EvaluateExpressionOptions {
  /** The dtype of the leaves made from numbers and of constant-only results (default float64). */
  dtype?: 'float64' | 'float32';
  /**
   * The text the tree was parsed from; when given, an error about a variable without a value
   * shows it with a caret under the variable's first use.
   */
  source?: string;
}

/** What {@link evaluateExpression} built. */
export interface EvaluatedExpression {
  /** The value of the expression, at the end of a graph that `backward()` can run through. */
  output: Tensor;
  /** One leaf per variable, in order of first appearance; each collects its gradient in `.grad`. */
  inputs: Map<string, Tensor>;
}

function firstUse(expr: Expr, name: string): number {
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'variable' && node.name === name) return node.span.start;
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return 0;
}

/**
 * Computes an expression with nabla's differentiable operations on 0-d tensors, so that
 * `output.backward()` fills each input's `.grad`.
 *
 * Each variable becomes one leaf, `scalar(value, { requiresGrad: true, name })`, reused wherever
 * it appears (so its gradient sums over its paths). A Tensor value is used as given (it is named
 * after the variable if it has no name). Constants stay plain numbers passed to the operations
 * (`x * 2` is `mul(x, 2)`, `2 * x` is `mul(2, x)`, `x ^ 2` is `pow(x, 2)`; `-2` is the number −2);
 * an operation whose operands are all constants starts from an untracked `scalar` of the dtype.
 * `-a` is `neg`, `max`/`min` are `maximum`/`minimum`, the other functions are the ops of the
 * same name. Intermediate results are left unnamed. Values for names not in the expression are
 * ignored.
 *
 * @throws {ExpressionError} naming the variables without a value, with the column of the first one.
 *
 * @example
 * const { output, inputs } = evaluateExpression(parseExpression('(x + y) * z'), { x: -2, y: 5, z: -4 });
 * output.item(); // -12
 * output.backward();
 * inputs.get('x')!.grad!.item(); // -4
 */
export function evaluateExpression(
  expr: Expr,
  values: Readonly<Record<string, number | Tensor>>,
  options: EvaluateExpressionOptions = {},
): EvaluatedExpression {
  const dtype = options.dtype ?? 'float64';
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw new TypeError(
      `evaluateExpression: dtype must be 'float64' or 'float32', got ${String(dtype)}`,
    );
  }
  const names = variables(expr);
  const missing = names.filter((n) => !Object.hasOwn(values, n) || values[n] === undefined);
  if (missing.length > 0) {
    const at = firstUse(expr, missing[0]);
    const headline =
      missing.length === 1
        ? `explain: no value for ${missing[0]}; pass --${missing[0]} NUMBER`
        : `explain: no values for ${missing.join(', ')}; pass ${missing.map((n) => `--${n} NUMBER`).join(' ')}`;
    throw new ExpressionError(headline, at + 1, options.source);
  }
  const inputs = new Map<string, Tensor>();
  for (const name of names) {
    const v = values[name];
    if (v instanceof Tensor) {
      if (v.name === undefined) v.named(name);
      inputs.set(name, v);
    } else if (typeof v === 'number' && !Number.isNaN(v)) {
      inputs.set(name, scalar(v, { requiresGrad: true, name, dtype }));
    } else {
      throw new TypeError(
        `evaluateExpression: the value of ${name} must be a number or a Tensor, got ${typeof v === 'number' ? 'NaN' : typeof v}`,
      );
    }
  }
  const lift = (v: Tensor | number): Tensor => (v instanceof Tensor ? v : scalar(v, { dtype }));

  const evaluate = (node: Expr): Tensor | number => {
    switch (node.kind) {
      case 'number':
        return node.value;
      case 'variable':
        return inputs.get(node.name)!;
      case 'unary': {
        const v = evaluate(node.operand);
        return typeof v === 'number' ? -v : v.neg();
      }
      case 'binary': {
        let a = evaluate(node.left);
        const b = evaluate(node.right);
        if (typeof a === 'number' && typeof b === 'number') a = lift(a);
        switch (node.op) {
          case '+':
            return add(a, b);
          case '-':
            return sub(a, b);
          case '*':
            return mul(a, b);
          case '/':
            return div(a, b);
          case '^':
            return pow(a, b);
        }
        break;
      }
      case 'call': {
        if (node.name === 'max' || node.name === 'min') {
          let a = evaluate(node.args[0]);
          const b = evaluate(node.args[1]);
          if (typeof a === 'number' && typeof b === 'number') a = lift(a);
          return node.name === 'max' ? maximum(a, b) : minimum(a, b);
        }
        const x = lift(evaluate(node.args[0]));
        switch (node.name) {
          case 'exp':
            return x.exp();
          case 'log':
            return x.log();
          case 'sqrt':
            return x.sqrt();
          case 'tanh':
            return x.tanh();
          case 'sigmoid':
            return x.sigmoid();
          case 'relu':
            return x.relu();
          case 'step':
            return x.step();
          case 'abs':
            return x.abs();
        }
      }
    }
    throw new Error(`evaluateExpression: unknown node ${JSON.stringify(node)}`);
  };
  return { output: lift(evaluate(expr)), inputs };
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** Precedence levels for printing: the higher, the tighter. */
const LEVEL = { add: 1, mul: 2, unary: 3, pow: 4, atom: 5 } as const;

function level(expr: Expr): number {
  switch (expr.kind) {
    case 'number':
      return expr.value < 0 || Object.is(expr.value, -0) ? LEVEL.unary : LEVEL.atom;
    case 'variable':
    case 'call':
      return LEVEL.atom;
    case 'unary':
      return LEVEL.unary;
    case 'binary':
      return expr.op === '^'
        ? LEVEL.pow
        : expr.op === '*' || expr.op === '/'
          ? LEVEL.mul
          : LEVEL.add;
  }
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError(`formatExpression: cannot write the number ${value} in an expression`);
  }
  const negative = value < 0 || Object.is(value, -0);
  return (negative ? '-' : '') + String(Math.abs(value));
}

/**
 * Writes an expression back as text with as few parentheses as keep its meaning (and its tree:
 * `a + (b + c)` keeps its parentheses), e.g. `(x + y) * z`, `-x^2`, `max(a, b)`, for titles.
 * `parseExpression(formatExpression(e))` computes the same value as `e`.
 */
export function formatExpression(expr: Expr): string {
  const wrap = (e: Expr, parens: boolean): string => (parens ? `(${format(e)})` : format(e));
  const format = (e: Expr): string => {
    switch (e.kind) {
      case 'number':
        return formatNumber(e.value);
      case 'variable':
        return e.name;
      case 'unary':
        return `-${wrap(e.operand, level(e.operand) < LEVEL.unary)}`;
      case 'call':
        return `${e.name}(${e.args.map(format).join(', ')})`;
      case 'binary': {
        const own = level(e);
        if (e.op === '^') {
          return `${wrap(e.left, level(e.left) <= LEVEL.pow)}^${wrap(e.right, level(e.right) < LEVEL.unary)}`;
        }
        return `${wrap(e.left, level(e.left) < own)} ${e.op} ${wrap(e.right, level(e.right) <= own)}`;
      }
    }
  };
  return format(expr);
}
