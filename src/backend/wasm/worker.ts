/**
 * What the threads of the wasm backend run (threads.ts starts them): a second instance of
 * nabla.wasm over the calling thread's shared memory, with a stack of its own, taking the tasks
 * of each product from a queue in that memory. The functions here are sent to the workers as
 * source text (`Function.prototype.toString`: no file to fetch, for a bundler to miss, or to
 * serve with the right headers), so each is self-contained: it names nothing outside its own
 * parameters but the globals `WebAssembly` and `Atomics`.
 */
import type { WasmApi, WasmMemory, WasmModule } from './webassembly.js';

/**
 * The control block: 32-bit words at the start of the memory's heap, shared by every thread.
 * The caller writes a product's arguments and its number of tasks, then opens the queue: `claim`
 * holds a job number (the high bits) and the next task (the low `taskBits`); a task is taken by a
 * compare-and-swap of that word, so a thread late from an earlier job can never take a task of
 * the next one. `retire` holds a bit per worker asked to stop.
 */
export const LAYOUT = Object.freeze({
  gen: 0,
  claim: 1,
  total: 2,
  done: 3,
  kind: 4,
  scratch: 5,
  each: 6,
  threads: 7,
  retire: 8,
  failed: 9,
  args: 10,
  argCount: 12,
  taken: 22, // tasks taken by each thread index, 8 words (what the tests look at)
  words: 30,
  taskBits: 12,
  // Loads of the job word before a worker sleeps: a few tens of µs, less than a wake-up costs,
  // so that the products of one training step find the workers awake.
  spin: 20000,
});

export type Layout = typeof LAYOUT;

/** The exports a worker calls (module.ts types them all). */
interface GemmExports {
  gemm_f32(...args: number[]): void;
  gemm_f64(...args: number[]): void;
  adam_f32(...args: number[]): void;
  adam_f64(...args: number[]): void;
  __stack_pointer: { value: number };
}

/**
 * Takes and runs tasks of the open job until none is left, waking the caller after each (it
 * waits for the count of tasks done). `index` chooses the thread's scratch region.
 */
export function claimTasks(c: Int32Array, x: GemmExports, index: number, s: Layout): void {
  const mask = (1 << s.taskBits) - 1;
  for (;;) {
    const word = Atomics.load(c, s.claim);
    const task = word & mask;
    if (task >= Atomics.load(c, s.total)) return;
    if (Atomics.compareExchange(c, s.claim, word, word + 1) !== word) continue;
    // Taken: the job cannot change until this task is counted done.
    const kind = c[s.kind];
    const a = s.args;
    let ok = false;
    try {
      if (kind < 2) {
        (kind === 0 ? x.gemm_f32 : x.gemm_f64)(
          ...[c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7], c[a + 8]],
          ...[c[a + 9], c[a + 10], c[a + 11], c[s.scratch] + index * c[s.each], task, c[s.threads]],
        );
      } else {
        // Adam (kind 2: float32, 3: float64) on elements [lo, hi) of its n: each element's
        // update is its own, so the cut changes no bit.
        const e = kind === 2 ? 4 : 8;
        const n = c[a + 5];
        const total = Atomics.load(c, s.total);
        const lo = Math.floor((n * task) / total);
        const at = (p: number) => (p === 0 ? 0 : p + lo * e);
        (kind === 2 ? x.adam_f32 : x.adam_f64)(
          ...[at(c[a]), at(c[a + 1]), at(c[a + 2]), at(c[a + 3]), at(c[a + 4])],
          ...[Math.floor((n * (task + 1)) / total) - lo, c[a + 6], c[a + 7]],
        );
      }
      ok = true;
    } finally {
      // Counted done even when it throws (a worker then dies): the caller never waits forever.
      if (!ok) Atomics.store(c, s.failed, 1);
      Atomics.add(c, s.taken + index, 1);
      Atomics.add(c, s.done, 1);
      Atomics.notify(c, s.done); // cheap when the caller is not waiting (it works, or spins)
    }
  }
}

/** What a worker receives. */
export interface WorkerInit {
  module: WasmModule;
  memory: WasmMemory;
  /** Byte offset of the control block. */
  control: number;
  /** The top of this worker's stack (it grows down). */
  stack: number;
  /** 1, 2, …: the caller is 0. */
  index: number;
  layout: Layout;
}

/**
 * A worker's life: instantiate, say 'up', then sleep until a job is posted, take its tasks, and
 * again, until retired ('gone'). Sleeping in Atomics.wait keeps no event loop busy.
 */
export function workerMain(
  init: WorkerInit,
  post: (message: string) => void,
  claim: typeof claimTasks,
): void {
  const { module, memory, control, stack, index, layout: s } = init;
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const x = new api.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
  x.__stack_pointer.value = stack;
  const c = new Int32Array(memory.buffer, control, s.words);
  post('up');
  for (let gen = Atomics.load(c, s.gen); (Atomics.load(c, s.retire) & (1 << index)) === 0;) {
    claim(c, x, index, s);
    for (let i = 0; i < s.spin && Atomics.load(c, s.gen) === gen; i++);
    Atomics.wait(c, s.gen, gen);
    gen = Atomics.load(c, s.gen);
  }
  post('gone');
}

/**
 * The functions' source. Some transforms (esbuild's keepNames, which tsx and Vitest use) wrap
 * functions in a `__name` helper of the module: the workers get one that does nothing.
 */
function functions(): string {
  return `var __name = (f) => f;
const workerMain = ${workerMain.toString()};
const claimTasks = ${claimTasks.toString()};`;
}

/** The source of a Node worker (worker_threads, `eval: true`: CommonJS), given workerData. */
export function nodeWorkerSource(): string {
  return `${functions()}
const { parentPort, workerData } = require('node:worker_threads');
workerMain(workerData, (m) => parentPort.postMessage(m), claimTasks);`;
}

/** The source of a Web Worker, given its init by its first message; it closes when retired. */
export function webWorkerSource(): string {
  return `${functions()}
self.onmessage = (e) => {
  workerMain(e.data, (m) => self.postMessage(m), claimTasks);
  self.close();
};`;
}
