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
import type { Module } from '../nn/module.js';
import type { OptimizerStateDict } from '../optim/optimizer.js';
import type { GeneratorState } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { StoppingState } from './stopping.js';
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
