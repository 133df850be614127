/**
 * The wasm backend's threads: workers (Web Workers in a cross-origin isolated page, worker_threads
 * in Node) each running an instance of nabla.wasm over the one shared memory (worker.ts). A large
 * product is cut into tasks (wasm/gemm.cc: slabs of C, or whole products of a batch) that the
 * calling thread and the workers take from a queue; the caller works too, then waits for the
 * last. The cut depends on the thread count asked for, never on how many workers are up or who
 * takes which task, and every element of C is computed with the same chain of sums in any cut:
 * the results have the same bits for any number of threads.
 */
import { wasmKernels, type WasmKernels } from './module.js';
import {
  CONTROL_BYTES,
  MAX_THREADS,
  threadCount,
  trackPool,
  WORKER_STACK,
  type GemmCall,
  type ThreadPool,
} from './thread-count.js';
import { claimTasks, LAYOUT, type WorkerInit } from './worker.js';
import type { WasmApi, WasmMemory, WasmModule } from './webassembly.js';

/** A started worker, as the platform gives it (Node's worker_threads or a Web Worker). */
export interface WorkerHandle {
  /** Forgets the worker at once: it has said 'gone', or never came up (an error). */
  terminate(): void;
}

/**
 * Starts a worker with `init`; `message` is called with what it posts ('up', 'gone'), and with
 * 'gone' when it fails or exits.
 */
export type Spawn = (init: WorkerInit, message: (m: string) => void) => WorkerHandle;

type Slot = { handle: WorkerHandle; up: boolean; retiring: boolean } | undefined;

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function canBlock(c: Int32Array): boolean {
  try {
    Atomics.wait(c, LAYOUT.total, -1, 0);
    return true;
  } catch {
    return false;
  }
}

/** The workers of one wasm instance and the queue they share with the calling thread. */
export class WasmThreads implements ThreadPool {
  private readonly c: Int32Array;
  private readonly slots: Slot[] = [];
  private readonly block: boolean;
  private job = 0;
  private started = false;
  private waiting: (() => void)[] = [];

  constructor(
    private readonly spawn: Spawn,
    private readonly module: WasmModule,
    private readonly memory: WasmMemory,
    private readonly control: number,
    private readonly exports: Parameters<typeof claimTasks>[1],
    private count: number,
  ) {
    this.c = new Int32Array(memory.buffer, control, LAYOUT.words);
    this.block = canBlock(this.c);
  }

  /** The threads a large product is cut for (the caller included). */
  get threads(): number {
    return this.count;
  }

  /** How many tasks each thread index (0: the caller) has taken so far. */
  taken(): number[] {
    return Array.from(this.c.subarray(LAYOUT.taken, LAYOUT.taken + MAX_THREADS));
  }

  /** Scratch regions a product needs: one per thread index that may take a task. */
  get span(): number {
    return Math.max(this.count, this.slots.length);
  }

  /**
   * Sets the thread count: workers beyond it are asked to stop (each finishes the task it holds,
   * and leaves); missing ones are started if the pool is. Results do not depend on it.
   */
  setThreads(n: number): void {
    this.count = n;
    for (let i = n; i < this.slots.length; i++)
      if (this.slots[i] !== undefined) {
        this.slots[i]!.retiring = true;
        Atomics.or(this.c, LAYOUT.retire, 1 << i);
      }
    this.wake();
    if (this.started) void this.start();
  }

  /** Starts the workers not yet running; resolves when each is up (or failed). */
  start(): Promise<void> {
    this.started = true;
    for (let i = 1; i < this.count; i++) if (this.slots[i] === undefined) this.startWorker(i);
    return this.settled();
  }

  /**
   * Resolves once every worker below the count is up (or failed): none starting, none retiring
   * (one asked back is started again when it has left).
   */
  private settled(): Promise<void> {
    const starting = () =>
      this.slots.some((s, i) => s !== undefined && (!s.up || s.retiring) && i < this.count);
    if (!starting()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private startWorker(index: number): void {
    Atomics.and(this.c, LAYOUT.retire, ~(1 << index));
    const init: WorkerInit = {
      module: this.module,
      memory: this.memory,
      control: this.control,
      stack: this.control + CONTROL_BYTES + index * WORKER_STACK,
      index,
      layout: LAYOUT,
    };
    const slot = {
      handle: this.spawn(init, (m) => this.message(index, slot, m)),
      up: false,
      retiring: false,
    };
    this.slots[index] = slot;
  }

  private message(index: number, slot: NonNullable<Slot>, m: string): void {
    if (m === 'up') slot.up = true;
    else if (this.slots[index] === slot) {
      slot.handle.terminate();
      this.slots[index] = undefined;
      while (this.slots.length > 0 && this.slots[this.slots.length - 1] === undefined)
        this.slots.pop();
      // Retired to shrink the pool, then asked back before it left: start it again.
      if (slot.up && this.started && index < this.count) this.startWorker(index);
    }
    const done = this.waiting;
    this.waiting = [];
    for (const resolve of done) void this.settled().then(resolve);
  }

  /** Bumps the job word and wakes the sleeping workers. */
  private wake(): void {
    Atomics.add(this.c, LAYOUT.gen, 1);
    Atomics.notify(this.c, LAYOUT.gen);
  }

  /** Runs every task of a product on this thread and any worker free, and returns when done. */
  run(call: GemmCall): void {
    const { c } = this;
    const s = LAYOUT;
    const closed = (1 << s.taskBits) - 1;
    c[s.kind] = call.kind;
    c.set(call.args, s.args);
    c[s.scratch] = call.scratch;
    c[s.each] = call.each;
    c[s.threads] = call.threads;
    Atomics.store(c, s.total, call.tasks);
    Atomics.store(c, s.done, 0);
    Atomics.store(c, s.failed, 0);
    this.job = (this.job + 1) & ((1 << (31 - s.taskBits)) - 1);
    Atomics.store(c, s.claim, this.job << s.taskBits);
    this.wake();
    try {
      claimTasks(c, this.exports, 0, s);
    } finally {
      // Close the queue (worker.ts: claimTasks), then wait for every task taken — all of them,
      // unless the caller's own threw — before the arguments may change.
      const taken = Atomics.exchange(c, s.claim, (this.job << s.taskBits) | closed) & closed;
      const last = Math.min(taken, call.tasks);
      for (let done = Atomics.load(c, s.done); done !== last; done = Atomics.load(c, s.done))
        // A browser's main thread may not block: it spins for the last task.
        if (this.block) Atomics.wait(c, s.done, done);
    }
    if (Atomics.load(c, s.failed) !== 0) throw new Error('wasm: a worker failed in a product');
  }
}

/** How the kernels start their workers, and how many threads they use. */
export interface ThreadsOptions {
  spawn: Spawn;
  threads: number;
}

/**
 * nabla.wasm (compiled) instantiated over a shared `memory` (memory.ts), its large products
 * shared among workers started at the first one (or by `threads.start()`).
 */
export function threadedKernels(
  api: WasmApi,
  module: WasmModule,
  memory: WasmMemory,
  options: ThreadsOptions,
): WasmKernels {
  return wasmKernels(api, module, memory, (exports, control) => {
    const count = threadCount(options.threads);
    const pool = new WasmThreads(options.spawn, module, memory, control, exports, count);
    trackPool(pool);
    return pool;
  });
}
