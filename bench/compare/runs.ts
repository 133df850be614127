/**
 * The measurements: every case on every framework, each in a child process, then nabla's main
 * job on each nabla backend; one line printed per run.
 */
import { fixed, sig3 } from '../report.js';
import { runChild } from './child.js';
import { runMainJob } from './main-job.js';
import type { CaseName, Framework, FindRun, Run } from './types.js';

/** The cases run in a child per framework (the main job, nabla's only, runs apart). */
export const CASES: readonly CaseName[] = ['gemm', 'mlp-sgd', 'mlp-adam', 'tiny'];

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

/** The run in place of one not started because the framework hung before. */
function skippedAfterHang(fw: Framework, name: CaseName): Run {
  return {
    framework: fw.id,
    case: name,
    ok: false,
    wallSeconds: 0,
    error: 'skipped: an earlier case hung',
  };
}

/** Runs every case on every framework, adding to `stuck` each framework whose child hung. */
function runCases(frameworks: readonly Framework[], stuck: Set<string>): Run[] {
  const runs: Run[] = [];
  for (const name of CASES) {
    for (const fw of frameworks) {
      if (stuck.has(fw.id)) {
        runs.push(skippedAfterHang(fw, name));
        continue;
      }
      const r = runChild(fw, name);
      if (r.timedOut === true) stuck.add(fw.id);
      runs.push(r);
      console.log(
        `  ${name.padEnd(8)} ${fw.label.padEnd(12)} ${describe(r)} (${r.wallSeconds.toFixed(1)} s)`,
      );
    }
  }
  return runs;
}

/** Runs nabla's main job on each nabla backend that did not hang before. */
function runMainJobs(frameworks: readonly Framework[], stuck: ReadonlySet<string>): Run[] {
  const runs: Run[] = [];
  for (const fw of frameworks.filter((f) => f.kind === 'nabla')) {
    if (stuck.has(fw.id)) {
      runs.push(skippedAfterHang(fw, 'main-job'));
      console.log(`  main-job ${fw.label.padEnd(12)} skipped: an earlier case hung`);
      continue;
    }
    const r = runMainJob(fw);
    runs.push(r);
    console.log(`  main-job ${fw.label.padEnd(12)} ${describe(r)}`);
  }
  return runs;
}

/** Every run: the cases on every framework, then the main job on every nabla backend. */
export function runAll(frameworks: readonly Framework[]): Run[] {
  // A framework whose child hung (killed at the time-out) is not run again: it would hang again.
  const stuck = new Set<string>();
  const runs = runCases(frameworks, stuck);
  return [...runs, ...runMainJobs(frameworks, stuck)];
}

/** Finds the successful run of a framework on a case among `runs`. */
export function finder(runs: readonly Run[]): FindRun {
  return (fw, c) => runs.find((r) => r.framework === fw && r.case === c && r.ok);
}
