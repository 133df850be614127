import { describe, expect, it } from 'vitest';
import {
  ExpressionError,
  evaluateExpression,
  formatExpression,
  parseExpression,
  variables,
} from '../../src/viz/expression.js';
import { firstLine, parseError, valueOf } from './expression-helpers.js';

describe('errors point at the column', () => {
  it("shows the source and a caret under the column: '(x + * y)'", () => {
    const e = parseError('(x + * y)');
    expect(e.column).toBe(6);
    expect(e.source).toBe('(x + * y)');
    const lines = e.message.split('\n');
    expect(lines[0]).toBe(
      "explain: unexpected '*' at column 6; expected a number, a variable, '(' or a function call",
    );
    expect(lines[1]).toBe('  (x + * y)');
    expect(lines[2]).toBe('       ^');
    expect(lines[2].indexOf('^') - 2).toBe(lines[1].indexOf('*') - 2);
    expect(e.name).toBe('ExpressionError');
    expect(e).toBeInstanceOf(Error);
  });

  it.each<[string, number, string]>([
    ['max(x)', 1, 'explain: max takes 2 arguments, got 1 at column 1'],
    ['1 + min(x, y, z)', 5, 'explain: min takes 2 arguments, got 3 at column 5'],
    ['exp(x, y)', 1, 'explain: exp takes 1 argument, got 2 at column 1'],
    ['exp()', 1, 'explain: exp takes 1 argument, got 0 at column 1'],
    [
      'foo(x)',
      1,
      'explain: unknown function foo at column 1; known: exp, log, sqrt, tanh, sigmoid, relu, step, abs, max, min',
    ],
    ['(x + y', 1, "explain: unclosed '(' at column 1; add ')'"],
    ['x * (y + (z)', 5, "explain: unclosed '(' at column 5; add ')'"],
    ['max(x, y', 4, "explain: unclosed '(' at column 4; add ')'"],
    ['x + y)', 6, "explain: unmatched ')' at column 6"],
    [')', 1, "explain: unmatched ')' at column 1"],
    ['', 1, 'explain: empty expression at column 1'],
    ['   ', 1, 'explain: empty expression at column 1'],
    ['x y', 3, "explain: unexpected 'y' at column 3; expected an operator (+ - * / ^) or the end"],
    ['2x', 2, "explain: unexpected 'x' at column 2; expected an operator (+ - * / ^) or the end"],
    ['(x y)', 4, "explain: unexpected 'y' at column 4; expected ')' or an operator"],
    ['max(x y)', 7, "explain: unexpected 'y' at column 7; expected ',', ')' or an operator"],
    ['1.2.3', 1, "explain: malformed number '1.2.3' at column 1"],
    ['x + 1e', 5, "explain: malformed number '1e' at column 5"],
    ['1e999', 1, 'explain: number 1e999 is too large at column 1'],
    [
      'x + ',
      5,
      "explain: unexpected end of expression at column 5; expected a number, a variable, '(' or a function call",
    ],
    [
      '()',
      2,
      "explain: unexpected ')' at column 2; expected a number, a variable, '(' or a function call",
    ],
    [
      'x ** 2',
      4,
      "explain: unexpected '*' at column 4; expected a number, a variable, '(' or a function call (write ^ for a power)",
    ],
    [
      'max(x,)',
      7,
      "explain: unexpected ')' at column 7; expected a number, a variable, '(' or a function call",
    ],
    ['x $ y', 3, "explain: unexpected character '$' at column 3"],
    ['x . y', 3, "explain: unexpected character '.' at column 3"],
    [
      'exp + 1',
      1,
      'explain: exp is a function and needs its arguments in parentheses at column 1; write exp(x)',
    ],
    [
      '2 * max',
      5,
      'explain: max is a function and needs its arguments in parentheses at column 5; write max(a, b)',
    ],
  ])('%j → column %d', (source, column, headline) => {
    const e = parseError(source);
    expect(firstLine(e)).toBe(headline);
    expect(e.column).toBe(column);
    expect(e.message.split('\n')[2]).toBe(`  ${' '.repeat(column - 1)}^`);
  });

  it('refuses expressions nested too deeply instead of overflowing the stack', () => {
    const deep = '('.repeat(5000) + 'x' + ')'.repeat(5000);
    expect(firstLine(parseError(deep))).toMatch(/^explain: expression nests too deeply/);
    expect(firstLine(parseError('-'.repeat(5000) + 'x'))).toMatch(/nests too deeply/);
    expect(firstLine(parseError(Array(5000).fill('x').join('+')))).toMatch(/nests too deeply/);
    expect(valueOf(Array(200).fill('x').join(' + '), { x: 1 })).toBe(200);
  });

  it('names a variable without a value', () => {
    const source = 'x + y';
    let error: unknown;
    try {
      evaluateExpression(parseExpression(source), { x: 1 }, { source });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    const e = error as ExpressionError;
    expect(firstLine(e)).toBe('explain: no value for y; pass --y NUMBER');
    expect(e.column).toBe(5);
    expect(e.message.split('\n')[2]).toBe('      ^');
  });

  it('names every variable without a value, and does not take inherited properties for values', () => {
    expect(() => evaluateExpression(parseExpression('constructor * y + x'), { x: 1 })).toThrow(
      'explain: no values for constructor, y; pass --constructor NUMBER --y NUMBER',
    );
  });

  it('rejects values that are not numbers, and bad dtypes', () => {
    const e = parseExpression('x');
    expect(() => evaluateExpression(e, { x: NaN })).toThrow(/value of x must be a number/);
    expect(() =>
      evaluateExpression(e, { x: 1 }, { dtype: 'int32' as unknown as 'float64' }),
    ).toThrow(/dtype must be/);
  });
});

describe('trees that parseExpression did not make', () => {
  it('are refused by the function given them, naming the malformed node', () => {
    expect(() => variables(42 as never)).toThrow(
      new TypeError(
        'variables: expr must be an expression tree (what parseExpression returns), got 42',
      ),
    );
    const broken = { kind: 'binary', op: '+', left: { kind: 'number', value: 1 }, right: {} };
    expect(() => formatExpression(broken as never)).toThrow(/it holds a malformed node \{\}$/);
    expect(() => evaluateExpression(parseExpression('x'), null as never)).toThrow(
      'evaluateExpression: values must be an object, got null',
    );
  });
});
