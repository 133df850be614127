/**
 * The state a {@link TrainingRun} (run.ts) keeps within an epoch and within a batch.
 *
 * @module
 */
import type { GeneratorState } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

/** The epoch in progress: its learning rate, order, position and running sums. */
export interface EpochState {
  readonly epoch: number;
  readonly lr: number;
  readonly started: number;
  readonly order: Int32Array | null;
  batch: number;
  /** Loss·examples, accuracy·examples and examples over the batches with a finite loss. */
  lossSum: number;
  hitSum: number;
  seen: number;
}

/** One batch after its forward and backward pass. */
export interface BatchPass {
  /** The inputs as the model saw them (with jitter), and the targets. */
  readonly x: Tensor;
  readonly y: Tensor;
  readonly out: Tensor;
  readonly value: number;
  readonly step: number;
  readonly size: number;
  /** The random state the batch began with, when a bad batch may have to be re-run. */
  readonly before: GeneratorState | undefined;
}
