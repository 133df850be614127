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
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  environment,
  fixed,
  formatTable,
  isMain,
  printFooter,
  printHeader,
  sig3,
  writeResults,
} from './report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PEERS = fileURLToPath(new URL('./peers/', import.meta.url));
const PYTHON = '/usr/bin/python3';
const TORCH_HINT = 'apt-get install python3-torch python3-numpy libopenblas0';
/** The machine's environment sets these; they make OpenBLAS pick a slower kernel / blocking. */
const OPENBLAS_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];
const GEMM_SIZES = [128, 256, 512, 1024];
/** A case takes 5–15 s; a child still running after this is stuck (it is killed). */
const CASE_TIMEOUT_MS = 90_000;
/** The main job takes ≈ 35 s on the TypeScript backend. */
const MAIN_JOB_TIMEOUT_MS = 240_000;

type Kind = 'nabla' | 'tfjs' | 'torch';
type CaseName = 'gemm' | 'mlp-sgd' | 'mlp-adam' | 'tiny' | 'main-job';

interface Framework {
  /** nabla-js, nabla-native, tfjs-wasm, tfjs-cpu, pytorch. */
  id: string;
  label: string;
  kind: Kind;
  /** The nabla backend or the TF.js backend. */
  backend?: string;
}

/** What a child reports (plus framework-specific fields kept in the JSON). */
interface ChildResult {
  [key: string]: unknown;
  maxRssMB: number;
  stepsPerSecond?: number;
  samplesPerSecond?: number;
  sizes?: { n: number; gflops: number; bestGflops: number; reps: number; threads?: number }[];
  numpy?: { n: number; gflops: number; bestGflops: number; reps: number; threads?: number }[];
  threads?: number;
  seconds?: number;
}

interface Run {
  framework: string;
  case: CaseName;
  ok: boolean;
  wallSeconds: number;
  result?: ChildResult;
  error?: string;
  /** Killed at the time-out. */
  timedOut?: boolean;
}

/** Per-case run lengths: the slow TF.js CPU backend gets fewer steps. */
function childConfig(fw: Framework, name: CaseName): Record<string, unknown> {
  if (name === 'gemm') {
    if (fw.id === 'tfjs-cpu') return { case: name, gemmBudgetMs: 800, gemmMinReps: 2 };
    if (fw.kind === 'torch') return { case: name, gemmBudgetMs: 600, gemmMinReps: 3 };
    return { case: name, gemmBudgetMs: 1200, gemmMinReps: 3 };
  }
  const tinyCase = name === 'tiny';
  if (fw.id === 'tfjs-cpu' && !tinyCase) {
    return { case: name, warmupMs: 600, windowMs: 800, windows: 3, minSteps: 2 };
  }
  if (fw.kind === 'torch') {
    // Measured twice (1 and 2 threads): shorter windows.
    return { case: name, warmupMs: tinyCase ? 800 : 500, windowMs: 700, windows: 3 };
  }
  return { case: name, warmupMs: tinyCase ? 1500 : 800, windowMs: 1000, windows: 3 };
}

function childEnv(fw: Framework): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (fw.kind === 'nabla' && fw.backend !== undefined) env.NABLA_BACKEND = fw.backend;
  if (fw.kind === 'torch') for (const k of OPENBLAS_OVERRIDES) delete env[k];
  return env;
}

function spawn(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeout = CASE_TIMEOUT_MS,
): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
}

function failure(child: SpawnSyncReturns<string | Buffer>): string {
  const why =
    child.error?.message ??
    (child.signal !== null ? `signal ${child.signal}` : `exit code ${child.status}`);
  // The error's own line rather than the stack under it.
  const lines = `${child.stderr ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at ') && !l.startsWith('Node.js v'));
  const line = lines.find((l) => /^\w*(Error|Exception)\b/.test(l)) ?? lines.at(-1);
  return line === undefined ? why : `${why}: ${line}`;
}

function parseResult(stdout: string): ChildResult | undefined {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('RESULT '));
  return line === undefined ? undefined : (JSON.parse(line.slice(7)) as ChildResult);
}

function runChild(fw: Framework, name: CaseName): Run {
  const config = JSON.stringify(childConfig(fw, name));
  const env = childEnv(fw);
  const [command, args] =
    fw.kind === 'torch'
      ? [PYTHON, [path.join(PEERS, 'torch_runner.py'), config]]
      : fw.kind === 'tfjs'
        ? [
            process.execPath,
            [
              path.join(PEERS, 'tfjs.mjs'),
              JSON.stringify({ ...JSON.parse(config), backend: fw.backend }),
            ],
          ]
        : [process.execPath, [path.join(PEERS, 'nabla.mjs'), config]];
  const t0 = performance.now();
  const child = spawn(command, args as string[], env);
  const wallSeconds = (performance.now() - t0) / 1000;
  const result = child.status === 0 ? parseResult(child.stdout) : undefined;
  if (result === undefined) {
    const timedOut = (child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    return {
      framework: fw.id,
      case: name,
      ok: false,
      wallSeconds,
      error: child.status === 0 ? 'no RESULT line' : failure(child),
      ...(timedOut ? { timedOut, error: `hung: killed after ${CASE_TIMEOUT_MS / 1000} s` } : {}),
    };
  }
  return { framework: fw.id, case: name, ok: true, wallSeconds, result };
}

/** `nabla train --no-progress` on one backend, wall time of the whole process. */
function runMainJob(fw: Framework): Run {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nabla-compare-'));
  try {
    const env = childEnv(fw);
    env.NABLA_BENCH_RSS_FILE = path.join(dir, 'rss.json');
    const args = [
      '--import',
      path.join(PEERS, 'rss-on-exit.mjs'),
      path.join(ROOT, 'dist', 'cli', 'main.js'),
      'train',
      '--no-progress',
      '--out',
      path.join(dir, 'run'),
    ];
    const t0 = performance.now();
    const child = spawn(process.execPath, args, env, MAIN_JOB_TIMEOUT_MS);
    const seconds = (performance.now() - t0) / 1000;
    if (child.status !== 0) {
      return {
        framework: fw.id,
        case: 'main-job',
        ok: false,
        wallSeconds: seconds,
        error: failure(child),
      };
    }
    const rss = JSON.parse(readFileSync(env.NABLA_BENCH_RSS_FILE, 'utf8')) as { maxRssMB: number };
    const summary = JSON.parse(readFileSync(path.join(dir, 'run', 'summary.json'), 'utf8')) as {
      backend: string;
      epochs: number;
      seconds: number;
      secondsPerEpoch: number;
      samplesPerSecond: number;
      test?: { accuracy: number };
    };
    if (summary.backend !== fw.backend) {
      // An unusable NABLA_BACKEND makes nabla fall back to another backend with a notice.
      const notice = child.stderr.trim().split('\n').slice(-1)[0] ?? '';
      return {
        framework: fw.id,
        case: 'main-job',
        ok: false,
        wallSeconds: seconds,
        error: `ran on the ${summary.backend} backend, not ${fw.backend}: ${notice}`,
      };
    }
    return {
      framework: fw.id,
      case: 'main-job',
      ok: true,
      wallSeconds: seconds,
      result: {
        maxRssMB: rss.maxRssMB,
        seconds,
        backend: summary.backend,
        epochs: summary.epochs,
        trainSeconds: summary.seconds,
        secondsPerEpoch: summary.secondsPerEpoch,
        samplesPerSecond: summary.samplesPerSecond,
        testAccuracy: summary.test?.accuracy,
        command: `NABLA_BACKEND=${fw.backend} node dist/cli/main.js train --no-progress`,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The registered nabla backends, asked of the runner itself (`listBackends()` in the built package
 * that bench/peers/nabla.mjs imports), so that the list and the runs cannot disagree.
 */
function nablaBackends(): string[] {
  const child = spawn(process.execPath, [path.join(PEERS, 'nabla.mjs'), '{"case":"backends"}'], {
    ...process.env,
  });
  const result = child.status === 0 ? parseResult(child.stdout) : undefined;
  if (result === undefined) throw new Error(`compare: nabla did not start: ${failure(child)}`);
  return result.backends as string[];
}

/** Installs bench/peers/node_modules when it is missing (`npm ci`, no install scripts). */
function ensurePeers(): { ok: boolean; note?: string } {
  const have = (pkg: string): boolean =>
    existsSync(path.join(PEERS, 'node_modules', ...pkg.split('/'), 'package.json'));
  if (have('@tensorflow/tfjs') && have('@tensorflow/tfjs-backend-wasm')) return { ok: true };
  console.log(
    'compare: installing the peers once: npm ci --prefix bench/peers --ignore-scripts (TensorFlow.js, ≈ 300 MB)',
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawnSync(
    npm,
    ['ci', '--prefix', PEERS, '--ignore-scripts', '--no-audit', '--no-fund'],
    { cwd: ROOT, stdio: 'inherit', timeout: 600_000 },
  );
  if (child.status === 0 && have('@tensorflow/tfjs')) return { ok: true };
  return {
    ok: false,
    note: `TF.js: npm ci --prefix bench/peers failed (${failure(child)}); skipped`,
  };
}

interface TorchInfo {
  version: string;
  numpy: string;
  blasInfo: string;
  cpuCapability: string;
  blasLibrary: string | null;
  openblasCore: string | null;
  openblasThreadsSettable: boolean;
}

function detectTorch(): { info?: TorchInfo; note?: string } {
  if (!existsSync(PYTHON)) return { note: `PyTorch: not installed (${TORCH_HINT})` };
  const env = childEnv({ id: 'pytorch', label: 'PyTorch', kind: 'torch' });
  const probe = spawn(PYTHON, ['-c', 'import torch, numpy'], env);
  if (probe.status !== 0) return { note: `PyTorch: not installed (${TORCH_HINT})` };
  const child = spawn(PYTHON, [path.join(PEERS, 'torch_runner.py'), '{"case":"info"}'], env);
  const result = child.status === 0 ? parseResult(child.stdout) : undefined;
  if (result === undefined)
    return { note: `PyTorch: failed to start (${failure(child)}); skipped` };
  return { info: result as unknown as TorchInfo };
}

/** The figure of merit of a run (higher is better, except the main job's seconds). */
function metric(run: Run | undefined, size?: number): number | undefined {
  if (run?.result === undefined) return undefined;
  if (size !== undefined) return run.result.sizes?.find((s) => s.n === size)?.gflops;
  if (run.case === 'main-job') return run.result.seconds;
  return run.result.stepsPerSecond;
}

function numpyGflops(run: Run | undefined, size: number): number | undefined {
  return run?.result?.numpy?.find((s) => s.n === size)?.gflops;
}

function describe(run: Run): string {
  if (!run.ok) return `FAILED: ${run.error}`;
  const r = run.result!;
  const parts: string[] = [];
  if (r.sizes !== undefined) {
    parts.push(`GFLOP/s ${r.sizes.map((s) => `${s.n}: ${sig3(s.gflops)}`).join(' · ')}`);
    if (r.numpy !== undefined) {
      parts.push(`numpy ${r.numpy.map((s) => `${s.n}: ${sig3(s.gflops)}`).join(' · ')}`);
    }
  } else if (run.case === 'main-job') {
    parts.push(`${fixed(r.seconds, 1)} s, ${String(r.epochs)} epochs`);
  } else {
    parts.push(`${sig3(r.stepsPerSecond)} steps/s`);
  }
  if (r.threads !== undefined) parts.push(`${r.threads} thread${r.threads === 1 ? '' : 's'}`);
  parts.push(`RSS ${fixed(r.maxRssMB, 0)} MB`);
  return parts.join(', ');
}

const PEER_LABELS: Record<string, string> = {
  pytorch: '× PyTorch',
  numpy: '× NumPy',
  'tfjs-wasm': '× TF.js-wasm',
  'tfjs-cpu': '× TF.js-cpu',
};

export function run(): unknown {
  const env = environment();
  const backends = nablaBackends();
  env.backend = backends.join(', ');
  printHeader('compare: nabla side by side with TensorFlow.js and PyTorch', env);
  const notes: string[] = [];

  const frameworks: Framework[] = backends.map((b) => ({
    id: `nabla-${b}`,
    label: `nabla ${b}`,
    kind: 'nabla',
    backend: b,
  }));
  const peers = ensurePeers();
  let tfjsVersion: string | undefined;
  if (peers.ok) {
    tfjsVersion = (
      JSON.parse(
        readFileSync(path.join(PEERS, 'node_modules/@tensorflow/tfjs/package.json'), 'utf8'),
      ) as { version: string }
    ).version;
    frameworks.push(
      { id: 'tfjs-wasm', label: 'TF.js wasm', kind: 'tfjs', backend: 'wasm' },
      { id: 'tfjs-cpu', label: 'TF.js cpu', kind: 'tfjs', backend: 'cpu' },
    );
  } else if (peers.note !== undefined) {
    notes.push(peers.note);
  }
  const torch = detectTorch();
  if (torch.info !== undefined) {
    frameworks.push({ id: 'pytorch', label: 'PyTorch', kind: 'torch' });
    const t = torch.info;
    console.log(
      `PyTorch ${t.version}, NumPy ${t.numpy}: ${t.blasInfo} → ${t.blasLibrary ?? 'no BLAS library mapped'}` +
        (t.openblasCore !== null ? ` (OpenBLAS core ${t.openblasCore})` : '') +
        `; ${t.cpuCapability}; ` +
        `${OPENBLAS_OVERRIDES.join(', ')} unset; best of 1 and 2 threads`,
    );
  } else if (torch.note !== undefined) {
    notes.push(torch.note);
  }
  for (const n of notes) console.log(n);
  console.log(
    `nabla backends: ${backends.join(', ')}` +
      (tfjsVersion !== undefined ? ` · TF.js ${tfjsVersion} (cpu, wasm)` : ''),
  );

  const runs: Run[] = [];
  const cases: CaseName[] = ['gemm', 'mlp-sgd', 'mlp-adam', 'tiny'];
  // A framework whose child hung (killed at the time-out) is not run again: it would hang again.
  const stuck = new Set<string>();
  for (const name of cases) {
    for (const fw of frameworks) {
      if (stuck.has(fw.id)) {
        runs.push({
          framework: fw.id,
          case: name,
          ok: false,
          wallSeconds: 0,
          error: 'skipped: an earlier case hung',
        });
        continue;
      }
      const r = runChild(fw, name);
      if (r.timedOut === true) stuck.add(fw.id);
      runs.push(r);
      console.log(
        `  ${name.padEnd(8)} ${fw.label.padEnd(12)} ${describe(r)} (${r.wallSeconds.toFixed(1)} s)`,
      );
    }
  }
  for (const fw of frameworks.filter((f) => f.kind === 'nabla')) {
    if (stuck.has(fw.id)) {
      runs.push({
        framework: fw.id,
        case: 'main-job',
        ok: false,
        wallSeconds: 0,
        error: 'skipped: an earlier case hung',
      });
      console.log(`  main-job ${fw.label.padEnd(12)} skipped: an earlier case hung`);
      continue;
    }
    const r = runMainJob(fw);
    runs.push(r);
    console.log(`  main-job ${fw.label.padEnd(12)} ${describe(r)}`);
  }
  const loadAfter = Math.round(os.loadavg()[0] * 100) / 100;

  const find = (fw: string, c: CaseName): Run | undefined =>
    runs.find((r) => r.framework === fw && r.case === c && r.ok);
  const hasTorch = frameworks.some((f) => f.id === 'pytorch');
  const columns = [
    ...frameworks.map((f) => ({ id: f.id, label: f.label })),
    ...(hasTorch ? [{ id: 'numpy', label: 'NumPy' }] : []),
  ];

  // The figures, one row per measured quantity.
  interface Line {
    key: string;
    label: string;
    unit: string;
    case: CaseName;
    size?: number;
    lowerIsBetter?: boolean;
    value: (fw: string) => number | undefined;
  }
  const lines: Line[] = [
    ...GEMM_SIZES.map((n): Line => ({
      key: `gemm-${n}`,
      label: `GEMM ${n}`,
      unit: 'GFLOP/s',
      case: 'gemm',
      size: n,
      value: (fw) =>
        fw === 'numpy' ? numpyGflops(find('pytorch', 'gemm'), n) : metric(find(fw, 'gemm'), n),
    })),
    ...(['mlp-sgd', 'mlp-adam'] as const).flatMap((c): Line[] => [
      {
        key: `${c}`,
        label: `MLP ${c === 'mlp-sgd' ? 'SGD' : 'Adam'}`,
        unit: 'steps/s',
        case: c,
        value: (fw) => metric(find(fw, c)),
      },
      {
        key: `${c}-samples`,
        label: `MLP ${c === 'mlp-sgd' ? 'SGD' : 'Adam'}`,
        unit: 'samples/s',
        case: c,
        value: (fw) => find(fw, c)?.result?.samplesPerSecond,
      },
    ]),
    {
      key: 'tiny',
      label: 'tiny 2-16-16-2',
      unit: 'steps/s',
      case: 'tiny',
      value: (fw) => metric(find(fw, 'tiny')),
    },
    {
      key: 'main-job',
      label: 'nabla train',
      unit: 's',
      case: 'main-job',
      lowerIsBetter: true,
      value: (fw) => metric(find(fw, 'main-job')),
    },
  ];
  console.log('');
  console.log(
    formatTable(
      ['case', 'unit', ...columns.map((c) => c.label)],
      lines.map((l) => [l.label, l.unit, ...columns.map((c) => sig3(l.value(c.id)))]),
    ),
  );

  // Peak RSS, one row per case.
  const rssCases: CaseName[] = [...cases, 'main-job'];
  console.log('\npeak RSS (MB), each framework × case in its own process');
  console.log(
    formatTable(
      ['case', ...frameworks.map((f) => f.label)],
      rssCases.map((c) => [c, ...frameworks.map((f) => fixed(find(f.id, c)?.result?.maxRssMB, 0))]),
    ),
  );

  // Ratios nabla / peer (higher = nabla faster), for the best nabla backend and each backend.
  const nablaIds = frameworks.filter((f) => f.kind === 'nabla').map((f) => f.id);
  const peerIds = columns.map((c) => c.id).filter((id) => PEER_LABELS[id] !== undefined);
  const variants = nablaIds.length > 1 ? ['best', ...nablaIds] : nablaIds;
  const nablaValue = (l: Line, variant: string): { value?: number; backend?: string } => {
    if (variant !== 'best') return { value: l.value(variant), backend: variant };
    let best: { value?: number; backend?: string } = {};
    for (const id of nablaIds) {
      const v = l.value(id);
      if (v === undefined) continue;
      if (best.value === undefined || (l.lowerIsBetter ? v < best.value : v > best.value)) {
        best = { value: v, backend: id };
      }
    }
    return best;
  };
  const ratioRows: Record<string, unknown>[] = [];
  const ratioLines = lines.filter((l) => l.case !== 'main-job' && !l.key.endsWith('-samples'));
  for (const l of ratioLines) {
    for (const variant of variants) {
      const n = nablaValue(l, variant);
      const ratios: Record<string, number | undefined> = {};
      for (const p of peerIds) {
        const v = l.value(p);
        ratios[p] = n.value !== undefined && v !== undefined && v > 0 ? n.value / v : undefined;
      }
      ratioRows.push({ case: l.key, nabla: variant, backend: n.backend, value: n.value, ratios });
    }
  }
  console.log('\nnabla ÷ peer (throughput ratio: > 1 means nabla is faster)');
  console.log(
    formatTable(
      ['case', 'nabla', ...peerIds.map((p) => PEER_LABELS[p])],
      ratioRows.map((r) => [
        String(r.case),
        r.nabla === 'best' ? `best (${String(r.backend ?? '—')})` : String(r.nabla),
        ...peerIds.map((p) => fixed((r.ratios as Record<string, number | undefined>)[p], 3)),
      ]),
    ),
  );
  // The main job is nabla's only: its speed-up over the TypeScript backend.
  const jsJob = metric(find('nabla-js', 'main-job'));
  const jobSpeedups = nablaIds.map((id) => {
    const s = metric(find(id, 'main-job'));
    return {
      backend: id,
      seconds: s,
      speedupOverJs: s !== undefined && jsJob !== undefined ? jsJob / s : undefined,
    };
  });
  console.log(
    `main job (nabla train, MNIST): ${jobSpeedups
      .map((j) => `${j.backend} ${fixed(j.seconds, 1)} s (× ${fixed(j.speedupOverJs, 2)} vs js)`)
      .join(' · ')}`,
  );
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
    table: lines.map((l) => ({
      key: l.key,
      label: l.label,
      unit: l.unit,
      values: Object.fromEntries(columns.map((c) => [c.id, l.value(c.id) ?? null])),
    })),
    ratios: ratioRows,
    mainJob: jobSpeedups,
    runs,
  };
  printFooter(writeResults('compare', results));
  return results;
}

if (isMain(import.meta.url)) run();
