import type { Backend } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { binaryFormulas as F, imul, type BinaryFormula } from './binary-table.js';
import { coalesce, nextRow } from './strided.js';

/** One row: out[o + i] = f(a[ia + i·sa], b[ib + i·sb]) for i < n. */
type Row = (
  a: TypedArray,
  ia: number,
  sa: number,
  b: TypedArray,
  ib: number,
  sb: number,
  out: TypedArray,
  o: number,
  n: number,
) => void;

/** out[i] = f(a[i], b[i]) for i < n. */
type Contiguous = (a: TypedArray, b: TypedArray, out: TypedArray, n: number) => void;

interface Loops {
  row: Row;
  /** A loop without strides, for the ops with their own loops; else `row` with unit strides. */
  contiguous?: Contiguous;
}

/** The strided row loop of `f`. Its call to `f` is shared by the ops made with it. */
function rowOf(f: (a: number, b: number) => number): Row {
  return (a, ia, sa, b, ib, sb, out, o, n) => {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = f(a[ia], b[ib]);
  };
}

/**
 * The loops of each formula, and of `imul` (`mul` over three Int32Arrays). The ops the training
 * benchmarks spend their time in (bench/training.ts: add, sub, mul, div and the fused gradients)
 * and those other ops and gradients are made of (maximum and minimum: clamp, leakyRelu, the
 * max-gradients; the comparisons: where conditions, accuracy) get their own loops, each with its
 * own call to its formula: a call site that only ever sees one function is inlined by V8, while the
 * shared call site of `rowOf` is megamorphic (measured on 65,536 float32 elements: 1.3–1.8 ns per
 * element in an own loop — about 6 for the formulas that branch, on random data — against 10–25 ns
 * through the shared one). Closures made by one function literal share their call sites' feedback,
 * so an own loop has to be its own literal; each writes `F.op` in its call, so the formula stays in
 * `binary-table.ts`. A new formula works with the shared loop until it is worth its own.
 */
const LOOPS: Record<BinaryFormula | 'imul', Loops> = {
  ...(Object.fromEntries(Object.entries(F).map(([op, f]) => [op, { row: rowOf(f) }])) as Record<
    BinaryFormula,
    Loops
  >),
  imul: { row: rowOf(imul) },
  add: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.add(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.add(a[i], b[i]);
    },
  },
  sub: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.sub(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.sub(a[i], b[i]);
    },
  },
  mul: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.mul(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.mul(a[i], b[i]);
    },
  },
  div: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.div(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.div(a[i], b[i]);
    },
  },
  tanhGrad: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.tanhGrad(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.tanhGrad(a[i], b[i]);
    },
  },
  sigmoidGrad: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb)
        out[o] = F.sigmoidGrad(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.sigmoidGrad(a[i], b[i]);
    },
  },
  reluGrad: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.reluGrad(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.reluGrad(a[i], b[i]);
    },
  },
  maximum: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.maximum(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.maximum(a[i], b[i]);
    },
  },
  minimum: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.minimum(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.minimum(a[i], b[i]);
    },
  },
  eq: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.eq(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.eq(a[i], b[i]);
    },
  },
  ne: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.ne(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.ne(a[i], b[i]);
    },
  },
  lt: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.lt(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.lt(a[i], b[i]);
    },
  },
  le: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.le(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.le(a[i], b[i]);
    },
  },
  gt: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.gt(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.gt(a[i], b[i]);
    },
  },
  ge: {
    row: (a, ia, sa, b, ib, sb, out, o, n) => {
      for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = F.ge(a[ia], b[ib]);
    },
    contiguous: (a, b, out, n) => {
      for (let i = 0; i < n; i++) out[i] = F.ge(a[i], b[i]);
    },
  },
};

/**
 * out[idx] = f(a[idx·aStrides], b[idx·bStrides]) over every multi-index of `outShape`, with f one
 * of the formulas of `binary-table.ts` (where their semantics and edge cases are stated); `mul`
 * over three Int32Arrays is `Math.imul`.
 *
 * Paths: the shape is coalesced first, so that same-shape contiguous operands, and one operand
 * that is a single broadcast element (stride 0), become one row. One row with unit strides runs
 * the op's contiguous loop where it has one; otherwise each row of the coalesced shape is a
 * strided loop.
 *
 * @example
 * const out = new Float32Array(4);
 * // [[1, 2], [3, 4]] + [10, 20] broadcast along rows
 * binary('add', Float32Array.of(1, 2, 3, 4), [2, 1], Float32Array.of(10, 20), [0, 1], out, [2, 2]);
 * // out = [11, 22, 13, 24]
 */
export const binary: Backend['binary'] = (op, a, aStrides, b, bStrides, out, outShape) => {
  const { shape, strides, size } = coalesce(outShape, [aStrides, bStrides]);
  if (size === 0) return;
  const loops =
    LOOPS[
      op === 'mul' &&
      a instanceof Int32Array &&
      b instanceof Int32Array &&
      out instanceof Int32Array
        ? 'imul'
        : op
    ];
  const nd = shape.length;
  const sa = strides[0][nd - 1];
  const sb = strides[1][nd - 1];
  if (nd === 1) {
    if (sa === 1 && sb === 1 && loops.contiguous !== undefined)
      return loops.contiguous(a, b, out, size);
    return loops.row(a, 0, sa, b, 0, sb, out, 0, size);
  }
  const rowLength = shape[nd - 1];
  const rows = size / rowLength;
  const counter = new Int32Array(nd);
  const offsets = [0, 0];
  for (let r = 0, o = 0; r < rows; r++, o += rowLength) {
    loops.row(a, offsets[0], sa, b, offsets[1], sb, out, o, rowLength);
    nextRow(shape, counter, strides, offsets);
  }
};
