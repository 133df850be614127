/**
 * The native backend for Node: nabla's kernels compiled from C++ (native/: prebuilt for linux-x64,
 * else built by node-gyp at install), with the reference TypeScript kernels for the rest. It is
 * chosen at run time: `NABLA_BACKEND=native|wasm|js`, `setBackend('native' | 'wasm' | 'js')` in
 * code, or, by default, native when the addon loaded, else wasm.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  getBackend,
  registerBackend,
  setBackend,
  type Backend,
  type Window2d,
} from '../backend/index.js';
import { jsBackend } from '../backend/js/index.js';
import { checkObject, fail } from '../tensor/check.js';
import type { TypedArray } from '../tensor/dtype.js';
import { channelKernels, type ChannelAddon } from '../backend/wasm/channels.js';
import { envThreads, registerWasmBackend, wasmError } from './wasm.js';
import { packed, rowBroadcast } from '../backend/wasm/layout.js';

type Float = Float32Array | Float64Array;

/** A kernel of `Backend` as the addon takes it: float arrays (of one type) where it has arrays. */
type OverFloats<K> = K extends (...args: infer P) => void
  ? (
      ...args: {
        [I in keyof P]: P[I] extends TypedArray
          ? Float
          : P[I] extends TypedArray | null
            ? Float | null
            : P[I];
      }
    ) => void
  : never;

/** The binary kernels the addon implements (semantics: `Backend.binary`). */
export type NativeBinaryOp =
  'add' | 'sub' | 'mul' | 'div' | 'tanhGrad' | 'sigmoidGrad' | 'reluGrad';

/** What the addon (native/, see its README) exports. */
export interface NativeAddon extends ChannelAddon {
  cpu(): {
    kernel: 'avx512' | 'avx2' | 'generic';
    avx512f: boolean;
    avx2: boolean;
    fma: boolean;
    threads: number;
  };
  setThreads(n: number): void;
  getThreads(): number;
  /** Forces a kernel set (tests and benchmarks). */
  setKernel(kernel: 'avx512' | 'avx2' | 'generic'): void;
  matmul: OverFloats<Backend['matmul']>;
  matmulSum: OverFloats<Backend['matmulSum']>;
  unary(op: 'tanh' | 'exp' | 'relu' | 'sigmoid', x: Float, out: Float): void;
  binarySame(op: NativeBinaryOp, a: Float, b: Float, out: Float): void;
  binaryRow(op: NativeBinaryOp, a: Float, b: Float, out: Float, rows: number, cols: number): void;
  sumRows(x: Float, rows: number, cols: number, out: Float): void;
  sumAxis0(x: Float, rows: number, cols: number, out: Float): void;
  logSoftmaxRows(x: Float, rows: number, cols: number, out: Float): void;
  watchInterrupt(on: boolean): boolean;
  interrupted(): boolean;
  /** The number of the watched signal that arrived (SIGINT, SIGTERM, SIGHUP), or 0. */
  interruptSignal?(): number;
  sgdStep: OverFloats<Backend['sgdStep']>;
  adamStep: OverFloats<Backend['adamStep']>;
  adagradStep: OverFloats<Backend['adagradStep']>;
  rmspropStep: OverFloats<Backend['rmspropStep']>;
  im2col: OverFloats<Backend['im2col']>;
  col2im: OverFloats<Backend['col2im']>;
  maxPool2d(x: Float, g: Window2d, out: Float, argmax: Int32Array): void;
  normalize: OverFloats<Backend['normalize']>;
  normalizeBackward: OverFloats<Backend['normalizeBackward']>;
}

/** The package's root (from src/node/ and from dist/node/ alike), where node-gyp-build looks. */
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The addon's file, as node-gyp-build finds it: build/Release (built from source) first, else the
 * prebuilt binary for this platform, architecture and libc in prebuilds/ (see native/README.md).
 */
function findAddon(): string {
  const require = createRequire(import.meta.url);
  const nodeGypBuild = require('node-gyp-build') as { path(dir: string): string };
  return nodeGypBuild.path(PACKAGE_ROOT);
}

const loaded: { addon?: NativeAddon; error?: string; tried: boolean } = { tried: false };

/** The addon, or undefined (with the reason in `nativeError()`) when it is not built or fails to load. */
export function nativeAddon(): NativeAddon | undefined {
  if (loaded.tried) return loaded.addon;
  loaded.tried = true;
  let file: string;
  try {
    file = findAddon();
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    loaded.error = `the native addon is not built (${why}; run npm install)`;
    return undefined;
  }
  try {
    loaded.addon = createRequire(import.meta.url)(file) as NativeAddon;
  } catch (e) {
    loaded.error = `the native addon failed to load: ${(e as Error).message.split('\n')[0]}`;
  }
  return loaded.addon;
}

/** Why the native backend is unavailable, or undefined when it loaded. */
export function nativeError(): string | undefined {
  nativeAddon();
  return loaded.error;
}

/** Whether all arrays are float arrays of one type (the addon's kernels take nothing else). */
function sameFloat(...arrays: (TypedArray | null)[]): boolean {
  const first = arrays[0];
  if (!(first instanceof Float32Array || first instanceof Float64Array)) return false;
  return arrays.every((a) => a === null || a.constructor === first.constructor);
}

/**
 * Below these sizes the TypeScript kernels are faster: a call into the addon costs about 0.3 µs
 * before any work (a 16×16·16×16 product: 0.7 µs native, 2 µs in TypeScript; 32×2·2×16 is quicker
 * in TypeScript). `minExactElements` is for the element-wise binary kernels and the row/column
 * sums, whose results are the TypeScript kernels' to the bit (each element rounded once; sums in
 * doubles, in the same order), so that which kernel runs never changes a result: they gain from
 * 256 elements (on [32, 16], busy machine: a bias add 2.2 µs native against 8.8 in TypeScript, a
 * column sum 1.2 against 10). `minCostlyElements`: exp, tanh and sigmoid, vectorized in the addon
 * (native/vector_math.h), gain from 64 (tanh of 64 values: 0.40 µs against 0.85; of 256: 0.9
 * against 3.3). Their results are the reference's bits too, but for tanh in float64 (within 2 units
 * in the last place). `minSoftmaxElements`: logSoftmax gains from 256 (128×10 logits: 10 µs
 * against 17; 128×2: 2.4 against 4.6); its float64 results may differ in the last bit.
 */
export const NATIVE_THRESHOLDS = Object.freeze({
  minMatmulWork: 2048,
  minElements: 2048,
  minExactElements: 256,
  minCostlyElements: 64,
  minSoftmaxElements: 256,
});

const UNARY = new Set(['tanh', 'exp', 'relu', 'sigmoid']);
const COSTLY = new Set(['tanh', 'exp', 'sigmoid']);
const BINARY = new Set(['add', 'sub', 'mul', 'div', 'tanhGrad', 'sigmoidGrad', 'reluGrad']);

/**
 * The native backend over an addon: its kernels where it has them (float32 and float64 arrays
 * large enough to gain), the reference TypeScript kernels for everything else. The tests build it
 * with thresholds of 0, so that the operation suite runs every native kernel.
 */
export function nativeBackend(
  addon: NativeAddon,
  thresholds: {
    minMatmulWork: number;
    minElements: number;
    minExactElements?: number;
    minCostlyElements?: number;
    minSoftmaxElements?: number;
  } = NATIVE_THRESHOLDS,
): Backend {
  const js = jsBackend;
  const MIN_MATMUL_WORK = thresholds.minMatmulWork;
  const MIN_ELEMENTS = thresholds.minElements;
  const MIN_EXACT = thresholds.minExactElements ?? MIN_ELEMENTS;
  const MIN_COSTLY = thresholds.minCostlyElements ?? MIN_ELEMENTS;
  const MIN_SOFTMAX = thresholds.minSoftmaxElements ?? MIN_ELEMENTS;
  // matmul or matmulSum: the addon's above the work threshold, the reference's below it.
  const product =
    (kernel: 'matmul' | 'matmulSum'): Backend['matmul'] =>
    (a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride) => {
      const args = [batch, m, n, k, transA, transB, aBatchStride, bBatchStride] as const;
      if (sameFloat(a, b, out) && out.length > 0 && batch * m * n * k >= MIN_MATMUL_WORK)
        addon[kernel](a as Float, b as Float, out as Float, ...args);
      else js[kernel](a, b, out, ...args);
    };
  const kernels = {
    ...js,
    name: 'native',
    matmul: product('matmul'),
    matmulSum: product('matmulSum'),
    unary(op, x, out) {
      const min = COSTLY.has(op) ? MIN_COSTLY : MIN_ELEMENTS;
      if (UNARY.has(op) && x.length >= min && x.length > 0 && sameFloat(x, out))
        addon.unary(op as 'tanh', x as Float, out as Float);
      else js.unary(op, x, out);
    },
    binary(op, a, aStrides, b, bStrides, out, outShape) {
      if (
        BINARY.has(op) &&
        out.length >= MIN_EXACT &&
        out.length > 0 &&
        a.length === out.length &&
        sameFloat(a, b, out) &&
        packed(outShape, aStrides)
      ) {
        if (b.length === out.length && packed(outShape, bStrides))
          return addon.binarySame(op as 'add', a as Float, b as Float, out as Float);
        const cols = outShape[outShape.length - 1];
        if (b.length === cols && rowBroadcast(outShape, bStrides))
          return addon.binaryRow(
            op as 'add',
            a as Float,
            b as Float,
            out as Float,
            out.length / cols,
            cols,
          );
      }
      js.binary(op, a, aStrides, b, bStrides, out, outShape);
    },
    reduce(op, x, shape, axes, out) {
      if (op === 'sum' && shape.length === 2 && x.length >= MIN_EXACT && sameFloat(x, out)) {
        const [rows, cols] = shape;
        if (axes.length === 1 && axes[0] === 1)
          return addon.sumRows(x as Float, rows, cols, out as Float);
        if (axes.length === 1 && axes[0] === 0)
          return addon.sumAxis0(x as Float, rows, cols, out as Float);
      }
      js.reduce(op, x, shape, axes, out);
    },
    logSoftmax(x, outer, size, inner, out) {
      if (inner === 1 && x.length >= MIN_SOFTMAX && x.length > 0 && sameFloat(x, out))
        addon.logSoftmaxRows(x as Float, outer, size, out as Float);
      else js.logSoftmax(x, outer, size, inner, out);
    },
    sgdStep(w, g, buf, h) {
      if (w.length >= MIN_ELEMENTS && sameFloat(w, g, buf))
        addon.sgdStep(w as Float, g as Float, buf as Float | null, h);
      else js.sgdStep(w, g, buf, h);
    },
    adamStep(w, g, m, v, vmax, h) {
      if (w.length >= MIN_ELEMENTS && sameFloat(w, g, m, v, vmax))
        addon.adamStep(w as Float, g as Float, m as Float, v as Float, vmax as Float | null, h);
      else js.adamStep(w, g, m, v, vmax, h);
    },
    adagradStep(w, g, sum, h) {
      if (w.length >= MIN_ELEMENTS && sameFloat(w, g, sum))
        addon.adagradStep(w as Float, g as Float, sum as Float, h);
      else js.adagradStep(w, g, sum, h);
    },
    rmspropStep(w, g, v, buf, gradAvg, h) {
      if (w.length >= MIN_ELEMENTS && sameFloat(w, g, v, buf, gradAvg))
        addon.rmspropStep(
          w as Float,
          g as Float,
          v as Float,
          buf as Float | null,
          gradAvg as Float | null,
          h,
        );
      else js.rmspropStep(w, g, v, buf, gradAvg, h);
    },
    im2col(x, g, out) {
      if (out.length >= MIN_ELEMENTS && sameFloat(x, out))
        addon.im2col(x as Float, g, out as Float);
      else js.im2col(x, g, out);
    },
    col2im(cols, g, out) {
      if (cols.length >= MIN_ELEMENTS && sameFloat(cols, out))
        addon.col2im(cols as Float, g, out as Float);
      else js.col2im(cols, g, out);
    },
    maxPool2d(x, g, out, argmax) {
      if (x.length >= MIN_ELEMENTS && sameFloat(x, out))
        addon.maxPool2d(x as Float, g, out as Float, argmax);
      else js.maxPool2d(x, g, out, argmax);
    },
    normalize(x, l, weight, bias, out, mean, variance) {
      if (x.length >= MIN_ELEMENTS && sameFloat(x, weight, bias, out, mean, variance)) {
        const f = (a: TypedArray) => a as Float;
        const [w, b] = [weight as Float | null, bias as Float | null];
        addon.normalize(f(x), l, w, b, f(out), f(mean), f(variance));
      } else js.normalize(x, l, weight, bias, out, mean, variance);
    },
    normalizeBackward(x, g, l, mean, variance, weight, gradInput, gradWeight, gradBias) {
      const arrays = [x, g, mean, variance, weight, gradInput, gradWeight, gradBias] as const;
      if (x.length >= MIN_ELEMENTS && sameFloat(...arrays)) {
        const f = (a: TypedArray) => a as Float;
        addon.normalizeBackward(
          f(x),
          f(g),
          l,
          f(mean),
          f(variance),
          weight as Float | null,
          f(gradInput),
          f(gradWeight),
          f(gradBias),
        );
      } else js.normalizeBackward(x, g, l, mean, variance, weight, gradInput, gradWeight, gradBias);
    },
  } satisfies Backend;
  return Object.freeze({ ...kernels, ...channelKernels(addon, kernels, MIN_ELEMENTS) });
}

/**
 * Registers the native backend when the addon loads and the wasm backend when its module does,
 * and selects the backend the environment asks for (`NABLA_BACKEND`), else native when
 * available, else wasm. Asking for `native` or `wasm` when it is not available is an error naming
 * why; any other unknown name is an error listing the backends.
 */
export function selectBackend(
  env: Readonly<Record<string, string | undefined>> = process.env,
): void {
  checkObject({ where: 'selectBackend' }, 'env', env);
  const name = env.NABLA_BACKEND;
  if (name !== undefined && typeof name !== 'string')
    fail({ where: 'selectBackend' }, 'env.NABLA_BACKEND', 'a backend name', name, TypeError);
  const addon = nativeAddon();
  if (addon !== undefined) registerBackend(nativeBackend(addon));
  const wasm = registerWasmBackend();
  // The default first (native when it loaded, else wasm), so that a bad name leaves it in place.
  if (addon !== undefined || wasm) setBackend(addon !== undefined ? 'native' : 'wasm');
  const wanted = env.NABLA_BACKEND?.trim();
  if (wanted === undefined || wanted === '') return;
  if (wanted === 'native' && addon === undefined) {
    throw new Error(`NABLA_BACKEND=native: ${nativeError()}`);
  }
  if (wanted === 'wasm' && !wasm) throw new Error(`NABLA_BACKEND=wasm: ${wasmError()}`);
  if (getBackend() !== wanted) setBackend(wanted);
}

/**
 * What the Node entry runs when it loads: `selectBackend`, with a bad `NABLA_BACKEND` reported
 * as one line on stderr (the default backend stays) rather than an exception at import time.
 */
export function initBackends(): void {
  const threads = envThreads();
  if (threads !== undefined && Number.isNaN(threads)) {
    const text = JSON.stringify(process.env.NABLA_THREADS);
    process.stderr.write(
      `nabla: NABLA_THREADS=${text} is not a whole number ≥ 1; using every core (${availableParallelism()})\n`,
    );
  } else if (threads !== undefined && nativeAddon() !== undefined) setNumThreads(threads);
  try {
    selectBackend();
  } catch (e) {
    process.stderr.write(`nabla: ${(e as Error).message}; using the ${getBackend()} backend\n`);
  }
}

/**
 * Threads the native kernels may use (like PyTorch's `torch.set_num_threads`); default: all
 * cores, or `NABLA_THREADS`. Large products are split across them; small kernels stay on one.
 * Without the native backend there is one thread, and this is an error naming why.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`setNumThreads: expected a whole number ≥ 1, got ${String(n)}`);
  const addon = nativeAddon();
  if (addon === undefined) throw new Error(`setNumThreads: ${nativeError()}`);
  addon.setThreads(n);
}

/** Threads the native kernels use (1 without the native backend). */
export function getNumThreads(): number {
  return nativeAddon()?.getThreads() ?? 1;
}
