import type { DType, TypedArray } from './dtype.js';
import { engine } from './state.js';

/*
 * The caching allocator. Every tensor's storage comes from `allocate` (dtype.ts); arrays from
 * BIG_BYTES up are remembered as the library's own. When the autograd engine knows such an array
 * is dead (a gradient consumed by its node's rule that nothing else can see, see
 * autograd/engine.ts), it gives it back with `release`; the next request for the same dtype and
 * length takes it, zeroed, instead of a fresh one. A fresh large array costs page faults, the
 * zeroing of new memory and, in V8, garbage-collection pressure from external memory; a warm
 * one only the zeroing. The cache is bounded (`CACHE_LIMIT` bytes) and never changes a result:
 * a reused array is zeroed like a fresh one.
 */

/** Arrays smaller than this are not cached: V8 makes small arrays cheaply. */
export const BIG_BYTES = 1 << 14;
/** The most bytes the cache holds; a released array beyond it is left to the garbage collector. */
export const CACHE_LIMIT = 256 * 2 ** 20;

/** The allocator's state (in `engine.caches.storage`). */
export interface StorageCache {
  /** Released arrays by `dtype:length`, ready for reuse. */
  readonly free: Map<string, TypedArray[]>;
  /** The arrays in `free`: a second release of one is ignored. */
  readonly cached: WeakSet<TypedArray>;
  /** The large arrays `allocate` made: only these may be released. */
  readonly own: WeakSet<TypedArray>;
  /** The large arrays in use (handed out, not cached), each with its bytes, unregistered by itself. */
  readonly live: FinalizationRegistry<number>;
  counts: MemoryCounts;
}

export interface MemoryCounts {
  inUseBytes: number;
  peakInUseBytes: number;
  cachedBytes: number;
  peakCachedBytes: number;
  allocatedBytes: number;
  reusedBytes: number;
  releasedBytes: number;
}

const key = (dtype: DType, n: number): string => `${dtype}:${n}`;

/** Counts a large array as handed out: in use until released or collected. */
function handOut(cache: StorageCache, array: TypedArray, bytes: number): void {
  cache.live.register(array, bytes, array);
  const counts = cache.counts;
  counts.inUseBytes += bytes;
  counts.peakInUseBytes = Math.max(counts.peakInUseBytes, counts.inUseBytes);
}

/** A released array of `dtype` and length n, zeroed, or undefined when none is cached. */
export function takeCached(dtype: DType, n: number, bytes: number): TypedArray | undefined {
  if (bytes < BIG_BYTES) return undefined;
  const cache = engine.caches.storage;
  const list = cache.free.get(key(dtype, n));
  const array = list?.pop();
  if (array === undefined) return undefined;
  cache.cached.delete(array);
  cache.counts.cachedBytes -= bytes;
  cache.counts.reusedBytes += bytes;
  handOut(cache, array, bytes);
  return array.fill(0);
}

/** Records a fresh array made by `allocate`, so that it may be released later. */
export function noteAllocated(array: TypedArray): void {
  if (array.byteLength < BIG_BYTES) return;
  const cache = engine.caches.storage;
  cache.own.add(array);
  cache.counts.allocatedBytes += array.byteLength;
  handOut(cache, array, array.byteLength);
}

/**
 * Gives a dead array back to the cache. Only for arrays nothing can read or write any more;
 * arrays `allocate` did not make, small ones, and ones already cached are ignored.
 */
export function release(array: TypedArray, dtype: DType): void {
  const bytes = array.byteLength;
  const cache = engine.caches.storage;
  if (bytes < BIG_BYTES || !cache.own.has(array) || cache.cached.has(array)) return;
  if (cache.counts.cachedBytes + bytes > CACHE_LIMIT) return;
  const k = key(dtype, array.length);
  let list = cache.free.get(k);
  if (list === undefined) cache.free.set(k, (list = []));
  list.push(array);
  cache.cached.add(array);
  cache.live.unregister(array);
  const counts = cache.counts;
  counts.inUseBytes -= bytes;
  counts.cachedBytes += bytes;
  counts.releasedBytes += bytes;
  counts.peakCachedBytes = Math.max(counts.peakCachedBytes, counts.cachedBytes);
}

/** What {@link memoryStats} reports, in bytes. */
export interface MemoryStats {
  /**
   * Bytes of large arrays handed out and not yet given back or collected. JavaScript reports a
   * collected array only between tasks (a `FinalizationRegistry` callback), so inside one
   * synchronous loop this counts every array made since the loop began.
   */
  inUseBytes: number;
  /** The most `inUseBytes` has been. */
  peakInUseBytes: number;
  /** Bytes held by the cache, ready for reuse. */
  cachedBytes: number;
  /** The most the cache has held. */
  peakCachedBytes: number;
  /** Bytes of large arrays made fresh since the library loaded. */
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
 * much it served again from memory freed by earlier backward passes, and what it holds now. Only
 * arrays of 16 KiB and more are counted and cached.
 *
 * @example
 * const x = randn([256, 256]);
 * const w = randn([256, 256], { requiresGrad: true });
 * for (let i = 0; i < 3; i++) x.matmul(w).relu().sum().backward();
 * memoryStats().reusedBytes > 0; // => true: later passes reuse the gradients of earlier ones
 */
export function memoryStats(): MemoryStats {
  return { ...engine.caches.storage.counts, limitBytes: CACHE_LIMIT };
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
  for (const list of cache.free.values()) for (const a of list) cache.cached.delete(a);
  cache.free.clear();
  cache.counts.cachedBytes = 0;
}
