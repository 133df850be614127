/**
 * The few parts of the WebAssembly JavaScript API this backend uses, typed here: the project's
 * TypeScript settings include neither the DOM library nor one for WebAssembly. Every browser of
 * the last years and Node ≥ 16 provide them; `wasmApi()` is undefined where they are missing.
 */

/** A module's linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** What `new WebAssembly.Memory` takes (pages of 64 KiB). */
export interface WasmMemoryDescriptor {
  initial: number;
  maximum: number;
  shared: boolean;
}

/** A compiled module (opaque here). */
export type WasmModule = object;

/** The constructors and functions of the global `WebAssembly`. */
export interface WasmApi {
  Module: new (bytes: ArrayBufferView | ArrayBuffer) => WasmModule;
  Memory: new (descriptor: WasmMemoryDescriptor) => WasmMemory;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  compile(bytes: ArrayBufferView | ArrayBuffer): Promise<WasmModule>;
  validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
}

/** The global `WebAssembly`, or undefined where there is none. */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/**
 * The smallest module that uses a SIMD128 instruction (a function computing i8x16.splat(0)
 * and dropping it): engines without SIMD reject it.
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26,
  11,
]);

/** Whether this engine runs WebAssembly with SIMD128. */
export function wasmSimdSupported(): boolean {
  try {
    return wasmApi()?.validate(SIMD_PROBE) === true;
  } catch {
    return false;
  }
}
