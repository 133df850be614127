/**
 * nabla side by side with the peers a user would pick instead: TensorFlow.js on its CPU and WASM
 * backends and jax-js on its WebAssembly device (bench/peers/, installed for the benchmark only),
 * PyTorch on the CPU through Debian's /usr/bin/python3. Both nabla backends are measured, each in
 * its own column. Cases: GEMM GFLOP/s (128…1024, float32), MLP training throughput
 * (784-256-128-10 ReLU, batch 128, SGD and Adam), the tiny 2-16-16-2 tanh network (batch 32, SGD),
 * nabla's main job end to end (`nabla train`), and the peak RSS of each.
 *
 * Runs in rounds (bench/compare/rounds.ts, shared with bench/cnn.ts): each round runs every
 * framework once per case, each in a fresh process, in an order rotated from round to round; the
 * tables show medians over the rounds with their spread, and each round's load average. A peer
 * that was asked for and cannot run makes it exit non-zero, with one line on why.
 *
 *   npm run bench -- compare [--rounds 3] [--peers nabla-js,pytorch,…] [--cases gemm,tiny,…]
 *
 * Results: bench/results/compare.json.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { environment, isMain, printFooter, printHeader, writeResults } from './report.js';
import { OPENBLAS_OVERRIDES } from './compare/child.js';
import { figureLines, printFigures, printRss, tableColumns, tableJson } from './compare/figures.js';
import { FRAMEWORKS, frameworksById, NOT_MEASURED } from './compare/frameworks.js';
import { setUpFrameworks } from './compare/peers.js';
import { mainJobSpeedups, ratioRows } from './compare/ratios.js';
import { failureLines, roundLine, runRounds, type RoundsPlan } from './compare/rounds.js';
import { applies, CASES, finder, reportRun, runOne } from './compare/runs.js';
import type { CaseName } from './compare/types.js';

/** The command line: rounds, the frameworks asked for, the cases. */
function options(argv: string[]): {
  rounds: number;
  peers: string;
  cases: CaseName[];
  explicitPeers: boolean;
} {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string', default: '3' },
      peers: { type: 'string', default: [...FRAMEWORKS.map((f) => f.id), 'tfjs-node'].join(',') },
      cases: { type: 'string', default: CASES.join(',') },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('compare: --rounds must be ≥ 1');
  const cases = values.cases.split(',') as CaseName[];
  const unknown = cases.filter((c) => !CASES.includes(c));
  if (unknown.length > 0) throw new Error(`compare: unknown case ${unknown.join(', ')}`);
  const explicitPeers = argv.some((a) => a.startsWith('--peers'));
  return { rounds, peers: values.peers, cases, explicitPeers };
}

/** Runs the comparison: set-up, the rounds, the tables; writes bench/results/compare.json. */
export function run(argv = process.argv.slice(2)): unknown {
  const opts = options(argv);
  const env = environment();
  const requested = frameworksById(opts.peers);
  printHeader('compare: nabla side by side with TensorFlow.js, jax-js and PyTorch', env);
  const setUp = setUpFrameworks(requested.frameworks);
  const plan: RoundsPlan = {
    frameworks: setUp.frameworks,
    cases: opts.cases,
    rounds: opts.rounds,
    run: runOne,
    applies,
    report: reportRun,
  };
  const { runs, rounds } = runRounds(plan);
  const loadAfter = os.loadavg();

  const find = finder(runs);
  const notMeasured = requested.notMeasured.map((id) => ({ id, ...NOT_MEASURED[id] }));
  const columns = tableColumns(setUp.frameworks, notMeasured, opts.cases);
  const lines = figureLines(find).filter((l) => opts.cases.includes(l.case));
  printFigures(lines, columns);
  printRss(setUp.frameworks, find, opts.cases);
  const nablaIds = setUp.frameworks.filter((f) => f.kind === 'nabla').map((f) => f.id);
  const ratios = ratioRows(lines, columns, nablaIds);
  const jobLine = lines.find((l) => l.case === 'main-job');
  const mainJob = jobLine === undefined ? [] : mainJobSpeedups(jobLine, nablaIds);
  for (const r of rounds) console.log(roundLine(r));
  console.log(`after: load ${loadAfter.map((l) => l.toFixed(1)).join(' ')}`);

  // By default the table shows the frameworks not measured here; named in --peers, they fail.
  const unmeasured = opts.explicitPeers ? notMeasured.map((c) => `${c.id}: ${c.why}`) : [];
  const failures = [...unmeasured, ...setUp.failures, ...failureLines(plan, runs)];
  const results = {
    benchmark: 'compare',
    environment: env,
    loadAverageEnd: loadAfter[0],
    rounds,
    failures,
    notMeasured,
    frameworks: setUp.frameworks,
    peers: {
      ...setUp.versions,
      torch: setUp.torch.info,
      openblasOverridesUnset: OPENBLAS_OVERRIDES,
    },
    table: tableJson(lines, columns),
    ratios,
    mainJob,
    runs,
  };
  printFooter(writeResults('compare', results));
  // A peer asked for that cannot run fails the benchmark: a table with a silent gap misleads.
  for (const f of failures) console.error(`compare: FAILED ${f}`);
  if (failures.length > 0) process.exitCode = 1;
  return results;
}

if (isMain(import.meta.url)) run();
