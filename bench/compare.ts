/**
 * nabla side by side with the peers a user would pick instead, in one run: TensorFlow.js on its
 * CPU and WASM backends (bench/peers/, installed for the benchmark only) and PyTorch on the CPU
 * through Debian's /usr/bin/python3 when it is installed. Every nabla backend that
 * `listBackends()` reports is measured. Cases: GEMM GFLOP/s (128…1024, float32), MLP training
 * throughput (784-256-128-10 ReLU, batch 128, SGD and Adam), the tiny 2-16-16-2 tanh network
 * (batch 32, SGD), nabla's main job end to end (`nabla train`), and the peak RSS of each. Each
 * framework × case runs in its own child process; the children print one `RESULT {json}` line.
 *
 * Run: `npm run bench -- compare` (≈ 4–6 minutes on 2 cores). Results: bench/results/compare.json.
 */
import os from 'node:os';
import { environment, isMain, printFooter, printHeader, writeResults } from './report.js';
import { OPENBLAS_OVERRIDES } from './compare/child.js';
import { figureLines, printFigures, printRss, tableColumns, tableJson } from './compare/figures.js';
import { nablaBackends, setUpFrameworks } from './compare/peers.js';
import { mainJobSpeedups, ratioRows } from './compare/ratios.js';
import { finder, runAll } from './compare/runs.js';

/** Runs the comparison: set-up, every run, the tables; writes bench/results/compare.json. */
export function run(): unknown {
  const env = environment();
  const backends = nablaBackends();
  env.backend = backends.join(', ');
  printHeader('compare: nabla side by side with TensorFlow.js and PyTorch', env);
  const { frameworks, notes, tfjsVersion, torch } = setUpFrameworks(backends);

  const runs = runAll(frameworks);
  const loadAfter = Math.round(os.loadavg()[0] * 100) / 100;

  const find = finder(runs);
  const columns = tableColumns(frameworks);
  const lines = figureLines(find);
  printFigures(lines, columns);
  printRss(frameworks, find);
  const nablaIds = frameworks.filter((f) => f.kind === 'nabla').map((f) => f.id);
  const ratios = ratioRows(lines, columns, nablaIds);
  const mainJob = mainJobSpeedups(find, nablaIds);
  console.log(`load average: ${env.loadAverage} at the start, ${loadAfter} at the end`);
  for (const n of notes) console.log(n);

  const results = {
    benchmark: 'compare',
    environment: env,
    loadAverageEnd: loadAfter,
    notes,
    frameworks,
    peers: {
      tfjs: tfjsVersion,
      torch: torch.info,
      openblasOverridesUnset: OPENBLAS_OVERRIDES,
    },
    table: tableJson(lines, columns),
    ratios,
    mainJob,
    runs,
  };
  printFooter(writeResults('compare', results));
  return results;
}

if (isMain(import.meta.url)) run();
