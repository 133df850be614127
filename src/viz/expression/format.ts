/**
 * The printer of scalar expressions: a syntax tree back to text with as few parentheses as keep
 * its meaning.
 *
 * @module
 */
import { checkExpr, type Expr } from './syntax.js';

/** Precedence levels for printing: the higher, the tighter. */
const LEVEL = { add: 1, mul: 2, unary: 3, pow: 4, atom: 5 } as const;

/** How tightly a node binds when printed (a negative number binds like a unary minus). */
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

/** A finite number as the parser reads it back, with its sign (also for −0). */
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
  checkExpr('formatExpression', expr);
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
