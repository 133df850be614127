/**
 * The WebAssembly kernels (wasm/nabla.wasm, built from wasm/*.cc) behind a typed face. Tensors
 * stay in JavaScript typed arrays: each call copies its inputs into the module's linear memory,
 * runs, and copies the output back. The arrays are placed one after another from the module's
 * heap base, every call afresh, so the memory is one reusable scratch region; it grows (never
 * shrinks) to the largest call seen.
 */
import type { TypedArray } from '../../tensor/dtype.js';
import type { AdamStep, SGDStep } from '../backend.js';
import type { ChannelExports } from './channels.js';
import type { NormExports } from './norm.js';
import type { SoftmaxExports } from './softmax.js';
import {
  CONTROL_BYTES,
  MAX_THREADS,
  WASM_THREADED_UPDATE,
  WASM_THREADED_WORK,
  WORKER_STACK,
  type ThreadPool,
} from './thread-count.js';
import type { WasmApi, WasmMemory, WasmModule } from './webassembly.js';
import type { WindowExports } from './window.js';

/** A float array: what the kernels take. */
export type Float = Float32Array | Float64Array;

/** What nabla.wasm exports (the export_name attributes in wasm/*.cc). */
export interface WasmExports extends WindowExports, NormExports, ChannelExports, SoftmaxExports {
  readonly __heap_base: { readonly value: number };
  /** The calling thread's stack top: a global of each instance, set in each worker. */
  readonly __stack_pointer: { value: number };
  gemm_scratch_bytes(m: number, n: number, k: number, elementBytes: number): number;
  gemm_tasks(batch: number, m: number, n: number, k: number, sum: number, threads: number): number;
  gemm_f32: GemmExport;
  gemm_f64: GemmExport;
  binary_f32: BinaryExport;
  binary_f64: BinaryExport;
  relu_f32(x: number, out: number, n: number): void;
  relu_f64(x: number, out: number, n: number): void;
  sgd_f32: SgdExport;
  sgd_f64: SgdExport;
  adam_f32: AdamExport;
  adam_f64: AdamExport;
  sum_axis0_f32(x: number, rows: number, cols: number, out: number, acc: number): void;
  sum_axis0_f64(x: number, rows: number, cols: number, out: number, acc: number): void;
}

/**
 * The module's product: pointers (byte offsets) for the arrays, 0/1 for the flags; task `task`
 * of gemm_tasks(…, threads) (0 of 1: the whole product).
 */
type GemmExport = (
  a: number,
  b: number,
  out: number,
  batch: number,
  m: number,
  n: number,
  k: number,
  transA: number,
  transB: number,
  aBatchStride: number,
  bBatchStride: number,
  sum: number,
  scratch: number,
  task: number,
  threads: number,
) => void;

/** out = a op b over rows × cols, b's rows bRow apart (0: one row broadcast). */
type BinaryExport = (
  op: number,
  a: number,
  b: number,
  out: number,
  rows: number,
  cols: number,
  bRow: number,
) => void;

/** The SGD update (Backend.sgdStep); buf 0 when there is no momentum buffer. */
type SgdExport = (
  w: number,
  g: number,
  buf: number,
  n: number,
  lr: number,
  momentum: number,
  dampening: number,
  weightDecay: number,
  nesterov: number,
  maximize: number,
  first: number,
) => void;

/** The Adam update (Backend.adamStep): h at an array of its 7 scalars; vmax 0 without AMSGrad. */
type AdamExport = (...args: AdamArgs) => void;
type AdamArgs = [
  w: number,
  g: number,
  m: number,
  v: number,
  vmax: number,
  n: number,
  h: number,
  maximize: number,
];

/** The binary operations of the module, by their number in wasm/elementwise.cc. */
export const WASM_BINARY = Object.freeze({ add: 0, sub: 1, mul: 2, div: 3, reluGrad: 4 });

/** An array argument of a call: copied into the module unless it is only written. */
export interface Arg {
  array: Float | Int32Array;
  /** Read by the kernel: copied in. */
  read: boolean;
  /** Written by the kernel: copied back out. */
  written: boolean;
}

const PAGE = 65536;

/** Rounds a byte offset up to 16 (one v128). */
function align(offset: number): number {
  return (offset + 15) & ~15;
}

/** Whether every array is a float array of the first one's type. */
export function sameFloat(...arrays: (TypedArray | null)[]): boolean {
  const first = arrays[0];
  if (!(first instanceof Float32Array || first instanceof Float64Array)) return false;
  return arrays.every((x) => x === null || x.constructor === first.constructor);
}

/** The kernels of one instance of nabla.wasm. */
export class WasmKernels {
  private readonly base: number;

  /**
   * Over the instance's exports (read by the kernels' wrappers in window.ts, norm.ts, channels.ts) and memory; with `threads`, the control block and the workers'
   * stacks (threads.ts) come first in the heap.
   */
  constructor(
    readonly exports: WasmExports,
    readonly memory: WasmMemory,
    readonly threads?: ThreadPool,
  ) {
    const heap = align(exports.__heap_base.value);
    this.base = threads ? heap + CONTROL_BYTES + (MAX_THREADS - 1) * WORKER_STACK : heap;
    this.reserve(this.base);
  }

  /** Grows the memory to at least `end` bytes. */
  private reserve(end: number): void {
    const memory = this.memory;
    const have = memory.buffer.byteLength;
    if (end > have) memory.grow(Math.ceil((end - have) / PAGE));
  }

  /**
   * Places the arrays one after another from the heap base (16-byte aligned), then `scratch`
   * bytes, growing the memory; copies in the arrays read, calls `kernel` with their offsets (the
   * scratch's last), and copies back the arrays written.
   */
  run(args: readonly Arg[], scratch: number, kernel: (offsets: number[]) => void): void {
    const offsets: number[] = [];
    let at = this.base;
    for (const { array } of args) {
      offsets.push(at);
      at = align(at + array.byteLength);
    }
    offsets.push(at);
    this.reserve(at + scratch);
    const buffer = this.memory.buffer;
    const view = ({ array }: Arg, i: number): Arg['array'] => {
      const Type = array.constructor as new (b: ArrayBuffer, at: number, n: number) => Arg['array'];
      return new Type(buffer, offsets[i], array.length);
    };
    args.forEach((arg, i) => arg.read && view(arg, i).set(arg.array));
    kernel(offsets);
    args.forEach((arg, i) => arg.written && arg.array.set(view(arg, i)));
  }

  /** `Backend.matmul` (sum false) and `Backend.matmulSum` (sum true) on float arrays of one type. */
  product(
    a: Float,
    b: Float,
    out: Float,
    shape: readonly [batch: number, m: number, n: number, k: number],
    flags: readonly [transA: boolean, transB: boolean, sum: boolean],
    strides: readonly [a: number, b: number],
  ): void {
    const [batch, m, n, k] = shape;
    const e = a.BYTES_PER_ELEMENT;
    const x = this.exports;
    const gemm = e === 4 ? x.gemm_f32 : x.gemm_f64;
    const [transA, transB, sum] = flags.map(Number);
    const pool = batch * m * n * k >= WASM_THREADED_WORK ? this.threads : undefined;
    const threads = pool?.threads ?? 1;
    const tasks = x.gemm_tasks(batch, m, n, k, sum, threads);
    const each = align(x.gemm_scratch_bytes(m, n, k, e));
    const args = [input(a), input(b), output(out)];
    if (pool === undefined || tasks === 1)
      return this.run(args, each, ([pa, pb, pout, ps]) =>
        gemm(pa, pb, pout, batch, m, n, k, transA, transB, strides[0], strides[1], sum, ps, 0, 1),
      );
    void pool.start();
    this.run(args, each * pool.span, ([pa, pb, pout, scratch]) => {
      const operands = [pa, pb, pout, batch, m, n, k, transA, transB, ...strides, sum];
      pool.run({ kind: e === 4 ? 0 : 1, args: operands, scratch, each, tasks, threads });
    });
  }

  /** out = a op b for rows × cols, b's rows `bRow` apart (0: one row of b for every row). */
  binary(
    op: keyof typeof WASM_BINARY,
    a: Float,
    b: Float,
    out: Float,
    cols: number,
    bRow: number,
  ): void {
    const f = a instanceof Float32Array ? this.exports.binary_f32 : this.exports.binary_f64;
    const rows = out.length / cols;
    this.run([input(a), input(b), output(out)], 0, ([pa, pb, pout]) =>
      f(WASM_BINARY[op], pa, pb, pout, rows, cols, bRow),
    );
  }

  /** out = relu(x). */
  relu(x: Float, out: Float): void {
    const f = x instanceof Float32Array ? this.exports.relu_f32 : this.exports.relu_f64;
    this.run([input(x), output(out)], 0, ([px, pout]) => f(px, pout, x.length));
  }

  /** out[j] = Σ over the rows of x (rows × cols) of x[·][j], in the reference's order. */
  sumAxis0(x: Float, rows: number, cols: number, out: Float): void {
    const f = x instanceof Float32Array ? this.exports.sum_axis0_f32 : this.exports.sum_axis0_f64;
    this.run([input(x), output(out)], 8 * cols, ([px, pout, acc]) => f(px, rows, cols, pout, acc));
  }

  /** `Backend.adamStep` on float arrays of one type; large ones shared among the threads. */
  adamStep(w: Float, g: Float, m: Float, v: Float, vmax: Float | null, h: AdamStep): void {
    const f32 = w instanceof Float32Array;
    const f = f32 ? this.exports.adam_f32 : this.exports.adam_f64;
    const pool = w.length >= WASM_THREADED_UPDATE ? this.threads : undefined;
    if (pool !== undefined && pool.threads > 1) void pool.start();
    this.run(adamArgs(w, g, m, v, vmax, h), 0, ([pw, pg, pm, pv, ph, pvmax]) => {
      const args = [pw, pg, pm, pv, vmax === null ? 0 : pvmax, w.length, ph, Number(h.maximize)];
      if (pool === undefined || pool.threads === 1) return f(...(args as AdamArgs));
      const tasks = 2 * pool.threads;
      pool.run({ kind: f32 ? 2 : 3, args, scratch: 0, each: 0, tasks, threads: pool.threads });
    });
  }

  /** `Backend.sgdStep` on float arrays of one type. */
  sgdStep(w: Float, g: Float, buf: Float | null, h: SGDStep): void {
    const f = w instanceof Float32Array ? this.exports.sgd_f32 : this.exports.sgd_f64;
    const args = [both(w), input(g), ...(buf === null ? [] : [both(buf)])];
    this.run(args, 0, ([pw, pg, pbuf]) =>
      f(
        pw,
        pg,
        buf === null ? 0 : pbuf,
        w.length,
        h.lr,
        h.momentum,
        h.dampening,
        h.weightDecay,
        Number(h.nesterov),
        Number(h.maximize),
        Number(h.first),
      ),
    );
  }
}

/** `Backend.adamStep` on float arrays of one type. */
function adamArgs(w: Float, g: Float, m: Float, v: Float, vmax: Float | null, h: AdamStep): Arg[] {
  const { beta1, beta2, eps, stepSize, bc2Sqrt, decay, l2 } = h;
  const scalars = Float64Array.of(beta1, beta2, eps, stepSize, bc2Sqrt, decay, l2);
  return [both(w), input(g), both(m), both(v), input(scalars), ...(vmax ? [both(vmax)] : [])];
}

export const input = (array: Arg['array']): Arg => ({ array, read: true, written: false });
export const output = (array: Arg['array']): Arg => ({ array, read: false, written: true });
export const both = (array: Arg['array']): Arg => ({ array, read: true, written: true });

/**
 * Instantiates nabla.wasm (compiled) over `memory` (memory.ts). With `pool` (the memory then
 * shared: threads.ts's threadedKernels), large products are shared among its workers; it gets
 * the instance's exports and the control block's offset.
 */
export function wasmKernels(
  api: WasmApi,
  module: WasmModule,
  memory: WasmMemory,
  pool?: (exports: WasmExports, control: number) => ThreadPool,
): WasmKernels {
  const instance = new api.Instance(module, { env: { memory } });
  const x = instance.exports as unknown as WasmExports;
  return new WasmKernels(x, memory, pool?.(x, align(x.__heap_base.value)));
}
