import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/tensor/random.js';
import { sampleStats } from '../helpers.js';

/** Pearson's χ² statistic of bin counts that should each be `expected`. */
function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
}

describe('Generator: uniform draws', () => {
  it('random() is uniform on [0, 1) with mean 1/2 and variance 1/12', () => {
    const g = new Generator(2024);
    const xs = Array.from({ length: 100_000 }, () => g.random());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const { mean, variance } = sampleStats(xs);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    // Ten equal bins: chi-square with 9 degrees of freedom, 0.1% critical value 27.88.
    const counts = new Array<number>(10).fill(0);
    for (const x of xs) counts[Math.floor(x * 10)]++;
    expect(chiSquare(counts, 10_000)).toBeLessThan(27.88);
  });

  it('random() uses 53 bits', () => {
    const g = new Generator(6);
    let lowBitsSeen = false;
    for (let i = 0; i < 100; i++) {
      const x = g.random() * 2 ** 53;
      expect(Number.isInteger(x)).toBe(true);
      if (x % 2 ** 32 !== 0 && x % 2 === 1) lowBitsSeen = true;
    }
    expect(lowBitsSeen).toBe(true);
  });

  it('randomFloat32() is a multiple of 2^-24 in [0, 1), exact in float32', () => {
    const g = new Generator(7);
    const xs = Array.from({ length: 100_000 }, () => g.randomFloat32());
    expect(xs.filter((x) => Math.fround(x) !== x || !Number.isInteger(x * 2 ** 24))).toEqual([]);
    expect(Math.max(...xs)).toBeLessThan(1);
    const { mean, variance } = sampleStats(xs);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('fillUniform covers [low, high) with the right moments, for both array types', () => {
    for (const out of [new Float32Array(100_000), new Float64Array(100_000)]) {
      new Generator(11).fillUniform(out, -2, 3);
      let lo = Infinity;
      let hi = -Infinity;
      for (const x of out) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      expect(lo).toBeGreaterThanOrEqual(-2);
      expect(hi).toBeLessThan(3);
      const { mean, variance } = sampleStats(out);
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.03);
      expect(Math.abs(variance - 25 / 12)).toBeLessThan(0.05);
    }
  });

  it('fillUniform on float64 equals low + (high - low) * random() per element', () => {
    const out = new Float64Array(10);
    new Generator(12).fillUniform(out, 1, 4);
    const g = new Generator(12);
    expect(Array.from(out)).toEqual(Array.from({ length: 10 }, () => 1 + 3 * g.random()));
  });

  it('fillUniform on float32 never produces high, even where rounding would reach it', () => {
    // In [1, 2) float32 steps are 2^-23, so 2 - 2^-24 (the top 24-bit uniform) rounds up to 2.
    const g = new Generator(13);
    const out = new Float32Array(1000);
    for (const [low, high] of [
      [1, 2],
      [0.1, 0.1000001],
      [-1e-3, 1e30],
      [100, 100.00001],
      [-2, -1],
      [1e6, 1e6 + 1],
    ]) {
      for (let rep = 0; rep < 20; rep++) {
        g.fillUniform(out, low, high);
        expect(out.filter((x) => x >= high).length).toBe(0);
      }
    }
    // A generator whose next 24-bit uniform is the largest one: 1 + (1 - 2^-24) rounds to 2.
    const top = new Generator().setState({
      algorithm: 'xoshiro128**',
      seed: 0,
      s: findStateWithTopUniform(),
      spare: null,
    });
    const one = new Float32Array(1);
    top.clone().fillUniform(one, 1, 2);
    expect(top.clone().randomFloat32()).toBe(1 - 2 ** -24);
    expect(one[0]).toBe(Math.fround(2 - 2 ** -23));
  });

  it('fillUniform with low === high fills low without drawing', () => {
    const g = new Generator(14);
    const before = g.getState();
    const out = new Float64Array(3);
    g.fillUniform(out, 0.5, 0.5);
    expect(Array.from(out)).toEqual([0.5, 0.5, 0.5]);
    expect(g.getState()).toEqual(before);
  });

  it('fillUniform rejects bad bounds and arrays', () => {
    const g = new Generator();
    const out = new Float32Array(2);
    expect(() => g.fillUniform(out, 1, 0)).toThrow(/low \(1\) must not be greater than high \(0\)/);
    expect(() => g.fillUniform(out, NaN, 1)).toThrow(/low must be a finite number, got NaN/);
    expect(() => g.fillUniform(out, 0, Infinity)).toThrow(/high must be a finite number/);
    expect(() => g.fillUniform(out, -1e308, 1e308)).toThrow(/too large/);
    expect(() => g.fillUniform(new Int32Array(2) as unknown as Float32Array, 0, 1)).toThrow(
      /Int32Array/,
    );
  });
});

/** xoshiro128**'s output is a bijection of s1, so a state giving any wanted output is easy to build. */
function findStateWithTopUniform(): [number, number, number, number] {
  // result = rotl(s1 * 5, 7) * 9; we want result >>> 8 === 0xffffff, e.g. result = 0xffffffff.
  const inv9 = 0x38e38e39; // 9 * inv9 ≡ 1 (mod 2^32)
  const inv5 = 0xcccccccd; // 5 * inv5 ≡ 1 (mod 2^32)
  const r = Math.imul(0xffffffff | 0, inv9);
  const x = (r >>> 7) | (r << 25); // rotr 7
  const s1 = Math.imul(x, inv5) >>> 0;
  return [1, s1, 3, 4];
}

describe('Generator: uniformInt', () => {
  it('stays in [0, n) and is unbiased for small n', () => {
    const g = new Generator(21);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) {
      counts[g.uniformInt(7)]++;
    }
    expect(counts.reduce((a, b) => a + b, 0)).toBe(70_000); // nothing out of range
    // 6 degrees of freedom, 0.1% critical value 22.46.
    expect(chiSquare(counts, 10_000)).toBeLessThan(22.46);
  });

  it('is unbiased where plain modulo would not be (n = 3·2^30)', () => {
    // x % n over 32-bit x would put half the mass in the first third.
    const n = 3 * 2 ** 30;
    const g = new Generator(22);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[Math.floor(g.uniformInt(n) / 2 ** 30)]++;
    expect(chiSquare(counts, 10_000)).toBeLessThan(13.82);
  });

  it('handles n = 1 and n = 2^32', () => {
    const g = new Generator(23);
    expect(g.uniformInt(1)).toBe(0);
    const x = g.uniformInt(2 ** 32);
    expect(x >= 0 && x < 2 ** 32).toBe(true);
  });

  it('rejects bad n, naming it', () => {
    const g = new Generator();
    expect(() => g.uniformInt(0)).toThrow(/got 0/);
    expect(() => g.uniformInt(-3)).toThrow(/got -3/);
    expect(() => g.uniformInt(2.5)).toThrow(/got 2\.5/);
    expect(() => g.uniformInt(NaN)).toThrow(/got NaN/);
    expect(() => g.uniformInt(2 ** 32 + 1)).toThrow(RangeError);
  });
});
