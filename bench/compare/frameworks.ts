/**
 * Every framework the comparisons know, by id (the ids `--peers` takes), and the ones that cannot
 * be measured here with the reason the tables print.
 */
import type { Framework } from './types.js';

/** The frameworks bench/compare.ts and bench/cnn.ts can run, in their table order. */
export const FRAMEWORKS: readonly Framework[] = [
  { id: 'nabla-js', label: 'nabla js', kind: 'nabla', backend: 'js' },
  { id: 'nabla-native', label: 'nabla native', kind: 'nabla', backend: 'native' },
  // The addon on one thread (NABLA_THREADS=1), in the same rounds as its default thread count.
  {
    id: 'nabla-native-1t',
    label: 'nabla native 1t',
    kind: 'nabla',
    backend: 'native',
    threads: 1,
  },
  // The WebAssembly backend in Node (what a machine without a C++ compiler trains on).
  { id: 'nabla-wasm', label: 'nabla wasm', kind: 'nabla', backend: 'wasm' },
  { id: 'tfjs-wasm', label: 'TF.js wasm', kind: 'tfjs', backend: 'wasm' },
  { id: 'tfjs-cpu', label: 'TF.js cpu', kind: 'tfjs', backend: 'cpu' },
  { id: 'jaxjs', label: 'jax-js wasm', kind: 'jaxjs' },
  { id: 'pytorch', label: 'PyTorch', kind: 'torch' },
];

/**
 * Frameworks that are never run, and why: `@tensorflow/tfjs-node`'s install script
 * (`node scripts/install.js`) downloads libtensorflow from storage.googleapis.com, which the
 * peers' `npm ci --ignore-scripts` neither runs nor could reach without network.
 */
export const NOT_MEASURED: Readonly<Record<string, { label: string; why: string }>> = {
  'tfjs-node': {
    label: 'TF.js node',
    why: 'not measured: @tensorflow/tfjs-node downloads libtensorflow in its install script (no network for it here)',
  },
};

/** The frameworks of `ids` (comma-separated), in table order; throws on an unknown id. */
export function frameworksById(ids: string): { frameworks: Framework[]; notMeasured: string[] } {
  const wanted = ids.split(',').filter((s) => s !== '');
  for (const id of wanted) {
    if (!FRAMEWORKS.some((f) => f.id === id) && NOT_MEASURED[id] === undefined) {
      const known = [...FRAMEWORKS.map((f) => f.id), ...Object.keys(NOT_MEASURED)];
      throw new Error(`unknown peer ${id}; known: ${known.join(', ')}`);
    }
  }
  return {
    frameworks: FRAMEWORKS.filter((f) => wanted.includes(f.id)),
    notMeasured: wanted.filter((id) => NOT_MEASURED[id] !== undefined),
  };
}
