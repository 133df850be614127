import { describe, expect, it } from 'vitest';
import { addon, type KernelName, loaded } from './native-helpers.js';

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
});
