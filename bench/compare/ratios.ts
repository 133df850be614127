/**
 * nabla against the peers: the throughput ratio nabla ÷ peer on each line, for each nabla backend
 * (medians over the rounds; no "best of" the backends), and the main job's speed-up over the
 * TypeScript backend.
 */
import { fixed, formatTable } from '../report.js';
import { type Column, type Line, valueOf } from './figures.js';

/** The ratio columns' headers, by peer id (a peer without one has no ratio column). */
export const PEER_LABELS: Readonly<Record<string, string>> = {
  pytorch: '× PyTorch',
  'pytorch-1t': '× PyTorch 1t',
  numpy: '× NumPy',
  'tfjs-wasm': '× TF.js-wasm',
  'tfjs-cpu': '× TF.js-cpu',
  jaxjs: '× jax-js',
};

/** One row of the ratios: a line, a nabla backend, its median and nabla ÷ each peer. */
export interface RatioRow {
  case: string;
  nabla: string;
  value?: number;
  ratios: Record<string, number | undefined>;
}

/**
 * The ratios nabla ÷ peer (higher = nabla faster) of the medians on every line but the main job
 * and samples/s, for each nabla backend; printed as a table.
 */
export function ratioRows(
  lines: readonly Line[],
  columns: readonly Column[],
  nablaIds: readonly string[],
  labels: Readonly<Record<string, string>> = PEER_LABELS,
): RatioRow[] {
  const peerIds = columns
    .filter((c) => c.why === undefined && labels[c.id] !== undefined)
    .map((c) => c.id);
  const rows: RatioRow[] = [];
  const ratioLines = lines.filter(
    (l) => l.case !== 'main-job' && !l.key.endsWith('-samples') && l.diagnostic !== true,
  );
  for (const l of ratioLines) {
    for (const id of nablaIds) {
      const value = valueOf(l, id);
      const ratios: Record<string, number | undefined> = {};
      for (const p of peerIds) {
        const v = valueOf(l, p);
        ratios[p] = value !== undefined && v !== undefined && v > 0 ? value / v : undefined;
      }
      rows.push({ case: l.key, nabla: id, value, ratios });
    }
  }
  printRatios(rows, peerIds, labels);
  return rows;
}

/** Prints the ratios, one row per line and nabla backend, a column per peer. */
function printRatios(
  rows: readonly RatioRow[],
  peerIds: readonly string[],
  labels: Readonly<Record<string, string>>,
): void {
  console.log('\nnabla ÷ peer (ratio of the medians: > 1 means nabla is faster)');
  console.log(
    formatTable(
      ['case', 'nabla', ...peerIds.map((p) => labels[p])],
      rows.map((r) => [r.case, r.nabla, ...peerIds.map((p) => fixed(r.ratios[p], 3))]),
    ),
  );
}

/** The main job's median seconds on each nabla backend and its speed-up over the TypeScript one. */
export interface JobSpeedup {
  backend: string;
  seconds?: number;
  speedupOverJs?: number;
}

/** The main job, nabla's only: its speed-up over the TypeScript backend on each; printed. */
export function mainJobSpeedups(job: Line, nablaIds: readonly string[]): JobSpeedup[] {
  const jsJob = valueOf(job, 'nabla-js');
  const jobSpeedups = nablaIds.map((id) => {
    const s = valueOf(job, id);
    return {
      backend: id,
      seconds: s,
      speedupOverJs: s !== undefined && jsJob !== undefined ? jsJob / s : undefined,
    };
  });
  console.log(
    `main job (nabla train, MNIST, median): ${jobSpeedups
      .map((j) => `${j.backend} ${fixed(j.seconds, 1)} s (× ${fixed(j.speedupOverJs, 2)} vs js)`)
      .join(' · ')}`,
  );
  return jobSpeedups;
}
