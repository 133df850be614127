/**
 * The messages between the digits page and its training worker, typed on both sides.
 *
 * @module
 */
import type { DigitsModel } from './trainer.js';

/** The test loss and accuracy measured at the end of an epoch. */
export interface EpochResult {
  epoch: number;
  step: number;
  testLoss: number;
  testAccuracy: number;
  /** Seconds of training (paused time left out) from the start of the run to this epoch's end. */
  seconds: number;
}

/** A point of the training loss curve: the mean loss of the mini-batches since the last one. */
export interface LossPoint {
  step: number;
  loss: number;
}

export type ToDigitsWorker =
  /** Fetch the digit file at `url` (once) and decode it. */
  | { type: 'load'; url: string }
  /** A new run: a new network from the seed (trained once the digits are loaded). */
  | { type: 'reset'; model: DigitsModel; seed: number }
  | { type: 'play' }
  | { type: 'pause' }
  /** The class probabilities of a 28 × 28 image; answered with the same `id`. */
  | { type: 'predict'; id: number; pixels: Float32Array };

export type FromDigitsWorker =
  | {
      type: 'ready';
      train: number;
      test: number;
      /** The first test images (784 pixels each) and their labels, for the page to show. */
      gallery: Float32Array;
      galleryLabels: number[];
      /** Whether the file's SHA-256 was checked (browsers give `crypto.subtle` to secure pages). */
      verified: boolean;
      /** The kernels the worker trains on: `wasm` where the browser has WebAssembly SIMD, else `js`. */
      backend: string;
      /** The threads the wasm kernels run on: more than 1 only in a cross-origin isolated page. */
      threads: number;
    }
  | {
      type: 'progress';
      running: boolean;
      model: DigitsModel;
      step: number;
      epoch: number;
      stepsPerEpoch: number;
      stepsPerSecond: number;
      /** Mean loss and share classified right over the mini-batches since the last progress. */
      loss: number;
      accuracy: number;
      /** Seconds of training in this run so far. */
      seconds: number;
      /** Whether the test set is being evaluated (an epoch just ended). */
      evaluating: boolean;
      /** The loss curve's points since the last progress. */
      losses: LossPoint[];
      /** Every epoch of this run so far. */
      epochs: EpochResult[];
    }
  | { type: 'prediction'; id: number; probabilities: Float32Array }
  | { type: 'error'; message: string };
