/**
 * The native backend for Node: nabla's kernels compiled from C++ (native/, built by node-gyp
 * when the package is installed), with the reference TypeScript kernels for everything the addon
 * does not implement. It is chosen at run time: `NABLA_BACKEND=native|js` in the environment,
 * `setBackend('native' | 'js')` in code, or, by default, native when the addon loaded.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBackend, registerBackend, setBackend, type Backend } from '../backend/index.js';
import { jsBackend } from '../backend/js/index.js';
import type { TypedArray } from '../tensor/dtype.js';

/** What the addon (build/Release/nabla_native.node) exports. */
export interface NativeAddon {
  cpu(): {
    kernel: 'avx512' | 'avx2' | 'generic';
    avx512f: boolean;
    avx2: boolean;
    fma: boolean;
    threads: number;
  };
  setThreads(n: number): void;
  getThreads(): number;
  matmul(
    a: Float32Array | Float64Array,
    b: Float32Array | Float64Array,
    out: Float32Array | Float64Array,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    aBatchStride: number,
    bBatchStride: number,
  ): void;
}

/** The addon's file: build/Release beside src/ (from src/node/ and from dist/node/ alike). */
export const NATIVE_ADDON_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'build',
  'Release',
  'nabla_native.node',
);

const loaded: { addon?: NativeAddon; error?: string; tried: boolean } = { tried: false };

/** The addon, or undefined (with the reason in `nativeError()`) when it is not built or fails to load. */
export function nativeAddon(): NativeAddon | undefined {
  if (!loaded.tried) {
    loaded.tried = true;
    if (!existsSync(NATIVE_ADDON_PATH)) {
      loaded.error = `the native addon is not built (no ${NATIVE_ADDON_PATH}; run npm install)`;
    } else {
      try {
        loaded.addon = createRequire(import.meta.url)(NATIVE_ADDON_PATH) as NativeAddon;
      } catch (e) {
        loaded.error = `the native addon failed to load: ${(e as Error).message.split('\n')[0]}`;
      }
    }
  }
  return loaded.addon;
}

/** Why the native backend is unavailable, or undefined when it loaded. */
export function nativeError(): string | undefined {
  nativeAddon();
  return loaded.error;
}

const isFloat = (a: TypedArray): a is Float32Array | Float64Array =>
  a instanceof Float32Array || a instanceof Float64Array;

/** The native backend over an addon: its kernels where it has them, the reference ones elsewhere. */
export function nativeBackend(addon: NativeAddon): Backend {
  return Object.freeze({
    ...jsBackend,
    name: 'native',
    matmul(a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride) {
      if (
        isFloat(a) &&
        a.constructor === b.constructor &&
        a.constructor === out.constructor &&
        out.length > 0
      ) {
        addon.matmul(
          a,
          b as typeof a,
          out as typeof a,
          batch,
          m,
          n,
          k,
          transA,
          transB,
          aBatchStride,
          bBatchStride,
        );
      } else {
        jsBackend.matmul(a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride);
      }
    },
  } satisfies Backend);
}

/**
 * Registers the native backend when the addon loads, and selects the backend the environment
 * asks for (`NABLA_BACKEND`), else native when available. Asking for `native` when it is not
 * available is an error naming why; any other unknown name is an error listing the backends.
 */
export function selectBackend(env: NodeJS.ProcessEnv = process.env): void {
  const addon = nativeAddon();
  if (addon !== undefined) registerBackend(nativeBackend(addon));
  const wanted = env.NABLA_BACKEND?.trim();
  if (wanted === undefined || wanted === '') {
    if (addon !== undefined) setBackend('native');
    return;
  }
  if (wanted === 'native' && addon === undefined) {
    throw new Error(`NABLA_BACKEND=native: ${nativeError()}`);
  }
  if (getBackend() !== wanted) setBackend(wanted);
}

/**
 * What the Node entry runs when it loads: `selectBackend`, with a bad `NABLA_BACKEND` reported
 * as one line on stderr (the default backend stays) rather than an exception at import time.
 */
export function initBackends(): void {
  try {
    selectBackend();
  } catch (e) {
    process.stderr.write(`nabla: ${(e as Error).message}; using the ${getBackend()} backend\n`);
  }
}
