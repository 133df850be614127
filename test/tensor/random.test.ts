import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/tensor/random.js';
import type { GeneratorState } from '../../src/tensor/random.js';
import { sampleStats } from '../helpers.js';

function draws(g: Generator, n: number): number[] {
  return Array.from({ length: n }, () => g.nextUint32());
}

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

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
}

describe('Generator: the xoshiro128** core', () => {
  it('matches the reference output for state [1, 2, 3, 4]', () => {
    const g = new Generator().setState({
      algorithm: 'xoshiro128**',
      seed: 0,
      s: [1, 2, 3, 4],
      spare: null,
    });
    expect(draws(g, 6)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('returns unsigned 32-bit integers', () => {
    const g = new Generator(123);
    const bad = draws(g, 10_000).filter((x) => !(Number.isInteger(x) && x >= 0 && x < 2 ** 32));
    expect(bad).toEqual([]);
  });
});

describe('Generator: seeding', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draws(new Generator(42), 100)).toEqual(draws(new Generator(42), 100));
    const g = new Generator(42);
    const first = draws(g, 50);
    g.manualSeed(42);
    expect(draws(g, 50)).toEqual(first);
  });

  it('defaults to seed 0', () => {
    expect(new Generator().initialSeed).toBe(0);
    expect(draws(new Generator(), 10)).toEqual(draws(new Generator(0), 10));
  });

  it('gives different sequences for different seeds, including ones that differ only in the high half', () => {
    const seeds = [
      0,
      1,
      2,
      -1,
      -2,
      2 ** 32,
      2 ** 32 + 1,
      1 + 2 ** 33,
      2 ** 53,
      -(2 ** 53),
      2 ** 53 - 1,
      12345,
    ];
    const firsts = seeds.map((s) => draws(new Generator(s), 4).join(','));
    expect(new Set(firsts).size).toBe(seeds.length);
    // Nearby seeds are decorrelated: the first outputs do not share any word.
    const a = draws(new Generator(1), 8);
    const b = draws(new Generator(2 ** 32 + 1), 8);
    expect(a.filter((x, i) => x === b[i])).toEqual([]);
  });

  it('records the last seed as initialSeed and returns this from manualSeed', () => {
    const g = new Generator(5);
    expect(g.initialSeed).toBe(5);
    expect(g.manualSeed(-7)).toBe(g);
    expect(g.initialSeed).toBe(-7);
    expect(new Generator(-0).initialSeed).toBe(0);
    expect(Object.is(new Generator(-0).initialSeed, 0)).toBe(true);
  });

  it('rejects seeds that are not integers within ±2^53, naming the value', () => {
    expect(() => new Generator(1.5)).toThrow(/got 1\.5/);
    expect(() => new Generator(NaN)).toThrow(/got NaN/);
    expect(() => new Generator(Infinity)).toThrow(/got Infinity/);
    expect(() => new Generator(2 ** 54)).toThrow(TypeError);
    expect(() => new Generator().manualSeed('3' as unknown as number)).toThrow(/"3" \(a string\)/);
    expect(() => new Generator(2 ** 53)).not.toThrow();
  });

  it('resets the cached normal deviate on manualSeed', () => {
    const g = new Generator(3);
    g.normal(); // leaves a spare
    g.manualSeed(3);
    const h = new Generator(3);
    expect(g.normal()).toBe(h.normal());
    expect(g.normal()).toBe(h.normal());
  });
});

describe('Generator: state', () => {
  it('round-trips mid-stream through getState / setState', () => {
    const g = new Generator(99);
    draws(g, 17);
    g.normal(); // leaves a spare in the state
    const state = g.getState();
    expect(state.spare).not.toBeNull();
    const expected = [g.normal(), g.random(), g.nextUint32(), g.normal(), g.uniformInt(10)];
    const h = new Generator(1).setState(state);
    expect([h.normal(), h.random(), h.nextUint32(), h.normal(), h.uniformInt(10)]).toEqual(
      expected,
    );
    expect(h.initialSeed).toBe(99);
  });

  it('round-trips through JSON', () => {
    const g = new Generator(2 ** 40 + 3);
    g.random();
    g.normal();
    const json = JSON.stringify(g.getState());
    const expected = [g.normal(), g.normal(), g.random(), g.randomFloat32()];
    const h = new Generator().setState(JSON.parse(json) as GeneratorState);
    expect([h.normal(), h.normal(), h.random(), h.randomFloat32()]).toEqual(expected);
  });

  it('returns a plain object that does not alias the generator', () => {
    const g = new Generator(4);
    const state = g.getState();
    expect(state.algorithm).toBe('xoshiro128**');
    expect(state.seed).toBe(4);
    expect(state.s).toHaveLength(4);
    for (const w of state.s) expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
    g.nextUint32();
    expect(g.getState().s).not.toEqual(state.s);
  });

  it('clone() continues the same stream independently', () => {
    const g = new Generator(8);
    g.normal();
    const h = g.clone();
    expect(h.initialSeed).toBe(8);
    const a = [g.normal(), g.random(), g.nextUint32()];
    expect([h.normal(), h.random(), h.nextUint32()]).toEqual(a);
    g.random();
    expect(h.getState()).not.toEqual(g.getState());
  });

  it('rejects bad states with a message naming the field', () => {
    const good = new Generator(1).getState();
    const g = new Generator();
    const bad = (patch: Record<string, unknown>): GeneratorState =>
      ({ ...good, ...patch }) as unknown as GeneratorState;
    expect(() => g.setState(null as unknown as GeneratorState)).toThrow(/state must be an object/);
    expect(() => g.setState(bad({ algorithm: 'mt19937' }))).toThrow(/state\.algorithm.*"mt19937"/);
    expect(() => g.setState(bad({ s: [1, 2, 3] }))).toThrow(/state\.s must be an array of 4/);
    expect(() => g.setState(bad({ s: [1, 2, 3, -1] }))).toThrow(/state\.s\[3\].*got -1/);
    expect(() => g.setState(bad({ s: [1, 2, 2 ** 32, 4] }))).toThrow(/state\.s\[2\]/);
    expect(() => g.setState(bad({ s: [1, 0.5, 3, 4] }))).toThrow(/state\.s\[1\].*0\.5/);
    expect(() => g.setState(bad({ s: [0, 0, 0, 0] }))).toThrow(/all zeros/);
    expect(() => g.setState(bad({ spare: 'x' }))).toThrow(/state\.spare/);
    expect(() => g.setState(bad({ spare: NaN }))).toThrow(/state\.spare.*NaN/);
    expect(() => g.setState(bad({ seed: 1.5 }))).toThrow(/state\.seed.*1\.5/);
    // A failed setState leaves the generator untouched.
    expect(g.getState()).toEqual(new Generator().getState());
  });
});

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

describe('Generator: speed', () => {
  it('fills a million float32 values quickly', () => {
    const g = new Generator(41);
    const out = new Float32Array(1_000_000);
    const t0 = performance.now();
    g.fillUniform(out, 0, 1);
    g.fillNormal(out, 0, 1);
    expect(performance.now() - t0).toBeLessThan(30_000); // a hang guard; speed is measured in bench/
  });
});
