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

const registry = new Map<string, Backend>([[jsBackend.name, jsBackend]]);

/** The backend every operation runs its kernels on. */
const active = { backend: jsBackend as Backend };

/** The active kernel backend. */
export function backend(): Backend {
  return active.backend;
}

/** The name of the active backend (`js` is the reference TypeScript backend). */
export function getBackend(): string {
  return active.backend.name;
}

/** Selects a registered backend by name. */
export function setBackend(name: string): void {
  const found = registry.get(name);
  if (found === undefined) {
    throw new Error(
      `setBackend: no backend named ${JSON.stringify(name)}; available: ${[...registry.keys()].join(', ')}`,
    );
  }
  active.backend = found;
}

/** Makes a backend available to `setBackend`. */
export function registerBackend(b: Backend): void {
  registry.set(b.name, b);
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...registry.keys()];
}
