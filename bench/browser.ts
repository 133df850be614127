/**
 * nabla side by side with TensorFlow.js and jax-js in headless Chromium: nabla's `js` and `wasm`
 * backends, TF.js on `wasm` (SIMD, with threads in a cross-origin isolated page and without),
 * `webgl` (SwiftShader here: no GPU) and `cpu`, and jax-js's WebAssembly device. Cases: GEMM
 * GFLOP/s (256…1024), the 784-256-128-10 MLP with SGD and Adam, the tiny 2-16-16-2 network and
 * LeNet-5 (steps/s), and each library's browser bundle (min + gzip, JavaScript and `.wasm`).
 *
 * The Node runners of bench/peers/ are bundled for the browser (bench/browser/bundle.ts), served
 * by a local server (bench/browser/server.ts) and run one framework × case per fresh page, in the
 * rounds of bench/compare (order rotated from round to round; medians and spreads; the load
 * average of each round). A peer that was asked for and cannot run makes it exit non-zero; a
 * nabla build without the `wasm` backend, or a framework lacking a kernel a case needs, is a gap
 * the table names instead.
 *
 *   npm run bench -- browser [--rounds 3] [--peers nabla-js,tfjs-wasm,…] [--cases gemm,tiny,…]
 *
 * Results: bench/results/browser.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './compare/child.js';
import { printFigures, tableJson } from './compare/figures.js';
import { ensurePeers } from './compare/peers.js';
import { ratioRows } from './compare/ratios.js';
import { failureLines, roundLine, runRoundsAsync } from './compare/rounds.js';
import { finder } from './compare/runs.js';
import type { CaseName } from './compare/types.js';
import { bundleEntries, wasmFiles } from './browser/bundle.js';
import { launchBrowser } from './browser/chromium.js';
import {
  BROWSER_PEER_LABELS,
  browserColumns,
  browserLines,
  gapLines,
  pageLines,
} from './browser/figures.js';
import {
  BROWSER_CASES,
  BROWSER_FRAMEWORKS,
  browserFrameworks,
  noRunner,
  type BrowserFramework,
} from './browser/frameworks.js';
import { type BrowserRun, runInPage, type Rig } from './browser/page.js';
import { describeRun } from './browser/progress.js';
import { startServer } from './browser/server.js';
import { measureBundles, printSizes } from './browser/sizes.js';
import { environment, isMain, printFooter, printHeader, writeResults } from './report.js';

const PEERS_DIR = path.join(ROOT, 'bench', 'peers', 'node_modules');

/** The command line: rounds, the frameworks asked for, the cases. */
function options(argv: string[]): { rounds: number; peers: string; cases: CaseName[] } {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string', default: '3' },
      peers: { type: 'string', default: BROWSER_FRAMEWORKS.map((f) => f.id).join(',') },
      cases: { type: 'string', default: BROWSER_CASES.join(',') },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('browser: --rounds must be ≥ 1');
  const cases = values.cases.split(',') as CaseName[];
  const unknown = cases.filter((c) => !BROWSER_CASES.includes(c));
  if (unknown.length > 0) throw new Error(`browser: unknown case ${unknown.join(', ')}`);
  return { rounds, peers: values.peers, cases };
}

/** The rounds in one browser, against one server, over freshly bundled runners. */
async function measure(
  frameworks: readonly BrowserFramework[],
  cases: readonly CaseName[],
  rounds: number,
) {
  const bundleDir = mkdtempSync(path.join(os.tmpdir(), 'nabla-browser-bench-'));
  await bundleEntries(bundleDir);
  const tfjsWasm = path.join(PEERS_DIR, '@tensorflow', 'tfjs-backend-wasm', 'dist');
  const server = await startServer({ bundle: bundleDir, tfjsWasm });
  const browser = await launchBrowser();
  try {
    const rig: Rig = { context: await browser.newContext(), origin: server.origin };
    console.log(`Chromium ${browser.version()} (headless), pages served at ${server.origin}`);
    const result = await runRoundsAsync({
      frameworks,
      cases,
      rounds,
      run: (fw, c) => runInPage(rig, fw, c),
      applies: (fw, c) => noRunner(fw, c) === undefined,
      report: (run, fw) =>
        console.log(`  ${run.case.padEnd(8)} ${fw.id.padEnd(14)} ${describeRun(run)}`),
    });
    return { ...result, chromium: browser.version() };
  } finally {
    await browser.close();
    await server.close();
    rmSync(bundleDir, { recursive: true, force: true });
  }
}

/** Runs the browser benchmark; writes bench/results/browser.json. */
export async function run(argv = process.argv.slice(2)): Promise<unknown> {
  const opts = options(argv);
  const env = environment();
  const frameworks = browserFrameworks(opts.peers);
  printHeader('browser: nabla beside TF.js and jax-js in headless Chromium', env);
  const peers = ensurePeers();
  if (!peers.ok) throw new Error(`browser: ${peers.note ?? 'the peers could not be installed'}`);
  const { runs, rounds, chromium } = await measure(frameworks, opts.cases, opts.rounds);
  const loadAfter = os.loadavg();
  const browserRuns = runs as BrowserRun[];

  const lines = browserLines(finder(runs), browserRuns, frameworks, opts.cases);
  const columns = browserColumns(frameworks, runs);
  printFigures(lines, columns);
  for (const g of gapLines(browserRuns, frameworks, opts.cases)) console.log(`  ${g}`);
  for (const p of pageLines(frameworks, runs)) console.log(`  ${p}`);
  // nabla's columns that measured anything (not a build without the wasm backend).
  const nablaIds = frameworks
    .filter((f) => f.kind === 'nabla' && runs.some((r) => r.framework === f.id && r.ok))
    .map((f) => f.id);
  const ratios = ratioRows(lines, columns, nablaIds, BROWSER_PEER_LABELS);
  const sizes = await measureBundles({ root: ROOT, peers: PEERS_DIR, wasmFiles });
  printSizes(sizes);
  console.log(`\nChromium ${chromium}`);
  for (const r of rounds) console.log(roundLine(r));
  console.log(`after: load ${loadAfter.map((l) => l.toFixed(1)).join(' ')}`);

  // A gap (no wasm backend in this build, a kernel the framework lacks) is reported, not failed.
  const isGap = (fw: BrowserFramework, c: CaseName): boolean =>
    browserRuns.some((r) => r.framework === fw.id && r.case === c && r.gap !== undefined) &&
    !browserRuns.some((r) => r.framework === fw.id && r.case === c && !r.ok && r.gap === undefined);
  const schedule = {
    frameworks,
    cases: opts.cases,
    rounds: opts.rounds,
    applies: (fw: BrowserFramework, c: CaseName) => noRunner(fw, c) === undefined && !isGap(fw, c),
  };
  const failures = failureLines(schedule, runs);
  const results = {
    benchmark: 'browser',
    environment: env,
    chromium,
    loadAverageEnd: loadAfter[0],
    rounds,
    failures,
    gaps: gapLines(browserRuns, frameworks, opts.cases),
    frameworks,
    table: tableJson(lines, columns),
    ratios,
    bundleSizes: sizes,
    runs,
  };
  printFooter(writeResults('browser', results));
  for (const f of failures) console.error(`browser: FAILED ${f}`);
  if (failures.length > 0) process.exitCode = 1;
  return results;
}

if (isMain(import.meta.url)) await run();
