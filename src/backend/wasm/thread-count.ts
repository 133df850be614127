/**
 * What every build of the wasm backend knows of its threads, kept apart from the pool itself
 * (threads.ts, worker.ts, web-workers.ts): a page that is not cross-origin isolated never has
 * workers, and its bundle loads the pool only when it can (load.ts imports it dynamically).
 */

/** At most this many threads (the caller and 7 workers); each worker has a stack of its own. */
export const MAX_THREADS = 8;

/**
 * Products with fewer multiply-adds than this run on the calling thread alone: waking the workers
 * and waiting for the last costs more than it saves (measured: wasm/README.md).
 */
export const WASM_THREADED_WORK = 1 << 19;

/** Bytes of each worker's stack (as wasm-ld gives the calling thread's). */
export const WORKER_STACK = 65536;

/** Bytes of the control block (LAYOUT.words, rounded up). */
export const CONTROL_BYTES = 128;

/**
 * Adam updates of fewer elements than this run on the calling thread alone. The update is bound
 * by double-precision square roots and divisions (about 3 ns an element on one core), so the
 * 235,000 parameters of the 784-256-128-10 MLP take ~0.7 ms: worth a wake-up.
 */
export const WASM_THREADED_UPDATE = 1 << 16;

/** The calling side of the queue (a product, or an Adam update): what module.ts needs of the pool. */
export interface GemmCall {
  /** 0, 1: a product in float32, float64; 2, 3: an Adam update in float32, float64. */
  kind: 0 | 1 | 2 | 3;
  /** A product: the 12 arguments of gemm_f32/f64 before the scratch; Adam: adam_f32/f64's 8. */
  args: readonly number[];
  scratch: number;
  each: number;
  tasks: number;
  threads: number;
}

/** What module.ts needs of a pool (threads.ts: WasmThreads). */
export interface ThreadPool {
  /** The threads a large product is cut for (the caller included). */
  readonly threads: number;
  /** Scratch regions a product needs: one per thread index that may take a task. */
  readonly span: number;
  /** Starts the workers not yet running; resolves when each is up (or failed). */
  start(): Promise<void>;
  /** Runs every task of a product on this thread and any worker free, and returns when done. */
  run(call: GemmCall): void;
  /** Sets the thread count (workers beyond it leave, missing ones start). */
  setThreads(n: number): void;
  /** How many tasks each thread index (0: the caller) has taken so far. */
  taken(): number[];
}

/**
 * The pools of the wasm instances made so far (a page or process usually has one), held weakly:
 * an instance nobody uses can be collected.
 */
const pools = new Set<WeakRef<ThreadPool>>();

/** The pools still alive. */
function livePools(): ThreadPool[] {
  const live: ThreadPool[] = [];
  for (const ref of pools) {
    const pool = ref.deref();
    if (pool === undefined) pools.delete(ref);
    else live.push(pool);
  }
  return live;
}

/** The thread count of new pools; 0 until a platform default or `setWasmThreads` sets it. */
const wanted = { count: 0 };

/** Registers a pool, so that `setWasmThreads` reaches it. */
export function trackPool(pool: ThreadPool): void {
  pools.add(new WeakRef(pool));
}

/** The thread count a new pool starts with: `setWasmThreads`'s, else `fallback`. */
export function threadCount(fallback: number): number {
  return Math.min(wanted.count || fallback, MAX_THREADS);
}

/**
 * Sets how many threads the `wasm` backend's large products use (the caller included, at most
 * 8): workers beyond it stop, missing ones start. Results have the same bits for any count. In
 * Node the default is `NABLA_THREADS`, else the machine's cores; in a browser,
 * `navigator.hardwareConcurrency` — where the page is cross-origin isolated; elsewhere there is
 * one thread whatever this says (no SharedArrayBuffer).
 */
export function setWasmThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`setWasmThreads: expected a whole number ≥ 1, got ${String(n)}`);
  wanted.count = Math.min(n, MAX_THREADS);
  for (const pool of livePools()) pool.setThreads(wanted.count);
}

/** The threads the `wasm` backend's large products use (1 where it has no workers). */
export function getWasmThreads(): number {
  let most = 0;
  for (const pool of livePools()) most = Math.max(most, pool.threads);
  return most || 1;
}
