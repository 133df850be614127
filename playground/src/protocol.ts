/**
 * The messages between the page and the training worker. The page owns the settings and the data;
 * the worker owns the training run and sends back, at most once per animation frame, the weights,
 * the numbers and the finished heat maps (pictures.ts) the page draws, and a few times a second
 * the warped space's geometry (views/warp-math.ts): the page's thread runs no forward pass for
 * its pictures. What the page shows beyond the settings (the warp view's layer and neurons, the
 * neuron shown large) it tells the worker, which draws that too.
 */
import type { Speed, StepUnit } from './choices.js';
import type { Split } from './data.js';
import type { Pictures, ShownNeuron } from './pictures.js';
import type { Settings } from './settings.js';
import type { WarpChoice, WarpPicture } from './views/warp-math.js';

/** Page → worker. */
export type ToWorker =
  /** Start a new run: build the network from the seed, forget the optimizer's state. */
  | { type: 'reset'; settings: Settings; data: Split }
  /** New data or hyperparameters without touching the weights (optimizer settings, points). */
  | { type: 'update'; settings: Settings; data: Split }
  /** New settings of how the page draws (discretize): the next pictures follow them. */
  | { type: 'view'; settings: Settings }
  /** A new speed for Play (the settings' `speed`). */
  | { type: 'pace'; speed: Speed }
  | { type: 'play' }
  | { type: 'pause' }
  /** Train one mini-batch, or to the end of the current epoch, then report. */
  | { type: 'step'; by: StepUnit }
  /** Replace the weights with a saved model (its model.json text and safetensors bytes). */
  | { type: 'load'; json: string; weights: Uint8Array }
  /** Set one value of a parameter (a weight or bias the user edited); training goes on from it. */
  | { type: 'setParameter'; name: string; index: number; value: number }
  /** The warp view's layer and neurons: the next warp pictures show them. */
  | ({ type: 'warp' } & WarpChoice)
  /** The neuron the output panel shows large (none: the model's output): the pictures add it. */
  | { type: 'show'; neuron?: ShownNeuron }
  /**
   * The page reached a frame after the last pictures it got: while playing, the worker draws the
   * next ones only then, so a page slowed down (a loaded machine, a hidden tab) gets fewer
   * pictures instead of a queue, and the worker spends no time on pictures nobody sees.
   */
  | { type: 'drawn' };

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
      /**
       * The heat maps for these weights, drawn in the worker (at most one set a frame while
       * playing; a snapshot without them keeps the page's last ones).
       */
      pictures?: Pictures;
      /**
       * The warped space for these weights and the page's choice (a few times a second while
       * playing; a snapshot without it keeps the page's last one).
       */
      warp?: WarpPicture;
    }
  | { type: 'error'; message: string };
