import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADDON_PATH, addon, type KernelName, loaded } from './native-helpers.js';

// The addon itself: that it was built and loads, its CPU report and its thread pool.

describe('native addon', () => {
  it('was built and loads', () => {
    expect(loaded.error).toBeUndefined();
    expect(typeof addon().matmul).toBe('function');
  });

  it('cpu() reports the features and the kernel chosen from them', () => {
    const cpu = addon().cpu();
    expect(['avx512', 'avx2', 'generic']).toContain(cpu.kernel);
    for (const key of ['avx512f', 'avx2', 'fma'] as const) expect(typeof cpu[key]).toBe('boolean');
    expect(cpu.threads).toBe(addon().getThreads());
    const best: KernelName =
      cpu.avx512f && cpu.fma ? 'avx512' : cpu.avx2 && cpu.fma ? 'avx2' : 'generic';
    expect(cpu.kernel).toBe(best);
  });

  it('setThreads/getThreads change the pool size and reject bad counts', () => {
    const native = addon();
    const before = native.getThreads();
    expect(before).toBeGreaterThanOrEqual(1);
    try {
      for (const n of [1, 3, 2]) {
        native.setThreads(n);
        expect(native.getThreads()).toBe(n);
        expect(native.cpu().threads).toBe(n);
      }
      expect(() => native.setThreads(0)).toThrow(RangeError);
      expect(() => native.setThreads(1.5)).toThrow(RangeError);
    } finally {
      native.setThreads(before);
    }
  });

  it('the pool runs every task of every run exactly once, run after run and across resizes', () => {
    // exp over 2^16 elements splits into several chunks on two threads; thousands of runs in a
    // row exercise the workers' joining late, the caller's closing and the back-off. A task run
    // twice writes the same values; a task never run leaves the NaN it was filled with.
    const native = addon();
    const before = native.getThreads();
    const x = Float64Array.from({ length: 1 << 16 }, (_, i) => Math.sin(i) * 3);
    const want = new Float64Array(x.length);
    const out = new Float64Array(x.length);
    let wrong = 0;
    try {
      native.setThreads(1);
      native.unary('exp', x, want);
      for (const threads of [2, 3, 2]) {
        native.setThreads(threads);
        for (let run = 0; run < 1500; run++) {
          out.fill(NaN);
          native.unary('exp', x, out);
          if (out[run % out.length] !== want[run % out.length] || Number.isNaN(out[out.length - 1]))
            wrong++;
        }
        expect(out).toEqual(want);
      }
    } finally {
      native.setThreads(before);
    }
    expect(wrong).toBe(0);
  });

  it('keeps a worker that took part in a product off the calling thread’s core', () => {
    // Beside another busy process, a worker sharing the caller's core while the other process
    // has the other one to itself makes two threads no faster than one (native/pool.cc).
    const native = addon();
    const before = native.getThreads();
    const allowed = (status: string): string => /Cpus_allowed_list:\s*(\S+)/.exec(status)![1];
    const cpus = (list: string): number[] =>
      list.split(',').flatMap((part) => {
        const [lo, hi = lo] = part.split('-').map(Number);
        return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
      });
    const mine = cpus(allowed(readFileSync('/proc/thread-self/status', 'utf8')));
    const others = (): number[][] =>
      readdirSync('/proc/self/task')
        .map((tid) => cpus(allowed(readFileSync(`/proc/self/task/${tid}/status`, 'utf8'))))
        .filter((list) => list.length !== mine.length);
    const a = new Float32Array(512 * 512).fill(1);
    const out = new Float32Array(512 * 512);
    try {
      native.setThreads(2);
      for (let i = 0; i < 200 && others().length === 0; i++)
        native.matmul(a, a, out, 1, 512, 512, 512, false, false, 0, 0);
      if (mine.length < 2) {
        expect(others()).toEqual([]); // one core: nothing to keep apart
      } else {
        const [worker] = others();
        expect(worker.length).toBe(mine.length - 1); // every core but one
        for (const cpu of worker) expect(mine).toContain(cpu);
      }
      expect(out[0]).toBe(512);
    } finally {
      native.setThreads(before);
    }
  });

  it('keeps freed memory in the process and reports the C heap', () => {
    const stats = (addon() as unknown as { mallocStats(): unknown }).mallocStats();
    if (stats === null) return; // not glibc: nothing to report
    const { heap, inUse, cached } = stats as { heap: number; inUse: number; cached: number };
    expect(heap).toBeGreaterThan(0);
    expect(inUse).toBeGreaterThan(0);
    expect(inUse + cached).toBeLessThanOrEqual(heap + 1);
  });

  it('serves fresh tensors from huge pages where the kernel allows them', () => {
    const thp = '/sys/kernel/mm/transparent_hugepage/enabled';
    let mode = '';
    try {
      mode = readFileSync(thp, 'utf8');
    } catch {
      return; // not Linux, or no transparent huge pages: nothing to check
    }
    if (!/\[(madvise|always)\]/.test(mode)) return;
    // A fresh process loads the addon, fills a 24 MB array and reports its huge pages.
    const script = `
      const addon = require(${JSON.stringify(ADDON_PATH)});
      const before = addon.mallocStats();
      const x = new Float32Array(6 << 20).fill(1);
      const huge = /AnonHugePages:\\s+(\\d+)/.exec(require('node:fs').readFileSync('/proc/self/smaps_rollup', 'utf8'));
      console.log(JSON.stringify({ kb: Number(huge[1]), cached: before.cached, sum: x[5] }));`;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const { kb, cached, sum } = JSON.parse(out) as { kb: number; cached: number; sum: number };
    expect(sum).toBe(1);
    // The heap grown at load is free for malloc: at least the 120 MiB less the array's neighbours.
    expect(cached).toBeGreaterThan(100 << 20);
    // 24 MB of the array in 2 MiB pages: all but the partial pages at its ends.
    expect(kb).toBeGreaterThanOrEqual(20 << 10);
  });
});
