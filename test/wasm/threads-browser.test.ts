/**
 * The wasm backend's threads in Chromium: a page served with COOP/COEP (cross-origin isolated)
 * gets Web Workers over a shared memory once `ready()` resolves; a product run on 2 threads —
 * the worker taking tasks, the page's main thread spinning for the last — has the bits of the
 * same product on 1 thread, and of Node's single-threaded instance. The same page served without
 * the headers gets the unshared, single-threaded instance, with the same bits again.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { moduleMemory, unsharedBytes } from '../../src/backend/wasm/memory.js';
import { wasmKernels } from '../../src/backend/wasm/module.js';
import { wasmApi } from '../../src/backend/wasm/webassembly.js';
import { launchChromium } from '../playground/chromium.js';

const repo = join(import.meta.dirname, '..', '..');
const wasmBytes = readFileSync(join(repo, 'wasm', 'nabla.wasm'));

/** Products [batch, m, n, k] (A·B, float32), and FNV-1a over a result's 32-bit words. */
const SHARED = `
  export const SHAPES = [[1, 512, 512, 512], [1, 300, 517, 129], [3, 67, 250, 90], [1, 1, 4099, 257]];
  export function product(kernels, [batch, m, n, k]) {
    const a = Float32Array.from({ length: batch * m * k }, (_, i) => Math.sin(i * 0.37));
    const b = Float32Array.from({ length: batch * k * n }, (_, i) => Math.cos(i * 0.11));
    const out = new Float32Array(batch * m * n);
    kernels.product(a, b, out, [batch, m, n, k], [false, false, false], [m * k, k * n]);
    let h = 0x811c9dc5;
    for (const w of new Uint32Array(out.buffer)) h = Math.imul(h ^ w, 16777619) >>> 0;
    return h;
  }`;

/** The page: the public API's view, then the kernels on 2 threads and on 1. */
const PAGE = `
  import { getBackend, getWasmThreads, ready, setWasmThreads } from './src/index.ts';
  import { browserKernels } from './src/backend/wasm/load.ts';
  import { wasmApi } from './src/backend/wasm/webassembly.ts';
  import { SHAPES, product } from './shared.js';
  setWasmThreads(2);
  const name = await ready();
  const threads = getWasmThreads();
  const bytes = new Uint8Array(await (await fetch('/wasm/nabla.wasm')).arrayBuffer());
  const kernels = await browserKernels(wasmApi(), bytes);
  const two = SHAPES.map((s) => product(kernels, s));
  for (let i = 0; i < 4; i++) product(kernels, SHAPES[0]);
  const taken = kernels.threads?.taken() ?? [];
  kernels.threads?.setThreads(1);
  const one = SHAPES.map((s) => product(kernels, s));
  globalThis.result = {
    isolated: globalThis.crossOriginIsolated, name, threads, pool: kernels.threads !== undefined,
    taken, two, one,
  };`;

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Serves the page's bundle and wasm/nabla.wasm, with the isolation headers under /iso/ only. */
async function serve(): Promise<{ server: Server; origin: string }> {
  const built = await build({
    stdin: { contents: PAGE, resolveDir: repo, loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'shared',
        setup(build) {
          build.onResolve({ filter: /^\.\/shared\.js$/ }, () => ({
            path: 'shared',
            namespace: 's',
          }));
          build.onLoad({ filter: /.*/, namespace: 's' }, () => ({
            contents: SHARED,
            loader: 'js',
          }));
        },
      },
    ],
  });
  const bundle = built.outputFiles[0].text;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const isolated = url.pathname.startsWith('/iso/');
    const path = url.pathname.replace(/^\/(iso|plain)\//, '/');
    const headers = isolated ? { ...ISOLATION } : {};
    const files: Record<string, [string, string | Buffer]> = {
      '/': ['text/html', '<!doctype html><script type="module" src="app.js"></script>'],
      '/app.js': ['text/javascript', bundle],
      '/wasm/nabla.wasm': ['application/wasm', wasmBytes],
    };
    const file = files[path];
    res.writeHead(file ? 200 : 404, { ...headers, 'Content-Type': file?.[0] ?? 'text/plain' });
    res.end(file?.[1] ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Node's hashes of the products, on the unshared single-threaded instance. */
async function nodeHashes(): Promise<number[]> {
  const api = wasmApi()!;
  const plain = unsharedBytes(wasmBytes);
  const kernels = wasmKernels(api, new api.Module(plain), moduleMemory(api, plain, false));
  const { SHAPES, product } = (await import(
    `data:text/javascript,${encodeURIComponent(SHARED)}`
  )) as { SHAPES: number[][]; product: (k: unknown, s: number[]) => number };
  return SHAPES.map((s) => product(kernels, s));
}

interface PageResult {
  isolated: boolean;
  name: string;
  threads: number;
  pool: boolean;
  taken: number[];
  two: number[];
  one: number[];
}

describe('the wasm backend on two threads in Chromium', () => {
  const open: { server?: Server; context?: BrowserContext } = {};
  afterAll(async () => {
    await open.context?.close();
    if (open.server) await new Promise((resolve) => open.server?.close(resolve));
  });

  it('an isolated page multiplies on 2 threads with the bits of 1, and a plain page on 1', async () => {
    const { server, origin } = await serve();
    open.server = server;
    const { context } = await launchChromium();
    open.context = context;
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const load = async (prefix: string): Promise<PageResult> => {
      await page.goto(`${origin}/${prefix}/`);
      await page.waitForFunction(() => 'result' in globalThis, undefined, { timeout: 60_000 });
      return (await page.evaluate(() => (globalThis as { result?: unknown }).result)) as PageResult;
    };
    const reference = await nodeHashes();

    const iso = await load('iso');
    expect(errors).toEqual([]);
    expect(iso).toMatchObject({ isolated: true, name: 'wasm', threads: 2, pool: true });
    expect(iso.taken[1]).toBeGreaterThan(0);
    expect(iso.two).toEqual(reference);
    expect(iso.one).toEqual(reference);

    const plain = await load('plain');
    expect(errors).toEqual([]);
    expect(plain).toMatchObject({ isolated: false, name: 'wasm', threads: 1, pool: false });
    expect(plain.two).toEqual(reference);
  });
});
