/**
 * Runs in rounds, shared by bench/compare.ts and bench/cnn.ts: each round runs every framework
 * once on every case, each run in a fresh process, in an order rotated from round to round, so
 * that the machine's load (2 shared cores) falls on all frameworks alike rather than on whichever
 * ran during a busy minute. Each round's load average is kept; the figures are medians over the
 * rounds with their spread (min–max).
 */
import { loadavg } from 'node:os';
import { median } from '../report.js';
import type { CaseName, Framework, Run } from './types.js';

/** One round: its number (from 1), the load average (1, 5, 15 min) when it began, its order. */
export interface RoundInfo {
  round: number;
  load: number[];
  order: string[];
}

/** What to run: the frameworks × cases, how many rounds, and how to run one of them. */
export interface RoundsPlan {
  frameworks: readonly Framework[];
  cases: readonly CaseName[];
  rounds: number;
  /** Runs one framework on one case in a child process. */
  run: (fw: Framework, c: CaseName) => Run;
  /** Whether the framework has the case at all (the main job is nabla's only); default: yes. */
  applies?: (fw: Framework, c: CaseName) => boolean;
  /** Called after each run, e.g. to print a progress line. */
  report?: (run: Run, fw: Framework) => void;
}

/** `xs` rotated left by `r`: round r starts with the r-th framework. */
export function rotated<T>(xs: readonly T[], r: number): T[] {
  return xs.map((_, i) => xs[(i + r) % xs.length]);
}

/** One line on a round: its load average and order. */
export function roundLine(info: RoundInfo): string {
  const load = info.load.map((l) => l.toFixed(1)).join(' ');
  return `round ${info.round}: load ${load}; order ${info.order.join(', ')}`;
}

/** The run in place of one not started because the framework hung before. */
function skippedAfterHang(fw: Framework, c: CaseName, round: number): Run {
  const error = 'skipped: an earlier run hung';
  return { framework: fw.id, case: c, ok: false, wallSeconds: 0, error, round };
}

/** The frameworks, cases and rounds of a plan, and which framework has which case. */
export interface Schedule<F extends Framework> {
  frameworks: readonly F[];
  cases: readonly CaseName[];
  rounds: number;
  applies?: (fw: F, c: CaseName) => boolean;
}

/**
 * The runs of a plan in their order — round by round, case by case, the frameworks in the round's
 * rotated order — each round's start printed and pushed to `rounds` as it begins.
 */
function* scheduled<F extends Framework>(
  plan: Schedule<F>,
  rounds: RoundInfo[],
): Generator<{ fw: F; c: CaseName; round: number }> {
  const applies = plan.applies ?? (() => true);
  for (let round = 0; round < plan.rounds; round++) {
    const order = rotated(plan.frameworks, round);
    const info = { round: round + 1, load: loadavg(), order: order.map((f) => f.id) };
    rounds.push(info);
    console.log(roundLine(info));
    for (const c of plan.cases) {
      for (const fw of order.filter((f) => applies(f, c))) yield { fw, c, round };
    }
  }
}

/**
 * Runs the plan in its order (see `scheduled`). A framework whose child hung (killed at the
 * time-out) is not run again: it would hang again.
 */
export function runRounds(plan: RoundsPlan): { runs: Run[]; rounds: RoundInfo[] } {
  const stuck = new Set<string>();
  const runs: Run[] = [];
  const rounds: RoundInfo[] = [];
  for (const { fw, c, round } of scheduled(plan, rounds)) {
    const run = stuck.has(fw.id) ? skippedAfterHang(fw, c, round) : { ...plan.run(fw, c), round };
    if (run.timedOut === true) stuck.add(fw.id);
    runs.push(run);
    plan.report?.(run, fw);
  }
  return { runs, rounds };
}

/** A plan whose runs are asynchronous (a page in a browser), of frameworks of type F. */
export interface AsyncRoundsPlan<F extends Framework, R extends Run> extends Schedule<F> {
  run: (fw: F, c: CaseName) => Promise<R>;
  report?: (run: R | Run, fw: F) => void;
}

/** {@link runRounds} for asynchronous runs: the same order, one run at a time. */
export async function runRoundsAsync<F extends Framework, R extends Run>(
  plan: AsyncRoundsPlan<F, R>,
): Promise<{ runs: (R | Run)[]; rounds: RoundInfo[] }> {
  const stuck = new Set<string>();
  const runs: (R | Run)[] = [];
  const rounds: RoundInfo[] = [];
  for (const { fw, c, round } of scheduled(plan, rounds)) {
    const run = stuck.has(fw.id)
      ? skippedAfterHang(fw, c, round)
      : { ...(await plan.run(fw, c)), round };
    if (run.timedOut === true) stuck.add(fw.id);
    runs.push(run);
    plan.report?.(run, fw);
  }
  return { runs, rounds };
}

/** Median and spread of a framework's figures over the rounds. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** The median, min and max of `values`, or undefined for none. */
export function summarize(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

/**
 * Each framework that was asked for and failed a case it has in every round, with the cases and
 * the first error: one line each (`pytorch: gemm, tiny: exit code 1: ImportError: …`).
 */
export function failureLines<F extends Framework>(
  plan: Schedule<F>,
  runs: readonly Run[],
): string[] {
  const applies = plan.applies ?? (() => true);
  const lines: string[] = [];
  for (const fw of plan.frameworks) {
    const failed = plan.cases.filter(
      (c) => applies(fw, c) && !runs.some((r) => r.framework === fw.id && r.case === c && r.ok),
    );
    if (failed.length === 0) continue;
    const first = runs.find((r) => r.framework === fw.id && failed.includes(r.case) && !r.ok);
    lines.push(`${fw.id}: ${failed.join(', ')}: ${first?.error ?? 'not run'}`);
  }
  return lines;
}
