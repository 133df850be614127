/**
 * `node:fs` and `node:module` for the runners in the browser: the few files they read at start
 * (a package's version, the operation shapes), bundled in by path suffix.
 */
import opCases from '../../compare/op-cases.json';
import jaxPackage from '../../peers/node_modules/@jax-js/jax/package.json';
import tfjsWasmPackage from '../../peers/node_modules/@tensorflow/tfjs-backend-wasm/package.json';

const FILES = {
  '@jax-js/jax/package.json': jaxPackage,
  '@tensorflow/tfjs-backend-wasm/package.json': tfjsWasmPackage,
  'compare/op-cases.json': opCases,
};

function find(name) {
  const key = Object.keys(FILES).find((k) => String(name).endsWith(k));
  if (key === undefined) throw new Error(`no ${String(name)} in the browser bundle`);
  return FILES[key];
}

export function readFileSync(name) {
  return JSON.stringify(find(name));
}

export function createRequire() {
  const require = (id) => find(id);
  // jaxjs.mjs reads ../package.json beside the entry point it resolves.
  require.resolve = (id) => `/node_modules/${id}/dist/index.js`;
  return require;
}

export default { readFileSync, createRequire };
