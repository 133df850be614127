import { describe, expect, it } from 'vitest';
import { evaluateExpression, parseExpression, variables } from '../../src/viz/expression.js';
import { valueOf } from './expression-helpers.js';

describe('parseExpression: precedence and associativity', () => {
  it.each([
    ['2+3*4', 14],
    ['2*3+4', 10],
    ['2^3^2', 512],
    ['(2^3)^2', 64],
    ['-2^2', -4],
    ['(-2)^2', 4],
    ['(1+2)*3', 9],
    ['8/4/2', 1],
    ['8/(4/2)', 4],
    ['10-4-3', 3],
    ['10-(4-3)', 9],
    ['2*-3', -6],
    ['2^-1', 0.5],
    ['2^-1*4', 2],
    ['-3*-2', 6],
    ['--3', 3],
    ['+3', 3],
    ['2 - -3', 5],
    ['-2^-2', -0.25],
    ['2*3^2', 18],
    ['-(2+3)', -5],
    ['1e-3 * 1000', 1],
    ['.5 + 0.25 + 2.', 2.75],
    ['1.5E+2', 150],
    ['  ( 1 +\t2 )*\n3  ', 9],
    ['((((7))))', 7],
    ['max(2, 3) - min(2, 3)', 1],
    ['2^3^0', 2],
  ])('%s = %d', (source, expected) => {
    expect(valueOf(source)).toBeCloseTo(expected, 12);
  });

  it('makes a 0-d float64 tensor even for a constant', () => {
    const { output, inputs } = evaluateExpression(parseExpression('4'), {});
    expect(output.shape).toEqual([]);
    expect(output.dtype).toBe('float64');
    expect(output.item()).toBe(4);
    expect(inputs.size).toBe(0);
  });
});

describe('parseExpression: the tree', () => {
  it('keeps the source span of every node', () => {
    const e = parseExpression('(x + y) * z');
    expect(e.kind).toBe('binary');
    if (e.kind !== 'binary') return;
    expect(e.op).toBe('*');
    expect(e.span).toEqual({ start: 0, end: 11 });
    expect(e.left.span).toEqual({ start: 1, end: 6 });
    expect(e.right).toEqual({ kind: 'variable', name: 'z', span: { start: 10, end: 11 } });
  });

  it('spans a parent over the parentheses of its children, a child inside them', () => {
    const source = '-(a) ^ ((b))';
    const e = parseExpression(source);
    if (e.kind !== 'unary' || e.operand.kind !== 'binary') throw new Error('expected -(a ^ b)');
    expect(e.span).toEqual({ start: 0, end: 12 });
    expect(source.slice(e.operand.span.start, e.operand.span.end)).toBe('(a) ^ ((b))');
    expect(e.operand.left.span).toEqual({ start: 2, end: 3 });
    expect(e.operand.right.span).toEqual({ start: 9, end: 10 });
  });

  it('parses -x^2 as a minus applied to a power', () => {
    const e = parseExpression('-x^2');
    expect(e.kind).toBe('unary');
    if (e.kind !== 'unary') return;
    expect(e.span).toEqual({ start: 0, end: 4 });
    expect(e.operand.kind).toBe('binary');
    expect(e.operand.span).toEqual({ start: 1, end: 4 });
  });

  it('spans a call from its name to its closing parenthesis', () => {
    const source = '1 + max( a , b )';
    const e = parseExpression(source);
    if (e.kind !== 'binary') throw new Error('expected a binary node');
    expect(e.right.kind).toBe('call');
    expect(source.slice(e.right.span.start, e.right.span.end)).toBe('max( a , b )');
  });

  it('reads numbers and identifiers', () => {
    expect(parseExpression('1e-3')).toMatchObject({ kind: 'number', value: 0.001 });
    expect(parseExpression('x_1')).toMatchObject({ kind: 'variable', name: 'x_1' });
    expect(parseExpression('_w0')).toMatchObject({ kind: 'variable', name: '_w0' });
    expect(parseExpression('expo')).toMatchObject({ kind: 'variable', name: 'expo' });
  });

  it('lists variables in order of first appearance', () => {
    expect(variables(parseExpression('z * (x + z) + exp(y) * x'))).toEqual(['z', 'x', 'y']);
    expect(variables(parseExpression('1 + 2'))).toEqual([]);
  });
});
