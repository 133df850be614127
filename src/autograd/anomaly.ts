import { checkFunction, formatValue } from '../tensor/check.js';
import { isFloating } from '../tensor/dtype.js';
import { formatShape, stridesOf } from '../tensor/shape.js';
import { engine } from '../tensor/state.js';
import type { Tensor } from '../tensor/tensor.js';
import { rejectPromise } from './mode.js';

/** The error `detectAnomaly` throws: it names the operation, the phase and where it was created. */
export class AnomalyError extends Error {
  constructor(
    message: string,
    /** The primitive whose result held the bad value (`log`, `div`, …). */
    readonly op: string,
    /** Whether the value appeared in the forward result or in a gradient of the backward pass. */
    readonly phase: 'forward' | 'backward',
    /** `file:line:column` of the user's code that ran the operation, when known. */
    readonly location: string | undefined,
  ) {
    super(message);
    this.name = 'AnomalyError';
  }
}

/**
 * Runs `fn` with anomaly detection: every operation's result, and every gradient the backward pass
 * computes, is checked for NaN and ±Infinity; the first one found stops the run with an
 * `AnomalyError` naming the operation, forward or backward, and the line of user code that created
 * it. Slower than a normal run; use it to find where a NaN comes from.
 *
 * @example
 * detectAnomaly(() => {
 *   const x = tensor([0, 1], { requiresGrad: true });
 *   x.sqrt().sum().backward(); // throws: backward of sqrt … produced Infinity …
 * });
 */
export function detectAnomaly<T>(fn: () => T): T {
  checkFunction({ where: 'detectAnomaly' }, 'fn', fn);
  const previous = engine.anomaly;
  engine.anomaly = true;
  try {
    const result = fn();
    rejectPromise('detectAnomaly', result);
    return result;
  } finally {
    engine.anomaly = previous;
  }
}

/** The index and value of the first NaN or ±Infinity in `t`, or undefined. */
export function firstNonFinite(t: Tensor): { index: number[]; value: number } | undefined {
  if (!isFloating(t.dtype)) return undefined;
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      const strides = stridesOf(t.shape);
      const index = strides.map((s, d) => Math.floor(i / s) % t.shape[d]);
      return { index, value: v };
    }
  }
  return undefined;
}

/** Throws an `AnomalyError` if `t` holds NaN or ±Infinity. */
export function checkFinite(
  t: Tensor,
  op: string,
  phase: 'forward' | 'backward',
  context?: { input: number; createdAt: string | undefined },
): void {
  const bad = firstNonFinite(t);
  if (bad === undefined) return;
  const at = formatShape(bad.index);
  if (phase === 'forward') {
    const location = userLocation();
    throw new AnomalyError(
      `detectAnomaly: ${op} produced ${formatValue(bad.value)} in its forward result ` +
        `(shape ${formatShape(t.shape)}, at index ${at})${location ? `; the ${op} was run at ${location}` : ''}`,
      op,
      phase,
      location,
    );
  }
  const location = context?.createdAt;
  throw new AnomalyError(
    `detectAnomaly: the backward of ${op} produced ${formatValue(bad.value)} in the gradient for its input ${context?.input ?? 0} ` +
      `(shape ${formatShape(t.shape)}, at index ${at})${location ? `; the ${op} was created at ${location}` : ''}`,
    op,
    phase,
    location,
  );
}

/** The directory holding nabla's own modules (src/ or dist/), to tell its frames from the user's. */
const libraryRoot = (() => {
  try {
    const here = new URL('..', import.meta.url).href;
    return here.startsWith('file://') ? decodeURIComponent(here.slice('file://'.length)) : here;
  } catch {
    return undefined;
  }
})();

/**
 * The first stack frame outside nabla's own files, as `file:line:column` — where the user's code
 * called into the library. Undefined when it cannot be told.
 */
export function userLocation(): string | undefined {
  const stack = new Error().stack;
  if (stack === undefined) return undefined;
  const frames = stack.split('\n').slice(1);
  for (const frame of frames) {
    const match = /\(?((?:file:\/\/|\/|[A-Za-z]:\\|https?:\/\/)[^()]*?:\d+:\d+)\)?\s*$/.exec(
      frame.trim(),
    );
    if (match === null) continue;
    let location = match[1];
    if (location.startsWith('file://'))
      location = decodeURIComponent(location.slice('file://'.length));
    if (libraryRoot !== undefined && location.startsWith(libraryRoot)) continue;
    if (location.includes('/node_modules/')) continue;
    return location;
  }
  return undefined;
}
