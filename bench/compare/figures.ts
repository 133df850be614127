/**
 * The figures of the comparison, one line per measured quantity (GEMM at each size, MLP training,
 * the tiny network, the main job) and a column per framework: the median over the rounds and its
 * spread (min–max); and the peak RSS table.
 */
import { fixed, formatTable, sig3 } from '../report.js';
import { type Summary, summarize } from './rounds.js';
import { CASES, OP_CASES } from './runs.js';
import type { CaseName, FindRuns, Framework, OpCaseName, Run } from './types.js';

const GEMM_SIZES = [128, 256, 512, 1024];

/** One measured quantity: a row of the figures table, its value read for each column. */
export interface Line {
  key: string;
  label: string;
  unit: string;
  case: CaseName;
  size?: number;
  lowerIsBetter?: boolean;
  /** The figure of each successful run (one per round) of a column. */
  samples: (fw: string) => number[];
  /** What a cell without figures says instead of '—' (why the framework has none). */
  note?: (fw: string) => string | undefined;
  /** A diagnostic of nabla's alone, which peers have no figure for: left out of the ratios. */
  diagnostic?: boolean;
}

/** A line's median and spread in a column, or undefined when no run succeeded. */
export function summaryOf(l: Line, fw: string): Summary | undefined {
  return summarize(l.samples(fw));
}

/** A line's median in a column. */
export function valueOf(l: Line, fw: string): number | undefined {
  return summaryOf(l, fw)?.median;
}

/** The figures of `runs` on one quantity, skipping runs without it. */
function each(runs: readonly Run[], pick: (r: Run) => number | undefined): number[] {
  return runs.map(pick).filter((v): v is number => v !== undefined);
}

/** A column of the tables: a framework, NumPy (measured by the PyTorch runner), or one not run. */
export interface Column {
  id: string;
  label: string;
  /** Why the column has no figures (a framework not measured here). */
  why?: string;
}

/** The figure of merit of a run (higher is better, except the main job's seconds). */
export function metric(run: Run | undefined, size?: number): number | undefined {
  if (run?.result === undefined) return undefined;
  if (size !== undefined) return run.result.sizes?.find((s) => s.n === size)?.gflops;
  if (run.case === 'main-job') return run.result.seconds;
  return run.result.stepsPerSecond;
}

/**
 * PyTorch on one thread: a column of its own beside PyTorch at its better thread count, so that
 * nabla's single core is set beside OpenBLAS's (the runner measures both; `byThreads`).
 */
export const TORCH_1T = 'pytorch-1t';

/** A PyTorch run as if it had reported its 1-thread figures. */
function oneThread(run: Run): Run {
  const r = run.result;
  if (r === undefined) return run;
  const sizes = r.sizes?.map((s) => ({ ...s, ...s.byThreads?.['1'], threads: 1 }));
  return { ...run, result: { ...r, ...r.byThreads?.['1'], sizes, threads: 1 } };
}

/** The runs of a column on a case (PyTorch's, at one thread, for TORCH_1T). */
function runsOf(find: FindRuns, fw: string, c: CaseName): Run[] {
  return fw === TORCH_1T ? find('pytorch', c).map(oneThread) : find(fw, c);
}

/** NumPy's GFLOP/s at one size, from the PyTorch runner's GEMM run. */
function numpyGflops(run: Run | undefined, size: number): number | undefined {
  return run?.result?.numpy?.find((s) => s.n === size)?.gflops;
}

/**
 * The columns: every framework, PyTorch on one thread and NumPy when PyTorch is measured, and
 * those not measured.
 */
export function tableColumns(
  frameworks: readonly Framework[],
  notMeasured: readonly Column[],
  cases: readonly CaseName[] = CASES,
): Column[] {
  const torch = frameworks.some((f) => f.id === 'pytorch');
  const hasNumpy = torch && cases.includes('gemm');
  return [
    ...frameworks.map((f) => ({ id: f.id, label: f.label })),
    ...(torch ? [{ id: TORCH_1T, label: 'PyTorch 1t' }] : []),
    ...(hasNumpy ? [{ id: 'numpy', label: 'NumPy' }] : []),
    ...notMeasured,
  ];
}

/** GEMM GFLOP/s at each size. */
function gemmLines(find: FindRuns): Line[] {
  return GEMM_SIZES.map((n): Line => ({
    key: `gemm-${n}`,
    label: `GEMM ${n}`,
    unit: 'GFLOP/s',
    case: 'gemm',
    size: n,
    samples: (fw) =>
      fw === 'numpy'
        ? each(find('pytorch', 'gemm'), (r) => numpyGflops(r, n))
        : each(runsOf(find, fw, 'gemm'), (r) => metric(r, n)),
  }));
}

/** MLP training with SGD and with Adam: steps/s and samples/s. */
function mlpLines(find: FindRuns): Line[] {
  return (['mlp-sgd', 'mlp-adam'] as const).flatMap((c): Line[] => [
    {
      key: `${c}`,
      label: `MLP ${c === 'mlp-sgd' ? 'SGD' : 'Adam'}`,
      unit: 'steps/s',
      case: c,
      samples: (fw) => each(runsOf(find, fw, c), (r) => metric(r)),
    },
    {
      key: `${c}-samples`,
      label: `MLP ${c === 'mlp-sgd' ? 'SGD' : 'Adam'}`,
      unit: 'samples/s',
      case: c,
      samples: (fw) => each(runsOf(find, fw, c), (r) => r.result?.samplesPerSecond),
    },
  ]);
}

/** The tiny 2-16-16-2 network: steps/s. */
function tinyLine(find: FindRuns): Line {
  return {
    key: 'tiny',
    label: 'tiny 2-16-16-2',
    unit: 'steps/s',
    case: 'tiny',
    samples: (fw) => each(runsOf(find, fw, 'tiny'), (r) => metric(r)),
  };
}

const OP_LABELS: Readonly<Record<OpCaseName, string>> = {
  einsum: 'einsum bhqd,bhkd→bhqk + backward',
  sort: 'sort 256×1024 rows',
  topk: 'topk 10 of 256×1024 rows',
  sdpa: 'attention 4×8×128×64 + backward',
};

/** Each operation case: calls/s. */
function opLines(find: FindRuns): Line[] {
  return OP_CASES.map((c) => ({
    key: c,
    label: OP_LABELS[c],
    unit: 'calls/s',
    case: c,
    samples: (fw) => each(find(fw, c), (r) => metric(r)),
  }));
}

/** nabla's main job, `nabla train`: seconds (lower is better). */
function mainJobLine(find: FindRuns): Line {
  return {
    key: 'main-job',
    label: 'nabla train',
    unit: 's',
    case: 'main-job',
    lowerIsBetter: true,
    samples: (fw) => each(find(fw, 'main-job'), (r) => metric(r)),
  };
}

/** Every line of the figures table, in its order. */
export function figureLines(find: FindRuns): Line[] {
  return [
    ...gemmLines(find),
    ...mlpLines(find),
    tinyLine(find),
    ...opLines(find),
    mainJobLine(find),
  ];
}

/** A cell: the median, and its spread (min–max) when more than one round gave a figure. */
function cell(l: Line, c: Column): string {
  if (c.why !== undefined) return 'not run¹';
  const s = summaryOf(l, c.id);
  if (s === undefined) return l.note?.(c.id) ?? '—';
  return s.n > 1 ? `${sig3(s.median)} (${sig3(s.min)}–${sig3(s.max)})` : sig3(s.median);
}

/** Prints the figures: one row per line, one column per framework, median (min–max). */
export function printFigures(lines: readonly Line[], columns: readonly Column[]): void {
  console.log('\nmedian over the rounds (min–max)');
  console.log(
    formatTable(
      ['case', 'unit', ...columns.map((c) => c.label)],
      lines.map((l) => [l.label, l.unit, ...columns.map((c) => cell(l, c))]),
    ),
  );
  for (const c of columns.filter((col) => col.why !== undefined)) {
    console.log(`¹ ${c.label}: ${c.why}`);
  }
}

/** Prints the median peak RSS of each framework × case, one row per case. */
export function printRss(
  frameworks: readonly Framework[],
  find: FindRuns,
  cases: readonly CaseName[] = CASES,
): void {
  const rss = (fw: string, c: CaseName): number | undefined =>
    summarize(each(find(fw, c), (r) => r.result?.maxRssMB))?.median;
  console.log('\npeak RSS (MB, median), each framework × case in its own process');
  console.log(
    formatTable(
      ['case', ...frameworks.map((f) => f.label)],
      cases.map((c) => [c, ...frameworks.map((f) => fixed(rss(f.id, c), 0))]),
    ),
  );
}

/** The table's lines as written to the JSON results: each column's median and spread, or null. */
export function tableJson(lines: readonly Line[], columns: readonly Column[]): unknown[] {
  const measured = columns.filter((c) => c.why === undefined);
  return lines.map((l) => ({
    key: l.key,
    label: l.label,
    unit: l.unit,
    values: Object.fromEntries(measured.map((c) => [c.id, valueOf(l, c.id) ?? null])),
    spread: Object.fromEntries(measured.map((c) => [c.id, summaryOf(l, c.id) ?? null])),
  }));
}
