import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EXPRESSION_FUNCTIONS,
  evaluateExpression,
  formatExpression,
  parseExpression,
  type BinaryOperator,
  type Expr,
  type FunctionName,
} from '../../src/viz/expression.js';
import { valueOf } from './expression-helpers.js';

describe('formatExpression', () => {
  it.each([
    ['(x + y) * z', '(x + y) * z'],
    ['x+y*z', 'x + y * z'],
    ['-x^2', '-x^2'],
    ['(-x)^2', '(-x)^2'],
    ['2^3^2', '2^3^2'],
    ['(2^3)^2', '(2^3)^2'],
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', 'a - b - c'],
    ['a + (b + c)', 'a + (b + c)'],
    ['a / (b * c)', 'a / (b * c)'],
    ['x^-2', 'x^-2'],
    ['x^(-2)', 'x^-2'],
    ['x^(y+1)', 'x^(y + 1)'],
    ['2 * -3', '2 * -3'],
    ['-(a * b)', '-(a * b)'],
    ['-(a + b)', '-(a + b)'],
    ['+x', 'x'],
    ['max( a ,b )', 'max(a, b)'],
    ['1e-3', '0.001'],
    ['1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))', '1 / (1 + exp(-(w0 * x0 + w1 * x1 + w2)))'],
  ])('%s → %s', (source, text) => {
    expect(formatExpression(parseExpression(source))).toBe(text);
  });

  it('writes negative numbers of a hand-built tree so that they read back', () => {
    const span = { start: 0, end: 0 };
    const tree: Expr = {
      kind: 'binary',
      op: '^',
      left: { kind: 'number', value: -2, span },
      right: { kind: 'number', value: 2, span },
      span,
    };
    expect(formatExpression(tree)).toBe('(-2)^2');
    expect(valueOf(formatExpression(tree))).toBe(4);
    expect(() => formatExpression({ kind: 'number', value: Infinity, span })).toThrow(RangeError);
  });

  it('round-trips random trees to the same value', () => {
    const span = { start: 0, end: 0 };
    const names = ['x', 'y', 'w0', 'x_1'];
    const values = { x: 0.75, y: -1.5, w0: 2, x_1: 3 };
    const unary = Object.keys(EXPRESSION_FUNCTIONS).filter(
      (n) => EXPRESSION_FUNCTIONS[n as FunctionName] === 1,
    ) as FunctionName[];
    const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
      expr: fc.oneof(
        { maxDepth: 6, depthSize: 'small', withCrossShrink: true },
        {
          weight: 2,
          arbitrary: fc
            .oneof(
              fc.integer({ min: -5, max: 5 }),
              fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }),
            )
            .map((value): Expr => ({ kind: 'number', value, span })),
        },
        {
          weight: 2,
          arbitrary: fc
            .constantFrom(...names)
            .map((name): Expr => ({ kind: 'variable', name, span })),
        },
        {
          weight: 1,
          arbitrary: tie('expr').map((operand): Expr => ({
            kind: 'unary',
            op: '-',
            operand,
            span,
          })),
        },
        {
          weight: 5,
          arbitrary: fc
            .tuple(
              fc.constantFrom<BinaryOperator>('+', '-', '*', '/', '^'),
              tie('expr'),
              tie('expr'),
            )
            .map(([op, left, right]): Expr => ({ kind: 'binary', op, left, right, span })),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom(...unary), tie('expr'))
            .map(([name, arg]): Expr => ({ kind: 'call', name, args: [arg], span })),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom<FunctionName>('max', 'min'), tie('expr'), tie('expr'))
            .map(([name, a, b]): Expr => ({ kind: 'call', name, args: [a, b], span })),
        },
      ),
    }));
    fc.assert(
      fc.property(expr, (tree) => {
        const text = formatExpression(tree);
        const parsed = parseExpression(text);
        expect(formatExpression(parsed)).toBe(text);
        const before = evaluateExpression(tree, values).output.item();
        const after = evaluateExpression(parsed, values).output.item();
        expect(Object.is(before, after)).toBe(true);
      }),
      { seed: 20240917, numRuns: 1000 },
    );
  });
});
