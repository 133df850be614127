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
import { checkFiniteNumber, fail } from './check.js';

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;
/** 2^-24 and 2^-53 as exact doubles. */
const INV_2_24 = 1 / 16777216;
const INV_2_53 = 1 / TWO_53;
const TWO_PI = 2 * Math.PI;

/** The algorithm name recorded in a {@link GeneratorState}. */
const ALGORITHM = 'xoshiro128**';

/**
 * A generator's complete state: a plain, JSON-serializable object. Passing it to
 * {@link Generator.setState} (also after `JSON.stringify` / `JSON.parse`) restores the exact
 * stream.
 */
export interface GeneratorState {
  /** Always `'xoshiro128**'`. */
  readonly algorithm: 'xoshiro128**';
  /** The seed last set with the constructor or {@link Generator.manualSeed}. */
  readonly seed: number;
  /** The four xoshiro128** state words, each an unsigned 32-bit integer; not all zero. */
  readonly s: readonly [number, number, number, number];
  /** The second normal deviate of the last Box–Muller pair, not yet returned; or null. */
  readonly spare: number | null;
}

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
    if (typeof seed !== 'number' || !Number.isInteger(seed) || Math.abs(seed) > TWO_53) {
      fail(
        { where: 'Generator.manualSeed' },
        'seed',
        'an integer between -(2^53) and 2^53',
        seed,
        TypeError,
      );
    }
    seed = seed + 0; // -0 → 0
    const hi = Math.floor(seed / TWO_32);
    const lo = seed - hi * TWO_32; // in [0, 2^32)
    let a = lo | 0;
    let b = hi | 0;
    const words = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      a = (a + 0x9e3779b9) | 0;
      b = (b + 0x7f4a7c15) | 0;
      words[i] = splitmix32Mix(a ^ murmurMix(b));
    }
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 0x9e3779b9 | 0;
    this.s0 = words[0];
    this.s1 = words[1];
    this.s2 = words[2];
    this.s3 = words[3];
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
    const where = 'Generator.setState';
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      fail({ where }, 'state', 'an object from getState()', state, TypeError);
    }
    const st = state as unknown as Record<string, unknown>;
    if (st.algorithm !== ALGORITHM) {
      fail({ where }, 'state.algorithm', JSON.stringify(ALGORITHM), st.algorithm, TypeError);
    }
    const seed = st.seed;
    if (typeof seed !== 'number' || !Number.isInteger(seed) || Math.abs(seed) > TWO_53) {
      fail({ where }, 'state.seed', 'an integer between -(2^53) and 2^53', seed, TypeError);
    }
    const s = st.s;
    if (!Array.isArray(s) || s.length !== 4) {
      fail({ where }, 'state.s', 'an array of 4 unsigned 32-bit integers', s, TypeError);
    }
    for (let i = 0; i < 4; i++) {
      const w: unknown = s[i];
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w >= TWO_32) {
        fail({ where }, `state.s[${i}]`, 'an unsigned 32-bit integer', w, TypeError);
      }
    }
    if (s[0] === 0 && s[1] === 0 && s[2] === 0 && s[3] === 0) {
      throw new TypeError(`${where}: state.s must not be all zeros (xoshiro128** would stay at 0)`);
    }
    const spare = st.spare;
    if (spare !== null && (typeof spare !== 'number' || !Number.isFinite(spare))) {
      fail({ where }, 'state.spare', 'null or a finite number', spare, TypeError);
    }
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
    const where = 'Generator.fillUniform';
    checkFloatArray(out, where);
    checkFiniteNumber({ where }, 'low', low);
    checkFiniteNumber({ where }, 'high', high);
    if (low > high) {
      throw new RangeError(`${where}: low (${low}) must not be greater than high (${high})`);
    }
    const span = high - low;
    if (!Number.isFinite(span)) {
      throw new RangeError(
        `${where}: the range high - low (${high} - ${low}) is too large to represent`,
      );
    }
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
    const where = 'Generator.fillNormal';
    checkFloatArray(out, where);
    checkFiniteNumber({ where }, 'mean', mean);
    if (typeof std !== 'number' || !Number.isFinite(std) || std < 0) {
      fail({ where }, 'std', 'a finite, non-negative number', std);
    }
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

/** The output mix of splitmix32: a bijection on 32-bit integers. */
function splitmix32Mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  return x ^ (x >>> 15);
}

/** MurmurHash3's finalizer: another bijection on 32-bit integers. */
function murmurMix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** The largest float32 value strictly below `x` (x finite). */
function float32Below(x: number): number {
  const f = Math.fround(x);
  if (f < x) return f;
  // Step f down by one float32 ulp (f may be +Infinity when x exceeds the float32 range).
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, f);
  const bits = view.getUint32(0);
  if (f === 0) view.setUint32(0, 0x80000001);
  else view.setUint32(0, f > 0 ? bits - 1 : bits + 1);
  return view.getFloat32(0);
}

/** The largest double strictly below `x` (x finite). */
function float64Below(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  let hi = view.getUint32(0);
  let lo = view.getUint32(4);
  if (x > 0) {
    if (lo === 0) hi -= 1;
    lo = (lo - 1) >>> 0;
  } else {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi += 1;
  }
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

function checkFloatArray(out: unknown, where: string): void {
  if (!(out instanceof Float32Array) && !(out instanceof Float64Array)) {
    fail({ where }, 'out', 'a Float32Array or Float64Array', out, TypeError);
  }
}
