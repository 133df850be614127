import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/tensor/random.js';
import { sampleStats } from '../helpers.js';

/** Standard normal CDF via erf (Abramowitz & Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

describe('Generator: normal draws', () => {
  const n = 100_000;

  it('normal() has mean 0 and standard deviation 1', () => {
    const g = new Generator(31);
    const xs = Array.from({ length: n }, () => g.normal());
    const { mean, variance } = sampleStats(xs);
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(Math.sqrt(variance) - 1)).toBeLessThan(0.015);
    expect(xs.every(Number.isFinite)).toBe(true);
  });

  it('normal() passes a Kolmogorov–Smirnov test against the standard normal', () => {
    const g = new Generator(32);
    const xs = Array.from({ length: n }, () => g.normal()).sort((a, b) => a - b);
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = normalCdf(xs[i]);
      d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
    }
    // 0.1% critical value: 1.95 / sqrt(n).
    expect(d).toBeLessThan(1.95 / Math.sqrt(n));
  });

  it('fillNormal is the same stream as repeated normal(), spare included', () => {
    for (const len of [0, 1, 2, 5, 6]) {
      for (const primed of [false, true]) {
        const g = new Generator(33);
        const h = new Generator(33);
        if (primed) {
          g.normal();
          h.normal();
        }
        const out = new Float64Array(len);
        g.fillNormal(out, 2, 0.5);
        expect(Array.from(out)).toEqual(Array.from({ length: len }, () => 2 + 0.5 * h.normal()));
        expect(g.getState()).toEqual(h.getState());
      }
    }
  });

  it('fillNormal has the requested mean and std for both array types', () => {
    for (const out of [new Float32Array(n), new Float64Array(n)]) {
      new Generator(34).fillNormal(out, -3, 2);
      const { mean, variance } = sampleStats(out);
      expect(Math.abs(mean + 3)).toBeLessThan(0.03);
      expect(Math.abs(Math.sqrt(variance) - 2)).toBeLessThan(0.03);
    }
  });

  it('fillNormal rejects bad parameters', () => {
    const g = new Generator();
    const out = new Float32Array(2);
    expect(() => g.fillNormal(out, 0, -1)).toThrow(
      /std must be a finite, non-negative number, got -1/,
    );
    expect(() => g.fillNormal(out, NaN, 1)).toThrow(/mean must be a finite number, got NaN/);
    expect(() => g.fillNormal([0, 0] as unknown as Float32Array, 0, 1)).toThrow(
      /Float32Array or Float64Array/,
    );
  });
});
