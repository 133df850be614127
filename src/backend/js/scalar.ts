import type { BinaryKernel, UnaryKernel } from '../backend.js';
import type { DType } from '../../tensor/dtype.js';
import { erf } from './erf.js';

/**
 * Kernels on single numbers: the same functions as the array kernels in `unary.ts` and
 * `binary.ts`, for one-element tensors, whose results stay plain numbers instead of typed
 * arrays. The result is rounded as storing it into an array of `dtype` would round it. A test
 * checks each against its array kernel on edge values.
 */

/** Rounds as a store into an array of `dtype` does (float32 to nearest; int32 truncating and wrapping; NaN → 0). */
export function store(dtype: DType, v: number): number {
  return dtype === 'float32' ? Math.fround(v) : dtype === 'int32' ? v | 0 : v;
}

/** f(x) for a unary kernel, rounded for `dtype`. */
export function unaryScalar(op: UnaryKernel, x: number, dtype: DType): number {
  let v: number;
  switch (op) {
    case 'neg':
      v = -x;
      break;
    case 'exp':
      v = Math.exp(x);
      break;
    case 'log':
      v = Math.log(x);
      break;
    case 'sqrt':
      v = Math.sqrt(x);
      break;
    case 'abs':
      v = Math.abs(x);
      break;
    case 'sign':
      v = x > 0 ? 1 : x < 0 ? -1 : x === x ? 0 : x;
      break;
    case 'tanh':
      v = Math.tanh(x);
      break;
    case 'sigmoid':
      if (x >= 0) {
        v = 1 / (1 + Math.exp(-x));
      } else {
        const e = Math.exp(x);
        v = e / (1 + e);
      }
      break;
    case 'relu':
      v = x > 0 ? x : x === x ? 0 : x;
      break;
    case 'step':
      v = x > 0 ? 1 : 0;
      break;
    case 'sin':
      v = Math.sin(x);
      break;
    case 'cos':
      v = Math.cos(x);
      break;
    case 'erf':
      v = erf(x);
      break;
    case 'isfinite':
      v = Number.isFinite(x) ? 1 : 0;
      break;
    case 'cast':
      v = x;
      break;
  }
  return store(dtype, v);
}

/** f(a, b) for a binary kernel, rounded for `dtype` (int32 `mul` wraps exactly, as `Math.imul`). */
export function binaryScalar(op: BinaryKernel, a: number, b: number, dtype: DType): number {
  let v: number;
  switch (op) {
    case 'add':
      v = a + b;
      break;
    case 'sub':
      v = a - b;
      break;
    case 'mul':
      v = dtype === 'int32' && Number.isInteger(a) && Number.isInteger(b) ? Math.imul(a, b) : a * b;
      break;
    case 'div':
      v = a / b;
      break;
    case 'pow':
      v = Math.pow(a, b);
      break;
    case 'maximum':
      v = a !== a || b !== b ? NaN : a > b ? a : b;
      break;
    case 'minimum':
      v = a !== a || b !== b ? NaN : a < b ? a : b;
      break;
    case 'eq':
      v = a === b ? 1 : 0;
      break;
    case 'ne':
      v = a !== b ? 1 : 0;
      break;
    case 'lt':
      v = a < b ? 1 : 0;
      break;
    case 'le':
      v = a <= b ? 1 : 0;
      break;
    case 'gt':
      v = a > b ? 1 : 0;
      break;
    case 'ge':
      v = a >= b ? 1 : 0;
      break;
    case 'tanhGrad':
      v = a * (1 - b * b);
      break;
    case 'sigmoidGrad':
      v = a * b * (1 - b);
      break;
    case 'reluGrad':
      v = b > 0 ? a : 0;
      break;
  }
  return store(dtype, v);
}

/** x ** p for one number, as `powScalar` computes it (p = 2 over int32 wraps exactly). */
export function powScalarScalar(x: number, p: number, dtype: DType): number {
  if (p === 1) return store(dtype, x);
  if (p === 2) return store(dtype, dtype === 'int32' ? Math.imul(x, x) : x * x);
  if (p === -1) return store(dtype, 1 / x);
  return store(dtype, Math.pow(x, p));
}
