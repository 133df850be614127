/**
 * The argument checks of `Generator.fillUniform` and `Generator.fillNormal`, and the largest value
 * below a bound in float32 and float64, which keeps uniform draws inside [low, high).
 */
import { checkFiniteNumber, fail } from './check.js';

/**
 * Checks the arguments of `fillUniform`: a float array, finite bounds in order, and a range that
 * does not overflow.
 *
 * @returns high - low.
 */
export function checkUniformRange(out: unknown, low: number, high: number): number {
  const where = 'Generator.fillUniform';
  checkFloatArray(out, where);
  checkFiniteNumber({ where }, 'low', low);
  checkFiniteNumber({ where }, 'high', high);
  if (low > high) {
    throw new RangeError(`${where}: low (${low}) must not be greater than high (${high})`);
  }
  const span = high - low;
  if (!Number.isFinite(span)) {
    throw new RangeError(
      `${where}: the range high - low (${high} - ${low}) is too large to represent`,
    );
  }
  return span;
}

/** Checks the arguments of `fillNormal`: a float array, a finite mean, a finite std ≥ 0. */
export function checkNormalArguments(out: unknown, mean: number, std: number): void {
  const where = 'Generator.fillNormal';
  checkFloatArray(out, where);
  checkFiniteNumber({ where }, 'mean', mean);
  if (typeof std !== 'number' || !Number.isFinite(std) || std < 0) {
    fail({ where }, 'std', 'a finite, non-negative number', std);
  }
}

/** Refuses anything but a Float32Array or a Float64Array. */
function checkFloatArray(out: unknown, where: string): void {
  if (!(out instanceof Float32Array) && !(out instanceof Float64Array)) {
    fail({ where }, 'out', 'a Float32Array or Float64Array', out, TypeError);
  }
}

/** The largest float32 value strictly below `x` (x finite). */
export function float32Below(x: number): number {
  const f = Math.fround(x);
  if (f < x) return f;
  // Step f down by one float32 ulp (f may be +Infinity when x exceeds the float32 range).
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, f);
  const bits = view.getUint32(0);
  if (f === 0) view.setUint32(0, 0x80000001);
  else view.setUint32(0, f > 0 ? bits - 1 : bits + 1);
  return view.getFloat32(0);
}

/** The largest double strictly below `x` (x finite). */
export function float64Below(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  let hi = view.getUint32(0);
  let lo = view.getUint32(4);
  if (x > 0) {
    if (lo === 0) hi -= 1;
    lo = (lo - 1) >>> 0;
  } else {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi += 1;
  }
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}
