/**
 * Runs one framework × case in a child process of its own: the runner of bench/peers/ for the
 * framework, given the case's run lengths as JSON, read back from its `RESULT {json}` line.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseName, ChildResult, Framework, Kind, Run } from './types.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PEERS = fileURLToPath(new URL('../peers/', import.meta.url));
export const PYTHON = '/usr/bin/python3';
/** The machine's environment sets these; they make OpenBLAS pick a slower kernel / blocking. */
export const OPENBLAS_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];
/** The Node runner of each kind of framework, in bench/peers/. */
const RUNNERS: Record<Exclude<Kind, 'torch'>, string> = {
  nabla: 'nabla.mjs',
  tfjs: 'tfjs.mjs',
  jaxjs: 'jaxjs.mjs',
};
/** A case takes 5–60 s; a child still running after this is stuck (it is killed). */
const CASE_TIMEOUT_MS = 180_000;

/**
 * Untimed products before each GEMM size's timed ones. One was too few: nabla's GEMM 128 came out
 * at 105–158 GFLOP/s beside a busy core and 147–170 after 300 ms of warm-up (V8 compiles the op's
 * JavaScript on a background thread, which then shares the busy core).
 */
export const GEMM_WARMUP_MS = 300;

/** Per-case run lengths: the slow TF.js CPU backend gets fewer steps. */
export function childConfig(fw: Framework, name: CaseName): Record<string, unknown> {
  if (name === 'gemm') {
    // The same warm-up for every framework: the median is of products in a steady state.
    const warm = { gemmWarmupMs: GEMM_WARMUP_MS };
    if (fw.id === 'tfjs-cpu') return { case: name, gemmBudgetMs: 800, gemmMinReps: 2, ...warm };
    if (fw.kind === 'torch') return { case: name, gemmBudgetMs: 600, gemmMinReps: 3, ...warm };
    return { case: name, gemmBudgetMs: 1200, gemmMinReps: 3, ...warm };
  }
  const tinyCase = name === 'tiny';
  if (fw.kind === 'tfjs' && (name === 'lenet' || name === 'cifar')) {
    // Convolutions on TF.js's CPU backends take seconds per step: a few steps are enough.
    return { case: name, warmupMs: 0, windowMs: 3000, windows: 1, minSteps: 2 };
  }
  if (fw.id === 'tfjs-cpu' && !tinyCase) {
    return { case: name, warmupMs: 600, windowMs: 800, windows: 3, minSteps: 2 };
  }
  if (fw.kind === 'torch') {
    // Measured twice (1 and 2 threads): shorter windows.
    return { case: name, warmupMs: tinyCase ? 800 : 500, windowMs: 700, windows: 3 };
  }
  return { case: name, warmupMs: tinyCase ? 1500 : 800, windowMs: 1000, windows: 3 };
}

/**
 * The environment of a child: the nabla backend (and thread count) to use; for PyTorch, no
 * OpenBLAS overrides.
 */
export function childEnv(fw: Framework): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (fw.kind === 'nabla' && fw.backend !== undefined) env.NABLA_BACKEND = fw.backend;
  if (fw.kind === 'nabla' && fw.threads !== undefined) env.NABLA_THREADS = String(fw.threads);
  if (fw.kind === 'torch') for (const k of OPENBLAS_OVERRIDES) delete env[k];
  return env;
}

/** Runs a command to its end in the repository root, its output as text, killed at `timeout`. */
export function spawn(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeout = CASE_TIMEOUT_MS,
): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Why a child failed: its exit code or signal, and its error's own line. */
export function failure(child: SpawnSyncReturns<string | Buffer>): string {
  const why =
    child.error?.message ??
    (child.signal !== null ? `signal ${child.signal}` : `exit code ${child.status}`);
  // The error's own line rather than the stack under it.
  const lines = `${child.stderr ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at ') && !l.startsWith('Node.js v'));
  const line = lines.find((l) => /^\w*(Error|Exception)\b/.test(l)) ?? lines.at(-1);
  return line === undefined ? why : `${why}: ${line}`;
}

/** The last `RESULT {json}` line of a child's output, parsed. */
export function parseResult(stdout: string): ChildResult | undefined {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('RESULT '));
  return line === undefined ? undefined : (JSON.parse(line.slice(7)) as ChildResult);
}

/** Runs one case on one framework in a child process; a hung child is killed at the time-out. */
export function runChild(fw: Framework, name: CaseName): Run {
  const config = JSON.stringify({ ...childConfig(fw, name), backend: fw.backend });
  const env = childEnv(fw);
  const [command, args] =
    fw.kind === 'torch'
      ? [PYTHON, [path.join(PEERS, 'torch_runner.py'), config]]
      : [process.execPath, [path.join(PEERS, RUNNERS[fw.kind]), config]];
  const t0 = performance.now();
  const child = spawn(command, args, env);
  const wallSeconds = (performance.now() - t0) / 1000;
  const result = child.status === 0 ? parseResult(child.stdout) : undefined;
  if (result === undefined) {
    const timedOut = (child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    return {
      framework: fw.id,
      case: name,
      ok: false,
      wallSeconds,
      error: child.status === 0 ? 'no RESULT line' : failure(child),
      ...(timedOut ? { timedOut, error: `hung: killed after ${CASE_TIMEOUT_MS / 1000} s` } : {}),
    };
  }
  return { framework: fw.id, case: name, ok: true, wallSeconds, result };
}
