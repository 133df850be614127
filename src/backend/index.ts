import { checkObject, fail } from '../tensor/check.js';
import { engine } from '../tensor/state.js';
import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';
import { loadWasmBackend } from './wasm/load.js';

export type {
  AdagradStep,
  AdamStep,
  Backend,
  BinaryKernel,
  ReduceKernel,
  RMSpropStep,
  SGDStep,
  UnaryKernel,
  Window2d,
} from './backend.js';

/*
 * The registry and the active backend are kept in `engine` (tensor/state.ts), the one home of the
 * library's global state. That layer sees a backend only by its name; every backend stored there
 * comes through `registerBackend`, so reading one back as a `Backend` is safe.
 */
engine.backends.set(jsBackend.name, jsBackend);
engine.backend = jsBackend;

/**
 * Whether this runs in Node: there the Node entry chooses the backend, synchronously (node.ts);
 * elsewhere the core loads the wasm backend itself. (`process` is only looked at, never imported.)
 */
const inNode =
  (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node !==
  undefined;

/**
 * A one-time load, like the native addon's: whether `setBackend` was called, so that the wasm
 * backend, when it arrives, replaces only the default and never a backend the user chose.
 */
const loading = { chosen: false };

/** The browser's load: wasm when the engine has WebAssembly SIMD and the module loads. */
const best: Promise<string> = inNode
  ? Promise.resolve('')
  : loadWasmBackend().then((wasm) => {
      if (wasm === undefined) return '';
      registerBackend(wasm);
      if (!loading.chosen) engine.backend = wasm;
      return wasm.name;
    });

/**
 * Resolves, with the active backend's name, once the best backend available has loaded: in a
 * browser, `wasm` when WebAssembly SIMD is there (the module is fetched and compiled in the
 * background), else `js`; in Node it resolves at once (the Node entry has already chosen: native
 * when the addon loads, else wasm, else js). Before it resolves, everything works on the `js`
 * backend; a backend chosen with `setBackend` in the meantime is kept.
 *
 * @example
 * ```ts
 * const name = await ready(); // 'wasm' in a browser with WebAssembly SIMD
 * const y = tensor([[1, 2]]).matmul(tensor([[3], [4]])); // runs on `name`'s kernels
 * ```
 */
export async function ready(): Promise<string> {
  await best;
  return getBackend();
}

/** The active kernel backend. */
export function backend(): Backend {
  return engine.backend as Backend;
}

/** The name of the active backend (`js` is the reference TypeScript backend). */
export function getBackend(): string {
  return engine.backend.name;
}

/** Selects a registered backend by name. */
export function setBackend(name: string): void {
  if (typeof name !== 'string') {
    fail({ where: 'setBackend' }, 'name', 'the name of a registered backend', name, TypeError);
  }
  const found = engine.backends.get(name);
  if (found === undefined) {
    throw new Error(
      `setBackend: no backend named ${JSON.stringify(name)}; available: ${listBackends().join(', ')}`,
    );
  }
  loading.chosen = true;
  engine.backend = found;
}

/** The kernels every backend must provide: those of the reference backend. */
const KERNELS = Object.keys(jsBackend).filter((k) => k !== 'name') as (keyof Backend)[];

/**
 * Makes a backend available to `setBackend`. It must have a non-empty `name` and every kernel of
 * the `Backend` interface as a function; a faster backend usually spreads the reference one
 * (`{ ...jsBackend, name: 'fast', matmul }`) and replaces the kernels it speeds up.
 */
export function registerBackend(b: Backend): void {
  const ctx = { where: 'registerBackend' };
  checkObject(ctx, 'backend', b);
  if (typeof b.name !== 'string' || b.name === '') {
    fail(ctx, 'backend.name', 'a non-empty string', b.name, TypeError);
  }
  for (const kernel of KERNELS) {
    if (typeof b[kernel] !== 'function') {
      fail(ctx, `backend.${kernel}`, 'a function (every kernel of Backend)', b[kernel], TypeError);
    }
  }
  engine.backends.set(b.name, b);
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...engine.backends.keys()];
}
