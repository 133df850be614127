/**
 * Shared helpers of the benchmarks: timing, medians, an aligned text table, the environment
 * (backend, Node, CPU) and the JSON result files in bench/results/. Benchmarks print numbers;
 * they are never tests.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { getBackend } from 'nabla';

/** Where the JSON results go (git-ignored). */
export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** True when the module with this `import.meta.url` is the script Node was started with. */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(entry).href === moduleUrl;
}

/** Milliseconds since an arbitrary origin, sub-microsecond resolution. */
export function now(): number {
  return performance.now();
}

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median: empty list');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

let gcFn: (() => void) | null | undefined;

/**
 * Runs a full garbage collection when one can be triggered: `global.gc` under `--expose-gc`
 * (bench/index.ts passes it), otherwise enabled at run time through V8's flags. Returns whether
 * a collection ran.
 */
export function collectGarbage(): boolean {
  if (gcFn === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === 'function') {
      gcFn = exposed;
    } else {
      try {
        v8.setFlagsFromString('--expose-gc');
        gcFn = vm.runInNewContext('gc') as () => void;
      } catch {
        gcFn = null;
      }
    }
  }
  if (gcFn === null) return false;
  gcFn();
  return true;
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** V8 heap in use now, in MB. */
export function heapUsedMB(): number {
  return v8.getHeapStatistics().used_heap_size / (1024 * 1024);
}

/** What the numbers were measured on. */
export interface Environment {
  date: string;
  backend: string;
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpu: string;
  cpus: number;
  totalMemoryGB: number;
  /** 1-minute load average when the benchmark started (other work on the shared cores). */
  loadAverage: number;
  nodeFlags: string[];
}

export function environment(): Environment {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    backend: getBackend(),
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    totalMemoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
    nodeFlags: process.execArgv.filter((a) => a !== '--import' && a !== 'tsx'),
  };
}

/** Prints the heading of a benchmark: its title and where it runs. */
export function printHeader(title: string, env: Environment): void {
  console.log(`\n== ${title} ==`);
  console.log(
    `backend ${env.backend} · node ${env.node} (V8 ${env.v8}) · ${env.cpus}× ${env.cpu} · ${env.platform}/${env.arch} · load ${env.loadAverage}` +
      (env.nodeFlags.length > 0 ? ` · flags ${env.nodeFlags.join(' ')}` : ''),
  );
}

/** Prints the closing line of a benchmark: peak RSS and the results file. */
export function printFooter(file: string): void {
  console.log(
    `peak RSS ${fixed(peakRssMB(), 0)} MB · results in ${path.relative(process.cwd(), file)}`,
  );
}

/**
 * One benchmark's run: prints its heading (`title` and where it runs) when made, and `finish`
 * writes its results as bench/results/<name>.json and prints the closing line.
 */
export class Benchmark<Name extends string> {
  readonly env: Environment = environment();

  constructor(
    readonly name: Name,
    title: string,
  ) {
    printHeader(title, this.env);
  }

  /**
   * Writes `{ benchmark: name, environment, ...results, peakRssMB }` (the peak RSS so far, MB,
   * rounded), prints the closing line and returns what was written.
   */
  finish<T extends object>(
    results: T,
  ): { benchmark: Name; environment: Environment } & T & { peakRssMB: number } {
    const out = {
      benchmark: this.name,
      environment: this.env,
      ...results,
      peakRssMB: Math.round(peakRssMB()),
    };
    printFooter(writeResults(this.name, out));
    return out;
  }
}

/**
 * Repeats a measurement `reps` times: `prepare(rep)` (not timed), a full garbage collection, then
 * `run` of what was prepared, timed. Returns the times (ms) and the values `run` gave, of all but
 * the first `warmup` repetitions (those warm the JIT up).
 *
 * @example
 * const runs = repeatTimed(4, 1, () => chain(1000), (y) => trace(y));
 * median(runs.map((r) => r.ms));
 */
export function repeatTimed<S, T>(
  reps: number,
  warmup: number,
  prepare: (rep: number) => S,
  run: (prepared: S) => T,
): { ms: number; value: T }[] {
  const out: { ms: number; value: T }[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const prepared = prepare(rep);
    collectGarbage();
    const t0 = now();
    const value = run(prepared);
    const ms = now() - t0;
    if (rep >= warmup) out.push({ ms, value });
  }
  return out;
}

/** A number with `digits` decimals, or '—' for a missing value. */
export function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** A number with about three significant digits, grouped in thousands (1 234, 12.3, 0.123). */
export function sig3(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const a = Math.abs(value);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return value.toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

const NUMERIC = /^[-+]?[\d\s.,]+(e[-+]?\d+)?\s*[%×x]?$|^—$/i;

/**
 * An aligned text table: numbers right-aligned, text left-aligned, a rule under the header.
 *
 * @example
 * console.log(formatTable(['size', 'GFLOP/s'], [['128', '1.20'], ['256', '1.31']]));
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const right = header.map(
    (_, c) => rows.length > 0 && rows.every((r) => NUMERIC.test(r[c] ?? '')),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (right[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * Writes `data` as JSON to bench/results/<name>.json, atomically: a temporary file in the same
 * directory, then a rename, so that a reader never sees a half-written file. Returns the path.
 */
export function writeResults(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${name}.json`;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(tmp, file);
  return file;
}

interface GcPause {
  start: number;
  duration: number;
  major: boolean;
}

/**
 * Records garbage-collection pauses (Node's `gc` performance entries), so that a benchmark can say
 * how much of a timed window went to the collector. Entries arrive asynchronously: `await
 * flush()` before asking about a window that just ended.
 */
export class GcRecorder {
  private readonly pauses: GcPause[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      this.pauses.push({
        start: e.startTime,
        duration: e.duration,
        major: kind === constants.NODE_PERFORMANCE_GC_MAJOR,
      });
    }
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Lets pending entries be delivered. */
  async flush(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  /** Milliseconds of collector pauses that began in [from, to), and how many were major. */
  between(from: number, to: number): { ms: number; count: number; major: number } {
    let ms = 0;
    let count = 0;
    let major = 0;
    for (const p of this.pauses) {
      if (p.start >= from && p.start < to) {
        ms += p.duration;
        count++;
        if (p.major) major++;
      }
    }
    return { ms, count, major };
  }

  /** Forgets recorded pauses. */
  clear(): void {
    this.pauses.length = 0;
  }

  stop(): void {
    this.observer.disconnect();
  }
}
