/**
 * One framework × case in a fresh page of headless Chromium: the page is opened on the local
 * server (isolated or not), imports the framework's entry and awaits its `run(config)`, whose
 * result is the Node runner's RESULT. A framework that lacks the case's kernels, or a nabla build
 * without the backend, is a gap the table names rather than a failure.
 */
import type { BrowserContext } from 'playwright-core';
import { childConfig } from '../compare/child.js';
import type { CaseName, ChildResult, Run } from '../compare/types.js';
import { BROWSER_GEMM_SIZES, type BrowserFramework } from './frameworks.js';

/** A run that could not happen for a reason of the framework's own: not a failure. */
export type Gap = 'not available in this build' | 'cannot run';

/** One framework × case in a page: the run, and whether its failure is a gap. */
export interface BrowserRun extends Run {
  gap?: Gap;
}

/** A case takes 5–60 s; a page still running after this is stuck (BROWSER_BENCH_TIMEOUT_S). */
const PAGE_TIMEOUT_MS = Number(process.env.BROWSER_BENCH_TIMEOUT_S ?? 180) * 1000;

/** The error of a framework without a kernel the case needs (TF.js-WASM's convolution gradients). */
const MISSING_KERNEL = /kernel '?\w+'? not registered|not registered for backend/i;

/** The server and browser the runs share. */
export interface Rig {
  context: BrowserContext;
  origin: string;
}

/** The page's path prefix: isolated (COOP/COEP) or plain. */
function prefix(fw: BrowserFramework): string {
  return fw.isolated ? 'iso' : 'plain';
}

/**
 * Run lengths on WebGL: a step there only queues work for the GPU (SwiftShader here: the CPU), so
 * a timed window of 1 s queues far more than it runs and the read that ends it waits for them all
 * (an MLP window took 13 s, a LeNet-5 window of 3 s 260 s). Windows of a few whole steps instead.
 */
const WEBGL_STEPS: Partial<Record<CaseName, object>> = {
  'mlp-sgd': { warmupMs: 0, windowMs: 0, windows: 3, minSteps: 8 },
  'mlp-adam': { warmupMs: 0, windowMs: 0, windows: 3, minSteps: 8 },
  lenet: { warmupMs: 0, windowMs: 0, windows: 1, minSteps: 3 },
};

/** What the page's entry gets: the case's run lengths (as in compare), backend, sizes, paths. */
export function pageConfig(fw: BrowserFramework, c: CaseName, origin: string): object {
  return {
    ...childConfig(fw, c),
    ...(fw.backend === 'webgl' ? WEBGL_STEPS[c] : {}),
    backend: fw.backend,
    // nabla's runner also times its kernel into a warm output (figures.ts, warmGemmLines).
    ...(c === 'gemm' ? { sizes: BROWSER_GEMM_SIZES, warm: true } : {}),
    wasmBase: `${origin}/${prefix(fw)}/wasm/tfjs/`,
  };
}

/** The error's own line, without Playwright's prefix and the stack. */
export function errorLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text
    .replace(/^page\.evaluate:\s*/, '')
    .replace(/^(Error: )+/, '')
    .split('\n')[0];
}

/** The value, or a rejection after `ms`. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Runs one framework on one case in a new page, closed after. */
export async function runInPage(rig: Rig, fw: BrowserFramework, c: CaseName): Promise<BrowserRun> {
  const base = { framework: fw.id, case: c };
  const page = await rig.context.newPage();
  if (process.env.BROWSER_BENCH_DEBUG) {
    // What a page fetched and logged: where a missing .wasm or a runner's warning shows.
    page.on('response', (r) => console.log('  [resp]', r.status(), r.url()));
    page.on('console', (m) => console.log('  [page]', m.type(), m.text().slice(0, 300)));
  }
  const t0 = performance.now();
  const wall = (): number => (performance.now() - t0) / 1000;
  try {
    await page.goto(`${rig.origin}/${prefix(fw)}/index.html`);
    const config = JSON.stringify(pageConfig(fw, c, rig.origin));
    // A string, so that the TypeScript loader's helpers do not leak into the page.
    const script = `import('./${fw.kind}.js').then((m) => m.run(${config}))`;
    const result = (await within(page.evaluate(script), PAGE_TIMEOUT_MS)) as ChildResult;
    if (typeof result.notAvailable === 'string') {
      const error = `not available in this build: ${result.notAvailable}`;
      return { ...base, ok: false, wallSeconds: wall(), error, gap: 'not available in this build' };
    }
    return { ...base, ok: true, wallSeconds: wall(), result };
  } catch (e) {
    const error = errorLine(e);
    if (error === 'timeout') {
      const hung = `hung: page closed after ${PAGE_TIMEOUT_MS / 1000} s`;
      return { ...base, ok: false, wallSeconds: wall(), error: hung, timedOut: true };
    }
    const gap: Gap | undefined = MISSING_KERNEL.test(error) ? 'cannot run' : undefined;
    return { ...base, ok: false, wallSeconds: wall(), error, ...(gap ? { gap } : {}) };
  } finally {
    await within(page.close(), 10_000).catch(() => undefined);
  }
}
