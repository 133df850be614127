/**
 * The wasm backend in a web page: the core library bundled for the browser (esbuild, ESM), served
 * with wasm/nabla.wasm where the package keeps it, in Chromium (Debian's, via playwright-core).
 * The page starts on `js`, `ready()` brings in `wasm` (fetched beside the bundle through
 * `new URL(…, import.meta.url)`), and a few SGD steps of a small MLP give the losses that Node
 * computes on the reference backend. A page that chooses `js` before the load keeps it.
 */
import { buildSync } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlaygroundServer, type PlaygroundServer } from '../../src/cli/playground.js';
import { crossEntropy, manualSeed, mlp, randn, SGD, tensor } from '../../src/index.js';
import { launchChromium } from '../playground/chromium.js';

const repo = join(import.meta.dirname, '..', '..');

/** The training both sides run: 4 SGD steps of a 20-32-3 ReLU MLP on 16 seeded points. */
const TRAIN = `
  manualSeed(3);
  const model = mlp([20, 32, 3], { activation: 'relu' });
  const opt = new SGD(model.parameters(), { lr: 0.1 });
  const x = randn([16, 20]);
  const y = tensor(Array.from({ length: 16 }, (_, i) => i % 3), { dtype: 'int32' });
  const losses = [];
  for (let step = 0; step < 4; step++) {
    opt.zeroGrad();
    const loss = crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }`;

/** The page's script: the backend before and after ready(), then the training on wasm. */
const PAGE = `
  import { crossEntropy, getBackend, listBackends, manualSeed, mlp, randn, ready, setBackend, SGD, tensor } from './src/index.ts';
  const before = getBackend();
  // ?keep: a backend chosen before the load stays chosen.
  if (location.search === '?keep') setBackend('js');
  const after = await ready();
  globalThis.backends = listBackends();
  ${TRAIN}
  globalThis.result = { before, after, used: getBackend(), losses };`;

/** The same training in Node, on the reference backend. */
function nodeLosses(): number[] {
  const run = new Function(
    'crossEntropy, manualSeed, mlp, randn, SGD, tensor',
    `${TRAIN}; return losses;`,
  ) as (...a: unknown[]) => number[];
  return run(crossEntropy, manualSeed, mlp, randn, SGD, tensor);
}

/** A folder laid out as the package is: the bundle three levels deep, wasm/nabla.wasm at the top. */
function servedFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'nabla-wasm-page-'));
  const bundle = buildSync({
    stdin: { contents: PAGE, resolveDir: repo, loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  mkdirSync(join(root, 'dist', 'backend', 'wasm'), { recursive: true });
  writeFileSync(join(root, 'dist', 'backend', 'wasm', 'app.js'), bundle.outputFiles[0].text);
  mkdirSync(join(root, 'wasm'));
  copyFileSync(join(repo, 'wasm', 'nabla.wasm'), join(root, 'wasm', 'nabla.wasm'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><script type="module" src="/dist/backend/wasm/app.js"></script>',
  );
  return root;
}

describe('the wasm backend in Chromium', () => {
  const open: {
    root?: string;
    server?: PlaygroundServer;
    context?: BrowserContext;
    profile?: string;
  } = {};
  afterAll(async () => {
    await open.context?.close();
    await open.server?.close();
    for (const dir of [open.root, open.profile])
      if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads wasm after ready(), trains as the reference backend does, and keeps a chosen backend', async () => {
    open.root = servedFolder();
    open.server = await startPlaygroundServer({ port: 0, host: '127.0.0.1', root: open.root });
    const { context, profile } = await launchChromium();
    Object.assign(open, { context, profile });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(open.server.url);
    await page.waitForFunction(() => 'result' in globalThis, undefined, { timeout: 30_000 });
    const result = (await page.evaluate(() => (globalThis as { result?: unknown }).result)) as {
      before: string;
      after: string;
      used: string;
      losses: number[];
    };
    expect(errors).toEqual([]);
    expect(result).toMatchObject({ before: 'js', after: 'wasm', used: 'wasm' });
    const reference = nodeLosses();
    expect(result.losses).toHaveLength(4);
    for (let i = 0; i < 4; i++) expect(result.losses[i]).toBeCloseTo(reference[i], 5);
    expect(result.losses[3]).toBeLessThan(result.losses[0]);

    await page.goto(`${open.server.url}?keep`);
    await page.waitForFunction(() => 'result' in globalThis, undefined, { timeout: 30_000 });
    const kept = await page.evaluate(() => {
      const g = globalThis as { result?: { after: string }; backends?: string[] };
      return { after: g.result?.after, backends: g.backends };
    });
    expect(errors).toEqual([]);
    expect(kept).toEqual({ after: 'js', backends: ['js', 'wasm'] });
  });
});
