/**
 * (c) Matrix-product throughput of the active backend: GFLOP/s = 2·n³ / time for square
 * `matmul(a, b)` under `noGrad`, float32 at n = 128 … 1024 and float64 at 256 and 512. Each size
 * is warmed up once, then timed several times (fewer at 1024); the table shows the median and
 * the best repetition. A few entries of every product are checked against a plain dot product,
 * so that a broken kernel cannot post a good number.
 *
 * Run alone: `npm run build && node --expose-gc --import tsx bench/matmul.ts`.
 */
import { getBackend, matmul, noGrad, randn, type DType, type Tensor } from 'nabla';
import {
  Benchmark,
  collectGarbage,
  fixed,
  formatTable,
  isMain,
  median,
  now,
  sig3,
} from './report.js';

interface Size {
  n: number;
  dtype: DType;
  /** At least this many timed repetitions… */
  minReps: number;
  /** …and more, up to maxReps, while the timed total is under minTimeMs. */
  maxReps: number;
  minTimeMs: number;
}

const SIZES: readonly Size[] = [
  { n: 128, dtype: 'float32', minReps: 10, maxReps: 200, minTimeMs: 500 },
  { n: 256, dtype: 'float32', minReps: 7, maxReps: 100, minTimeMs: 800 },
  { n: 512, dtype: 'float32', minReps: 5, maxReps: 20, minTimeMs: 1500 },
  { n: 1024, dtype: 'float32', minReps: 5, maxReps: 5, minTimeMs: 0 },
  { n: 256, dtype: 'float64', minReps: 7, maxReps: 100, minTimeMs: 800 },
  { n: 512, dtype: 'float64', minReps: 5, maxReps: 20, minTimeMs: 1500 },
];

/** Largest relative error of a few entries of c = a·b against a dot product in float64. */
function spotCheck(a: Tensor, b: Tensor, c: Tensor): number {
  const n = a.shape[0];
  let worst = 0;
  for (const [i, j] of [
    [0, 0],
    [n - 1, n - 1],
    [n >> 1, n >> 2],
    [n >> 3, n - 1],
  ]) {
    let dot = 0;
    let scale = 0;
    for (let k = 0; k < n; k++) {
      const p = a.data[i * n + k] * b.data[k * n + j];
      dot += p;
      scale += Math.abs(p);
    }
    worst = Math.max(worst, Math.abs(c.data[i * n + j] - dot) / (scale || 1));
  }
  return worst;
}

export interface MatmulRow {
  n: number;
  dtype: DType;
  reps: number;
  medianMs: number;
  bestMs: number;
  /** 2·n³ / median time. */
  gflops: number;
  /** 2·n³ / best time. */
  bestGflops: number;
  /** Spot check: largest |c − a·b| / Σ|aᵢₖ·bₖⱼ| over a few entries. */
  maxRelError: number;
  timesMs: number[];
}

export interface MatmulResults {
  benchmark: 'matmul';
  environment: Benchmark<string>['env'];
  backend: string;
  rows: MatmulRow[];
  peakRssMB: number;
}

function measure(size: Size): MatmulRow {
  const { n, dtype } = size;
  const a = randn([n, n], { dtype });
  const b = randn([n, n], { dtype });
  const product = (): Tensor => noGrad(() => matmul(a, b));
  const warm = product();
  const maxRelError = spotCheck(a, b, warm);
  const times: number[] = [];
  let spent = 0;
  collectGarbage();
  while (times.length < size.minReps || (spent < size.minTimeMs && times.length < size.maxReps)) {
    const t0 = now();
    const c = product();
    const t = now() - t0;
    if (c.shape[0] !== n) throw new Error('matmul: unexpected result shape');
    times.push(t);
    spent += t;
  }
  const flop = 2 * n ** 3;
  const medianMs = median(times);
  const bestMs = Math.min(...times);
  return {
    n,
    dtype,
    reps: times.length,
    medianMs,
    bestMs,
    gflops: flop / (medianMs * 1e6),
    bestGflops: flop / (bestMs * 1e6),
    maxRelError,
    timesMs: times,
  };
}

export function run(): MatmulResults {
  const bench = new Benchmark(
    'matmul',
    `matmul: square C = A·B under noGrad, backend ${getBackend()}, GFLOP/s = 2n³/time`,
  );
  const rows = SIZES.map(measure);
  console.log(
    formatTable(
      [
        'dtype',
        'n',
        'reps',
        'median ms',
        'best ms',
        'GFLOP/s',
        'best GFLOP/s',
        'spot-check rel err',
      ],
      rows.map((r) => [
        r.dtype,
        String(r.n),
        String(r.reps),
        sig3(r.medianMs),
        sig3(r.bestMs),
        fixed(r.gflops, 2),
        fixed(r.bestGflops, 2),
        r.maxRelError.toExponential(1),
      ]),
    ),
  );
  const bad = rows.filter((r) => !(r.maxRelError < (r.dtype === 'float32' ? 1e-4 : 1e-10)));
  for (const r of bad)
    console.log(`WARNING: ${r.dtype} n=${r.n} spot check is off (rel err ${r.maxRelError})`);
  return bench.finish({ backend: getBackend(), rows });
}

if (isMain(import.meta.url)) run();
