/**
 * The pages' code: each framework's entry (bench/browser/entries/) bundled for the browser with
 * esbuild, the runner of bench/peers/ it imports included, Node's modules mapped to the shims of
 * bench/browser/shims/. One build with code splitting, so that an entry and the runner it imports
 * share one copy of the library (the entry prepares the backend the runner then uses).
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { ROOT } from '../compare/child.js';
import { referencedWasm } from './sizes.js';

const HERE = path.join(ROOT, 'bench', 'browser');
/** The Node modules the runners import, and the shim each becomes. */
const SHIMS: Record<string, string> = {
  'node:process': 'process.mjs',
  'node:console': 'console.mjs',
  'node:perf_hooks': 'perf_hooks.mjs',
  'node:url': 'url.mjs',
  'node:path': 'path.mjs',
  'node:fs': 'files.mjs',
  'node:module': 'files.mjs',
};
/** The entries, by the kind of framework they run. */
export const ENTRIES = { nabla: 'nabla', tfjs: 'tfjs', jaxjs: 'jaxjs' } as const;

/** Maps Node's modules to the shims, and nabla's Node entry to its browser entry. */
function shimPlugin(): Plugin {
  return {
    name: 'browser-shims',
    setup(b) {
      b.onResolve({ filter: /^node:/ }, (args) => {
        const shim = SHIMS[args.path];
        if (shim === undefined) return { errors: [{ text: `no browser shim for ${args.path}` }] };
        return { path: path.join(HERE, 'shims', shim) };
      });
      b.onResolve({ filter: /\/dist\/node\.js$/ }, () => ({
        path: path.join(ROOT, 'dist', 'index.js'),
      }));
    },
  };
}

/**
 * Bundles the entries into `outDir` (ES modules, minified) and copies beside them any `.wasm`
 * file the bundles name that dist/ or wasm/ holds (a `new URL('x.wasm', import.meta.url)` in the library).
 */
export async function bundleEntries(outDir: string): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) {
    throw new Error('browser: dist/index.js is missing: run `npm run build` first');
  }
  await build({
    entryPoints: Object.values(ENTRIES).map((e) => path.join(HERE, 'entries', `${e}.mjs`)),
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    logLevel: 'warning',
    nodePaths: [path.join(ROOT, 'bench', 'peers', 'node_modules')],
    plugins: [shimPlugin()],
  });
  const js = readdirSync(outDir).filter((f) => f.endsWith('.js'));
  // The library finds its module at `../../../wasm/nabla.wasm` from dist/backend/wasm/, which a
  // bundler that does not emit assets (esbuild) leaves as is: point it beside the bundle, where
  // the module is copied, as Vite does.
  for (const f of js) {
    const file = path.join(outDir, f);
    const code = readFileSync(file, 'utf8');
    const moved = code.replace(
      /new URL\((["'])(?:\.\.\/)+wasm\/([\w-]+\.wasm)\1/g,
      'new URL($1./$2$1',
    );
    if (moved !== code) writeFileSync(file, moved);
  }
  const text = js.map((f) => readFileSync(path.join(outDir, f), 'utf8')).join('\n');
  for (const file of wasmFiles(referencedWasm(text))) {
    copyFileSync(file, path.join(outDir, path.basename(file)));
  }
}

/** The files under dist/ and wasm/ with the given names (the library's `.wasm`). */
export function wasmFiles(names: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (names.includes(e.name)) found.push(p);
    }
  };
  for (const dir of [path.join(ROOT, 'dist'), path.join(ROOT, 'wasm')])
    if (existsSync(dir)) walk(dir);
  return found;
}
