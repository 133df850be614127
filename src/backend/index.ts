import { checkObject, fail } from '../tensor/check.js';
import { engine } from '../tensor/state.js';
import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

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
