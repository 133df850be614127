import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scalar } from '../../src/index.js';
import {
  EXPRESSION_FUNCTIONS,
  ExpressionError,
  evaluateExpression,
  formatExpression,
  parseExpression,
  variables,
  type BinaryOperator,
  type Expr,
  type FunctionName,
} from '../../src/viz/expression.js';

const valueOf = (source: string, values: Record<string, number> = {}): number =>
  evaluateExpression(parseExpression(source), values).output.item();

/** The error `parseExpression(source)` throws. */
function parseError(source: string): ExpressionError {
  try {
    parseExpression(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return e as ExpressionError;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to parse`);
}

const firstLine = (e: Error): string => e.message.split('\n')[0];

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

describe('evaluateExpression: the lecture examples', () => {
  it('(x + y) * z at x = −2, y = 5, z = −4', () => {
    const { output, inputs } = evaluateExpression(parseExpression('(x + y) * z'), {
      x: -2,
      y: 5,
      z: -4,
    });
    expect(output.item()).toBe(-12);
    expect([...inputs.keys()]).toEqual(['x', 'y', 'z']);
    for (const [name, leaf] of inputs) {
      expect(leaf.name).toBe(name);
      expect(leaf.isLeaf).toBe(true);
      expect(leaf.requiresGrad).toBe(true);
      expect(leaf.dtype).toBe('float64');
    }
    output.backward();
    expect(inputs.get('x')!.grad!.item()).toBe(-4);
    expect(inputs.get('y')!.grad!.item()).toBe(-4);
    expect(inputs.get('z')!.grad!.item()).toBe(3);
    expect(output.gradFn?.op).toBe('mul');
    expect(output.name).toBeUndefined();
  });

  it('the sigmoid neuron 1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))', () => {
    const { output, inputs } = evaluateExpression(
      parseExpression('1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))'),
      { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 },
    );
    expect(output.item()).toBeCloseTo(0.7311, 4);
    output.backward();
    const g = (n: string): number => inputs.get(n)!.grad!.item();
    expect([g('w0'), g('w1'), g('w2')].map((v) => v.toFixed(2))).toEqual([
      '-0.20',
      '-0.39',
      '0.20',
    ]);
    expect([g('x0'), g('x1')].map((v) => v.toFixed(2))).toEqual(['0.39', '-0.59']);
  });

  it('sums the gradient over every use of a variable: d(x*x + x)/dx = 2x + 1', () => {
    const { output, inputs } = evaluateExpression(parseExpression('x*x + x'), { x: 3 });
    expect(inputs.size).toBe(1);
    expect(output.item()).toBe(12);
    output.backward();
    expect(inputs.get('x')!.grad!.item()).toBe(7);
  });

  it('keeps constants as numbers and the operand order', () => {
    const { output, inputs } = evaluateExpression(parseExpression('2 * x'), { x: 5 });
    expect(output.item()).toBe(10);
    const [a, b] = output.gradFn!.inputs;
    expect(a.requiresGrad).toBe(false);
    expect(a.item()).toBe(2);
    expect(b).toBe(inputs.get('x'));
  });

  it('uses a number exponent for a constant power', () => {
    const { output, inputs } = evaluateExpression(parseExpression('x ^ 3'), { x: 2 });
    expect(output.item()).toBe(8);
    expect(output.gradFn!.inputs).toEqual([inputs.get('x')]);
    output.backward();
    expect(inputs.get('x')!.grad!.item()).toBe(12);
  });

  it('differentiates a variable exponent', () => {
    const { output, inputs } = evaluateExpression(parseExpression('2 ^ x'), { x: 3 });
    expect(output.item()).toBe(8);
    output.backward();
    expect(inputs.get('x')!.grad!.item()).toBeCloseTo(8 * Math.LN2, 12);
  });

  it('computes in float32 when asked', () => {
    const { output, inputs } = evaluateExpression(
      parseExpression('x / 3'),
      { x: 1 },
      { dtype: 'float32' },
    );
    expect(output.dtype).toBe('float32');
    expect(inputs.get('x')!.dtype).toBe('float32');
    expect(output.item()).toBe(Math.fround(1 / 3));
    expect(
      evaluateExpression(parseExpression('1 / 3'), {}, { dtype: 'float32' }).output.dtype,
    ).toBe('float32');
  });

  it('uses a Tensor value as the leaf, naming it if unnamed', () => {
    const t = scalar(4, { requiresGrad: true, dtype: 'float64' });
    const { output, inputs } = evaluateExpression(parseExpression('sqrt(t)'), { t });
    expect(inputs.get('t')).toBe(t);
    expect(t.name).toBe('t');
    expect(output.item()).toBe(2);
    output.backward();
    expect(t.grad!.item()).toBe(0.25);
  });

  it('ignores values of names the expression does not use', () => {
    const { inputs } = evaluateExpression(parseExpression('x'), { x: 1, y: 2 });
    expect([...inputs.keys()]).toEqual(['x']);
  });
});

describe('evaluateExpression: every function', () => {
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  it.each<[string, number, number, number]>([
    // source, x, value, d/dx
    ['exp(x)', 0.5, Math.exp(0.5), Math.exp(0.5)],
    ['log(x)', 2, Math.log(2), 0.5],
    ['sqrt(x)', 9, 3, 1 / 6],
    ['tanh(x)', 0.3, Math.tanh(0.3), 1 - Math.tanh(0.3) ** 2],
    ['sigmoid(x)', 0.7, sig(0.7), sig(0.7) * (1 - sig(0.7))],
    ['relu(x)', 1.5, 1.5, 1],
    ['relu(x)', -1.5, 0, 0],
    ['step(x)', 2, 1, 0],
    ['step(x)', -2, 0, 0],
    ['abs(x)', -2.5, 2.5, -1],
    ['abs(x)', 2.5, 2.5, 1],
    ['max(x, 1)', 3, 3, 1],
    ['max(x, 1)', -3, 1, 0],
    ['min(x, 1)', 3, 1, 0],
    ['min(x, 1)', -3, -3, 1],
    ['max(1, x)', 3, 3, 1],
    ['min(x, x * 2)', 1, 1, 1],
  ])('%s at x = %d', (source, x, value, slope) => {
    const { output, inputs } = evaluateExpression(parseExpression(source), { x });
    expect(output.item()).toBeCloseTo(value, 12);
    output.backward();
    expect(inputs.get('x')!.grad!.item()).toBeCloseTo(slope, 12);
  });

  it('max routes the gradient to the larger input', () => {
    const { output, inputs } = evaluateExpression(parseExpression('max(a, b)'), { a: 1, b: 4 });
    expect(output.item()).toBe(4);
    expect(output.gradFn!.op).toBe('maximum');
    output.backward();
    expect(inputs.get('a')!.grad!.item()).toBe(0);
    expect(inputs.get('b')!.grad!.item()).toBe(1);
  });

  it('applies functions to constants too', () => {
    expect(valueOf('exp(0) + log(1) + sqrt(4) + abs(-1) + step(1) + relu(-1)')).toBe(5);
    expect(valueOf('tanh(0) + sigmoid(0)')).toBe(0.5);
    expect(valueOf('max(2, 3)')).toBe(3);
  });

  it('knows ten functions with their arities', () => {
    expect(EXPRESSION_FUNCTIONS).toEqual({
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
  });
});

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
