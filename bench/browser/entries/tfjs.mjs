/**
 * TF.js in a page: runs bench/peers/tfjs.mjs (the Node runner, bundled with the shims of
 * bench/browser/shims/) on one case. Its `.wasm` files are served beside the page (no network);
 * the threaded build is used when the page is cross-origin isolated, which the result says.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { start } from '../shims/process.mjs';

/** The WebGL renderer's name (SwiftShader without a GPU). */
function renderer() {
  const gl = globalThis.document.createElement('canvas').getContext('webgl2');
  if (gl === null) return 'no WebGL 2';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info === null ? gl.RENDERER : info.UNMASKED_RENDERER_WEBGL));
}

export async function run(config) {
  setWasmPaths(config.wasmBase);
  // Left to itself the threaded build runs one thread here: ask for one per core, as a user would.
  if (globalThis.crossOriginIsolated) setThreadsCount(globalThis.navigator.hardwareConcurrency);
  const done = start(config);
  await import('../../peers/tfjs.mjs');
  const result = await done;
  const page = { crossOriginIsolated: globalThis.crossOriginIsolated, tfjs: tf.version.tfjs };
  if (config.backend === 'wasm') page.threads = getThreadsCount();
  if (config.backend === 'webgl') page.renderer = renderer();
  return { ...result, page };
}
