/**
 * Shared by the native kernel tests (native-*.test.ts): the addon loaded from the build (a load
 * failure is kept to be reported by a test), a seeded generator, random and zeroed arrays, and
 * comparisons against the reference kernels' output.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { NativeAddon } from '../../src/node/native.js';

// The native addon (native/, built by `npm install` through scripts/build-native.mjs) is compared
// with the reference TypeScript kernels on random inputs from fast-check with a fixed seed. CI
// builds the addon in `npm ci`, so a missing addon is a failure here, not a skip.

export type Float = Float32Array | Float64Array;
export type KernelName = 'avx512' | 'avx2' | 'generic';

// NABLA_TEST_ADDON tests another build of the addon (an absolute path), e.g. while tuning it.
export const ADDON_PATH =
  process.env.NABLA_TEST_ADDON ??
  fileURLToPath(new URL('../../build/Release/nabla_native.node', import.meta.url));

/** Loads the addon once; a missing or broken build becomes an error message, not a throw. */
function load(): { addon?: NativeAddon; error?: string } {
  if (!existsSync(ADDON_PATH)) {
    return {
      error:
        `the native build failed: ${ADDON_PATH} does not exist ` +
        '(run `node scripts/build-native.mjs` to see why)',
    };
  }
  try {
    return { addon: createRequire(import.meta.url)(ADDON_PATH) };
  } catch (e) {
    return { error: `the native build failed: the addon does not load (${String(e)})` };
  }
}

/** The addon, or why it did not load. */
export const loaded = load();

/** The addon, or a failure that says the native build failed. */
export function addon(): NativeAddon {
  if (loaded.addon === undefined) throw new Error(loaded.error);
  return loaded.addon;
}

/** fast-check's settings of every property here: a fixed seed. */
export const RUNS = { seed: 42, numRuns: 40 };
export const DTYPES = ['float32', 'float64'] as const;

/** The seeded generator of the reference kernel tests. */
export { rng } from './js-helpers.js';

/** `n` numbers uniform in [-2, 2). */
export function randomArray(dtype: 'float32' | 'float64', n: number, rand: () => number): Float {
  const x = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 4 * rand() - 2;
  return x;
}

/** A zeroed array of `n` elements of `dtype`. */
export function alloc(dtype: 'float32' | 'float64', n: number): Float {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** Index of the first element where x and y differ (NaN equals NaN), or -1. */
export function firstDifference(x: Float, y: Float): number {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

/** Checks got against want element by element: |got − want| ≤ tol·|want| (NaN matches NaN). */
export function expectClose(what: string, got: Float, want: Float, tol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const ok =
      Object.is(got[i], want[i]) ||
      (Number.isNaN(got[i]) && Number.isNaN(want[i])) ||
      Math.abs(got[i] - want[i]) <= tol * Math.abs(want[i]);
    if (!ok) throw new Error(`${what}: element ${i} is ${got[i]}, reference ${want[i]}`);
  }
}
