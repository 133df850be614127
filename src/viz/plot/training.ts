/**
 * Training curves from a `History`: the loss per epoch and per mini-batch, the accuracy, and the
 * loss of several learning rates side by side.
 *
 * @module
 */
import { fail } from '../../tensor/check.js';
import type { History } from '../../train/types.js';
import { lineChart, type Series } from './chart.js';
import type { ScaleType } from './scale.js';
import { PALETTE } from './svg.js';

/** Size and title, shared by the training plots. */
export interface PlotOptions {
  /** Pixels (default 640). */
  width?: number;
  /** Pixels (default 400). */
  height?: number;
  /** Replaces the default title. */
  title?: string;
}

/** Options of {@link plotLoss}. */
export interface PlotLossOptions extends PlotOptions {
  /** Also draw the loss of every step (thin), with steps on the x axis (default false). */
  perBatch?: boolean;
  /** The y axis (default linear). */
  scale?: ScaleType;
}

function checkHistory(where: string, history: History): void {
  if (history === null || typeof history !== 'object' || !Array.isArray(history.epochs)) {
    throw new TypeError(`${where}: expected the History that fit returns`);
  }
}

/**
 * The training loss per epoch and the validation loss per epoch (when there is validation data)
 * on one chart. With `perBatch`, the x axis counts steps (mini-batches): the loss of every step
 * as a thin line, the epoch means on top, each drawn at the step that ended its epoch.
 *
 * @example
 * import { plotLoss } from 'nabla/viz';
 * const data = datasets.moons({ samples: 200 });
 * const model = mlp([2, 16, 2]);
 * const history = fit(model, data, { epochs: 50, validation: 0.2 });
 * const svg = plotLoss(history, { perBatch: true, scale: 'log' });
 */
export function plotLoss(history: History, options: PlotLossOptions = {}): string {
  checkHistory('plotLoss', history);
  const epochs = history.epochs;
  const hasVal = epochs.some((e) => e.valLoss !== undefined);
  const perBatch = options.perBatch === true;
  const x = perBatch ? epochs.map((e) => e.step) : epochs.map((e) => e.epoch);
  const series: Series[] = [];
  if (perBatch) {
    series.push({
      name: 'training loss per step',
      y: history.batchLosses,
      color: '#9db7d3',
      width: 1,
      markers: false,
    });
  }
  series.push({
    name: perBatch ? 'training loss, epoch mean' : 'training loss',
    x,
    y: epochs.map((e) => e.loss),
    color: PALETTE[0],
    width: 2.5,
  });
  if (hasVal) {
    series.push({
      name: 'validation loss',
      x,
      y: epochs.map((e) => e.valLoss ?? Number.NaN),
      color: PALETTE[1],
      width: 2.5,
    });
  }
  const steps = history.batchLosses.length;
  return lineChart({
    title: options.title ?? (perBatch ? 'Loss per mini-batch and per epoch' : 'Loss per epoch'),
    subtitle:
      perBatch && epochs.length > 0
        ? `${steps} steps in ${epochs.length} epoch${epochs.length === 1 ? '' : 's'}; epoch means at each epoch's last step`
        : undefined,
    xLabel: perBatch ? 'step (mini-batch)' : 'epoch',
    yLabel: options.scale === 'log' ? 'loss (log scale)' : 'loss',
    series,
    scale: options.scale,
    xInteger: true,
    width: options.width,
    height: options.height,
  });
}

/** A fraction as a percentage tick label: 0.25 → '25%'. */
function percent(v: number): string {
  return `${Number.parseFloat((v * 100).toPrecision(10))}%`;
}

/**
 * The training and validation accuracy per epoch, the y axis from 0% to 100%.
 *
 * @example
 * import { plotAccuracy } from 'nabla/viz';
 * const data = datasets.moons({ samples: 200 });
 * const model = mlp([2, 16, 2]);
 * const svg = plotAccuracy(fit(model, data, { epochs: 30, validation: 0.2 }));
 */
export function plotAccuracy(history: History, options: PlotOptions = {}): string {
  checkHistory('plotAccuracy', history);
  const epochs = history.epochs;
  const x = epochs.map((e) => e.epoch);
  const series: Series[] = [];
  if (epochs.some((e) => e.accuracy !== undefined)) {
    series.push({
      name: 'training accuracy',
      x,
      y: epochs.map((e) => e.accuracy ?? Number.NaN),
      color: PALETTE[0],
      width: 2.5,
    });
  }
  if (epochs.some((e) => e.valAccuracy !== undefined)) {
    series.push({
      name: 'validation accuracy',
      x,
      y: epochs.map((e) => e.valAccuracy ?? Number.NaN),
      color: PALETTE[1],
      width: 2.5,
    });
  }
  if (series.length === 0 && epochs.length > 0) {
    throw new RangeError(
      'plotAccuracy: the history has no accuracy (fit records it for classification, with int32 targets)',
    );
  }
  return lineChart({
    title: options.title ?? 'Accuracy per epoch',
    xLabel: 'epoch',
    yLabel: 'accuracy',
    series,
    yDomain: [0, 1],
    yFormat: percent,
    xInteger: true,
    width: options.width,
    height: options.height,
  });
}

/** One run of {@link plotLearningRates}: its learning rate and what `fit` returned. */
export interface LearningRateRun {
  lr: number;
  history: History;
}

/** Options of {@link plotLearningRates}. */
export interface PlotLearningRatesOptions extends PlotOptions {
  /** The y axis (default log, so that a diverging run does not flatten the others). */
  scale?: ScaleType;
  /** The loss of every step instead of the epoch means (default false). */
  perBatch?: boolean;
  /** Plot the validation loss instead of the training loss (default false). */
  validation?: boolean;
}

/**
 * The effect of the step size: one loss curve per learning rate, named `lr = 0.1` etc. in the
 * legend. A run whose loss became NaN or infinite (it diverged) stops where it did.
 *
 * @example
 * import { plotLearningRates } from 'nabla/viz';
 * const data = datasets.moons({ samples: 200 });
 * const runs = [0.001, 0.01, 0.1, 1].map((lr) => {
 *   manualSeed(0);
 *   const model = mlp([2, 16, 2]);
 *   return { lr, history: fit(model, data, { lr, epochs: 30 }) };
 * });
 * const svg = plotLearningRates(runs);
 */
export function plotLearningRates(
  runs: LearningRateRun[],
  options: PlotLearningRatesOptions = {},
): string {
  if (!Array.isArray(runs) || runs.length === 0) {
    throw new TypeError('plotLearningRates: expected a non-empty array of { lr, history }');
  }
  runs.forEach((r, i) => {
    if (typeof r?.lr !== 'number' || !(r.lr > 0)) {
      fail({ where: 'plotLearningRates' }, `runs[${i}].lr`, 'a number > 0', r?.lr);
    }
    checkHistory(`plotLearningRates: runs[${i}].history`, r.history);
  });
  const perBatch = options.perBatch === true;
  const validation = options.validation === true;
  const series: Series[] = runs.map((r) => ({
    name: `lr = ${r.lr}`,
    ...(perBatch
      ? { y: r.history.batchLosses, width: 1.5, markers: false }
      : {
          x: r.history.epochs.map((e) => e.epoch),
          y: r.history.epochs.map((e) => (validation ? (e.valLoss ?? Number.NaN) : e.loss)),
        }),
  }));
  const scale = options.scale ?? 'log';
  const what = validation ? 'validation loss' : 'training loss';
  return lineChart({
    title: options.title ?? `The effect of the step size: ${what} per learning rate`,
    xLabel: perBatch ? 'step (mini-batch)' : 'epoch',
    yLabel: scale === 'log' ? `${what} (log scale)` : what,
    series,
    scale,
    xInteger: true,
    width: options.width,
    height: options.height,
  });
}
