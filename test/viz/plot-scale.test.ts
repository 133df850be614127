import { describe, expect, it } from 'vitest';
import { linearAxis, logAxis, niceStep } from '../../src/viz/plot/index.js';

describe('ticks', () => {
  it('linear ticks step by 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(1, 4)).toBe(0.2);
    expect(niceStep(700, 6)).toBe(100);
    const a = linearAxis(0.13, 0.92, 5);
    expect(a.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(a.labels).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(a.domain).toEqual([0, 1]);
  });

  it('log ticks are decades, with 2 and 5 between them on short ranges', () => {
    const a = logAxis(0.003, 2);
    expect(a.ticks).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(a.labels).toEqual(['0.001', '0.01', '0.1', '1', '10']);
    expect(logAxis(0.15, 1.3, 8, { exact: true }).labels).toEqual(['0.2', '0.5', '1']);
    expect(logAxis(1e-9, 1e3, 7).labels).toEqual(['1e-8', '1e-6', '0.0001', '0.01', '1', '100']);
    expect(() => logAxis(0, 1)).toThrow(/log axis needs finite values > 0/);
  });
});
