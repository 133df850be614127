import type { UnaryKernel } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { erf } from './erf.js';

/**
 * out[i] = f(x[i]) for one of the unary kernels. `x` and `out` have the same length; their element
 * types may differ (only `cast` is called that way, but every kernel converts on store).
 *
 * Edge cases, decided here once:
 * - `sign`: -1, 0 or 1; sign(±0) = 0 and NaN stays NaN.
 * - `relu`: max(x, 0); relu(NaN) = NaN and relu(-0) = 0.
 * - `step`: 1 where x > 0, else 0 — so step(0) = 0 and step(NaN) = 0.
 * - `sigmoid`: computed without overflow: 1 / (1 + e^-x) for x ≥ 0, e^x / (1 + e^x) otherwise.
 * - `isfinite`: 1 for a finite value, 0 for ±Infinity and NaN.
 * - `cast`: plain conversion on store: to float32 rounds to nearest, to int32 truncates toward
 *   zero and wraps modulo 2^32 (NaN and ±Infinity become 0).
 * - Results stored into an Int32Array convert the same way as `cast` (e.g. `neg` of -2^31 wraps).
 *
 * @example
 * const out = new Float32Array(3);
 * unary('relu', Float32Array.of(-1, 0.5, NaN), out); // out = [0, 0.5, NaN]
 */
export function unary(op: UnaryKernel, x: TypedArray, out: TypedArray): void {
  const n = x.length;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i];
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
      return;
    case 'sign':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        // The last branch is reached by ±0 (giving 0) and NaN (giving NaN).
        out[i] = v > 0 ? 1 : v < 0 ? -1 : v === v ? 0 : v;
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v >= 0) {
          out[i] = 1 / (1 + Math.exp(-v));
        } else {
          // Also reached by NaN, which gives NaN.
          const e = Math.exp(v);
          out[i] = e / (1 + e);
        }
      }
      return;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = v > 0 ? v : v === v ? 0 : v;
      }
      return;
    case 'step':
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : 0;
      return;
    case 'sin':
      for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]);
      return;
    case 'cos':
      for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]);
      return;
    case 'erf':
      for (let i = 0; i < n; i++) out[i] = erf(x[i]);
      return;
    case 'isfinite':
      for (let i = 0; i < n; i++) out[i] = Number.isFinite(x[i]) ? 1 : 0;
      return;
    case 'cast':
      // `set` converts element by element exactly as `out[i] = x[i]` would, natively.
      out.set(x);
      return;
  }
}

/**
 * out[i] = x[i] ** p, with `Math.pow` semantics (so x ** 0 = 1 even for NaN, and a negative base
 * with a fractional power is NaN). p = 1, 2 and -1 take shortcuts (a copy, x·x and 1/x: single
 * correctly rounded operations, so at least as exact as `Math.pow`); p = 2 over int32 uses
 * `Math.imul` so the result wraps modulo 2^32 exactly instead of losing low bits in a double.
 *
 * @example
 * const out = new Float64Array(2);
 * powScalar(Float64Array.of(3, -2), 2, out); // out = [9, 4]
 */
export function powScalar(x: TypedArray, p: number, out: TypedArray): void {
  const n = x.length;
  if (p === 1) {
    out.set(x);
  } else if (p === 2) {
    if (x instanceof Int32Array && out instanceof Int32Array) {
      for (let i = 0; i < n; i++) out[i] = Math.imul(x[i], x[i]);
    } else {
      for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
    }
  } else if (p === -1) {
    for (let i = 0; i < n; i++) out[i] = 1 / x[i];
  } else {
    for (let i = 0; i < n; i++) out[i] = Math.pow(x[i], p);
  }
}
