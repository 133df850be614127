import { describe, expect, it } from 'vitest';
import type { BinaryKernel, UnaryKernel } from '../../src/backend/backend.js';
import { binaryFormulas } from '../../src/backend/js/binary-table.js';
import { allocate, DTYPES } from '../../src/tensor/dtype.js';
import type { DType, TypedArray } from '../../src/tensor/dtype.js';
import { broadcastStrides } from '../../src/tensor/shape.js';
import {
  B,
  BINARY_OPS,
  expectClose,
  forAllShapes,
  operandShape,
  randInt,
  randomArray,
} from './js-helpers.js';
import { broadcastRead, sizeOfShape, unravel } from './multi-index.js';

// The binary kernels and where against naive implementations.
// The helpers and the approach are in js-helpers.ts.

/**
 * One element of the naive binary kernel: the table's formula (checked on its own below), except
 * where an independent definition exists — int32 products through BigInt, maximum and minimum
 * through Math.max and Math.min.
 */
function naiveBinaryOp(op: BinaryKernel, x: number, y: number, dtype: DType): number {
  if (op === 'mul' && dtype === 'int32') return Number(BigInt.asIntN(32, BigInt(x) * BigInt(y)));
  if (op === 'maximum') return Math.max(x, y); // NaN if either is NaN
  if (op === 'minimum') return Math.min(x, y);
  return binaryFormulas[op](x, y);
}

/**
 * The naive element-wise kernel of `binary` and `where`: out[idx] = f(the element of each operand,
 * given with its own shape, at idx under broadcasting), one multi-index at a time.
 */
function naiveBroadcast(
  dtype: DType,
  outShape: readonly number[],
  operands: readonly (readonly [TypedArray, readonly number[]])[],
  f: (values: number[]) => number,
): TypedArray {
  const out = allocate(dtype, sizeOfShape(outShape));
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, outShape);
    out[i] = f(operands.map(([x, shape]) => x[broadcastRead(idx, shape)]));
  }
  return out;
}

describe('binary', () => {
  for (const op of BINARY_OPS) {
    for (const dtype of DTYPES) {
      it(`${op} over ${dtype} matches the naive loop on broadcast shapes`, () => {
        forAllShapes(0, (outShape, rand) => {
          const aShape = operandShape(outShape, rand);
          const bShape = operandShape(outShape, rand);
          const a = randomArray(dtype, sizeOfShape(aShape), rand);
          const b = randomArray(dtype, sizeOfShape(bShape), rand);
          const out = allocate(dtype, sizeOfShape(outShape)).fill(7);
          const aStrides = broadcastStrides(aShape, outShape);
          const bStrides = broadcastStrides(bShape, outShape);
          B.binary(op, a, aStrides, b, bStrides, out, outShape);
          const operands = [
            [a, aShape],
            [b, bShape],
          ] as const;
          const expected = naiveBroadcast(dtype, outShape, operands, ([x, y]) =>
            naiveBinaryOp(op, x, y, dtype),
          );
          expectClose(out, expected);
        });
      });
    }
  }

  it('adds a row vector to every row and handles a 0-d pair', () => {
    const out = new Float32Array(6);
    const a = Float32Array.of(1, 2, 3, 4, 5, 6);
    B.binary('add', a, [3, 1], Float32Array.of(10, 20, 30), [0, 1], out, [2, 3]);
    expect(Array.from(out)).toEqual([11, 22, 33, 14, 25, 36]);
    const s = new Float64Array(1);
    B.binary('mul', Float64Array.of(3), [], Float64Array.of(-2), [], s, []);
    expect(s[0]).toBe(-6);
  });

  it('propagates NaN through maximum and minimum and compares NaN as unequal', () => {
    const a = Float64Array.of(NaN, 1, 2, NaN);
    const b = Float64Array.of(1, NaN, 1, NaN);
    const run = (op: BinaryKernel) => {
      const out = new Float64Array(4);
      B.binary(op, a, [1], b, [1], out, [4]);
      return Array.from(out);
    };
    expect(run('maximum')).toEqual([NaN, NaN, 2, NaN]);
    expect(run('minimum')).toEqual([NaN, NaN, 1, NaN]);
    expect(run('eq')).toEqual([0, 0, 0, 0]);
    expect(run('ne')).toEqual([1, 1, 1, 1]);
  });

  it('writes comparisons into an array of another type, and does int32 arithmetic as int32', () => {
    const cmp = new Int32Array(3);
    B.binary('lt', Float64Array.of(1, 2, 3), [1], Float64Array.of(2), [0], cmp, [3]);
    expect(Array.from(cmp)).toEqual([1, 0, 0]);
    const prod = new Int32Array(2);
    B.binary(
      'mul',
      Int32Array.of(2147483647, 7),
      [1],
      Int32Array.of(2147483647, -3),
      [1],
      prod,
      [2],
    );
    expect(Array.from(prod)).toEqual([1, -21]);
    const quot = new Int32Array(3);
    B.binary('div', Int32Array.of(7, -7, 1), [1], Int32Array.of(2, 2, 0), [1], quot, [3]);
    expect(Array.from(quot)).toEqual([3, -3, 0]);
    const sum = new Int32Array(1);
    B.binary('add', Int32Array.of(2147483647), [], Int32Array.of(1), [], sum, []);
    expect(sum[0]).toBe(-2147483648);
  });

  it('leaves an empty output alone', () => {
    const out = new Float32Array(0);
    B.binary('add', new Float32Array(0), [3, 1], Float32Array.of(1, 2, 3), [0, 1], out, [0, 3]);
    expect(out.length).toBe(0);
  });

  it('fuses the derivatives of tanh, sigmoid and relu: g times the slope of the activation', () => {
    // Independent of the formulas: the slope by central differences of the unary kernels.
    const slope = (op: UnaryKernel, x: number) => {
      const h = 1e-6;
      const y = new Float64Array(2);
      B.unary(op, Float64Array.of(x + h, x - h), y);
      return (y[0] - y[1]) / (2 * h);
    };
    const at = (op: UnaryKernel, x: number) => {
      const y = new Float64Array(1);
      B.unary(op, Float64Array.of(x), y);
      return y[0];
    };
    for (const x of [-3, -0.7, -0.1, 0.2, 1, 2.5]) {
      const g = 1.5;
      const run = (op: BinaryKernel, b: number) => {
        const out = new Float64Array(1);
        B.binary(op, Float64Array.of(g), [], Float64Array.of(b), [], out, []);
        return out[0];
      };
      expect(run('tanhGrad', at('tanh', x))).toBeCloseTo(g * slope('tanh', x), 8);
      expect(run('sigmoidGrad', at('sigmoid', x))).toBeCloseTo(g * slope('sigmoid', x), 8);
      expect(run('reluGrad', x)).toBeCloseTo(g * slope('relu', x), 8);
    }
    const kink = new Float64Array(2);
    B.binary('reluGrad', Float64Array.of(2, 2), [1], Float64Array.of(0, NaN), [1], kink, [2]);
    expect(Array.from(kink)).toEqual([0, 0]); // the kink at 0 takes 0; NaN is not > 0
  });
});

describe('where', () => {
  for (const dtype of DTYPES) {
    it(`over ${dtype} matches the naive loop on broadcast shapes`, () => {
      forAllShapes(0, (outShape, rand) => {
        const cShape = operandShape(outShape, rand);
        const aShape = operandShape(outShape, rand);
        const bShape = operandShape(outShape, rand);
        const condType = DTYPES[randInt(rand, 0, 2)];
        const cond = allocate(condType, sizeOfShape(cShape));
        for (let i = 0; i < cond.length; i++) {
          const r = rand();
          cond[i] = r < 0.45 ? 0 : r < 0.9 ? 1 : condType === 'int32' ? -3 : NaN;
        }
        const a = randomArray(dtype, sizeOfShape(aShape), rand);
        const b = randomArray(dtype, sizeOfShape(bShape), rand);
        const out = allocate(dtype, sizeOfShape(outShape)).fill(7);
        B.where(
          cond,
          broadcastStrides(cShape, outShape),
          a,
          broadcastStrides(aShape, outShape),
          b,
          broadcastStrides(bShape, outShape),
          out,
          outShape,
        );
        const operands = [
          [cond, cShape],
          [a, aShape],
          [b, bShape],
        ] as const;
        const expected = naiveBroadcast(dtype, outShape, operands, ([c, x, y]) =>
          c !== 0 ? x : y,
        );
        expectClose(out, expected);
      });
    });
  }

  it('selects with a scalar on either side and with a scalar condition', () => {
    const out = new Float32Array(4);
    const cond = Int32Array.of(1, 0, 0, 1);
    const x = Float32Array.of(1, 2, 3, 4);
    B.where(cond, [1], x, [1], Float32Array.of(-1), [0], out, [4]);
    expect(Array.from(out)).toEqual([1, -1, -1, 4]);
    B.where(cond, [1], Float32Array.of(9), [0], x, [1], out, [4]);
    expect(Array.from(out)).toEqual([9, 2, 3, 9]);
    B.where(Float32Array.of(0), [0, 0], x, [2, 1], Float32Array.of(5, 6), [0, 1], out, [2, 2]);
    expect(Array.from(out)).toEqual([5, 6, 5, 6]);
    B.where(Float32Array.of(NaN), [], Float32Array.of(8), [], Float32Array.of(5), [], out, []);
    expect(out[0]).toBe(8); // NaN is not 0, so it counts as true
  });
});
