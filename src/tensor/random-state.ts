/**
 * A generator's saved state ({@link GeneratorState}) and the checks that a state handed back to
 * `Generator.setState` is one that `getState` could have returned.
 */
import { fail } from './check.js';
import { isSeed, TWO_32 } from './random-seed.js';

/** The algorithm name recorded in a {@link GeneratorState}. */
export const ALGORITHM = 'xoshiro128**';

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
 * The fields of `state`, each read once and checked in order: algorithm, seed, the four words
 * (not all zero), spare.
 *
 * @throws TypeError from `Generator.setState` naming the field that is missing or invalid.
 */
export function checkState(state: GeneratorState): GeneratorState {
  const where = 'Generator.setState';
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    fail({ where }, 'state', 'an object from getState()', state, TypeError);
  }
  const st = state as unknown as Record<string, unknown>;
  if (st.algorithm !== ALGORITHM) {
    fail({ where }, 'state.algorithm', JSON.stringify(ALGORITHM), st.algorithm, TypeError);
  }
  const seed = st.seed;
  if (!isSeed(seed)) {
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
  return { algorithm: ALGORITHM, seed, s: s as [number, number, number, number], spare };
}
