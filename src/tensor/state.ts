import { Generator } from './random.js';

/**
 * The engine's global state, in one named place: whether operations record a graph, whether
 * anomaly detection is on, and the default random generator. Nothing else in the library keeps
 * mutable module-level state (the active backend is chosen in `backend/`, which sits below this
 * layer).
 */
export interface EngineState {
  /** Operations record graph nodes for autograd only while this is true (see `noGrad`). */
  gradEnabled: boolean;
  /** While true (see `detectAnomaly`), every result is checked for NaN/Inf and nodes keep the stack where they were created. */
  anomaly: boolean;
  /** The generator used by every random draw that is not given one explicitly. */
  readonly generator: Generator;
}

/** The seed the default generator starts from, so that runs are reproducible by default. */
export const DEFAULT_SEED = 0;

export const engine: EngineState = {
  gradEnabled: true,
  anomaly: false,
  generator: new Generator(DEFAULT_SEED),
};

/**
 * Seeds the default random generator, so that every later random draw (initialization, `rand`,
 * `randn`, shuffling, dropout) repeats exactly. Returns the generator.
 *
 * @example
 * manualSeed(42);
 * const a = randn([3]);
 * manualSeed(42);
 * const b = randn([3]); // same values as a
 */
export function manualSeed(seed: number): Generator {
  return engine.generator.manualSeed(seed);
}

/** The default random generator (the one `manualSeed` seeds). */
export function defaultGenerator(): Generator {
  return engine.generator;
}
