/**
 * The WebAssembly kernels (wasm/nabla.wasm, built from wasm/*.cc) behind a typed face. Tensors
 * stay in JavaScript typed arrays: each call copies its inputs into the module's linear memory,
 * runs, and copies the output back. The arrays are placed one after another from the module's
 * heap base, every call afresh, so the memory is one reusable scratch region; it grows (never
 * shrinks) to the largest call seen.
 */
import type { TypedArray } from '../../tensor/dtype.js';
import type { WasmApi, WasmMemory, WasmModule } from './webassembly.js';

/** A float array: what the kernels take. */
export type Float = Float32Array | Float64Array;

/** What nabla.wasm exports (the export_name attributes in wasm/*.cc). */
export interface WasmExports {
  readonly memory: WasmMemory;
  readonly __heap_base: { readonly value: number };
  gemm_scratch_bytes(m: number, n: number, k: number, elementBytes: number): number;
  gemm_f32: GemmExport;
  gemm_f64: GemmExport;
}

/** The module's product: pointers (byte offsets) for the arrays, 0/1 for the flags. */
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
) => void;

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

  constructor(private readonly exports: WasmExports) {
    this.base = align(exports.__heap_base.value);
  }

  /** Grows the memory to at least `end` bytes. */
  private reserve(end: number): void {
    const memory = this.exports.memory;
    const have = memory.buffer.byteLength;
    if (end > have) memory.grow(Math.ceil((end - have) / PAGE));
  }

  /**
   * Lays out arrays of these byte sizes from the heap base (16-byte aligned), plus `scratch`
   * bytes, growing the memory; returns their offsets, the scratch's last.
   */
  private layout(bytes: readonly number[], scratch: number): number[] {
    const offsets: number[] = [];
    let at = this.base;
    for (const size of [...bytes, scratch]) {
      offsets.push(at);
      at = align(at + size);
    }
    this.reserve(at);
    return offsets;
  }

  /** A view of `length` elements of x's type at `offset` in the module's memory. */
  private view<T extends Float>(like: T, offset: number, length: number): T {
    const Ctor = like.constructor as new (b: ArrayBuffer, o: number, l: number) => T;
    return new Ctor(this.exports.memory.buffer, offset, length);
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
    const scratch = this.exports.gemm_scratch_bytes(m, n, k, e);
    const [pa, pb, pout, ps] = this.layout([a.length * e, b.length * e, out.length * e], scratch);
    this.view(a, pa, a.length).set(a);
    this.view(b, pb, b.length).set(b);
    const gemm = e === 4 ? this.exports.gemm_f32 : this.exports.gemm_f64;
    const [transA, transB, sum] = flags.map(Number);
    gemm(pa, pb, pout, batch, m, n, k, transA, transB, strides[0], strides[1], sum, ps);
    out.set(this.view(out, pout, out.length));
  }
}

/** Instantiates nabla.wasm from its compiled module (it imports nothing). */
export function wasmKernels(api: WasmApi, module: WasmModule): WasmKernels {
  const instance = new api.Instance(module, {});
  return new WasmKernels(instance.exports as unknown as WasmExports);
}
