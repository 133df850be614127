import type { DType, TypedArray } from './dtype.js';
import { engine } from './state.js';

/*
 * The caching allocator. Every tensor's storage comes from `allocate` (dtype.ts); arrays from
 * BIG_BYTES up are remembered as the library's own. When the autograd engine knows an array is
 * dead (a gradient consumed by its node's rule that nothing else can see, see
 * autograd/engine.ts), it gives it back with `release`; the next request for the same dtype and
 * length takes it, zeroed, instead of a fresh one. A fresh array costs, in V8, an off-heap
 * backing store and garbage-collection work for it (about 0.3–3 µs even for 256 bytes, measured
 * on this machine; more than a small network's kernel), and large ones page faults and the
 * zeroing of new memory; a warm one only the zeroing. The cache is bounded (`CACHE_LIMIT` bytes)
 * and never changes a result: a reused array is zeroed like a fresh one.
 */

/**
 * Arrays of at most 64 bytes are not cached: V8 keeps them in its own heap and makes them as
 * cheaply as any object.
 */
export const SMALL_BYTES = 65;
/**
 * Arrays from this size up are counted (`allocatedBytes`) and remembered as the library's own:
 * only those may be released. Smaller ones are not remembered (a WeakSet entry per array doubles
 * the cost of making it); the engine releases them only under its own rules, which admit no array
 * a user can see.
 */
export const BIG_BYTES = 1 << 14;
/** The most bytes the cache holds; a released array beyond it is left to the garbage collector. */
export const CACHE_LIMIT = 256 * 2 ** 20;

/** The allocator's state (in `engine.caches.storage`). */
export interface StorageCache {
  /** Released arrays by `key(dtype, length)`, ready for reuse. */
  readonly free: Map<number, TypedArray[]>;
  /** The arrays in `free`: a second release of one is ignored. */
  readonly cached: Set<TypedArray>;
  /** The large arrays `allocate` made: only these may be released. */
  readonly own: WeakSet<TypedArray>;
  /** Reads the bytes of array buffers alive, where the platform tells (Node's entry sets it). */
  inUseProbe: (() => number) | undefined;
  /**
   * Makes an array buffer without zeroing it, where the platform can (Node's entry sets it), for
   * arrays a kernel overwrites whole before anything reads them.
   */
  uninitialized: ((bytes: number) => ArrayBuffer) | undefined;
  counts: MemoryCounts;
}

export interface MemoryCounts {
  cachedBytes: number;
  peakCachedBytes: number;
  allocatedBytes: number;
  reusedBytes: number;
  releasedBytes: number;
}

const DTYPE_CODE: Readonly<Record<DType, number>> = {
  float32: 0,
  float64: 1,
  int32: 2,
  uint8: 3,
  bool: 4,
};

/** A number rather than a string: no string is built per allocation. */
const key = (dtype: DType, n: number): number => n * 5 + DTYPE_CODE[dtype];

/**
 * A released array of `dtype` and length n, zeroed unless `zeroed` is false (its next writer
 * overwrites every element), or undefined when none is cached.
 */
export function takeCached(
  dtype: DType,
  n: number,
  bytes: number,
  zeroed = true,
): TypedArray | undefined {
  if (bytes < SMALL_BYTES) return undefined;
  const cache = engine.caches.storage;
  const list = cache.free.get(key(dtype, n));
  const array = list?.pop();
  if (array === undefined) return undefined;
  cache.cached.delete(array);
  cache.counts.cachedBytes -= bytes;
  cache.counts.reusedBytes += bytes;
  return zeroed ? array.fill(0) : array;
}

/** Records a fresh array made by `allocate`, so that it may be released later. */
export function noteAllocated(array: TypedArray): void {
  if (array.byteLength < BIG_BYTES) return;
  const cache = engine.caches.storage;
  cache.own.add(array);
  cache.counts.allocatedBytes += array.byteLength;
}

/**
 * Gives a dead array back to the cache. Only for arrays nothing can read or write any more;
 * large arrays `allocate` did not make, arrays of at most 64 bytes, and ones already cached are
 * ignored.
 */
export function release(array: TypedArray, dtype: DType): void {
  const bytes = array.byteLength;
  const cache = engine.caches.storage;
  if (bytes < SMALL_BYTES || cache.cached.has(array)) return;
  if (bytes >= BIG_BYTES && !cache.own.has(array)) return;
  if (cache.counts.cachedBytes + bytes > CACHE_LIMIT) return;
  const k = key(dtype, array.length);
  let list = cache.free.get(k);
  if (list === undefined) cache.free.set(k, (list = []));
  list.push(array);
  cache.cached.add(array);
  const counts = cache.counts;
  counts.cachedBytes += bytes;
  counts.releasedBytes += bytes;
  if (counts.cachedBytes > counts.peakCachedBytes) counts.peakCachedBytes = counts.cachedBytes;
}

/** What {@link memoryStats} reports, in bytes. */
export interface MemoryStats {
  /**
   * Bytes of array buffers alive in the process, tensors' storage above all, counted until the
   * garbage collector frees them: in Node, `process.memoryUsage().arrayBuffers`; null in
   * browsers, which do not tell. (Counting each tensor's array instead, with a
   * `FinalizationRegistry`, cost 17% of an MLP's training step.)
   */
  inUseBytes: number | null;
  /** Bytes held by the cache, ready for reuse. */
  cachedBytes: number;
  /** The most the cache has held. */
  peakCachedBytes: number;
  /** Bytes of large arrays (16 KiB and more) made fresh since the library loaded. */
  allocatedBytes: number;
  /** Bytes of requests served from the cache instead. */
  reusedBytes: number;
  /** Bytes given back to the cache by the autograd engine. */
  releasedBytes: number;
  /** The cache's bound. */
  limitBytes: number;
}

/**
 * The caching allocator's counts: how much tensor storage is in use, how much it made fresh, how
 * much it served again from memory freed by earlier backward passes, and what it holds now.
 * Arrays of more than 64 bytes are cached; only those of 16 KiB and more count as made fresh.
 *
 * @example
 * const x = randn([256, 256]);
 * const w = randn([256, 256], { requiresGrad: true });
 * for (let i = 0; i < 3; i++) x.matmul(w).relu().sum().backward();
 * memoryStats().reusedBytes > 0; // => true: later passes reuse the gradients of earlier ones
 */
export function memoryStats(): MemoryStats {
  const cache = engine.caches.storage;
  return { inUseBytes: cache.inUseProbe?.() ?? null, ...cache.counts, limitBytes: CACHE_LIMIT };
}

/**
 * Tells {@link memoryStats} how to read the bytes in use (the Node entry gives Node's count).
 *
 * @internal
 */
export function setInUseProbe(probe: () => number): void {
  engine.caches.storage.inUseProbe = probe;
}

/**
 * Tells the allocator how to make an array buffer without zeroing it (the Node entry gives
 * `Buffer.allocUnsafeSlow`'s): a fresh array that its kernel overwrites whole then costs no
 * zeroing of its memory (a 128 KB product's output: 14 µs fresh and zeroed, 6 µs not zeroed,
 * measured in Node 20 with the native addon loaded).
 *
 * @internal
 */
export function setUninitializedAllocator(make: (bytes: number) => ArrayBuffer): void {
  engine.caches.storage.uninitialized = make;
}

/**
 * Empties the caching allocator: the arrays it holds are left to the garbage collector (as
 * PyTorch's `empty_cache`). Results never depend on the cache; only speed does.
 *
 * @example
 * emptyCache();
 * memoryStats().cachedBytes; // => 0
 */
export function emptyCache(): void {
  const cache = engine.caches.storage;
  cache.cached.clear();
  cache.free.clear();
  cache.counts.cachedBytes = 0;
}
