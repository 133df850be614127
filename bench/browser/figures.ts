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

/**
 * nabla's GEMM kernel into an output array used again and again, beside the op's figure: in
 * Chromium a fresh multi-megabyte result array costs its first-touch page faults (about 20 ms
 * for 4 MB on this VM), which this line leaves out. A diagnostic; peers have no such figure.
 */
function warmGemmLines(find: FindRuns): Line[] {
  return BROWSER_GEMM_SIZES.map((n) => ({
    key: `gemm-warm-${n}`,
    label: `GEMM ${n}, warm output`,
    unit: 'GFLOP/s',
    case: 'gemm' as const,
    diagnostic: true,
    samples: (fw) =>
      find(fw, 'gemm')
        .map((r) => r.result?.sizes?.find((s) => s.n === n)?.warm?.gflops)
        .filter((v): v is number => v !== undefined),
  }));
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
  const lines = [
    ...figureLines(find).filter((l) => keep.has(l.key)),
    ...warmGemmLines(find),
    lenetLine(find),
  ];
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
  wasmSimd?: boolean;
}

/** What ran in a framework's pages, from its first successful run, or undefined. */
function facts(fw: BrowserFramework, runs: readonly Run[]): PageFacts | undefined {
  const r = runs.find((x) => x.framework === fw.id && x.ok)?.result;
  return r === undefined
    ? undefined
    : {
        ...(r.page as PageFacts),
        wasmThreads: r.wasmThreads as boolean | undefined,
        wasmSimd: r.wasmSimd as boolean | undefined,
      };
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
    if (p.wasmSimd !== undefined) parts.push(`SIMD ${String(p.wasmSimd)}`);
    if (p.wasmThreads !== undefined) parts.push(`threaded build ${String(p.wasmThreads)}`);
    if (p.threads !== undefined) parts.push(`threads ${p.threads}`);
    if (p.renderer !== undefined) parts.push(`renderer ${p.renderer}`);
    return `${f.id}: ${parts.join(', ')}`;
  });
}

/**
 * One line per framework × case left empty, with why (a gap's error, or no runner); a framework
 * empty for the same reason in every case gets one line (`nabla-wasm, every case: …`).
 */
export function gapLines(
  runs: readonly BrowserRun[],
  frameworks: readonly BrowserFramework[],
  cases: readonly CaseName[],
): string[] {
  const lines: string[] = [];
  for (const fw of frameworks) {
    const why = cases.map((c): [CaseName, string | undefined] => {
      const none = noRunner(fw, c);
      if (none !== undefined) return [c, `no runner: ${none}`];
      if (gapNote(runs, fw, c) === undefined) return [c, undefined];
      return [c, runs.find((r) => r.framework === fw.id && r.case === c)?.error ?? ''];
    });
    const empty = why.filter((w): w is [CaseName, string] => w[1] !== undefined);
    if (
      cases.length > 1 &&
      empty.length === cases.length &&
      new Set(empty.map((w) => w[1])).size === 1
    ) {
      lines.push(`${fw.id}, every case: ${empty[0][1]}`);
    } else {
      lines.push(...empty.map(([c, text]) => `${fw.id} ${c}: ${text}`));
    }
  }
  return lines;
}
