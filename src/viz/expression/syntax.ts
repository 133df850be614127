/**
 * The syntax tree of a scalar expression such as `(x + y) * z`: its node types, the functions it
 * may call, and walks over it. Browser-safe.
 *
 * @module
 */
import { fail } from '../../tensor/check.js';

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

/** Whether `name` is one of {@link EXPRESSION_FUNCTIONS}. */
export function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(EXPRESSION_FUNCTIONS, name);
}

/** The direct children of a node, left to right. */
export function children(expr: Expr): readonly Expr[] {
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

const OPERATORS: readonly unknown[] = ['+', '-', '*', '/', '^'];

/** Whether `node` is a well-formed node by itself (its children are checked on their own). */
function isNode(node: unknown): node is Expr {
  if (node === null || typeof node !== 'object') return false;
  const n = node as Record<string, unknown>;
  switch (n.kind) {
    case 'number':
      return typeof n.value === 'number';
    case 'variable':
      return typeof n.name === 'string';
    case 'unary':
      return typeof n.operand === 'object';
    case 'binary':
      return OPERATORS.includes(n.op) && typeof n.left === 'object' && typeof n.right === 'object';
    case 'call':
      return (
        typeof n.name === 'string' &&
        isFunctionName(n.name) &&
        Array.isArray(n.args) &&
        n.args.length === EXPRESSION_FUNCTIONS[n.name]
      );
  }
  return false;
}

/**
 * `expr` when it is a whole expression tree (what `parseExpression` returns), else a TypeError
 * naming `where` and the first malformed node.
 */
export function checkExpr(where: string, expr: unknown): Expr {
  const expected = 'an expression tree (what parseExpression returns)';
  const seen = new Set<unknown>();
  const stack: unknown[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop();
    if (seen.has(node)) continue;
    seen.add(node);
    if (!isNode(node)) {
      if (node === expr) fail({ where }, 'expr', expected, expr, TypeError);
      const text = JSON.stringify(node)?.slice(0, 80) ?? String(node);
      throw new TypeError(`${where}: expr must be ${expected}; it holds a malformed node ${text}`);
    }
    stack.push(...children(node));
  }
  return expr as Expr;
}

/** The variables of an expression, each once, in the order they first appear. */
export function variables(expr: Expr): string[] {
  checkExpr('variables', expr);
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

/** The source offset of the first use of variable `name` (0 when it is not used). */
export function firstUse(expr: Expr, name: string): number {
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'variable' && node.name === name) return node.span.start;
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return 0;
}
