import { describe, expect, it } from 'vitest';
import {
  bitwiseAnd,
  bitwiseLeftShift,
  bitwiseNot,
  bitwiseOr,
  bitwiseRightShift,
  bitwiseXor,
  div,
  floorDivide,
  fmod,
  remainder,
  tensor,
} from '../../src/index.js';
import { expectTyped, f64, int } from './forward-helpers.js';

// Integer arithmetic and bitwise ops; every expected value is what PyTorch 1.13 gives (with int64
// results, where PyTorch has them, read as nabla's int32).

const u8 = (v: number[]) => tensor(new Uint8Array(v));
const bools = (v: boolean[]) => tensor(v);

describe('remainder, fmod, floorDivide and div with a rounding mode', () => {
  const i = int([5, -7]);

  it('take the divisor’s sign (remainder) or the dividend’s (fmod) on integers', () => {
    expectTyped(remainder(i, 3), 'int32', [2, 2]);
    expectTyped(fmod(i, 3), 'int32', [2, -1]);
    expectTyped(remainder(int([5]), -3), 'int32', [-1]);
    expectTyped(remainder(5, int([3, -3])), 'int32', [2, -1]);
    expectTyped(i.remainder(int([3, -3])), 'int32', [2, -1]);
  });

  it('do the same on floats, with NaN for a zero divisor', () => {
    expectTyped(remainder(tensor([5, -7]), tensor([-3, 2])), 'float32', [-1, 1]);
    expectTyped(fmod(tensor([5, -7]), -3), 'float32', [2, -1]);
    expectTyped(remainder(tensor([-7.5]), 2), 'float32', [0.5]);
    expectTyped(remainder(tensor([1]), 0), 'float32', [NaN]);
    expectTyped(fmod(tensor([1]), 0), 'float32', [NaN]);
    expectTyped(remainder(f64([-3]), Infinity), 'float64', [Infinity]);
    expectTyped(fmod(tensor([-3]), Infinity), 'float32', [-3]);
  });

  it('promote an integer tensor with a fractional number to float32', () => {
    expectTyped(fmod(i, 2.5), 'float32', [0, -2]);
    expectTyped(remainder(i, 2.5), 'float32', [0, 0.5]);
    expectTyped(fmod(u8([3]), 2), 'uint8', [1]);
  });

  it('floor and truncate the quotient in the promoted dtype', () => {
    expectTyped(floorDivide(i, 3), 'int32', [1, -3]);
    expectTyped(div(i, 2, { roundingMode: 'trunc' }), 'int32', [2, -3]);
    expectTyped(i.div(2, { roundingMode: 'floor' }), 'int32', [2, -4]);
    expectTyped(div(i, 2), 'float32', [2.5, -3.5]);
    expectTyped(div(u8([3, 250]), 2, { roundingMode: 'floor' }), 'uint8', [1, 125]);
    expectTyped(floorDivide(tensor([5, -7]), 2), 'float32', [2, -4]);
  });

  it('floor-divide floats as Python does: 1 // 0.1 is 9, x // 0 is ±inf or nan', () => {
    expectTyped(floorDivide(tensor([1]), 0.1), 'float32', [9]);
    expectTyped(floorDivide(f64([1, -1, 0]), 0), 'float64', [Infinity, -Infinity, NaN]);
    expectTyped(floorDivide(tensor([-0.5]), 1), 'float32', [-1]);
    expect(Object.is(floorDivide(f64([-0.25]), 1e300).data[0], -1)).toBe(true);
    expect(Object.is(floorDivide(f64([0.25]), -1e300).data[0], -1)).toBe(true);
    expect(Object.is(floorDivide(f64([-0]), 5).data[0], -0)).toBe(true);
  });

  it('refuse integer division by zero, naming the element', () => {
    expect(() => remainder(i, 0)).toThrow(/^remainder: integer division by zero$/);
    expect(() => fmod(i, int([1, 0]))).toThrow(
      /fmod: integer division by zero \(element 1 of the divisor\)/,
    );
    expect(() => div(i, 0, { roundingMode: 'floor' })).toThrow(/floorDivide: integer division/);
    expect(() => div(i, 2, { roundingMode: 'round' as never })).toThrow(
      /roundingMode must be 'trunc' or 'floor'/,
    );
  });

  it('refuse two bools, as PyTorch does', () => {
    expect(() => remainder(bools([true]), bools([true]))).toThrow(/remainder: not defined/);
  });
});

describe('bitwise ops', () => {
  const i = int([5, -7]);

  it('and, or, xor and not on int32, uint8 and bool', () => {
    expectTyped(bitwiseAnd(i, 3), 'int32', [1, 1]);
    expectTyped(bitwiseOr(int([12]), 3), 'int32', [15]);
    expectTyped(bitwiseXor(int([12]), 10), 'int32', [6]);
    expectTyped(bitwiseAnd(i, bools([true, false])), 'int32', [1, 0]);
    expectTyped(bitwiseNot(i), 'int32', [-6, 6]);
    expectTyped(u8([3, 250]).bitwiseNot(), 'uint8', [252, 5]);
    expectTyped(bitwiseNot(bools([true, false])), 'bool', [0, 1]);
    const t = bools([true, false]);
    expectTyped(t.bitwiseAnd(t), 'bool', [1, 0]);
    expectTyped(t.bitwiseOr(t), 'bool', [1, 0]);
    expectTyped(t.bitwiseXor(t), 'bool', [0, 0]);
  });

  it('shift with the count taken modulo 32, wrapping in the dtype', () => {
    expectTyped(bitwiseLeftShift(i, 2), 'int32', [20, -28]);
    expectTyped(bitwiseRightShift(i, 1), 'int32', [2, -4]);
    expectTyped(bitwiseLeftShift(i, 31), 'int32', [-2147483648, -2147483648]);
    expectTyped(int([1]).bitwiseLeftShift(32), 'int32', [1]);
    expectTyped(int([1]).bitwiseLeftShift(33), 'int32', [2]);
    expectTyped(int([1]).bitwiseLeftShift(-1), 'int32', [-2147483648]);
    expectTyped(int([-1]).bitwiseRightShift(40), 'int32', [-1]);
    expectTyped(int([16]).bitwiseRightShift(40), 'int32', [0]);
    expectTyped(int([-16]).bitwiseRightShift(33), 'int32', [-8]);
    expectTyped(u8([3, 250]).bitwiseRightShift(1), 'uint8', [1, 125]);
    expectTyped(u8([1]).bitwiseLeftShift(8), 'uint8', [0]);
    expectTyped(u8([200]).bitwiseRightShift(9), 'uint8', [0]);
  });

  it('refuse floats, and shifts of bools', () => {
    expect(() => bitwiseAnd(tensor([1]), 1)).toThrow(
      /bitwiseAnd: needs integer or bool tensors, got float32/,
    );
    expect(() => bitwiseNot(tensor([1]))).toThrow(/bitwiseNot: needs an integer or bool tensor/);
    expect(() => bitwiseLeftShift(bools([true]), bools([true]))).toThrow(
      /bitwiseLeftShift: not defined for bool tensors/,
    );
  });
});

describe('integer sums', () => {
  it('are int32 for int32, uint8 and bool tensors (PyTorch: int64)', () => {
    expectTyped(int([5, -7]).sum(), 'int32', -2);
    expectTyped(u8([3, 250]).sum(), 'int32', 253);
    expectTyped(bools([true, false, true]).sum(), 'int32', 2);
    expectTyped(
      int([
        [1, 2],
        [3, 4],
      ]).sum(0),
      'int32',
      [4, 6],
    );
    expectTyped(int([2147483647]).sum(), 'int32', 2147483647);
  });

  it('refuse to wrap: a sum beyond int32 is a RangeError that names it', () => {
    expect(() => int([2147483647, 1]).sum()).toThrow(
      /sum: the integer sum 2147483648 overflows int32 \(nabla has no int64\)/,
    );
    expect(() => int([[-2147483648], [-1]]).sum(1)).not.toThrow();
    expect(() => int([[-2147483648, -1]]).sum(1)).toThrow(
      /the integer sum -2147483649 overflows int32/,
    );
    expect(() =>
      int([
        [0, 0],
        [2147483647, 1],
      ]).sum(1),
    ).toThrow(/element 1 of the result/);
    expectTyped(int([2147483647, 1]).to('float64').sum(), 'float64', 2147483648);
  });

  it('the mean of integers and bools is float32 (PyTorch refuses it)', () => {
    expectTyped(bools([true, false]).mean(), 'float32', 0.5);
    expectTyped(int([1, 2]).mean(), 'float32', 1.5);
  });
});
