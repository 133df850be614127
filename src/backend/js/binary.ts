import type { BinaryKernel } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { coalesce, nextRow } from './strided.js';

/** The binary kernels plus `imul`: `mul` over three Int32Arrays, wrapping exactly as int32 does. */
type BinaryLoop = BinaryKernel | 'imul';

/**
 * out[idx] = f(a[idx·aStrides], b[idx·bStrides]) over every multi-index of `outShape`.
 *
 * Semantics per op: `add` `sub` `mul` `div` are IEEE arithmetic in doubles, converted on store
 * (into an Int32Array, `div` truncates toward zero and x/0 stores 0; `add`/`sub`/`mul` wrap modulo
 * 2^32, `mul` exactly via `Math.imul`). `pow` is `Math.pow`. `maximum`/`minimum` propagate NaN
 * as PyTorch does (NaN if either input is NaN). Comparisons write 1 or 0, and any comparison with
 * NaN is false except `ne`. The fused derivative kernels: `tanhGrad` a·(1 − b²), `sigmoidGrad`
 * a·b·(1 − b) and `reluGrad` a where b > 0 else 0 (b the forward result).
 *
 * Paths: one contiguous loop when both operands have the output's layout; one loop with the
 * other operand hoisted when one of them is a single broadcast element; otherwise rows of the
 * coalesced shape, each a strided loop.
 *
 * @example
 * const out = new Float32Array(4);
 * // [[1, 2], [3, 4]] + [10, 20] broadcast along rows
 * binary('add', Float32Array.of(1, 2, 3, 4), [2, 1], Float32Array.of(10, 20), [0, 1], out, [2, 2]);
 * // out = [11, 22, 13, 24]
 */
export function binary(
  op: BinaryKernel,
  a: TypedArray,
  aStrides: readonly number[],
  b: TypedArray,
  bStrides: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
): void {
  const { shape, strides, size } = coalesce(outShape, [aStrides, bStrides]);
  if (size === 0) return;
  const loop: BinaryLoop =
    op === 'mul' && a instanceof Int32Array && b instanceof Int32Array && out instanceof Int32Array
      ? 'imul'
      : op;
  const nd = shape.length;
  const sa = strides[0][nd - 1];
  const sb = strides[1][nd - 1];
  if (nd === 1) {
    if (sa === 1 && sb === 1) return contiguous(loop, a, b, out, size);
    if (sa === 0 && sb === 1) return scalarA(loop, a[0], b, out, size);
    if (sa === 1 && sb === 0) return scalarB(loop, a, b[0], out, size);
  }
  const rowLength = shape[nd - 1];
  const rows = size / rowLength;
  const counter = new Int32Array(nd);
  const offsets = [0, 0];
  for (let r = 0, o = 0; r < rows; r++, o += rowLength) {
    stridedRow(loop, a, offsets[0], sa, b, offsets[1], sb, out, o, rowLength);
    nextRow(shape, counter, strides, offsets);
  }
}

/** out[i] = f(a[i], b[i]) for i < n. */
function contiguous(
  op: BinaryLoop,
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  n: number,
): void {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      return;
    case 'imul':
      for (let i = 0; i < n; i++) out[i] = Math.imul(a[i], b[i]);
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      return;
    case 'pow':
      for (let i = 0; i < n; i++) out[i] = Math.pow(a[i], b[i]);
      return;
    case 'maximum':
      for (let i = 0; i < n; i++) {
        const x = a[i],
          y = b[i];
        out[i] = x > y || x !== x ? x : y;
      }
      return;
    case 'minimum':
      for (let i = 0; i < n; i++) {
        const x = a[i],
          y = b[i];
        out[i] = x < y || x !== x ? x : y;
      }
      return;
    case 'eq':
      for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0;
      return;
    case 'ne':
      for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0;
      return;
    case 'lt':
      for (let i = 0; i < n; i++) out[i] = a[i] < b[i] ? 1 : 0;
      return;
    case 'le':
      for (let i = 0; i < n; i++) out[i] = a[i] <= b[i] ? 1 : 0;
      return;
    case 'gt':
      for (let i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0;
      return;
    case 'ge':
      for (let i = 0; i < n; i++) out[i] = a[i] >= b[i] ? 1 : 0;
      return;
    case 'tanhGrad':
      for (let i = 0; i < n; i++) {
        const y = b[i];
        out[i] = a[i] * (1 - y * y);
      }
      return;
    case 'sigmoidGrad':
      for (let i = 0; i < n; i++) {
        const y = b[i];
        out[i] = a[i] * y * (1 - y);
      }
      return;
    case 'reluGrad':
      for (let i = 0; i < n; i++) out[i] = b[i] > 0 ? a[i] : 0;
      return;
  }
}

/** out[i] = f(x, b[i]) for i < n: `a` is one element broadcast. */
function scalarA(op: BinaryLoop, x: number, b: TypedArray, out: TypedArray, n: number): void {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = x + b[i];
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = x - b[i];
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = x * b[i];
      return;
    case 'imul':
      for (let i = 0; i < n; i++) out[i] = Math.imul(x, b[i]);
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = x / b[i];
      return;
    case 'pow':
      for (let i = 0; i < n; i++) out[i] = Math.pow(x, b[i]);
      return;
    case 'maximum':
      for (let i = 0; i < n; i++) {
        const y = b[i];
        out[i] = x > y || x !== x ? x : y;
      }
      return;
    case 'minimum':
      for (let i = 0; i < n; i++) {
        const y = b[i];
        out[i] = x < y || x !== x ? x : y;
      }
      return;
    case 'eq':
      for (let i = 0; i < n; i++) out[i] = x === b[i] ? 1 : 0;
      return;
    case 'ne':
      for (let i = 0; i < n; i++) out[i] = x !== b[i] ? 1 : 0;
      return;
    case 'lt':
      for (let i = 0; i < n; i++) out[i] = x < b[i] ? 1 : 0;
      return;
    case 'le':
      for (let i = 0; i < n; i++) out[i] = x <= b[i] ? 1 : 0;
      return;
    case 'gt':
      for (let i = 0; i < n; i++) out[i] = x > b[i] ? 1 : 0;
      return;
    case 'ge':
      for (let i = 0; i < n; i++) out[i] = x >= b[i] ? 1 : 0;
      return;
    case 'tanhGrad':
      for (let i = 0; i < n; i++) out[i] = x * (1 - b[i] * b[i]);
      return;
    case 'sigmoidGrad':
      for (let i = 0; i < n; i++) out[i] = x * b[i] * (1 - b[i]);
      return;
    case 'reluGrad':
      for (let i = 0; i < n; i++) out[i] = b[i] > 0 ? x : 0;
      return;
  }
}

/** out[i] = f(a[i], y) for i < n: `b` is one element broadcast. */
function scalarB(op: BinaryLoop, a: TypedArray, y: number, out: TypedArray, n: number): void {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i] + y;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i] - y;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i] * y;
      return;
    case 'imul':
      for (let i = 0; i < n; i++) out[i] = Math.imul(a[i], y);
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i] / y;
      return;
    case 'pow':
      for (let i = 0; i < n; i++) out[i] = Math.pow(a[i], y);
      return;
    case 'maximum':
      for (let i = 0; i < n; i++) {
        const x = a[i];
        out[i] = x > y || x !== x ? x : y;
      }
      return;
    case 'minimum':
      for (let i = 0; i < n; i++) {
        const x = a[i];
        out[i] = x < y || x !== x ? x : y;
      }
      return;
    case 'eq':
      for (let i = 0; i < n; i++) out[i] = a[i] === y ? 1 : 0;
      return;
    case 'ne':
      for (let i = 0; i < n; i++) out[i] = a[i] !== y ? 1 : 0;
      return;
    case 'lt':
      for (let i = 0; i < n; i++) out[i] = a[i] < y ? 1 : 0;
      return;
    case 'le':
      for (let i = 0; i < n; i++) out[i] = a[i] <= y ? 1 : 0;
      return;
    case 'gt':
      for (let i = 0; i < n; i++) out[i] = a[i] > y ? 1 : 0;
      return;
    case 'ge':
      for (let i = 0; i < n; i++) out[i] = a[i] >= y ? 1 : 0;
      return;
    case 'tanhGrad':
      for (let i = 0; i < n; i++) out[i] = a[i] * (1 - y * y);
      return;
    case 'sigmoidGrad':
      for (let i = 0; i < n; i++) out[i] = a[i] * y * (1 - y);
      return;
    case 'reluGrad':
      for (let i = 0; i < n; i++) out[i] = y > 0 ? a[i] : 0;
      return;
  }
}

/** One row: out[o + i] = f(a[ia + i·sa], b[ib + i·sb]) for i < n. */
function stridedRow(
  op: BinaryLoop,
  a: TypedArray,
  ia: number,
  sa: number,
  b: TypedArray,
  ib: number,
  sb: number,
  out: TypedArray,
  o: number,
  n: number,
): void {
  const end = o + n;
  switch (op) {
    case 'add':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] + b[ib];
      return;
    case 'sub':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] - b[ib];
      return;
    case 'mul':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] * b[ib];
      return;
    case 'imul':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.imul(a[ia], b[ib]);
      return;
    case 'div':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] / b[ib];
      return;
    case 'pow':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.pow(a[ia], b[ib]);
      return;
    case 'maximum':
      for (; o < end; o++, ia += sa, ib += sb) {
        const x = a[ia],
          y = b[ib];
        out[o] = x > y || x !== x ? x : y;
      }
      return;
    case 'minimum':
      for (; o < end; o++, ia += sa, ib += sb) {
        const x = a[ia],
          y = b[ib];
        out[o] = x < y || x !== x ? x : y;
      }
      return;
    case 'eq':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] === b[ib] ? 1 : 0;
      return;
    case 'ne':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] !== b[ib] ? 1 : 0;
      return;
    case 'lt':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] < b[ib] ? 1 : 0;
      return;
    case 'le':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] <= b[ib] ? 1 : 0;
      return;
    case 'gt':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] > b[ib] ? 1 : 0;
      return;
    case 'ge':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] >= b[ib] ? 1 : 0;
      return;
    case 'tanhGrad':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] * (1 - b[ib] * b[ib]);
      return;
    case 'sigmoidGrad':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] * b[ib] * (1 - b[ib]);
      return;
    case 'reluGrad':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = b[ib] > 0 ? a[ia] : 0;
      return;
  }
}
