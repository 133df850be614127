/**
 * Checkpoints of a training run: everything `fit` needs to go on from between two steps exactly
 * as if it had never stopped — the weights, the optimizer's state, the learning-rate schedule,
 * the random generator, the epoch's order and position, the epoch's running sums, the stopping
 * rules, the history and the best weights so far. One safetensors file holds it all: the tensors
 * as tensors (readable by any safetensors reader) — the per-step losses too, so that its size does
 * not grow with the number of steps — the rest as JSON in the header's metadata.
 *
 * This module says what a checkpoint holds; `encodeCheckpoint` / `decodeCheckpoint` (src/io) turn
 * it into bytes and back, and the Node entry's `fit` writes them to a folder atomically
 * (`checkpoint: { dir, every }`, `resumeFrom: dir`).
 *
 * @module
 */
import type { Transform, TransformConfig } from '../data/transform.js';
import type { Module } from '../nn/module.js';
import type { Optimizer, OptimizerStateDict } from '../optim/optimizer.js';
import type { GeneratorState } from '../tensor/random.js';
import { engine } from '../tensor/state.js';
import type { Tensor } from '../tensor/tensor.js';
import type { StoppingRules, StoppingState } from './stopping.js';
import type { History } from './types.js';

/**
 * The version of the checkpoint format written now: 2 keeps the per-step losses as a tensor in the
 * body (1, still read, kept them in the JSON header).
 */
export const CHECKPOINT_VERSION = 2;

/** The state of a run between two steps of epoch `epoch`, after `batch` of its batches. */
export interface TrainingCheckpoint {
  format: 'nabla-checkpoint';
  version: typeof CHECKPOINT_VERSION;
  /** The epoch in progress (from 1) and how many of its batches are done. */
  epoch: number;
  batch: number;
  /** The epoch's order of examples, when shuffling (so that it goes on in the same order). */
  order: Int32Array | null;
  /** The epoch's running sums: loss·examples, accuracy·examples, examples. */
  sums: { loss: number; hits: number; seen: number };
  history: History;
  /** The default generator (shuffling, dropout, jitter) now, and when `fit` began. */
  generator: GeneratorState;
  startGenerator: GeneratorState;
  rules: StoppingState;
  optimizer: OptimizerStateDict;
  scheduler?: unknown;
  model: Record<string, Tensor>;
  /** The best weights so far, when early stopping restores them. */
  best?: Record<string, Tensor>;
  /** Anything the caller keeps with it (the command line of `nabla train`). */
  meta?: Record<string, unknown>;
  /**
   * The training batches' transform (`fit`'s `transform`) as `toConfig()` describes it; its random
   * draws come from `generator`, so a resumed run draws the same augmentations.
   */
  transform?: TransformConfig;
  /** Where it was read from (`decodeCheckpoint` sets it), for the messages of a failed resume. */
  source?: string;
}

/** Options of checkpointing in `fit`. */
export interface CheckpointOptions {
  /** Save every this many steps (and when a callback stops the run). */
  every: number;
  /**
   * Receives each checkpoint (its tensors are copies); `encodeCheckpoint` makes bytes of it. The
   * Node entry's `fit` gives one that writes them atomically to `dir`.
   */
  save?: (
    checkpoint: TrainingCheckpoint,
    at: { epoch: number; batch: number; step: number },
  ) => void;
  /** A folder (Node entry only): `checkpoint.safetensors` in it, replaced atomically. */
  dir?: string;
  /** Kept in each checkpoint (e.g. the command line that started the run). */
  meta?: Record<string, unknown>;
}

/** A copy of the model's weights and buffers, by name. */
export function snapshot(model: Module): Map<string, Tensor> {
  return new Map(Object.entries(model.stateDict()).map(([k, t]) => [k, t.clone()]));
}

/** The parts of a run a checkpoint restores. */
export interface RestoreTarget {
  model: Module;
  optimizer: Optimizer;
  scheduler: { loadStateDict(state: never): void } | undefined;
  rules: StoppingRules;
  history: History;
  /** The run's training transform, which must be the one the checkpoint was written with. */
  transform?: Transform;
}

/**
 * Puts back everything `saved` holds into a run's parts, and the default generator's state, to
 * go on exactly where it was written; returns the best weights it kept. A part that does not fit
 * (an optimizer's state for other parameters, best weights of other shapes) is an error naming
 * the checkpoint's file.
 */
export function restoreCheckpoint(
  saved: TrainingCheckpoint,
  target: RestoreTarget,
): Map<string, Tensor> | undefined {
  try {
    const { model, optimizer, scheduler, rules, history } = target;
    checkSameTransform(saved.transform, target.transform);
    model.loadStateDict(saved.model);
    optimizer.loadStateDict(saved.optimizer);
    if (saved.scheduler !== undefined) scheduler?.loadStateDict(saved.scheduler as never);
    rules.setState(saved.rules);
    Object.assign(history, saved.history, { nonFinite: saved.history.nonFinite ?? [] });
    engine.generator.setState(saved.generator);
    if (saved.best === undefined) return undefined;
    checkBest(saved.best, saved.model);
    return new Map(Object.entries(saved.best));
  } catch (e) {
    const message = (e as Error).message;
    throw new Error(`${saved.source ?? 'resumeFrom'}: cannot resume from it: ${message}`, {
      cause: e,
    });
  }
}

/** A run resumes only with the transform it was written with (or none, if none). */
function checkSameTransform(saved: TransformConfig | undefined, now: Transform | undefined): void {
  const a = JSON.stringify(saved ?? null);
  const b = JSON.stringify(now?.toConfig() ?? null);
  if (a !== b)
    throw new Error(
      `it was written with the training transform ${saved === undefined ? 'none' : a}, but this run has ${now === undefined ? 'none' : b}`,
    );
}

/** The best weights must name the model's weights, with their shapes. */
function checkBest(best: Record<string, Tensor>, model: Record<string, Tensor>): void {
  for (const [name, t] of Object.entries(model)) {
    const b = best[name];
    if (b === undefined || b.shape.join() !== t.shape.join())
      throw new Error(
        `its best weights ${b === undefined ? 'lack' : 'give another shape to'} ${JSON.stringify(name)}`,
      );
  }
}
