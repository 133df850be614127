/**
 * Convolutional networks side by side, interleaved: LeNet-5 and a CIFAR-sized network with batch
 * norm, trained with SGD on random batches of 64 by nabla (native and js backends), PyTorch (the
 * better of 1 and 2 threads) and TF.js (wasm and cpu backends). Each round runs every framework
 * once, in a fresh process, in an order rotated from round to round, so that the machine's load
 * falls on all of them alike; the table shows each framework's median steps/s over the rounds,
 * the spread (min–max), the ratio to PyTorch and the peak RSS, and every round's load average.
 *
 *   npm run build && node --import tsx bench/cnn.ts [--rounds 3] [--cases lenet,cifar] [--peers nabla-native,pytorch,tfjs-cpu]
 *
 * The networks (the same in bench/peers/nabla.mjs, torch_runner.py and tfjs.mjs):
 *   lenet: 1×28×28 → conv 5×5×6 (pad 2) → ReLU → max-pool 2 → conv 5×5×16 → ReLU → max-pool 2
 *          → 400 → 120 → 84 → 10, plain SGD (lr 0.01);
 *   cifar: 3×32×32 → [conv 3×3 (pad 1) → batch norm → ReLU] 32, 32 → pool → 64, 64 → pool
 *          → 4096 → 256 → 10, SGD with momentum 0.9.
 * TF.js runs on its cpu backend: its wasm backend (4.x) has no kernels for the convolution's
 * gradients (`Conv2DBackpropFilter` is not registered), so it cannot train these networks.
 * A peer that was asked for and cannot run makes the benchmark exit non-zero.
 */
import { loadavg } from 'node:os';
import { writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runChild } from './compare/child.js';
import { frameworksById } from './compare/frameworks.js';
import { ensurePeers } from './compare/peers.js';
import {
  failureLines,
  roundLine,
  runRounds,
  summarize,
  type RoundsPlan,
} from './compare/rounds.js';
import type { CaseName, Run } from './compare/types.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    cases: { type: 'string', default: 'lenet,cifar' },
    peers: { type: 'string', default: 'nabla-native,pytorch,tfjs-cpu' },
  },
});
const cases = values.cases.split(',') as CaseName[];
const { frameworks, notMeasured } = frameworksById(values.peers);
if (notMeasured.length > 0) throw new Error(`cnn: not measured here: ${notMeasured.join(', ')}`);

if (frameworks.some((f) => f.kind === 'tfjs')) {
  const peers = ensurePeers();
  if (!peers.ok) throw new Error(`cnn: ${peers.note ?? 'TF.js could not be installed'}`);
}

/** The progress line of a run. */
function report(run: Run): void {
  const key = `${run.case}/${run.framework}`;
  if (!run.ok || run.result?.stepsPerSecond === undefined) {
    console.log(`  ${key}: FAILED ${run.error ?? ''}`);
    return;
  }
  const threads = run.result.threads === undefined ? '' : ` (${run.result.threads} threads)`;
  console.log(
    `  ${key}: ${run.result.stepsPerSecond.toFixed(2)} steps/s${threads}, ${run.result.maxRssMB.toFixed(0)} MB`,
  );
}

const plan: RoundsPlan = {
  frameworks,
  cases,
  rounds: Number(values.rounds),
  run: runChild,
  report,
};
const { runs, rounds } = runRounds(plan);

/** Steps/s and peak RSS of each successful run of a framework on a case. */
function figures(c: CaseName, fw: string): { rates: number[]; rss: number[] } {
  const ok = runs.filter((r) => r.case === c && r.framework === fw && r.ok && r.result);
  return {
    rates: ok.map((r) => r.result?.stepsPerSecond).filter((v): v is number => v !== undefined),
    rss: ok.map((r) => r.result?.maxRssMB ?? 0),
  };
}

const rows: string[] = [];
rows.push(
  '| case | framework | steps/s (median) | spread | × PyTorch | peak RSS MB | × PyTorch RSS |',
);
rows.push('| --- | --- | ---: | --- | ---: | ---: | ---: |');
for (const c of cases) {
  const torch = figures(c, 'pytorch');
  const torchRate = summarize(torch.rates)?.median;
  const torchRss = summarize(torch.rss)?.median;
  for (const fw of frameworks) {
    const f = figures(c, fw.id);
    const rate = summarize(f.rates);
    const rss = summarize(f.rss);
    if (rate === undefined || rss === undefined) {
      const why = runs.find((r) => r.case === c && r.framework === fw.id)?.error ?? 'not run';
      rows.push(`| ${c} | ${fw.label} | failed: ${why} | | | | |`);
      continue;
    }
    const spread = `${rate.min.toFixed(2)}–${rate.max.toFixed(2)}`;
    const ratio = torchRate === undefined ? '' : (rate.median / torchRate).toFixed(2);
    const rssRatio = torchRss === undefined ? '' : (rss.median / torchRss).toFixed(2);
    rows.push(
      `| ${c} | ${fw.label} | ${rate.median.toFixed(2)} | ${spread} | ${ratio} | ${rss.median.toFixed(0)} | ${rssRatio} |`,
    );
  }
}
const failures = failureLines(plan, runs);
const text = [
  ...rows,
  '',
  ...rounds.map(roundLine),
  `after: load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
].join('\n');
console.log(`\n${text}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/cnn.md.tmp', `${text}\n`);
renameSync('bench/results/cnn.md.tmp', 'bench/results/cnn.md');
for (const f of failures) console.error(`cnn: FAILED ${f}`);
if (failures.length > 0) process.exitCode = 1;
