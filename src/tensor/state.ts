import type { DType, TypedArray } from './dtype.js';
import type { TensorMethods } from './methods.js';
import { Generator } from './random.js';
import type { StorageCache } from './storage.js';
import type { Tensor } from './tensor.js';

/**
 * What the tensor layer knows of a kernel backend: its name. The full interface (`Backend`, the
 * kernels) is declared in `backend/`, one layer below this one, which cannot be imported from
 * here; `backend/index.ts` stores its backends in `engine` and reads them back as `Backend`.
 */
export interface NamedBackend {
  readonly name: string;
}

/**
 * The engine's global state, in one named place. This object is the only mutable module-level
 * state of the library's core; every other module keeps none. It lives in `tensor/`, the lowest
 * layer, so that every layer can reach it; the slots filled by higher layers (the backends, the
 * tensor methods) are typed here only as far as this layer can see.
 *
 * Besides it, a few modules remember a one-time load, which a user cannot change and which never
 * alters a result: `loaded` in `node/native.ts` (the native addon, tried once), `loaded` in
 * `viz/svg.ts` (the Graphviz WebAssembly module, loaded on first use), and the registry of layer
 * types in `nn/config.ts` (filled when the layer modules load).
 */
export interface EngineState {
  /** Operations record graph nodes for autograd only while this is true (see `noGrad`). */
  gradEnabled: boolean;
  /** While true (see `detectAnomaly`), every result is checked for NaN/Inf and nodes keep the stack where they were created. */
  anomaly: boolean;
  /** The generator used by every random draw that is not given one explicitly. */
  readonly generator: Generator;
  /** The backend every operation runs its kernels on (`setBackend`); `js` once `backend/` has loaded. */
  backend: NamedBackend;
  /** The backends `setBackend` can choose from, by name (`registerBackend`). */
  readonly backends: Map<string, NamedBackend>;
  /** The operations behind `Tensor`'s methods, installed by `ops/` when the library loads. */
  methods: TensorMethods | undefined;
  /** Numbers the backward passes: each marks the tensors it visits with a fresh one (`autograd/engine.ts`). */
  backwardPass: number;
  /** Caches, not state: they only save allocations and never change a result. */
  readonly caches: EngineCaches;
}

/** Memory reused between calls; emptying any of them changes nothing but speed. */
export interface EngineCaches {
  /**
   * Plain numbers used as operands, as 0-d tensors by dtype (`ops/kernels.ts`): they are never
   * written to, so one tensor serves every use of the same number. Bounded; cleared when full.
   */
  readonly constants: Record<DType, Map<number, Tensor>>;
  /**
   * The reference backend's matrix-product scratch (`backend/js/matmul.ts`): the kernels are
   * synchronous, so one set of buffers serves every call; it grows to the largest product seen.
   */
  readonly matmul: { c: Float64Array; ap: Float64Array; bp: Float64Array };
  /**
   * The convolutions' work buffers (`ops/conv-rules.ts`), by dtype and slot: columns and the
   * weight gradient's per-sample products, each bounded; every user overwrites what it reads.
   */
  readonly convolution: Map<string, TypedArray>;
  /** The caching allocator's arrays and counts (`tensor/storage.ts`). */
  readonly storage: StorageCache;
}

/** The seed the default generator starts from, so that runs are reproducible by default. */
export const DEFAULT_SEED = 0;

export const engine: EngineState = {
  gradEnabled: true,
  anomaly: false,
  generator: new Generator(DEFAULT_SEED),
  backend: { name: 'none' },
  backends: new Map(),
  methods: undefined,
  backwardPass: 0,
  caches: {
    constants: {
      float32: new Map(),
      float64: new Map(),
      int32: new Map(),
      uint8: new Map(),
      bool: new Map(),
    },
    matmul: { c: new Float64Array(0), ap: new Float64Array(0), bp: new Float64Array(0) },
    convolution: new Map(),
    storage: {
      free: new Map(),
      cached: new Set(),
      own: new WeakSet(),
      inUseProbe: undefined,
      uninitialized: undefined,
      counts: {
        cachedBytes: 0,
        peakCachedBytes: 0,
        allocatedBytes: 0,
        reusedBytes: 0,
        releasedBytes: 0,
      },
    },
  },
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
