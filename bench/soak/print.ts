/** The soak's tables: each case's memory samples and snapshot changes, and the verdicts. */
import { fixed, formatTable } from '../report.js';
import { type CaseResult, MB, WARMUP_STEP } from './plan.js';
import { FLAT_MB, type Verdict } from './verdict.js';

const mb = (v: number): string => fixed(v, 2);
const signed = (v: number): string => (v >= 0 ? '+' : '') + fixed(v, 3);

/** Prints a case's memory samples as a table, then the largest changes between its snapshots. */
export function printSamples(r: CaseResult): void {
  console.log(`\n${r.case}: ${r.title}, every ${r.interval} steps (MB, after a full gc)`);
  console.log(
    formatTable(
      ['step', 's', 'heap used', 'external', 'arrayBuffers', 'rss'],
      r.samples.map((s) => [
        String(s.step),
        fixed(s.seconds, 1),
        mb(s.heapUsedMB),
        mb(s.externalMB),
        mb(s.arrayBuffersMB),
        fixed(s.rssMB, 1),
      ]),
    ),
  );
  for (const d of r.snapshots?.top ?? []) {
    if (d === r.snapshots?.top[0])
      console.log(`heap snapshots ${r.snapshots.files.join(' → ')}, largest changes:`);
    console.log(
      `  ${d.name.padEnd(50)} ${String(d.countBefore).padStart(8)} → ${String(d.countAfter).padEnd(8)} ${signed(d.bytesDelta / MB)} MB`,
    );
  }
}

/** Prints the verdict of each case that ran, as a table, and what 'history MB' means. */
export function printVerdicts(
  ran: readonly CaseResult[],
  verdicts: readonly { case: CaseResult['case']; verdict?: Verdict; historyMB?: number }[],
): void {
  console.log(
    `\nverdict: heap growth from the warm-up sample (step ${WARMUP_STEP}, or mid-run) to the last, flat when under ${FLAT_MB} MB`,
  );
  console.log(
    formatTable(
      [
        'case',
        'steps',
        'heap growth MB',
        'history MB',
        'adjusted MB',
        'MB per 1k steps',
        'external MB',
        'rss MB',
        'verdict',
      ],
      verdicts.map(({ case: c, verdict: v, historyMB }) => {
        const r = ran.find((x) => x.case === c) as CaseResult;
        return v === undefined
          ? [c, String(r.steps), '—', '—', '—', '—', '—', '—', 'too few samples']
          : [
              c,
              `${v.fromStep}→${v.toStep}`,
              signed(v.heapGrowthMB),
              historyMB === undefined ? '—' : fixed(historyMB, 3),
              signed(v.adjustedGrowthMB),
              signed(v.heapSlopeMBPer1k),
              signed(v.externalGrowthMB),
              signed(v.rssGrowthMB),
              v.flat ? 'flat' : 'GROWS',
            ];
      }),
    ),
  );
  if (verdicts.some((v) => v.historyMB !== undefined))
    console.log(
      "history MB: what fit's returned history held at the end (freed when dropped); its pro-rata share of the window is subtracted in 'adjusted'",
    );
}
