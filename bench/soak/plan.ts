/**
 * The soak's cases, how long each runs and where it is sampled, and the shape of what a case
 * reports back to the parent.
 */
import type { SnapshotDelta } from './snapshots.js';

/** The cases by name, with their titles. */
export const CASES = {
  loop: '2-16-16-2 tanh, spiral, batch 32, SGD momentum — hand loop',
  fit: '2-16-16-2 tanh, spiral, batch 32, SGD momentum — fit()',
  mlp: '784-256-128-10 relu, random data, batch 128, Adam — hand loop',
} as const;
export type CaseName = keyof typeof CASES;
export const CASE_NAMES = Object.keys(CASES) as CaseName[];

/** Steps of each case unless --steps says otherwise. */
export const DEFAULT_STEPS: Record<CaseName, number> = { loop: 20_000, fit: 20_000, mlp: 5_000 };
/**
 * The growth is measured from the sample at this step (the JIT, the pools and the caches have
 * settled by then), or from the middle of a shorter run.
 */
export const WARMUP_STEP = 2_000;

/** Bytes in a MB. */
export const MB = 1024 * 1024;

/** Memory after a full collection, at one step of a case. */
export interface Sample {
  step: number;
  seconds: number;
  heapUsedMB: number;
  externalMB: number;
  arrayBuffersMB: number;
  rssMB: number;
}

/** What a case's child reports (its `RESULT` line). */
export interface CaseResult {
  case: CaseName;
  title: string;
  backend: string;
  steps: number;
  interval: number;
  /** The sample the verdict's growth is measured from. */
  warmupStep: number;
  seconds: number;
  stepsPerSecond: number;
  finalLoss: number;
  samples: Sample[];
  /** Heap held by fit's returned history (measured by dropping it), MB. */
  historyMB?: number;
  skipped?: string;
  /** The child's peak RSS (process.resourceUsage().maxRSS), MB. */
  peakRssMB?: number;
  /** Why the run was shortened. */
  note?: string;
  snapshots?: { files: string[]; top: SnapshotDelta[] };
}

/** What a case's training loop returns; the child adds the plan and the names. */
export type CaseRun = Omit<
  CaseResult,
  'case' | 'title' | 'backend' | 'steps' | 'interval' | 'warmupStep'
>;

/** How long a case runs and where it takes its samples and snapshots. */
export interface Plan {
  steps: number;
  /** The steps were given with --steps: run them whatever the time. */
  explicit: boolean;
  interval: number;
  warmupStep: number;
  snapshots: boolean;
}

/** The first sample at or after WARMUP_STEP, or the one in the middle of a shorter run. */
export function warmupFor(steps: number, interval: number): number {
  const mid = Math.round(steps / 2 / interval) * interval;
  return Math.min(Math.ceil(WARMUP_STEP / interval) * interval, mid);
}

/** The plan of a case: its steps (given or default), a sample every 1/20 (mlp: 1/10) of them. */
export function plan(name: CaseName, steps: number | undefined, snapshots: boolean): Plan {
  const total = steps ?? DEFAULT_STEPS[name];
  const interval = Math.max(1, Math.round(total / (name === 'mlp' ? 10 : 20)));
  const warmupStep = warmupFor(total, interval);
  return { steps: total, explicit: steps !== undefined, interval, warmupStep, snapshots };
}
