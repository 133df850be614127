import { describe, expect, it } from 'vitest';
import { fail, formatValue, kindOf } from '../../src/tensor/check.js';
import { tensor } from '../../src/index.js';

describe('formatValue: a value as it appears after "got"', () => {
  it.each<[unknown, string]>([
    [-0.1, '-0.1'],
    [-0, '-0'],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    ['up', '"up"'],
    ['3', '"3" (a string)'],
    [' 1e3', '" 1e3" (a string)'],
    ['', '""'],
    [true, 'true'],
    [null, 'null'],
    [undefined, 'undefined'],
    [5n, '5n'],
    [[0.9], '[0.9]'],
    [[0, [1, 'a']], '[0, [1, "a"]]'],
    [{}, 'Object'],
    [new Map(), 'Map'],
    [Object.create(null), 'an object'],
    [() => 1, 'function'],
  ])('%s → %s', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });

  it('cuts long strings and lists', () => {
    expect(formatValue('x'.repeat(100))).toBe(`"${'x'.repeat(37)}..."`);
    const long = formatValue(Array.from({ length: 100 }, (_, i) => i));
    expect(long.length).toBe(80);
    expect(long.endsWith('...]')).toBe(true);
  });
});

describe('kindOf: what sort of value was given', () => {
  it.each<[unknown, string]>([
    [null, 'null'],
    [undefined, 'undefined'],
    ['abc', 'string'],
    [1, 'number'],
    [false, 'boolean'],
    [[1, 2], 'an array'],
    [{ a: 1 }, 'an object'],
    [Object.create(null), 'an object'],
    [new Float32Array(2), 'Float32Array'],
    [tensor([1]), 'Tensor'],
    [() => 1, 'function'],
  ])('%s → %s', (value, text) => {
    expect(kindOf(value)).toBe(text);
  });
});

describe('fail', () => {
  it('writes <where>: <key> must be <expected>, got <value>, a RangeError unless told', () => {
    expect(() => fail({ where: 'f' }, 'n', 'a positive integer', '2')).toThrow(
      new RangeError('f: n must be a positive integer, got "2" (a string)'),
    );
    expect(() => fail({ where: 'f', group: 1 }, 'lr', 'a number', null, TypeError)).toThrow(
      TypeError,
    );
  });
});
