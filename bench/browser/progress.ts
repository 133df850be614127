/** The progress line of one run in a page: its figures, its gap, or why it failed. */
import { sig3 } from '../report.js';
import type { Run } from '../compare/types.js';
import type { BrowserRun } from './page.js';

/** `GFLOP/s 256: 12.3 · …` or `123 steps/s`, with the wall time; a gap or FAILED with its error. */
export function describeRun(run: BrowserRun | Run): string {
  const wall = `(${run.wallSeconds.toFixed(1)} s)`;
  if (!run.ok) {
    const gap = 'gap' in run && run.gap !== undefined;
    return `${gap ? '' : 'FAILED: '}${run.error ?? ''} ${wall}`;
  }
  const r = run.result!;
  const figure =
    r.sizes !== undefined
      ? `GFLOP/s ${r.sizes.map((s) => `${s.n}: ${sig3(s.gflops)}`).join(' · ')}`
      : `${sig3(r.stepsPerSecond)} steps/s`;
  return `${figure} ${wall}`;
}
