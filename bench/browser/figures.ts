/**
 * The browser benchmark's table: compare's lines (GEMM at the browser's sizes, MLP SGD and Adam,
 * the tiny network) and LeNet-5, a column per framework labelled with what ran (threads, the
 * WebGL renderer), and the cells without figures saying why (a gap, no runner).
 */
import { type Column, figureLines, type Line } from '../compare/figures.js';
import type { CaseName, FindRuns, Run } from '../compare/types.js';
import { BROWSER_GEMM_SIZES, type BrowserFramework, noRunner } from './frameworks.js';
import type { BrowserRun } from './page.js';

/** The ratio columns' headers, by peer id. */
export const BROWSER_PEER_LABELS: Readonly<Record<string, string>> = {
  'tfjs-wasm': '× TF.js-wasm threads',
  'tfjs-wasm-1t': '× TF.js-wasm',
  'tfjs-webgl': '× TF.js-webgl',
  'tfjs-cpu': '× TF.js-cpu',
  jaxjs: '× jax-js',
};

/** The cell of a framework × case with no figures: its gap, or why there is no runner. */
export function gapNote(
  runs: readonly BrowserRun[],
  fw: BrowserFramework | undefined,
  c: CaseName,
): string | undefined {
  if (fw === undefined) return undefined;
  if (noRunner(fw, c) !== undefined) return 'no runner';
  const mine = runs.filter((r) => r.framework === fw.id && r.case === c);
  if (mine.length === 0 || mine.some((r) => r.ok || r.gap === undefined)) return undefined;
  return mine[0].gap;
}

/** LeNet-5 training, batch 64, SGD: steps/s (bench/cnn.ts's network). */
function lenetLine(find: FindRuns): Line {
  return {
    key: 'lenet',
    label: 'LeNet-5',
    unit: 'steps/s',
    case: 'lenet',
    samples: (fw) =>
      find(fw, 'lenet')
        .map((r) => r.result?.stepsPerSecond)
        .filter((v): v is number => v !== undefined),
  };
}

/** The lines of the cases that ran, each cell without figures saying why. */
export function browserLines(
  find: FindRuns,
  runs: readonly BrowserRun[],
  frameworks: readonly BrowserFramework[],
  cases: readonly CaseName[],
): Line[] {
  const keep = new Set([
    ...BROWSER_GEMM_SIZES.map((n) => `gemm-${n}`),
    'mlp-sgd',
    'mlp-adam',
    'tiny',
  ]);
  const lines = [...figureLines(find).filter((l) => keep.has(l.key)), lenetLine(find)];
  return lines
    .filter((l) => cases.includes(l.case))
    .map((l) => ({
      ...l,
      label: l.size === undefined ? l.label : `GEMM ${l.size}`,
      note: (id: string) =>
        gapNote(
          runs,
          frameworks.find((f) => f.id === id),
          l.case,
        ),
    }));
}

/** The page facts a run reports (bench/browser/entries/). */
interface PageFacts {
  crossOriginIsolated?: boolean;
  threads?: number;
  renderer?: string;
  wasmThreads?: boolean;
}

/** What ran in a framework's pages, from its first successful run, or undefined. */
function facts(fw: BrowserFramework, runs: readonly Run[]): PageFacts | undefined {
  const r = runs.find((x) => x.framework === fw.id && x.ok)?.result;
  return r === undefined
    ? undefined
    : { ...(r.page as PageFacts), wasmThreads: r.wasmThreads as boolean | undefined };
}

/**
 * A column header's note on what ran: isolation and threads for WebAssembly, the renderer for
 * WebGL (SwiftShader: no GPU here); nothing for the JavaScript backends.
 */
export function ranWith(fw: BrowserFramework, page: PageFacts | undefined): string | undefined {
  if (fw.backend === 'webgl') {
    if (page === undefined) return undefined;
    return /SwiftShader/i.test(page.renderer ?? '') ? 'SwiftShader' : (page.renderer ?? '?');
  }
  if (fw.backend !== 'wasm' && fw.kind !== 'jaxjs') return undefined;
  const isolation = fw.isolated ? 'COOP/COEP' : 'no COOP/COEP';
  const n = page?.threads;
  return n === undefined ? isolation : `${isolation}, ${n} thread${n === 1 ? '' : 's'}`;
}

/** The columns: each framework, its label saying what ran in its pages. */
export function browserColumns(
  frameworks: readonly BrowserFramework[],
  runs: readonly Run[],
): Column[] {
  return frameworks.map((f) => {
    const how = ranWith(f, facts(f, runs));
    return { id: f.id, label: how === undefined ? f.label : `${f.label} (${how})` };
  });
}

/** One line per framework on what its pages had: isolation, threaded build, renderer. */
export function pageLines(frameworks: readonly BrowserFramework[], runs: readonly Run[]): string[] {
  return frameworks.map((f) => {
    const p = facts(f, runs);
    if (p === undefined) return `${f.id}: no successful run`;
    const parts = [`crossOriginIsolated ${String(p.crossOriginIsolated)}`];
    if (p.wasmThreads !== undefined) parts.push(`threaded build ${String(p.wasmThreads)}`);
    if (p.threads !== undefined) parts.push(`threads ${p.threads}`);
    if (p.renderer !== undefined) parts.push(`renderer ${p.renderer}`);
    return `${f.id}: ${parts.join(', ')}`;
  });
}

/** One line per framework × case left empty, with why: a gap's error, or no runner. */
export function gapLines(
  runs: readonly BrowserRun[],
  frameworks: readonly BrowserFramework[],
  cases: readonly CaseName[],
): string[] {
  const lines: string[] = [];
  for (const fw of frameworks) {
    for (const c of cases) {
      const why = noRunner(fw, c);
      if (why !== undefined) lines.push(`${fw.id} ${c}: no runner: ${why}`);
      else if (gapNote(runs, fw, c) !== undefined) {
        const run = runs.find((r) => r.framework === fw.id && r.case === c);
        lines.push(`${fw.id} ${c}: ${run?.error ?? ''}`);
      }
    }
  }
  return lines;
}
