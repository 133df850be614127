/** The verdict on a case: how much the heap grew after the warm-up, and whether that is flat. */
import type { CaseResult } from './plan.js';

/** Growth under this many MB over the run counts as noise. */
export const FLAT_MB = 1;

/** The growth from the warm-up sample to the last, and whether it is flat. */
export interface Verdict {
  fromStep: number;
  toStep: number;
  heapGrowthMB: number;
  /** The growth minus what fit's history is expected to have accrued over the same steps. */
  adjustedGrowthMB: number;
  heapSlopeMBPer1k: number;
  externalGrowthMB: number;
  rssGrowthMB: number;
  flat: boolean;
}

/** Least-squares slope of y against x. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** The verdict on a case, or undefined with fewer than two samples after the warm-up. */
export function verdict(r: CaseResult): Verdict | undefined {
  const after = r.samples.filter((s) => s.step >= r.warmupStep);
  if (after.length < 2) return undefined;
  const first = after[0];
  const last = after[after.length - 1];
  const growth = last.heapUsedMB - first.heapUsedMB;
  // fit's history grows by about the same amount every step: its share of the window.
  const expected =
    r.historyMB === undefined ? 0 : (r.historyMB * (last.step - first.step)) / r.steps;
  const adjusted = growth - expected;
  return {
    fromStep: first.step,
    toStep: last.step,
    heapGrowthMB: growth,
    adjustedGrowthMB: adjusted,
    heapSlopeMBPer1k:
      slope(
        after.map((s) => s.step),
        after.map((s) => s.heapUsedMB),
      ) * 1000,
    externalGrowthMB: last.externalMB - first.externalMB,
    rssGrowthMB: last.rssMB - first.rssMB,
    flat: Math.abs(adjusted) < FLAT_MB,
  };
}
