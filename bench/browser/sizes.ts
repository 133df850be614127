/**
 * The browser bundle's size of each library, as a user's bundler would ship it: its entry bundled
 * and minified by esbuild (ES module, for browsers), gzip'd at level 9, and the `.wasm` files the
 * page fetches beside it, gzip'd too. KB are 1,024 bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { formatTable } from '../report.js';

/** One library's bundle: minified JavaScript and `.wasm`, raw and gzip'd, in KB. */
export interface BundleSize {
  label: string;
  /** What was bundled, and which `.wasm` files count. */
  what: string;
  jsKB: number;
  jsGzipKB: number;
  wasmKB: number;
  wasmGzipKB: number;
  /** JavaScript loaded at start and `.wasm`, both gzip'd: what goes over the wire. */
  totalGzipKB: number;
  /** Chunks loaded on first use only (a dynamic `import()`), gzip'd. */
  lazyGzipKB: number;
}

const KB = 1024;

/** The size of gzip's output for `bytes` (level 9). */
export function gzipSize(bytes: Uint8Array): number {
  return gzipSync(bytes, { level: 9 }).length;
}

/** The sizes of a bundle: its JavaScript (loaded at start, and on first use) and `.wasm` files. */
export function bundleSize(
  label: string,
  what: string,
  js: Chunks,
  wasm: readonly Uint8Array[],
): BundleSize {
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  const jsGzip = sum(js.initial.map(gzipSize));
  const wasmGzip = sum(wasm.map(gzipSize));
  return {
    label,
    what,
    jsKB: sum(js.initial.map((b) => b.length)) / KB,
    jsGzipKB: jsGzip / KB,
    wasmKB: sum(wasm.map((b) => b.length)) / KB,
    wasmGzipKB: wasmGzip / KB,
    totalGzipKB: (jsGzip + wasmGzip) / KB,
    lazyGzipKB: sum(js.lazy.map(gzipSize)) / KB,
  };
}

/**
 * The `.wasm` file names a bundle's text mentions (a `new URL('kernels.wasm', import.meta.url)`,
 * a `fetch('x.wasm')`), each once, in order of appearance.
 */
export function referencedWasm(text: string): string[] {
  const names = [...text.matchAll(/[\w.-]+\.wasm\b/g)].map((m) => m[0]);
  return [...new Set(names)];
}

/** What esbuild's metafile says of each output file: the files it imports, and how. */
export type Outputs = Record<string, { imports: readonly { path: string; kind: string }[] }>;

/**
 * The output files a page loads at start: the entry and what it imports statically, transitively.
 * Chunks reached only through a dynamic `import()` are loaded on first use (nabla's Graphviz).
 */
export function initialFiles(outputs: Outputs, entry: string): string[] {
  const seen = new Set<string>([entry]);
  const todo = [entry];
  while (todo.length > 0) {
    for (const i of outputs[todo.pop()!]?.imports ?? []) {
      if (i.kind !== 'import-statement' || seen.has(i.path)) continue;
      seen.add(i.path);
      todo.push(i.path);
    }
  }
  return [...seen];
}

/** A bundle's JavaScript, split as a bundler splits it: loaded at start, and on first use. */
export interface Chunks {
  initial: Uint8Array[];
  lazy: Uint8Array[];
}

/** What to bundle: a file, or a module's text (`source`) whose imports resolve from `dir`. */
export type Entry = { file: string } | { source: string; dir: string };

/** `source` (a module's text) or `file` bundled and minified for the browser, code split. */
async function minified(entry: Entry): Promise<Chunks> {
  const input =
    'file' in entry
      ? { entryPoints: { entry: entry.file } }
      : {
          stdin: {
            contents: entry.source,
            resolveDir: entry.dir,
            loader: 'js' as const,
            sourcefile: 'entry.js',
          },
        };
  const out = await build({
    ...input,
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/sizes',
    entryNames: 'entry',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const outputs = out.metafile.outputs;
  const entryOut = Object.keys(outputs).find((k) => outputs[k].entryPoint !== undefined)!;
  const initial = new Set(initialFiles(outputs, entryOut));
  const bytes = (keep: boolean): Uint8Array[] =>
    out.outputFiles
      .filter((f) => f.path.endsWith('.js'))
      .filter((f) => initial.has(path.relative(process.cwd(), f.path)) === keep)
      .map((f) => f.contents);
  return { initial: bytes(true), lazy: bytes(false) };
}

/** Where the peers are installed, and the library's sources. */
export interface SizePaths {
  root: string;
  peers: string;
  /** Finds the library's `.wasm` files by name (bench/browser/bundle.ts's `wasmFiles`). */
  wasmFiles: (names: readonly string[]) => string[];
}

/**
 * nabla's bundles: the core entry (`nabla`, src/index.ts: what training in a page needs), and the
 * core with `nabla/viz` (pictures, explanations, plots), a page that imports both.
 */
export function nablaEntries(root: string): { label: string; what: string; entry: Entry }[] {
  const source = "export * from './src/index.ts'; export * from './src/viz.ts';";
  return [
    { label: 'nabla', what: 'src/index.ts', entry: { file: path.join(root, 'src', 'index.ts') } },
    { label: 'nabla + viz', what: 'src/index.ts + src/viz.ts', entry: { source, dir: root } },
  ];
}

const read = (f: string): Uint8Array => readFileSync(f);
const wasmNote = (files: readonly string[]): string =>
  files.length === 0 ? 'no .wasm' : files.map((f) => path.basename(f)).join(', ');

/** nabla's bundles, each with the library's `.wasm` files its JavaScript names. */
export async function measureNabla(p: Omit<SizePaths, 'peers'>): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const { label, what, entry } of nablaEntries(p.root)) {
    const js = await minified(entry);
    const text = [...js.initial, ...js.lazy].map((b) => new TextDecoder().decode(b));
    const wasm = p.wasmFiles(referencedWasm(text.join('\n')));
    sizes.push(bundleSize(label, `${what}; ${wasmNote(wasm)}`, js, wasm.map(read)));
  }
  return sizes;
}

/** nabla's bundles (measureNabla), then the peers'. */
export async function measureBundles(p: SizePaths): Promise<BundleSize[]> {
  const tfWasmDir = path.join(p.peers, '@tensorflow', 'tfjs-backend-wasm', 'dist');
  const simd = path.join(tfWasmDir, 'tfjs-backend-wasm-simd.wasm');
  const threaded = path.join(tfWasmDir, 'tfjs-backend-wasm-threaded-simd.wasm');
  const peer = (source: string): Promise<Chunks> => minified({ source, dir: p.peers });
  const tfjs = "export * from '@tensorflow/tfjs';";
  const tfWasm = `${tfjs} export * from '@tensorflow/tfjs-backend-wasm';`;
  return [
    ...(await measureNabla(p)),
    bundleSize(
      'TF.js + wasm',
      `@tensorflow/tfjs + tfjs-backend-wasm; ${wasmNote([simd])}`,
      await peer(tfWasm),
      [read(simd)],
    ),
    bundleSize(
      'TF.js + wasm threads',
      `the same; ${wasmNote([threaded])}`,
      await peer(tfWasm),
      existsSync(threaded) ? [read(threaded)] : [],
    ),
    bundleSize(
      'TF.js',
      '@tensorflow/tfjs (cpu and webgl backends); no .wasm',
      await peer(tfjs),
      [],
    ),
    bundleSize(
      'jax-js',
      '@jax-js/jax (makes its WebAssembly at run time); no .wasm',
      await peer("export * from '@jax-js/jax';"),
      [],
    ),
  ];
}

/** Prints the sizes, one row per bundle. */
export function printSizes(sizes: readonly BundleSize[]): void {
  const kb = (v: number): string => v.toFixed(1);
  console.log(
    '\nbrowser bundle (esbuild --minify --splitting, gzip -9; KB = 1,024 bytes; total: loaded at start)',
  );
  console.log(
    formatTable(
      [
        'bundle',
        'JS min',
        'JS gzip',
        '.wasm',
        '.wasm gzip',
        'total gzip',
        'on first use, gzip',
        'what',
      ],
      sizes.map((s) => [
        s.label,
        ...[s.jsKB, s.jsGzipKB, s.wasmKB, s.wasmGzipKB, s.totalGzipKB, s.lazyGzipKB].map(kb),
        s.what,
      ]),
    ),
  );
}
