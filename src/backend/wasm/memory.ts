/**
 * The module's linear memory. nabla.wasm imports it (env.memory), declared shared, so that the
 * instances of the calling thread and of the workers (threads.ts) compute in one memory. Where
 * there can be no workers — a page that is not cross-origin isolated has no SharedArrayBuffer —
 * the same bytes are instantiated over an ordinary memory: one byte of the import, the limits'
 * flags, is rewritten from "shared, with a maximum" to "with a maximum". The module's atomic
 * instructions (only in wasm-ld's start function, which initializes the data once among all the
 * instances) are valid on an unshared memory, and run on one thread there.
 */
import type { WasmApi, WasmMemory } from './webassembly.js';

/** The limits of the module's memory import, and where their flags byte lies. */
interface MemoryImport {
  flagsAt: number;
  shared: boolean;
  minimum: number;
}

/** Limits flags of a memory with a maximum (0x01), and of a shared one (0x03). */
const HAS_MAXIMUM = 1;
const SHARED = 2;

/** The memory can grow to 4 GiB (65,536 pages of 64 KiB), wasm32's whole address space. */
export const MAX_PAGES = 65536;

/** Reads an unsigned LEB128 at `at`: the value and the offset after it. */
function leb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++];
    value += (byte & 127) * 2 ** shift;
    if (byte < 128) return [value, at];
  }
}

/** The memory import of a module's bytes (its import section, id 2), or undefined. */
function memoryImport(bytes: Uint8Array): MemoryImport | undefined {
  let at = 8; // after the magic number and the version
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, body] = leb(bytes, at + 1);
    if (id === 2) {
      let [count, p] = leb(bytes, body);
      for (; count > 0; count--) {
        for (let name = 0; name < 2; name++) {
          const [length, next] = leb(bytes, p);
          p = next + length;
        }
        const kind = bytes[p++];
        if (kind === 2) {
          const flags = bytes[p];
          return { flagsAt: p, shared: (flags & SHARED) !== 0, minimum: leb(bytes, p + 1)[0] };
        }
        p =
          kind === 0
            ? leb(bytes, p)[1]
            : kind === 3
              ? p + 2
              : skipLimits(bytes, p + (kind === 1 ? 1 : 0));
      }
      return undefined;
    }
    at = body + size;
  }
  return undefined;
}

/** The offset after a limits record (flags, minimum, maximum when flagged). */
function skipLimits(bytes: Uint8Array, at: number): number {
  const flags = bytes[at];
  const afterMin = leb(bytes, at + 1)[1];
  return (flags & HAS_MAXIMUM) !== 0 ? leb(bytes, afterMin)[1] : afterMin;
}

/**
 * The module's bytes for an unshared memory: a copy with the memory import's shared flag
 * cleared (the bytes themselves when it is not set).
 */
export function unsharedBytes(bytes: Uint8Array): Uint8Array {
  const found = memoryImport(bytes);
  if (found === undefined || !found.shared) return bytes;
  const copy = new Uint8Array(bytes); // a copy (a Node Buffer's slice() would be a view)
  copy[found.flagsAt] &= ~SHARED;
  return copy;
}

/**
 * A memory for the module: shared (for threads) or not, its initial size the module's minimum
 * (its data and the calling thread's stack), its maximum 4 GiB.
 */
export function moduleMemory(api: WasmApi, bytes: Uint8Array, shared: boolean): WasmMemory {
  const initial = memoryImport(bytes)?.minimum ?? 1;
  return new api.Memory({ initial, maximum: MAX_PAGES, shared });
}
