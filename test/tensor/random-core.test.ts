import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/tensor/random.js';
import type { GeneratorState } from '../../src/tensor/random.js';

/** The next `n` 32-bit outputs of `g`. */
function draws(g: Generator, n: number): number[] {
  return Array.from({ length: n }, () => g.nextUint32());
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
