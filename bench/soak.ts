/**
 * Long runs: does memory stay flat? Trains for many steps and records the V8 heap in use (after a
 * forced full collection), the memory held outside the heap (`external`, `arrayBuffers`) and the
 * RSS every `interval` steps. Three cases, each in its own child process (so that one case's
 * heap, JIT state and RSS cannot be blamed on another):
 *
 * - `loop`: the tiny teaching network, 2-16-16-2 tanh on 512 spiral points, batch 32, SGD with
 *   momentum, through a hand-written loop (zeroGrad, forward, crossEntropy, backward, step, and
 *   `loss.item()` kept as a number) — 20,000 steps;
 * - `fit`: the same through `fit()` (maxSteps 20,000), sampled from `callbacks.onBatchEnd`. `fit`
 *   keeps `history.batchLosses` (one number per step) and `history.epochs` (one object per
 *   epoch): that is expected growth, measured at the end (the heap freed by dropping the history)
 *   and subtracted pro rata from the verdict;
 * - `mlp`: the 784-256-128-10 ReLU MLP on 8 batches of random data held in memory, batch 128,
 *   Adam — 5,000 steps, sampled every 500; fewer (whole intervals, at least 2,000) when 5,000 would
 *   take more than 60 s, skipped when not even 2,000 would (the `js` backend).
 *
 * Verdict per case: the heap's growth from the warm-up sample (step 2,000) to the last, in MB and
 * as a least-squares slope per 1,000 steps; "flat" when the growth (minus fit's history) is under
 * 1 MB. Writes bench/results/soak.json.
 *
 *   npm run bench -- soak
 *   npm run build && node --expose-gc --import tsx bench/soak.ts [loop|fit|mlp ...]
 *   … bench/soak.ts --steps 100000 loop        # longer (the interval scales: 20 samples)
 *   … bench/soak.ts --snapshots loop           # also heap snapshots at warm-up and end, diffed
 *
 * A child is the same file with `--child <case>`; it prints one line `RESULT {json}`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getBackend } from 'nabla/node';
import { Benchmark, fixed, isMain, now } from './report.js';
import { CASE_NAMES, type CaseName, type CaseResult, MB, WARMUP_STEP } from './soak/plan.js';
import { printSamples, printVerdicts } from './soak/print.js';
import { child } from './soak/training.js';
import { FLAT_MB, verdict } from './soak/verdict.js';

/** The command line: the cases to run (all by default), --steps, --snapshots, --child <case>. */
function parseArgs(args: readonly string[]): {
  cases: CaseName[];
  steps?: number;
  snapshots: boolean;
  child?: CaseName;
} {
  const cases: CaseName[] = [];
  let steps: number | undefined;
  let snapshots = false;
  let childCase: CaseName | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--snapshots') snapshots = true;
    else if (a === '--steps') {
      steps = Number(args[++i]);
      if (!Number.isInteger(steps) || steps < 20)
        throw new RangeError(`soak: --steps needs an integer ≥ 20, got ${args[i]}`);
    } else if (a === '--child') {
      const c = args[++i];
      if (!(CASE_NAMES as string[]).includes(c)) throw new Error(`soak: no case ${c}`);
      childCase = c as CaseName;
    } else if ((CASE_NAMES as string[]).includes(a)) cases.push(a as CaseName);
    else throw new Error(`soak: unknown argument ${JSON.stringify(a)} (cases: ${CASE_NAMES})`);
  }
  return { cases: cases.length > 0 ? cases : CASE_NAMES, steps, snapshots, child: childCase };
}

/** Runs one case in a child process (this file with `--child`) and returns what it reported. */
function runChild(name: CaseName, steps: number | undefined, snapshots: boolean): CaseResult {
  const flags = process.execArgv.includes('--expose-gc')
    ? [...process.execArgv]
    : ['--expose-gc', ...process.execArgv];
  if (!flags.some((f) => f === 'tsx' || f.startsWith('--import=tsx')))
    flags.push('--import', 'tsx');
  const args = [fileURLToPath(import.meta.url), '--child', name];
  if (steps !== undefined) args.push('--steps', String(steps));
  if (snapshots) args.push('--snapshots');
  const child = spawnSync(process.execPath, [...flags, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * MB,
  });
  const line = child.stdout
    ?.split('\n')
    .reverse()
    .find((l) => l.startsWith('RESULT '));
  if (child.status !== 0 || line === undefined) {
    process.stdout.write(child.stdout ?? '');
    throw new Error(
      `soak: case ${name} failed (${child.error?.message ?? (child.signal !== null ? `signal ${child.signal}` : `exit code ${child.status}`)})`,
    );
  }
  return JSON.parse(line.slice('RESULT '.length)) as CaseResult;
}

/** Runs each case in its own child process, printing a line on each as it ends. */
function runCases(opts: ReturnType<typeof parseArgs>): CaseResult[] {
  const results: CaseResult[] = [];
  for (const name of opts.cases) {
    const t0 = now();
    const r = runChild(name, opts.steps, opts.snapshots);
    results.push(r);
    if (r.note !== undefined) console.log(`${name}: ${r.note}`);
    console.log(
      r.skipped !== undefined
        ? `${name}: skipped, ${r.skipped}`
        : `${name}: ${r.steps} steps in ${fixed(r.seconds, 1)} s (${fixed(r.stepsPerSecond, 0)} steps/s, backend ${r.backend}, final loss ${fixed(r.finalLoss, 4)}, peak RSS ${fixed(r.peakRssMB, 0)} MB; child ${fixed((now() - t0) / 1000, 1)} s)`,
    );
  }
  return results;
}

/** Runs the soak: the cases, their tables and verdicts; writes bench/results/soak.json. */
export function run(args: readonly string[] = []): unknown {
  const opts = parseArgs(args);
  const bench = new Benchmark('soak', `soak: memory over long runs, backend ${getBackend()}`);
  const results = runCases(opts);
  const ran = results.filter((r) => r.skipped === undefined);
  for (const r of ran) printSamples(r);
  const verdicts = ran.map((r) => ({ case: r.case, verdict: verdict(r), historyMB: r.historyMB }));
  printVerdicts(ran, verdicts);
  return bench.finish({
    backend: getBackend(),
    flatThresholdMB: FLAT_MB,
    warmupStep: WARMUP_STEP,
    cases: results.map((r) => ({
      ...r,
      verdict: verdicts.find((v) => v.case === r.case)?.verdict,
    })),
  });
}

if (isMain(import.meta.url)) {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.child !== undefined) {
    child(opts.child, opts.steps, opts.snapshots);
  } else {
    run(process.argv.slice(2));
  }
}
