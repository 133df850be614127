/**
 * jax-js in a page: runs bench/peers/jaxjs.mjs (the Node runner, bundled with the shims of
 * bench/browser/shims/) on one case, on its WebAssembly device. The runner reads every step
 * with `dataSync()`, which makes jax-js run the kernels on the page's own thread even where it
 * has a worker pool (its asynchronous reads use the workers): one thread.
 */
import { start } from '../shims/process.mjs';

export async function run(config) {
  const done = start(config);
  await import('../../peers/jaxjs.mjs');
  const result = await done;
  const page = { crossOriginIsolated: globalThis.crossOriginIsolated, threads: 1 };
  return { ...result, page };
}
