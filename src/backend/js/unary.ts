import type { UnaryKernel } from '../backend.js';
import { BoolArray, type TypedArray } from '../../tensor/dtype.js';
import { unaryFormulas as F, type UnaryFormula } from './unary-table.js';

type Loop = (x: TypedArray, out: TypedArray) => void;

/** A loop applying `f` to every element. Its call to `f` is shared by the ops made with it. */
function loopOf(f: (x: number) => number): Loop {
  return (x, out) => {
    for (let i = 0, n = x.length; i < n; i++) out[i] = f(x[i]);
  };
}

/**
 * The loop of each formula. The ops the training benchmarks spend their time in (bench/training.ts:
 * tanh, relu, sigmoid, exp, log, neg) and those other ops and gradients are made of (abs and sign:
 * leakyRelu, clamp, the max-gradients) get their own loop, each with its own call to its formula: a
 * call site that only ever sees one function is inlined by V8, while the shared call site of
 * `loopOf` is megamorphic (measured on 65,536 float32 elements: 1.1–2 ns per element in an own loop
 * — about 6 for the formulas that branch, on random data — against 10–25 ns through the shared
 * one). Closures made by one function literal share their call sites' feedback, so an own loop has
 * to be its own literal; each writes `F.op` in its call, so the formula stays in `unary-table.ts`.
 * A new formula works with the shared loop until it is worth its own.
 */
const LOOPS: Record<UnaryFormula, Loop> = {
  ...(Object.fromEntries(Object.entries(F).map(([op, f]) => [op, loopOf(f)])) as Record<
    UnaryFormula,
    Loop
  >),
  neg: (x, out) => {
    for (let i = 0, n = x.length; i < n; i++) out[i] = F.neg(x[i]);
  },
  exp: (x, out) => {
    for (let i = 0, n = x.length; i < n; i++) out[i] = F.exp(x[i]);
  },
  log: (x, out) => {
    for (let i = 0, n = x.length; i < n; i++) out[i] = F.log(x[i]);
  },
  tanh: (x, out) => {
    for (let i = 0, n = x.length; i < n; i++) out[i] = F.tanh(x[i]);
  },
  sigmoid: (x, out) => {
    for (let i = 0, n = x.length; i < n; i++) out[i] = F.sigmoid(x[i]);
  },
  relu: (x, out) => {
    for (let i = 0, n = x.length; i < n; i++) out[i] = F.relu(x[i]);
  },
  abs: (x, out) => {
    for (let i = 0, n = x.length; i < n; i++) out[i] = F.abs(x[i]);
  },
  sign: (x, out) => {
    for (let i = 0, n = x.length; i < n; i++) out[i] = F.sign(x[i]);
  },
};

/**
 * out[i] = f(x[i]) for one of the unary kernels (the formulas and their edge cases are in
 * `unary-table.ts`). `x` and `out` have the same length; their element types may differ (only
 * `cast` is called that way, but every kernel converts on store). `cast` is plain conversion on
 * store: to float32 rounds to nearest, to int32 (uint8) truncates toward zero and wraps modulo 2^32
 * (2^8) (NaN and ±Infinity become 0), to bool (a `BoolArray` out) gives 1 for anything but 0.
 *
 * @example
 * const out = new Float32Array(3);
 * unary('relu', Float32Array.of(-1, 0.5, NaN), out); // out = [0, 0.5, NaN]
 */
export function unary(op: UnaryKernel, x: TypedArray, out: TypedArray): void {
  // `set` converts element by element exactly as `out[i] = x[i]` would, natively.
  if (op === 'cast' && out instanceof BoolArray) {
    for (let i = 0; i < x.length; i++) out[i] = x[i] !== 0 ? 1 : 0;
  } else if (op === 'cast') out.set(x);
  else LOOPS[op](x, out);
}

/**
 * x ** p as `powScalar` computes it, with `Math.pow` semantics (so x ** 0 = 1 even for NaN, and a
 * negative base with a fractional power is NaN). p = 1, 2 and -1 take shortcuts (the value, x·x
 * and 1/x: single correctly rounded operations, so at least as exact as `Math.pow`); p = 2 over
 * int32 (`int32`) uses `Math.imul` so the result wraps modulo 2^32 exactly instead of losing low
 * bits in a double.
 */
export function powValue(x: number, p: number, int32: boolean): number {
  if (p === 1) return x;
  if (p === 2) return int32 ? Math.imul(x, x) : x * x;
  if (p === -1) return 1 / x;
  return Math.pow(x, p);
}

/**
 * out[i] = x[i] ** p, as {@link powValue}.
 *
 * @example
 * const out = new Float64Array(2);
 * powScalar(Float64Array.of(3, -2), 2, out); // out = [9, 4]
 */
export function powScalar(x: TypedArray, p: number, out: TypedArray): void {
  // `set` converts element by element exactly as `out[i] = x[i]` would, natively.
  if (p === 1) return out.set(x);
  const int32 = x instanceof Int32Array && out instanceof Int32Array;
  for (let i = 0, n = x.length; i < n; i++) out[i] = powValue(x[i], p, int32);
}
