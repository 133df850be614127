/**
 * nabla against the peers: the throughput ratio nabla ÷ peer on each line (for the best nabla
 * backend and for each), and the main job's speed-up over the TypeScript backend.
 */
import { fixed, formatTable } from '../report.js';
import { type Column, type Line, metric } from './figures.js';
import type { FindRun } from './types.js';

const PEER_LABELS: Record<string, string> = {
  pytorch: '× PyTorch',
  numpy: '× NumPy',
  'tfjs-wasm': '× TF.js-wasm',
  'tfjs-cpu': '× TF.js-cpu',
};

/** One row of the ratios: a line, a nabla variant (a backend or 'best') and nabla ÷ each peer. */
export interface RatioRow {
  case: string;
  nabla: string;
  backend?: string;
  value?: number;
  ratios: Record<string, number | undefined>;
}

/** nabla's value on a line: one backend's, or for 'best' the best of `nablaIds` and which it is. */
function nablaValue(
  l: Line,
  variant: string,
  nablaIds: readonly string[],
): { value?: number; backend?: string } {
  if (variant !== 'best') return { value: l.value(variant), backend: variant };
  let best: { value?: number; backend?: string } = {};
  for (const id of nablaIds) {
    const v = l.value(id);
    if (v === undefined) continue;
    if (best.value === undefined || (l.lowerIsBetter ? v < best.value : v > best.value)) {
      best = { value: v, backend: id };
    }
  }
  return best;
}

/**
 * The ratios nabla ÷ peer (higher = nabla faster) on every line but the main job and samples/s,
 * for the best nabla backend and for each; printed as a table.
 */
export function ratioRows(
  lines: readonly Line[],
  columns: readonly Column[],
  nablaIds: readonly string[],
): RatioRow[] {
  const peerIds = columns.map((c) => c.id).filter((id) => PEER_LABELS[id] !== undefined);
  const variants = nablaIds.length > 1 ? ['best', ...nablaIds] : nablaIds;
  const rows: RatioRow[] = [];
  const ratioLines = lines.filter((l) => l.case !== 'main-job' && !l.key.endsWith('-samples'));
  for (const l of ratioLines) {
    for (const variant of variants) {
      const n = nablaValue(l, variant, nablaIds);
      const ratios: Record<string, number | undefined> = {};
      for (const p of peerIds) {
        const v = l.value(p);
        ratios[p] = n.value !== undefined && v !== undefined && v > 0 ? n.value / v : undefined;
      }
      rows.push({ case: l.key, nabla: variant, backend: n.backend, value: n.value, ratios });
    }
  }
  printRatios(rows, peerIds);
  return rows;
}

/** Prints the ratios, one row per line and nabla variant, a column per peer. */
function printRatios(rows: readonly RatioRow[], peerIds: readonly string[]): void {
  console.log('\nnabla ÷ peer (throughput ratio: > 1 means nabla is faster)');
  console.log(
    formatTable(
      ['case', 'nabla', ...peerIds.map((p) => PEER_LABELS[p])],
      rows.map((r) => [
        r.case,
        r.nabla === 'best' ? `best (${r.backend ?? '—'})` : r.nabla,
        ...peerIds.map((p) => fixed(r.ratios[p], 3)),
      ]),
    ),
  );
}

/** The main job's seconds on each nabla backend and its speed-up over the TypeScript backend. */
export interface JobSpeedup {
  backend: string;
  seconds?: number;
  speedupOverJs?: number;
}

/** The main job, nabla's only: its speed-up over the TypeScript backend on each; printed. */
export function mainJobSpeedups(find: FindRun, nablaIds: readonly string[]): JobSpeedup[] {
  const jsJob = metric(find('nabla-js', 'main-job'));
  const jobSpeedups = nablaIds.map((id) => {
    const s = metric(find(id, 'main-job'));
    return {
      backend: id,
      seconds: s,
      speedupOverJs: s !== undefined && jsJob !== undefined ? jsJob / s : undefined,
    };
  });
  console.log(
    `main job (nabla train, MNIST): ${jobSpeedups
      .map((j) => `${j.backend} ${fixed(j.seconds, 1)} s (× ${fixed(j.speedupOverJs, 2)} vs js)`)
      .join(' · ')}`,
  );
  return jobSpeedups;
}
