/**
 * The messages between the page and the training worker. The page owns the settings and the data;
 * the worker owns the training run and sends back, at most once per animation frame, the weights
 * and the numbers the page draws.
 */
import type { Speed, StepUnit } from './choices.js';
import type { Split } from './data.js';
import type { Settings } from './settings.js';

/** Page → worker. */
export type ToWorker =
  /** Start a new run: build the network from the seed, forget the optimizer's state. */
  | { type: 'reset'; settings: Settings; data: Split }
  /** New data or hyperparameters without touching the weights (optimizer settings, points). */
  | { type: 'update'; settings: Settings; data: Split }
  /** A new speed for Play (the settings' `speed`). */
  | { type: 'pace'; speed: Speed }
  | { type: 'play' }
  | { type: 'pause' }
  /** Train one mini-batch, or to the end of the current epoch, then report. */
  | { type: 'step'; by: StepUnit }
  /** Replace the weights with a saved model (its model.json text and safetensors bytes). */
  | { type: 'load'; json: string; weights: Uint8Array };

/** Weights by parameter name (`0.weight`, …), in the model's own layout. */
export type Weights = Record<string, { shape: number[]; data: Float32Array }>;

/** A point of the loss curves. */
export interface LossPoint {
  step: number;
  epoch: number;
  train: number;
  test: number;
}

/** Worker → page. */
export type FromWorker =
  | {
      type: 'snapshot';
      running: boolean;
      step: number;
      epoch: number;
      weights: Weights;
      /** Loss points since the last snapshot. */
      losses: LossPoint[];
      trainLoss: number;
      testLoss: number;
      /** Share of the test points classified right (NaN in regression or without test points). */
      testAccuracy: number;
      stepsPerSecond: number;
    }
  | { type: 'error'; message: string };
