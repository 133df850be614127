/**
 * The seedable pseudo-random generator behind every random draw in nabla: initialization,
 * shuffling, dropout, jitter and toy data.
 *
 * The core is xoshiro128** (Blackman and Vigna): 128 bits of state in four 32-bit words, period
 * 2^128 − 1, and only 32-bit integer arithmetic (`Math.imul`, shifts), so a given seed produces
 * the same integer and uniform streams in every JavaScript engine. The four state words are
 * derived from the seed by two splitmix32-style streams, one over each 32-bit half of the seed.
 *
 * This module holds no mutable state of its own; the library's default generator lives in the
 * engine context.
 *
 * @module
 */
import { fail } from './check.js';
import {
  checkNormalArguments,
  checkUniformRange,
  float32Below,
  float64Below,
} from './random-fill.js';
import { isSeed, seedWords, TWO_32, TWO_53 } from './random-seed.js';
import { ALGORITHM, checkState, type GeneratorState } from './random-state.js';

export type { GeneratorState } from './random-state.js';

/** 2^-24 and 2^-53 as exact doubles. */
const INV_2_24 = 1 / 16777216;
const INV_2_53 = 1 / TWO_53;
const TWO_PI = 2 * Math.PI;

/**
 * A seedable, fast pseudo-random generator (xoshiro128**).
 *
 * Streams are fully determined by the seed: integer and uniform draws are bit-identical across
 * JavaScript engines; normal draws use `Math.log`, `Math.sin` and `Math.cos`, so they are
 * identical within one engine and agree across engines to within the last bits.
 *
 * @example
 * ```ts
 * const g = new Generator(42);
 * const u = g.random(); // uniform in [0, 1)
 * const w = new Float32Array(6);
 * g.fillNormal(w, 0, 0.01);
 * ```
 */
export class Generator {
  // State words, held as signed 32-bit integers (the results of Math.imul and bit operators).
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;
  private seed = 0;

  /**
   * Creates a generator seeded with `seed` (default 0).
   *
   * @param seed - any integer with |seed| ≤ 2^53, negative ones included.
   * @throws TypeError when `seed` is not such an integer.
   */
  constructor(seed: number = 0) {
    this.manualSeed(seed);
  }

  /**
   * Reseeds the generator, forgetting any cached normal deviate. Both 32-bit halves of the seed
   * (in 64-bit two's complement) feed the state, so `1` and `2 ** 32 + 1` give unrelated streams.
   *
   * @param seed - any integer with |seed| ≤ 2^53, negative ones included.
   * @returns this generator.
   * @throws TypeError naming the bad value when `seed` is not such an integer.
   * @example
   * ```ts
   * const g = new Generator().manualSeed(7);
   * ```
   */
  manualSeed(seed: number): this {
    if (!isSeed(seed)) {
      fail(
        { where: 'Generator.manualSeed' },
        'seed',
        'an integer between -(2^53) and 2^53',
        seed,
        TypeError,
      );
    }
    seed = seed + 0; // -0 → 0
    [this.s0, this.s1, this.s2, this.s3] = seedWords(seed);
    this.spare = null;
    this.seed = seed;
    return this;
  }

  /** The seed last set with the constructor or {@link Generator.manualSeed}. */
  get initialSeed(): number {
    return this.seed;
  }

  /**
   * The next 32 random bits, as an integer in [0, 2^32).
   *
   * @example
   * ```ts
   * new Generator(1).nextUint32(); // an integer in [0, 4294967295]
   * ```
   */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9);
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ (s1 << 9);
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result >>> 0;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits (two 32-bit draws); every multiple of 2^-53
   * in the interval is equally likely.
   *
   * @example
   * ```ts
   * const u = new Generator(3).random(); // 0 <= u < 1
   * ```
   */
  random(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) * INV_2_53;
  }

  /**
   * A uniform number in [0, 1) with 24 random bits (one 32-bit draw): a multiple of 2^-24, so it
   * is exactly representable as a float32 and never rounds up to 1.
   *
   * @example
   * ```ts
   * const u = new Generator(3).randomFloat32(); // Math.fround(u) === u
   * ```
   */
  randomFloat32(): number {
    return (this.nextUint32() >>> 8) * INV_2_24;
  }

  /**
   * A standard normal deviate (mean 0, standard deviation 1) by the Box–Muller transform on two
   * 53-bit uniforms. Each transform yields two deviates; the second is kept (and recorded in
   * {@link Generator.getState}) and returned by the next call.
   *
   * @example
   * ```ts
   * const z = new Generator(0).normal();
   * ```
   */
  normal(): number {
    const spare = this.spare;
    if (spare !== null) {
      this.spare = null;
      return spare;
    }
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.random()));
    const theta = TWO_PI * this.random();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /**
   * An unbiased uniform integer in [0, n), by rejection sampling on 32-bit draws.
   *
   * @param n - an integer with 1 ≤ n ≤ 2^32.
   * @throws RangeError naming `n` when it is not such an integer.
   * @example
   * ```ts
   * const die = new Generator(5).uniformInt(6) + 1; // 1..6
   * ```
   */
  uniformInt(n: number): number {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > TWO_32) {
      fail({ where: 'Generator.uniformInt' }, 'n', 'an integer from 1 to 2^32', n);
    }
    // Accept only draws below the largest multiple of n that fits in 2^32.
    const limit = TWO_32 - (TWO_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /**
   * The generator's complete state as a plain JSON-serializable object.
   *
   * @example
   * ```ts
   * const g = new Generator(1);
   * const saved = JSON.stringify(g.getState());
   * const a = g.random();
   * g.setState(JSON.parse(saved));
   * g.random() === a; // => true
   * ```
   */
  getState(): GeneratorState {
    return {
      algorithm: ALGORITHM,
      seed: this.seed,
      s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      spare: this.spare,
    };
  }

  /**
   * Restores a state from {@link Generator.getState}, so the generator continues that exact
   * stream.
   *
   * @returns this generator.
   * @throws TypeError naming the field that is missing or invalid.
   */
  setState(state: GeneratorState): this {
    const { s, spare, seed } = checkState(state);
    this.s0 = s[0] | 0;
    this.s1 = s[1] | 0;
    this.s2 = s[2] | 0;
    this.s3 = s[3] | 0;
    this.spare = spare;
    this.seed = seed + 0;
    return this;
  }

  /**
   * An independent generator in the same state: both produce the same stream from here on.
   *
   * @example
   * ```ts
   * const g = new Generator(9);
   * const h = g.clone();
   * g.random() === h.random(); // => true
   * ```
   */
  clone(): Generator {
    const g = new Generator(0);
    g.s0 = this.s0;
    g.s1 = this.s1;
    g.s2 = this.s2;
    g.s3 = this.s3;
    g.spare = this.spare;
    g.seed = this.seed;
    return g;
  }

  /**
   * Fills `out` with uniform values in [low, high).
   *
   * A Float64Array gets `low + (high - low) * random()` (53-bit uniforms); a Float32Array gets
   * `low + (high - low) * randomFloat32()` (24-bit uniforms, one 32-bit draw per element) rounded
   * to float32. A value that rounds up to `high` is replaced by the largest value of the array's
   * type below `high`, so no element ever equals `high`. When `low === high` every element is
   * `low` (rounded to the array's type) and no draws are made.
   *
   * @throws RangeError when `low` or `high` is not finite, `low > high`, or `high - low`
   *   overflows; TypeError when `out` is not a Float32Array or Float64Array.
   * @example
   * ```ts
   * const w = new Float32Array(100);
   * new Generator(0).fillUniform(w, -0.1, 0.1);
   * ```
   */
  fillUniform(out: Float32Array | Float64Array, low: number, high: number): void {
    const span = checkUniformRange(out, low, high);
    const n = out.length;
    if (span === 0) {
      out.fill(low);
      return;
    }
    if (out instanceof Float32Array) {
      const cap = float32Below(high);
      for (let i = 0; i < n; i++) {
        const v = Math.fround(low + span * ((this.nextUint32() >>> 8) * INV_2_24));
        out[i] = v < high ? v : cap;
      }
    } else {
      const cap = float64Below(high);
      for (let i = 0; i < n; i++) {
        const v = low + span * this.random();
        out[i] = v < high ? v : cap;
      }
    }
  }

  /**
   * Fills `out` with normal values of the given mean and standard deviation. The stream is the
   * same as calling {@link Generator.normal} once per element (a cached spare deviate is used
   * first, and a new one may be left cached), each result mapped to `mean + std * z` and stored
   * in the array's type.
   *
   * @throws RangeError when `mean` is not finite or `std` is negative or not finite; TypeError
   *   when `out` is not a Float32Array or Float64Array.
   * @example
   * ```ts
   * const w = new Float64Array(100);
   * new Generator(0).fillNormal(w, 0, 0.02);
   * ```
   */
  fillNormal(out: Float32Array | Float64Array, mean: number, std: number): void {
    checkNormalArguments(out, mean, std);
    const n = out.length;
    let i = 0;
    if (n > 0 && this.spare !== null) {
      out[0] = mean + std * this.spare;
      this.spare = null;
      i = 1;
    }
    for (; i + 1 < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - this.random()));
      const theta = TWO_PI * this.random();
      out[i] = mean + std * (r * Math.cos(theta));
      out[i + 1] = mean + std * (r * Math.sin(theta));
    }
    if (i < n) out[i] = mean + std * this.normal();
  }
}
