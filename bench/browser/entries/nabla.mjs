/**
 * nabla in a page: runs bench/peers/nabla.mjs (the Node runner, bundled with the shims of
 * bench/browser/shims/, its `dist/node.js` import mapped to the browser entry `dist/index.js`) on
 * one backend and case. A backend other than `js` needs the library's `ready()` (loading
 * WebAssembly is asynchronous in a browser) and `setBackend` to accept it; a build without them
 * answers `{ notAvailable }` instead of a result.
 */
import * as nabla from '../../../dist/index.js';
import { start } from '../shims/process.mjs';

/** Why `backend` cannot be used in this build, or undefined once it is ready. */
async function unavailable(backend) {
  if (backend === 'js') return undefined;
  // Read by name: a build without the export must load, and answer why it cannot run.
  const ready = Reflect.get(nabla, 'ready');
  if (typeof ready !== 'function') return 'the library has no ready() export';
  try {
    await ready();
    nabla.setBackend(backend);
  } catch (e) {
    return `setBackend(${JSON.stringify(backend)}): ${e?.message ?? String(e)}`;
  }
  return undefined;
}

export async function run(config) {
  const why = await unavailable(config.backend);
  if (why !== undefined) return { notAvailable: why };
  const done = start(config, { NABLA_BACKEND: config.backend });
  await import('../../peers/nabla.mjs');
  const result = await done;
  const page = {
    crossOriginIsolated: globalThis.crossOriginIsolated,
    backends: nabla.listBackends(),
    // Read by name, as ready(): the wasm backend's threads, in a build that reports them.
    ...(config.backend === 'wasm' && typeof Reflect.get(nabla, 'getWasmThreads') === 'function'
      ? { threads: Reflect.get(nabla, 'getWasmThreads')() }
      : {}),
  };
  return { ...result, page };
}
