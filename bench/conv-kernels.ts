/**
 * Convolution through im2col and the packed GEMM, at the native kernels' level: GFLOP/s of the
 * forward pass (im2col, then one product per image: W [O, C·kh·kw] · cols [C·kh·kw, oh·ow]) and
 * of the two gradients (input: Wᵀ·δ then col2im; weight: δ·colsᵀ per image, then a sum over the
 * batch), at the LeNet-5 and CIFAR shapes of issue 14 (batch 64, float32), on 1 and 2 threads,
 * against the same GEMM at m = n = k = 256 and at the convolution's own product shape. Also the
 * time of max pooling and batch-norm statistics at those shapes, native and reference.
 *
 * Run alone: `node --expose-gc --import tsx bench/conv-kernels.ts`.
 */
import os from 'node:os';
import type { Window2d } from '../src/backend/backend.js';
import { jsBackend } from '../src/backend/js/index.js';
import { nativeAddon, nativeError, type NativeAddon } from '../src/node/native.js';
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

interface Layer {
  net: 'LeNet' | 'CIFAR';
  /** in → out channels, kernel, input size */
  name: string;
  c: number;
  o: number;
  k: number;
  size: number;
  pad: number;
}

const BATCH = 64;
const LAYERS: readonly Layer[] = [
  { net: 'LeNet', name: '1→6 5×5 on 28×28', c: 1, o: 6, k: 5, size: 28, pad: 0 },
  // lenet5() pads its first convolution by 2 (28×28 out): rows partly in the padding.
  { net: 'LeNet', name: '1→6 5×5 p2 on 28×28', c: 1, o: 6, k: 5, size: 28, pad: 2 },
  { net: 'LeNet', name: '6→16 5×5 on 12×12', c: 6, o: 16, k: 5, size: 12, pad: 0 },
  { net: 'CIFAR', name: '3→32 3×3 p1 on 32×32', c: 3, o: 32, k: 3, size: 32, pad: 1 },
  { net: 'CIFAR', name: '32→32 3×3 p1 on 32×32', c: 32, o: 32, k: 3, size: 32, pad: 1 },
  { net: 'CIFAR', name: '32→64 3×3 p1 on 16×16', c: 32, o: 64, k: 3, size: 16, pad: 1 },
  { net: 'CIFAR', name: '64→64 3×3 p1 on 16×16', c: 64, o: 64, k: 3, size: 16, pad: 1 },
];

/**
 * The clock: wall time, or with CONV_BENCH_CLOCK=cpu the process's CPU time (user + system, all
 * threads), which a loaded machine inflates less (on 2 threads: GFLOP/s per CPU-second).
 */
const CPU_CLOCK = process.env.CONV_BENCH_CLOCK === 'cpu';
const clock = (): number => {
  if (!CPU_CLOCK) return now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Median milliseconds of `fn` over at least 5 runs and about 150 ms, after one warm-up run. */
function time(fn: () => void): number {
  fn();
  collectGarbage();
  const times: number[] = [];
  let spent = 0;
  while (times.length < 5 || (spent < 150 && times.length < 200)) {
    const t0 = clock();
    fn();
    const t = clock() - t0;
    times.push(t);
    spent += t;
  }
  return median(times);
}

function random(n: number): Float32Array {
  return new Float32Array(n).map(() => Math.random() * 2 - 1);
}

const gflops = (flop: number, ms: number): number => flop / (ms * 1e6);

interface ConvRow {
  net: string;
  layer: string;
  threads: number;
  /** The product per image: m × n × k (batch 64). */
  gemmShape: string;
  im2colMs: number;
  gemmMs: number;
  forwardGflops: number;
  gemmGflops: number;
  /** One product over the whole batch (m × 64·n × k), as if cols were laid out [K, batch·oh·ow]. */
  flatGemmGflops: number;
  /** im2col then the product, one image at a time. */
  perImageGflops: number;
  backwardMs: number;
  col2imMs: number;
  backwardGflops: number;
}

function measureLayer(addon: NativeAddon, l: Layer, threads: number): ConvRow {
  const oh = l.size + 2 * l.pad - l.k + 1;
  const [n, c, h, w, kh, kw, ph, pw] = [BATCH, l.c, l.size, l.size, l.k, l.k, l.pad, l.pad];
  const g: Window2d = { n, c, h, w, kh, kw, sh: 1, sw: 1, ph, pw, dh: 1, dw: 1, oh, ow: oh };
  const K = l.c * l.k * l.k;
  const P = oh * oh;
  const x = random(BATCH * l.c * l.size * l.size);
  const weight = random(l.o * K);
  const cols = new Float32Array(BATCH * K * P);
  const y = new Float32Array(BATCH * l.o * P);
  const delta = random(BATCH * l.o * P);
  const gradW = new Float32Array(BATCH * l.o * K);
  const gradWSum = new Float32Array(l.o * K);
  const gradX = new Float32Array(x.length);
  const flop = 2 * BATCH * l.o * P * K;
  const im2colMs = time(() => addon.im2col(x, g, cols));
  const gemmMs = time(() =>
    addon.matmul(weight, cols, y, BATCH, l.o, P, K, false, false, 0, K * P),
  );
  // Image by image: the columns of one image (≤ 1.2 MB here) stay in cache for its product.
  const one = { ...g, n: 1 };
  const [xs, ys] = [l.c * l.size * l.size, l.o * P];
  const perImageMs = time(() => {
    for (let i = 0; i < BATCH; i++) {
      addon.im2col(x.subarray(i * xs, (i + 1) * xs), one, cols);
      const out = y.subarray(i * ys, (i + 1) * ys);
      addon.matmul(weight, cols, out, 1, l.o, P, K, false, false, 0, 0);
    }
  });
  const flatMs = time(() =>
    addon.matmul(weight, cols, y, 1, l.o, BATCH * P, K, false, false, 0, 0),
  );
  // Input gradient: cols ← Wᵀ·δ per image, then col2im; weight gradient: δ·colsᵀ, summed.
  const col2imMs = time(() => addon.col2im(cols, g, gradX));
  const backwardMs = time(() => {
    addon.matmul(weight, delta, cols, BATCH, K, P, l.o, true, false, 0, l.o * P);
    addon.col2im(cols, g, gradX);
    addon.matmul(delta, cols, gradW, BATCH, l.o, K, P, false, true, l.o * P, K * P);
    addon.sumAxis0(gradW, BATCH, l.o * K, gradWSum);
  });
  return {
    net: l.net,
    layer: l.name,
    threads,
    gemmShape: `${l.o}×${P}×${K}`,
    im2colMs,
    gemmMs,
    forwardGflops: gflops(flop, im2colMs + gemmMs),
    gemmGflops: gflops(flop, gemmMs),
    flatGemmGflops: gflops(flop, flatMs),
    perImageGflops: gflops(flop, perImageMs),
    backwardMs,
    col2imMs,
    backwardGflops: gflops(2 * flop, backwardMs),
  };
}

function squareGemm(addon: NativeAddon, n: number): number {
  const a = random(n * n);
  const b = random(n * n);
  const c = new Float32Array(n * n);
  return gflops(
    2 * n ** 3,
    time(() => addon.matmul(a, b, c, 1, n, n, n, false, false, 0, 0)),
  );
}

/** Max pooling 2×2 and batch-norm statistics + normalization at the networks' activations. */
function measureOthers(addon: NativeAddon, threads: number): string[][] {
  const rows: string[][] = [];
  for (const [c, size] of [
    [6, 28],
    [16, 10],
    [6, 24],
    [32, 32],
    [64, 16],
  ]) {
    const g = { n: BATCH, c, h: size, w: size, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0 };
    const geometry: Window2d = { ...g, dh: 1, dw: 1, oh: size / 2, ow: size / 2 };
    const x = random(BATCH * c * size * size);
    const out = new Float32Array(x.length / 4);
    const at = new Int32Array(out.length);
    const pool = time(() => addon.maxPool2d(x, geometry, out, at));
    const poolJs = time(() => jsBackend.maxPool2d(x, geometry, out, at));
    const l = { outer: BATCH, channels: c, inner: size * size, eps: 1e-5 };
    const y = new Float32Array(x.length);
    const [mean, variance] = [new Float32Array(c), new Float32Array(c)];
    const norm = time(() => addon.normalize(x, l, null, null, y, mean, variance));
    const normJs = time(() => jsBackend.normalize(x, l, null, null, y, mean, variance));
    const shape = `${BATCH}×${c}×${size}×${size}`;
    rows.push([String(threads), shape, sig3(pool), sig3(poolJs), sig3(norm), sig3(normJs)]);
  }
  return rows;
}

export function run(): unknown {
  const addon = nativeAddon();
  if (addon === undefined) throw new Error(`conv-kernels: ${nativeError()}`);
  const bench = new Benchmark(
    'conv-kernels',
    `conv-kernels: im2col + GEMM convolution, float32, batch ${BATCH}, kernel ${addon.cpu().kernel}, ${CPU_CLOCK ? 'CPU' : 'wall'} time`,
  );
  const before = addon.getThreads();
  const rows: ConvRow[] = [];
  const square: Record<number, number> = {};
  const others: string[][] = [];
  for (const threads of [1, 2]) {
    addon.setThreads(threads);
    square[threads] = squareGemm(addon, 256);
    for (const l of LAYERS) rows.push(measureLayer(addon, l, threads));
    others.push(...measureOthers(addon, threads));
  }
  addon.setThreads(before);
  console.log(
    formatTable(
      [
        'net',
        'layer',
        'thr',
        'GEMM m×n×k',
        'im2col ms',
        'GEMM ms',
        'fwd GF/s',
        '1-by-1 GF/s',
        'GEMM GF/s',
        'flat GF/s',
        'bwd ms',
        'col2im ms',
        'bwd GF/s',
        '256³ GF/s',
      ],
      rows.map((r) => [
        r.net,
        r.layer,
        String(r.threads),
        r.gemmShape,
        sig3(r.im2colMs),
        sig3(r.gemmMs),
        fixed(r.forwardGflops, 1),
        fixed(r.perImageGflops, 1),
        fixed(r.gemmGflops, 1),
        fixed(r.flatGemmGflops, 1),
        sig3(r.backwardMs),
        sig3(r.col2imMs),
        fixed(r.backwardGflops, 1),
        fixed(square[r.threads], 1),
      ]),
    ),
  );
  console.log(
    '\n' +
      formatTable(['thr', 'activation', 'maxPool2d ms', 'js ms', 'normalize ms', 'js ms'], others),
  );
  console.log(
    `load average at the end: ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(', ')}`,
  );
  return bench.finish({
    clock: CPU_CLOCK ? 'cpu' : 'wall',
    rows,
    square256Gflops: square,
    others,
    loadAtEnd: os.loadavg(),
  });
}

if (isMain(import.meta.url)) run();
