/**
 * The columns of the browser benchmark: nabla's backends and the peers, each with whether its
 * page is cross-origin isolated (threads for WebAssembly) and the entry (bench/browser/entries/)
 * that runs it.
 */
import type { CaseName, Framework } from '../compare/types.js';

/** A framework in a page: isolated (served with COOP/COEP) or not. */
export interface BrowserFramework extends Framework {
  kind: 'nabla' | 'tfjs' | 'jaxjs';
  backend?: string;
  isolated: boolean;
}

/** The frameworks, in table order (the ids `--peers` takes). */
export const BROWSER_FRAMEWORKS: readonly BrowserFramework[] = [
  { id: 'nabla-js', label: 'nabla js', kind: 'nabla', backend: 'js', isolated: true },
  { id: 'nabla-wasm', label: 'nabla wasm', kind: 'nabla', backend: 'wasm', isolated: true },
  {
    id: 'nabla-wasm-1t',
    label: 'nabla wasm',
    kind: 'nabla',
    backend: 'wasm',
    isolated: false,
  },
  { id: 'tfjs-wasm', label: 'TF.js wasm', kind: 'tfjs', backend: 'wasm', isolated: true },
  {
    id: 'tfjs-wasm-1t',
    label: 'TF.js wasm',
    kind: 'tfjs',
    backend: 'wasm',
    isolated: false,
  },
  { id: 'tfjs-webgl', label: 'TF.js webgl', kind: 'tfjs', backend: 'webgl', isolated: false },
  { id: 'tfjs-cpu', label: 'TF.js cpu', kind: 'tfjs', backend: 'cpu', isolated: false },
  { id: 'jaxjs', label: 'jax-js wasm', kind: 'jaxjs', isolated: true },
];

/** The cases, in table order. */
export const BROWSER_CASES: readonly CaseName[] = ['gemm', 'mlp-sgd', 'mlp-adam', 'tiny', 'lenet'];

/** Sizes of the GEMM in the browser. */
export const BROWSER_GEMM_SIZES = [256, 512, 1024];

/** Why a framework has no runner for a case (the table prints it), or undefined. */
export function noRunner(fw: BrowserFramework, c: CaseName): string | undefined {
  return fw.kind === 'jaxjs' && c === 'lenet'
    ? 'no LeNet-5 in bench/peers/jaxjs.mjs (the Node comparison has none either)'
    : undefined;
}

/** The frameworks of `ids` (comma-separated), in table order; throws on an unknown id. */
export function browserFrameworks(ids: string): BrowserFramework[] {
  const wanted = ids.split(',').filter((s) => s !== '');
  const unknown = wanted.filter((id) => !BROWSER_FRAMEWORKS.some((f) => f.id === id));
  if (unknown.length > 0) {
    const known = BROWSER_FRAMEWORKS.map((f) => f.id).join(', ');
    throw new Error(`browser: unknown peer ${unknown.join(', ')}; known: ${known}`);
  }
  return BROWSER_FRAMEWORKS.filter((f) => wanted.includes(f.id));
}
