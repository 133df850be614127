/**
 * The figures of the comparison, one line per measured quantity (GEMM at each size, MLP training,
 * the tiny network, the main job) and a column per framework; and the peak RSS table.
 */
import { fixed, formatTable, sig3 } from '../report.js';
import { CASES } from './runs.js';
import type { CaseName, FindRun, Framework, Run } from './types.js';

const GEMM_SIZES = [128, 256, 512, 1024];

/** One measured quantity: a row of the figures table, its value read for each column. */
export interface Line {
  key: string;
  label: string;
  unit: string;
  case: CaseName;
  size?: number;
  lowerIsBetter?: boolean;
  value: (fw: string) => number | undefined;
}

/** A column of the tables: a framework, or NumPy (measured by the PyTorch runner). */
export interface Column {
  id: string;
  label: string;
}

/** The figure of merit of a run (higher is better, except the main job's seconds). */
export function metric(run: Run | undefined, size?: number): number | undefined {
  if (run?.result === undefined) return undefined;
  if (size !== undefined) return run.result.sizes?.find((s) => s.n === size)?.gflops;
  if (run.case === 'main-job') return run.result.seconds;
  return run.result.stepsPerSecond;
}

/** NumPy's GFLOP/s at one size, from the PyTorch runner's GEMM run. */
function numpyGflops(run: Run | undefined, size: number): number | undefined {
  return run?.result?.numpy?.find((s) => s.n === size)?.gflops;
}

/** The columns: every framework, and NumPy when PyTorch is measured. */
export function tableColumns(frameworks: readonly Framework[]): Column[] {
  const hasTorch = frameworks.some((f) => f.id === 'pytorch');
  return [
    ...frameworks.map((f) => ({ id: f.id, label: f.label })),
    ...(hasTorch ? [{ id: 'numpy', label: 'NumPy' }] : []),
  ];
}

/** GEMM GFLOP/s at each size. */
function gemmLines(find: FindRun): Line[] {
  return GEMM_SIZES.map((n): Line => ({
    key: `gemm-${n}`,
    label: `GEMM ${n}`,
    unit: 'GFLOP/s',
    case: 'gemm',
    size: n,
    value: (fw) =>
      fw === 'numpy' ? numpyGflops(find('pytorch', 'gemm'), n) : metric(find(fw, 'gemm'), n),
  }));
}

/** MLP training with SGD and with Adam: steps/s and samples/s. */
function mlpLines(find: FindRun): Line[] {
  return (['mlp-sgd', 'mlp-adam'] as const).flatMap((c): Line[] => [
    {
      key: `${c}`,
      label: `MLP ${c === 'mlp-sgd' ? 'SGD' : 'Adam'}`,
      unit: 'steps/s',
      case: c,
      value: (fw) => metric(find(fw, c)),
    },
    {
      key: `${c}-samples`,
      label: `MLP ${c === 'mlp-sgd' ? 'SGD' : 'Adam'}`,
      unit: 'samples/s',
      case: c,
      value: (fw) => find(fw, c)?.result?.samplesPerSecond,
    },
  ]);
}

/** The tiny 2-16-16-2 network: steps/s. */
function tinyLine(find: FindRun): Line {
  return {
    key: 'tiny',
    label: 'tiny 2-16-16-2',
    unit: 'steps/s',
    case: 'tiny',
    value: (fw) => metric(find(fw, 'tiny')),
  };
}

/** nabla's main job, `nabla train`: seconds (lower is better). */
function mainJobLine(find: FindRun): Line {
  return {
    key: 'main-job',
    label: 'nabla train',
    unit: 's',
    case: 'main-job',
    lowerIsBetter: true,
    value: (fw) => metric(find(fw, 'main-job')),
  };
}

/** Every line of the figures table, in its order. */
export function figureLines(find: FindRun): Line[] {
  return [...gemmLines(find), ...mlpLines(find), tinyLine(find), mainJobLine(find)];
}

/** Prints the figures: one row per line, one column per framework. */
export function printFigures(lines: readonly Line[], columns: readonly Column[]): void {
  console.log('');
  console.log(
    formatTable(
      ['case', 'unit', ...columns.map((c) => c.label)],
      lines.map((l) => [l.label, l.unit, ...columns.map((c) => sig3(l.value(c.id)))]),
    ),
  );
}

/** Prints the peak RSS of each framework × case, one row per case. */
export function printRss(frameworks: readonly Framework[], find: FindRun): void {
  const rssCases: CaseName[] = [...CASES, 'main-job'];
  console.log('\npeak RSS (MB), each framework × case in its own process');
  console.log(
    formatTable(
      ['case', ...frameworks.map((f) => f.label)],
      rssCases.map((c) => [c, ...frameworks.map((f) => fixed(find(f.id, c)?.result?.maxRssMB, 0))]),
    ),
  );
}

/** The table's lines as written to the JSON results: the value of each column, or null. */
export function tableJson(lines: readonly Line[], columns: readonly Column[]): unknown[] {
  return lines.map((l) => ({
    key: l.key,
    label: l.label,
    unit: l.unit,
    values: Object.fromEntries(columns.map((c) => [c.id, l.value(c.id) ?? null])),
  }));
}
