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
  const found = engine.backends.get(name);
  if (found === undefined) {
    throw new Error(
      `setBackend: no backend named ${JSON.stringify(name)}; available: ${listBackends().join(', ')}`,
    );
  }
  engine.backend = found;
}

/** Makes a backend available to `setBackend`. */
export function registerBackend(b: Backend): void {
  engine.backends.set(b.name, b);
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...engine.backends.keys()];
}
