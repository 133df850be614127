import { checkFunction, fail } from '../tensor/check.js';
import { engine } from '../tensor/state.js';

function rejectPromise(where: string, result: unknown): void {
  if (
    result !== null &&
    typeof result === 'object' &&
    typeof (result as { then?: unknown }).then === 'function'
  ) {
    throw new TypeError(
      `${where}: the function returned a Promise; ${where} covers synchronous code only ` +
        '(the mode would end before the awaited work runs). Await outside and call it on the synchronous part.',
    );
  }
}

/** @internal Runs `fn` with the grad mode set to `enabled`, restoring it afterwards. */
export function withGradMode<T>(enabled: boolean, fn: () => T, where: string): T {
  checkFunction({ where }, 'fn', fn);
  const previous = engine.gradEnabled;
  engine.gradEnabled = enabled;
  try {
    const result = fn();
    rejectPromise(where, result);
    return result;
  } finally {
    engine.gradEnabled = previous;
  }
}

/**
 * Runs `fn` without recording the graph: results require no gradient and cost no bookkeeping. Use
 * it for evaluation and for updating parameters.
 *
 * @example
 * const w = randn([3], { requiresGrad: true });
 * const y = noGrad(() => w.mul(2)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn, 'noGrad');
}

/** Runs `fn` with graph recording switched back on (inside `noGrad`). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn, 'enableGrad');
}

/** Whether operations currently record the graph. */
export function isGradEnabled(): boolean {
  return engine.gradEnabled;
}

/** Switches graph recording on or off until switched again (prefer `noGrad(fn)`). */
export function setGradEnabled(enabled: boolean): void {
  if (typeof enabled !== 'boolean') {
    fail({ where: 'setGradEnabled' }, 'enabled', 'true or false', enabled, TypeError);
  }
  engine.gradEnabled = enabled;
}

/** @internal Shared with detectAnomaly. */
export { rejectPromise };
