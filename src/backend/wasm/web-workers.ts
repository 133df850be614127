/**
 * The wasm backend's threads in a browser: Web Workers, started from a Blob of worker.ts's source
 * (no second file for a bundler to find), sharing the module's memory. Only a cross-origin
 * isolated page (served with COOP `same-origin` and COEP `require-corp`) may share memory with a
 * worker; elsewhere there are none and the backend runs on one thread.
 */
import { moduleMemory } from './memory.js';
import type { WasmKernels } from './module.js';
import { threadedKernels, type Spawn } from './threads.js';
import type { WasmApi } from './webassembly.js';
import { webWorkerSource } from './worker.js';

/** The parts of a Web Worker used here (the project's TypeScript has no DOM library). */
interface WebWorker {
  onmessage: ((event: { data: string }) => void) | null;
  onerror: (() => void) | null;
  postMessage(message: unknown): void;
  terminate(): void;
}

/** The browser globals that threads need. */
interface WebGlobals {
  crossOriginIsolated?: boolean;
  Worker?: new (url: string) => WebWorker;
  Blob?: new (parts: string[], options: { type: string }) => object;
  URL?: { createObjectURL?(blob: object): string };
  navigator?: { hardwareConcurrency?: number };
}

/** Starts Web Workers, or undefined where they cannot share memory with this thread. */
export function webSpawn(): Spawn | undefined {
  const g = globalThis as WebGlobals;
  const { Worker, Blob, URL } = g;
  if (g.crossOriginIsolated !== true || !Worker || !Blob || !URL?.createObjectURL) return undefined;
  const url = URL.createObjectURL(new Blob([webWorkerSource()], { type: 'text/javascript' }));
  return (init, message) => {
    const worker = new Worker(url);
    worker.onmessage = (event) => message(event.data);
    worker.onerror = () => message('gone');
    worker.postMessage(init);
    return { terminate: () => worker.terminate() };
  };
}

/** The default thread count in a browser: its logical cores. */
export function webThreads(): number {
  return (globalThis as WebGlobals).navigator?.hardwareConcurrency ?? 1;
}

/**
 * The kernels with Web Workers, up (or given 10 s) before this resolves; undefined where there
 * can be none (not isolated) or no shared memory of 4 GiB's reach (a 32-bit browser).
 */
export async function threadedBrowserKernels(
  api: WasmApi,
  bytes: Uint8Array,
): Promise<WasmKernels | undefined> {
  const spawn = webSpawn();
  if (spawn === undefined) return undefined;
  try {
    const memory = moduleMemory(api, bytes, true);
    const kernels = threadedKernels(api, await api.compile(bytes), memory, {
      spawn,
      threads: webThreads(),
    });
    // Workers that never answer (none should) cost ready() 10 s at most, not forever.
    await Promise.race([kernels.threads?.start(), new Promise((r) => setTimeout(r, 10_000))]);
    return kernels;
  } catch {
    return undefined;
  }
}
