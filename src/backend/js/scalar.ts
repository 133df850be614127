import type { BinaryKernel, UnaryKernel } from '../backend.js';
import { storedAs, type DType } from '../../tensor/dtype.js';
import { binaryFormulas as F, imul } from './binary-table.js';
import { powValue } from './unary.js';
import { unaryFormulas as U } from './unary-table.js';

/**
 * Kernels on single numbers: the formulas of `unary-table.ts` and `binary-table.ts`, which the
 * array kernels also use, for one-element tensors, whose results stay plain numbers instead of
 * typed arrays. The result is rounded as storing it into an array of `dtype` would round it. A
 * test checks each against its array kernel on edge values.
 */

/**
 * Rounds as a store into an array of `dtype` does: float32 to nearest, int32 truncating and wrapping
 * modulo 2³², uint8 and bool (a Uint8Array) modulo 2⁸ — a kernel stores into a bool array as into
 * any Uint8Array; only `cast` makes any non-zero 1 (the op layer gives bool results only from
 * comparisons, logical ops and casts, whose values are 0 and 1).
 */
export function store(dtype: DType, v: number): number {
  return dtype === 'float32'
    ? Math.fround(v)
    : dtype === 'float64'
      ? v
      : dtype === 'int32'
        ? v | 0
        : v & 255;
}

/*
 * The ops of scalar graphs (micrograd-style expressions: bench/op-overhead, bench/scalar-chain)
 * are dispatched by a switch, each to its own call of its formula, which V8 inlines; the others
 * call through the table, a megamorphic call site (measured: 10–20 ns more per call, against
 * about 8 ns for the whole kernel). The formulas stay in the tables.
 */

/** f(x) for a unary kernel, rounded for `dtype` (`cast` is the rounding alone). */
export function unaryScalar(op: UnaryKernel, x: number, dtype: DType): number {
  switch (op) {
    case 'cast':
      return dtype === 'bool' ? storedAs('bool', x) : store(dtype, x);
    case 'neg':
      return store(dtype, U.neg(x));
    case 'exp':
      return store(dtype, U.exp(x));
    case 'log':
      return store(dtype, U.log(x));
    case 'tanh':
      return store(dtype, U.tanh(x));
    case 'sigmoid':
      return store(dtype, U.sigmoid(x));
    case 'relu':
      return store(dtype, U.relu(x));
    default:
      return store(dtype, U[op](x));
  }
}

/** f(a, b) for a binary kernel, rounded for `dtype` (int32 `mul` wraps exactly, as `Math.imul`). */
export function binaryScalar(op: BinaryKernel, a: number, b: number, dtype: DType): number {
  switch (op) {
    case 'add':
      return store(dtype, F.add(a, b));
    case 'sub':
      return store(dtype, F.sub(a, b));
    case 'mul':
      return store(
        dtype,
        dtype === 'int32' && Number.isInteger(a) && Number.isInteger(b) ? imul(a, b) : F.mul(a, b),
      );
    case 'div':
      return store(dtype, F.div(a, b));
    case 'tanhGrad':
      return store(dtype, F.tanhGrad(a, b));
    case 'sigmoidGrad':
      return store(dtype, F.sigmoidGrad(a, b));
    case 'reluGrad':
      return store(dtype, F.reluGrad(a, b));
    default:
      return store(dtype, F[op](a, b));
  }
}

/** x ** p for one number, as `powScalar` computes it (p = 2 over int32 wraps exactly). */
export function powScalarScalar(x: number, p: number, dtype: DType): number {
  return store(dtype, powValue(x, p, dtype === 'int32'));
}
