import { describe, expect, it } from 'vitest';
import { scalar } from '../../src/index.js';
import {
  EXPRESSION_FUNCTIONS,
  evaluateExpression,
  parseExpression,
} from '../../src/viz/expression.js';
import { valueOf } from './expression-helpers.js';

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
