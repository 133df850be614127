/** The shapes shared by the parts of the compare benchmark: frameworks, cases and runs. */

export type Kind = 'nabla' | 'tfjs' | 'torch' | 'jaxjs';
/** The cases: products, training steps, the main job, networks, and single operations. */
export type CaseName =
  'gemm' | 'mlp-sgd' | 'mlp-adam' | 'tiny' | 'main-job' | 'lenet' | 'cifar' | OpCaseName;

/** Single operations at realistic sizes (bench/compare/op-cases.json): nabla and PyTorch only. */
export type OpCaseName = 'einsum' | 'sort' | 'topk' | 'sdpa';

/** One column of the comparison: a nabla backend, a TF.js backend or PyTorch. */
export interface Framework {
  /** nabla-js, nabla-native, nabla-native-1t, nabla-wasm, tfjs-wasm, tfjs-cpu, jaxjs, pytorch. */
  id: string;
  label: string;
  kind: Kind;
  /** The nabla backend or the TF.js backend. */
  backend?: string;
  /** The nabla native backend's thread count (`NABLA_THREADS`); default: the addon's own. */
  threads?: number;
}

/** What a child reports (plus framework-specific fields kept in the JSON). */
export interface ChildResult {
  [key: string]: unknown;
  maxRssMB: number;
  stepsPerSecond?: number;
  samplesPerSecond?: number;
  sizes?: {
    n: number;
    gflops: number;
    bestGflops: number;
    reps: number;
    threads?: number;
    /** nabla's diagnostic: the kernel into one output array used again (bench/peers/nabla.mjs). */
    warm?: { gflops: number; medianMs: number };
    /** The PyTorch runner's figures on 1 and on 2 threads (it reports the better). */
    byThreads?: Record<string, { gflops: number }>;
  }[];
  numpy?: { n: number; gflops: number; bestGflops: number; reps: number; threads?: number }[];
  threads?: number;
  /** The PyTorch runner's figures on 1 and on 2 threads (it reports the better). */
  byThreads?: Record<string, { stepsPerSecond?: number; samplesPerSecond?: number }>;
  seconds?: number;
}

/** One framework × case: its child's result, or why there is none. */
export interface Run {
  framework: string;
  case: CaseName;
  ok: boolean;
  wallSeconds: number;
  result?: ChildResult;
  error?: string;
  /** Killed at the time-out. */
  timedOut?: boolean;
  /** The round (0-based) it ran in. */
  round?: number;
}

/** The successful runs of a framework (by id) on a case, one per round. */
export type FindRuns = (fw: string, c: CaseName) => Run[];
