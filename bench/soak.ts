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
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import {
  Adam,
  crossEntropy,
  DataLoader,
  datasets,
  fit,
  getBackend,
  manualSeed,
  mlp,
  randint,
  randn,
  SGD,
  TensorDataset,
  type Tensor,
} from 'nabla/node';
import {
  Benchmark,
  collectGarbage,
  fixed,
  formatTable,
  isMain,
  now,
  peakRssMB,
  RESULTS_DIR,
} from './report.js';

const CASES = {
  loop: '2-16-16-2 tanh, spiral, batch 32, SGD momentum — hand loop',
  fit: '2-16-16-2 tanh, spiral, batch 32, SGD momentum — fit()',
  mlp: '784-256-128-10 relu, random data, batch 128, Adam — hand loop',
} as const;
type CaseName = keyof typeof CASES;
const CASE_NAMES = Object.keys(CASES) as CaseName[];

const DEFAULT_STEPS: Record<CaseName, number> = { loop: 20_000, fit: 20_000, mlp: 5_000 };
/**
 * The growth is measured from the sample at this step (the JIT, the pools and the caches have
 * settled by then), or from the middle of a shorter run.
 */
const WARMUP_STEP = 2_000;
/** Growth under this many MB over the run counts as noise. */
const FLAT_MB = 1;
/**
 * The `mlp` case runs fewer steps (whole intervals) when 5,000 would take longer than this, and is
 * skipped when fewer than MLP_MIN_STEPS would fit (the `js` backend); `--steps` overrides both.
 */
const MLP_BUDGET_S = 60;
const MLP_MIN_STEPS = 2_000;

const MB = 1024 * 1024;

interface Sample {
  step: number;
  seconds: number;
  heapUsedMB: number;
  externalMB: number;
  arrayBuffersMB: number;
  rssMB: number;
}

interface CaseResult {
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

type CaseRun = Omit<CaseResult, 'case' | 'title' | 'backend' | 'steps' | 'interval' | 'warmupStep'>;

interface Verdict {
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

function sample(step: number, t0: number): Sample {
  collectGarbage();
  const m = process.memoryUsage();
  return {
    step,
    seconds: (now() - t0) / 1000,
    heapUsedMB: m.heapUsed / MB,
    externalMB: m.external / MB,
    arrayBuffersMB: m.arrayBuffers / MB,
    rssMB: m.rss / MB,
  };
}

// ---------------------------------------------------------------------------------------------
// Heap snapshots (only with --snapshots): count nodes by type and constructor name in two
// snapshots and list the largest increases.

interface SnapshotDelta {
  name: string;
  countBefore: number;
  countAfter: number;
  bytesDelta: number;
}

interface HeapSnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: unknown[] } };
  nodes: number[];
  strings: string[];
}

function countByConstructor(file: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotFile;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0] as string[];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]];
    const raw = snap.strings[snap.nodes[i + iName]];
    // Strings and code are named by their contents: group them by type only.
    const name =
      type === 'object' || type === 'closure' || type === 'native'
        ? `${type} ${raw.slice(0, 60)}`
        : `(${type})`;
    const entry = out.get(name) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snap.nodes[i + iSize];
    out.set(name, entry);
  }
  return out;
}

function diffSnapshots(before: string, after: string): SnapshotDelta[] {
  const a = countByConstructor(before);
  const b = countByConstructor(after);
  const names = new Set([...a.keys(), ...b.keys()]);
  const deltas: SnapshotDelta[] = [];
  for (const name of names) {
    const x = a.get(name) ?? { count: 0, bytes: 0 };
    const y = b.get(name) ?? { count: 0, bytes: 0 };
    deltas.push({
      name,
      countBefore: x.count,
      countAfter: y.count,
      bytesDelta: y.bytes - x.bytes,
    });
  }
  return deltas
    .filter((d) => d.countAfter !== d.countBefore || d.bytesDelta !== 0)
    .sort((p, q) => Math.abs(q.bytesDelta) - Math.abs(p.bytesDelta))
    .slice(0, 15);
}

/** Writes a snapshot at the warm-up sample and at the last one, when asked to. */
class Snapshots {
  readonly files: string[] = [];
  constructor(
    private readonly name: CaseName,
    private readonly enabled: boolean,
  ) {}
  take(step: number): void {
    if (!this.enabled) return;
    collectGarbage();
    const file = path.join(RESULTS_DIR, `soak-${this.name}-${step}.heapsnapshot`);
    v8.writeHeapSnapshot(file);
    this.files.push(file);
  }
  result(): CaseResult['snapshots'] {
    if (this.files.length < 2) return undefined;
    const top = diffSnapshots(this.files[0], this.files[this.files.length - 1]);
    return { files: this.files.map((f) => path.relative(process.cwd(), f)), top };
  }
}

// ---------------------------------------------------------------------------------------------
// The cases (run in a child process).

interface Plan {
  steps: number;
  /** The steps were given with --steps: run them whatever the time. */
  explicit: boolean;
  interval: number;
  warmupStep: number;
  snapshots: boolean;
}

/** The first sample at or after WARMUP_STEP, or the one in the middle of a shorter run. */
function warmupFor(steps: number, interval: number): number {
  const mid = Math.round(steps / 2 / interval) * interval;
  return Math.min(Math.ceil(WARMUP_STEP / interval) * interval, mid);
}

function plan(name: CaseName, steps: number | undefined, snapshots: boolean): Plan {
  const total = steps ?? DEFAULT_STEPS[name];
  const interval = Math.max(1, Math.round(total / (name === 'mlp' ? 10 : 20)));
  const warmupStep = warmupFor(total, interval);
  return { steps: total, explicit: steps !== undefined, interval, warmupStep, snapshots };
}

function spiralLoader(): { data: ReturnType<typeof datasets.spiral>; loader: DataLoader } {
  const data = datasets.spiral({ samples: 512, noise: 0.1, seed: 0 });
  const loader = new DataLoader(new TensorDataset(data.x, data.y), {
    batchSize: 32,
    shuffle: true,
  });
  return { data, loader };
}

const tinySGD = (params: ConstructorParameters<typeof SGD>[0]): SGD =>
  new SGD(params, { lr: 0.05, momentum: 0.9 });

/** One step of the hand-written loops on the batch (x, y); returns the loss. */
function trainStep(
  model: { call(x: Tensor): Tensor },
  opt: { zeroGrad(): void; step(): void },
  x: Tensor,
  y: Tensor,
): number {
  opt.zeroGrad();
  const loss = crossEntropy(model.call(x), y);
  loss.backward();
  opt.step();
  return loss.item();
}

/**
 * After training step `step`: a memory sample every `interval` steps and at the last one, and a
 * heap snapshot (when asked for) at the warm-up step and at the last one.
 */
function record(step: number, p: Plan, samples: Sample[], t0: number, snaps: Snapshots): void {
  if (step % p.interval === 0 || step === p.steps) {
    samples.push(sample(step, t0));
    if (step === p.warmupStep || step === p.steps) snaps.take(step);
  }
}

function runLoop(p: Plan): CaseRun {
  manualSeed(0);
  const { loader } = spiralLoader();
  const model = mlp([2, 16, 16, 2], { activation: 'tanh' });
  const opt = tinySGD(model.parameters());
  const snaps = new Snapshots('loop', p.snapshots);
  const samples: Sample[] = [];
  const t0 = now();
  samples.push(sample(0, t0));
  let step = 0;
  let last = NaN;
  while (step < p.steps) {
    for (const [x, y] of loader) {
      last = trainStep(model, opt, x, y);
      step++;
      record(step, p, samples, t0, snaps);
      if (step >= p.steps) break;
    }
  }
  const seconds = (now() - t0) / 1000;
  return {
    seconds,
    stepsPerSecond: p.steps / seconds,
    finalLoss: last,
    samples,
    snapshots: snaps.result(),
  };
}

function runFit(p: Plan): CaseRun {
  manualSeed(0);
  const { data } = spiralLoader();
  const model = mlp([2, 16, 16, 2], { activation: 'tanh' });
  const snaps = new Snapshots('fit', p.snapshots);
  const samples: Sample[] = [];
  const batches = Math.ceil(512 / 32);
  const t0 = now();
  samples.push(sample(0, t0));
  let history: ReturnType<typeof fit> | undefined = fit(model, data, {
    optimizer: tinySGD,
    batchSize: 32,
    epochs: Math.ceil(p.steps / batches),
    maxSteps: p.steps,
    callbacks: {
      onBatchEnd(info) {
        record(info.step, p, samples, t0, snaps);
      },
    },
  });
  const seconds = (now() - t0) / 1000;
  const finalLoss = history.batchLosses[history.batchLosses.length - 1];
  const steps = history.steps;
  // What the history holds: the heap freed by letting go of it.
  collectGarbage();
  const withHistory = process.memoryUsage().heapUsed;
  history = undefined;
  collectGarbage();
  const historyMB = (withHistory - process.memoryUsage().heapUsed) / MB;
  return {
    seconds,
    stepsPerSecond: steps / seconds,
    finalLoss,
    samples,
    historyMB,
    snapshots: snaps.result(),
  };
}

function runMlp(p: Plan): CaseRun {
  manualSeed(0);
  const data: [Tensor, Tensor][] = [];
  for (let i = 0; i < 8; i++) data.push([randn([128, 784]), randint(0, 10, [128])]);
  const model = mlp([784, 256, 128, 10], { activation: 'relu' });
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  let step = 0;
  let last = NaN;
  const next = (): void => {
    const [x, y] = data[step % data.length];
    last = trainStep(model, opt, x, y);
    step++;
  };
  // Project the run's time from a few steps (they count towards the run).
  const probeStart = now();
  while (step < 20 || now() - probeStart < 1000) next();
  const msPerStep = (now() - probeStart) / step;
  const projected = (p.steps * msPerStep) / 1000;
  let note: string | undefined;
  if (projected > MLP_BUDGET_S && !p.explicit) {
    // A slow backend or busy cores: as many whole intervals as fit in the budget.
    const fits = Math.floor((MLP_BUDGET_S * 1000) / msPerStep / p.interval) * p.interval;
    if (fits < MLP_MIN_STEPS) {
      return {
        seconds: 0,
        stepsPerSecond: 1000 / msPerStep,
        finalLoss: last,
        samples: [],
        skipped: `${p.steps} steps would take ~${Math.round(projected)} s on backend ${getBackend()} (budget ${MLP_BUDGET_S} s); run it alone with --steps`,
      };
    }
    note = `${fits} steps instead of ${p.steps}: ${p.steps} would take ~${Math.round(projected)} s at ${fixed(1000 / msPerStep, 0)} steps/s (budget ${MLP_BUDGET_S} s)`;
    p.steps = fits;
    p.warmupStep = warmupFor(fits, p.interval);
  }
  const snaps = new Snapshots('mlp', p.snapshots);
  const samples: Sample[] = [];
  const t0 = now();
  samples.push(sample(step, t0));
  while (step < p.steps) {
    next();
    record(step, p, samples, t0, snaps);
  }
  const seconds = (now() - t0) / 1000;
  return {
    seconds,
    stepsPerSecond: (p.steps - samples[0].step) / seconds,
    finalLoss: last,
    samples,
    snapshots: snaps.result(),
    note,
  };
}

function child(name: CaseName, steps: number | undefined, snapshots: boolean): void {
  const p = plan(name, steps, snapshots);
  const run = { loop: runLoop, fit: runFit, mlp: runMlp }[name];
  const r = run(p);
  const result: CaseResult = {
    case: name,
    title: CASES[name],
    backend: getBackend(),
    steps: p.steps,
    interval: p.interval,
    warmupStep: p.warmupStep,
    ...r,
    peakRssMB: peakRssMB(),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

// ---------------------------------------------------------------------------------------------
// The parent: one child per case, then the tables and the verdicts.

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

function verdict(r: CaseResult): Verdict | undefined {
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

const mb = (v: number): string => fixed(v, 2);
const signed = (v: number): string => (v >= 0 ? '+' : '') + fixed(v, 3);

export function run(args: readonly string[] = []): unknown {
  const opts = parseArgs(args);
  const bench = new Benchmark('soak', `soak: memory over long runs, backend ${getBackend()}`);
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
  const ran = results.filter((r) => r.skipped === undefined);
  for (const r of ran) {
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
  const verdicts = ran.map((r) => ({ case: r.case, verdict: verdict(r), historyMB: r.historyMB }));
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
