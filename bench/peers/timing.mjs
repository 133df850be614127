/**
 * Timing shared by the Node runners of bench/compare.ts (bench/peers/tfjs.mjs and
 * bench/peers/nabla.mjs): warm-up, then a few timed windows of whole steps, median of the windows.
 * bench/peers/torch_runner.py does the same in Python.
 */
import process from 'node:process';
import { performance } from 'node:perf_hooks';

/** The GEMM sizes of the comparison. */
export const gemmSizes = [128, 256, 512, 1024];

/**
 * Runs `step` for at least `warmupMs` (and 3 steps), then `windows` windows of at least
 * `windowMs` (and `minSteps` steps) each; `sync()` ends each window (reads a result, so that
 * nothing is still pending). Returns steps/s of each window and their median.
 */
export function timeWindows(step, sync, config) {
  const warmupMs = config.warmupMs ?? 500;
  const windowMs = config.windowMs ?? 1000;
  const windows = config.windows ?? 3;
  const minSteps = config.minSteps ?? 3;
  let t0 = performance.now();
  let warm = 0;
  while (warm < 3 || performance.now() - t0 < warmupMs) {
    step();
    warm++;
  }
  sync();
  const rates = [];
  let steps = 0;
  for (let w = 0; w < windows; w++) {
    let n = 0;
    t0 = performance.now();
    let elapsed = 0;
    while (n < minSteps || elapsed < windowMs) {
      step();
      n++;
      elapsed = performance.now() - t0;
    }
    sync();
    elapsed = performance.now() - t0;
    rates.push((n * 1000) / elapsed);
    steps += n;
  }
  return {
    warmupSteps: warm,
    steps,
    windowRates: rates,
    stepsPerSecond: median(rates),
  };
}

/** The line bench/compare.ts reads: the result with this process's peak RSS. */
export function printResult(result) {
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`RESULT ${JSON.stringify({ ...result, maxRssMB })}\n`);
}

/**
 * Median and best GFLOP/s of `once`, a product of two n×n matrices: untimed runs for
 * `gemmWarmupMs` (at least one: a JIT compiles the op's JavaScript after some hundreds of calls,
 * later when its compiler thread shares a busy core), then at least `gemmMinReps` timed runs and
 * more up to `gemmBudgetMs`.
 */
export function timeRepeats(once, n, config) {
  const warmupMs = config.gemmWarmupMs ?? 0;
  const w0 = performance.now();
  do once();
  while (performance.now() - w0 < warmupMs);
  const budget = config.gemmBudgetMs ?? 1500;
  const times = [];
  const t0 = performance.now();
  while (
    times.length < (config.gemmMinReps ?? 3) ||
    (performance.now() - t0 < budget && times.length < 200)
  ) {
    const s = performance.now();
    once();
    times.push(performance.now() - s);
  }
  const flop = 2 * n ** 3;
  const sorted = [...times].sort((x, y) => x - y);
  const med = median(times);
  return {
    reps: times.length,
    medianMs: med,
    gflops: flop / (med * 1e6),
    bestGflops: flop / (sorted[0] * 1e6),
  };
}

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
