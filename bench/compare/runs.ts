/**
 * The measurements of the comparison: the cases, one run of a framework on a case, its progress
 * line; bench/compare/rounds.ts runs them in rounds.
 */
import { fixed, sig3 } from '../report.js';
import { runChild } from './child.js';
import { runMainJob } from './main-job.js';
import type { CaseName, Framework, FindRuns, OpCaseName, Run } from './types.js';

/** The single operations, in table order. */
export const OP_CASES: readonly OpCaseName[] = ['einsum', 'sort', 'topk', 'sdpa'];

/** The cases, in table order; the main job is nabla's only. */
export const CASES: readonly CaseName[] = [
  'gemm',
  'mlp-sgd',
  'mlp-adam',
  'tiny',
  ...OP_CASES,
  'main-job',
];

/** One line on a run: its figures and peak RSS, or why it failed. */
export function describe(run: Run): string {
  if (!run.ok) return `FAILED: ${run.error}`;
  const r = run.result!;
  const parts: string[] = [];
  if (r.sizes !== undefined) {
    parts.push(`GFLOP/s ${r.sizes.map((s) => `${s.n}: ${sig3(s.gflops)}`).join(' · ')}`);
    if (r.numpy !== undefined) {
      parts.push(`numpy ${r.numpy.map((s) => `${s.n}: ${sig3(s.gflops)}`).join(' · ')}`);
    }
  } else if (run.case === 'main-job') {
    parts.push(`${fixed(r.seconds, 1)} s, ${String(r.epochs)} epochs`);
  } else {
    parts.push(`${sig3(r.stepsPerSecond)} steps/s`);
  }
  if (r.threads !== undefined) parts.push(`${r.threads} thread${r.threads === 1 ? '' : 's'}`);
  parts.push(`RSS ${fixed(r.maxRssMB, 0)} MB`);
  return parts.join(', ');
}

/** Runs one framework on one case: the main job as `nabla train`, any other case in a runner. */
export function runOne(fw: Framework, name: CaseName): Run {
  return name === 'main-job' ? runMainJob(fw) : runChild(fw, name);
}

/** Whether a framework has a case: the main job is nabla's only; operations nabla's and PyTorch's. */
export function applies(fw: Framework, name: CaseName): boolean {
  if ((OP_CASES as readonly string[]).includes(name))
    return fw.kind === 'nabla' || fw.kind === 'torch';
  return name !== 'main-job' || fw.kind === 'nabla';
}

/** The progress line of a run. */
export function reportRun(run: Run, fw: Framework): void {
  const wall = run.case === 'main-job' ? '' : ` (${run.wallSeconds.toFixed(1)} s)`;
  console.log(`  ${run.case.padEnd(8)} ${fw.label.padEnd(12)} ${describe(run)}${wall}`);
}

/** Finds the successful runs of a framework on a case among `runs`, one per round. */
export function finder(runs: readonly Run[]): FindRuns {
  return (fw, c) => runs.filter((r) => r.framework === fw && r.case === c && r.ok);
}
