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
import { ensurePeers } from './compare/peers.js';
import type { CaseName, Framework, Run } from './compare/types.js';

const FRAMEWORKS: Record<string, Framework> = {
  'nabla-native': { id: 'nabla-native', label: 'nabla native', kind: 'nabla', backend: 'native' },
  'nabla-js': { id: 'nabla-js', label: 'nabla js', kind: 'nabla', backend: 'js' },
  pytorch: { id: 'pytorch', label: 'PyTorch', kind: 'torch' },
  'tfjs-wasm': { id: 'tfjs-wasm', label: 'TF.js wasm', kind: 'tfjs', backend: 'wasm' },
  'tfjs-cpu': { id: 'tfjs-cpu', label: 'TF.js cpu', kind: 'tfjs', backend: 'cpu' },
};

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    cases: { type: 'string', default: 'lenet,cifar' },
    peers: { type: 'string', default: 'nabla-native,pytorch,tfjs-cpu' },
  },
});
const rounds = Number(values.rounds);
const cases = values.cases.split(',') as CaseName[];
const frameworks = values.peers.split(',').map((id) => {
  const fw = FRAMEWORKS[id];
  if (fw === undefined)
    throw new Error(`cnn: unknown peer ${id}; known: ${Object.keys(FRAMEWORKS).join(', ')}`);
  return fw;
});

if (frameworks.some((f) => f.kind === 'tfjs')) {
  const peers = ensurePeers();
  if (!peers.ok) throw new Error(`cnn: ${peers.note ?? 'TF.js could not be installed'}`);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Cell {
  rates: number[];
  rss: number[];
  failures: string[];
}

const cells = new Map<string, Cell>();
const loads: string[] = [];
for (let r = 0; r < rounds; r++) {
  const order = frameworks.map((_, i) => frameworks[(i + r) % frameworks.length]);
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  loads.push(`round ${r + 1}: load ${load}; order ${order.map((f) => f.id).join(', ')}`);
  console.log(loads.at(-1));
  for (const c of cases) {
    for (const fw of order) {
      const run: Run = runChild(fw, c);
      const key = `${c}/${fw.id}`;
      const cell = cells.get(key) ?? { rates: [], rss: [], failures: [] };
      if (run.ok && run.result?.stepsPerSecond !== undefined) {
        cell.rates.push(run.result.stepsPerSecond);
        cell.rss.push(run.result.maxRssMB);
        const threads = run.result.threads === undefined ? '' : ` (${run.result.threads} threads)`;
        console.log(
          `  ${key}: ${run.result.stepsPerSecond.toFixed(2)} steps/s${threads}, ${run.result.maxRssMB.toFixed(0)} MB`,
        );
      } else {
        cell.failures.push(run.error ?? 'failed');
        console.log(`  ${key}: FAILED ${run.error ?? ''}`);
      }
      cells.set(key, cell);
    }
  }
}

const rows: string[] = [];
rows.push(
  '| case | framework | steps/s (median) | spread | × PyTorch | peak RSS MB | × PyTorch RSS |',
);
rows.push('| --- | --- | ---: | --- | ---: | ---: | ---: |');
let failed = false;
for (const c of cases) {
  const torch = cells.get(`${c}/pytorch`);
  const torchRate = torch !== undefined && torch.rates.length > 0 ? median(torch.rates) : undefined;
  const torchRss = torch !== undefined && torch.rss.length > 0 ? median(torch.rss) : undefined;
  for (const fw of frameworks) {
    const cell = cells.get(`${c}/${fw.id}`);
    if (cell === undefined || cell.rates.length === 0) {
      failed = true;
      rows.push(`| ${c} | ${fw.label} | failed: ${cell?.failures[0] ?? 'not run'} | | | | |`);
      continue;
    }
    const rate = median(cell.rates);
    const rss = median(cell.rss);
    const spread = `${Math.min(...cell.rates).toFixed(2)}–${Math.max(...cell.rates).toFixed(2)}`;
    const ratio = torchRate === undefined ? '' : (rate / torchRate).toFixed(2);
    const rssRatio = torchRss === undefined ? '' : (rss / torchRss).toFixed(2);
    rows.push(
      `| ${c} | ${fw.label} | ${rate.toFixed(2)} | ${spread} | ${ratio} | ${rss.toFixed(0)} | ${rssRatio} |`,
    );
  }
}
const report = [
  ...rows,
  '',
  ...loads,
  `after: load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
].join('\n');
console.log(`\n${report}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/cnn.md.tmp', `${report}\n`);
renameSync('bench/results/cnn.md.tmp', 'bench/results/cnn.md');
if (failed) process.exitCode = 1;
