/**
 * What `nabla train` says and writes once training is done: the runs, the epochs and the test
 * numbers on the terminal; the model, `history.csv`, `summary.json` and (with --plots) the charts
 * in the output folder.
 *
 * @module
 */
import { join } from 'node:path';
import { getBackend } from '../backend/index.js';
import { writeFileAtomicSync } from '../node/files.js';
import { save } from '../node/model-files.js';
import { writePng } from '../node/png.js';
import type { History } from '../train/types.js';
import { plotDecisionBoundary } from '../viz/plot/boundary.js';
import { plotGradientNorms } from '../viz/plot/gradients.js';
import { plotAccuracy, plotLoss } from '../viz/plot/training.js';
import type { TrainResult } from './train.js';
import type { TrainPlan } from './train-flags.js';
import { convChartNames, convCharts } from './network.js';

function pct(v: number | undefined): string {
  return v === undefined ? '-' : `${(v * 100).toFixed(2)}%`;
}

/** The mean wall time and throughput of an epoch. */
function epochMeans(history: History): { seconds: number; samplesPerSecond: number } {
  const n = history.epochs.length;
  return {
    seconds: history.epochs.reduce((s, e) => s + e.seconds, 0) / n,
    samplesPerSecond: history.epochs.reduce((s, e) => s + e.samplesPerSecond, 0) / n,
  };
}

/** A duration as seconds, or milliseconds when short. */
function duration(seconds: number): string {
  return seconds >= 0.1 ? `${seconds.toFixed(2)} s` : `${(seconds * 1000).toFixed(1)} ms`;
}

/** The lines that say how training went: each restart, the epochs, the test numbers. */
export function reportRun(result: TrainResult, log: (line: string) => void): void {
  const { history, test, data } = result;
  if (history.runs !== undefined) {
    for (const r of history.runs)
      log(
        `run ${r.run} (seed ${r.seed}): loss ${r.loss.toFixed(4)}, val loss ${r.valLoss?.toFixed(4) ?? '-'}, val accuracy ${pct(r.valAccuracy)}`,
      );
    log(`kept run ${history.bestRun}`);
  }
  const mean = epochMeans(history);
  const stopped = history.stopReason === 'epochs' ? 'all' : `stopped: ${history.stopReason}`;
  const best = history.bestEpoch !== undefined ? `, best epoch ${history.bestEpoch}` : '';
  log(
    `trained ${history.epochs.length} epochs (${stopped}${best}) ` +
      `in ${history.seconds.toFixed(1)} s: ${duration(mean.seconds)}/epoch, ${Math.round(mean.samplesPerSecond).toLocaleString('en-US')} samples/s`,
  );
  log(
    `test loss ${test.loss.toFixed(4)}, test accuracy ${pct(test.accuracy)} (${data.test.x.shape[0]} examples)`,
  );
}

/** One line per epoch, as `history.csv` holds it. */
export function historyCsv(history: History): string {
  const header = 'epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds,samples_per_second';
  const cell = (v: number | undefined): string => (v === undefined ? '' : String(v));
  const lines = history.epochs.map((e) =>
    [e.epoch, e.loss, e.accuracy, e.valLoss, e.valAccuracy, e.lr, e.seconds, e.samplesPerSecond]
      .map(cell)
      .join(','),
  );
  return `${[header, ...lines].join('\n')}\n`;
}

/** What `summary.json` holds. */
function summary(plan: TrainPlan, result: TrainResult): Record<string, unknown> {
  const { data, history, test } = result;
  const mean = epochMeans(history);
  return {
    data: data.name,
    model: plan.network.kind,
    network:
      plan.network.kind === 'mlp'
        ? [data.features, ...plan.network.hidden, data.classes]
        : result.model.toString(),
    activation: plan.network.activation,
    dropout: plan.network.dropout,
    loss: plan.fit.loss,
    optimizer: plan.fit.optimizer,
    lr: plan.fit.lr,
    batchSize: plan.fit.batchSize,
    epochs: history.epochs.length,
    stopReason: history.stopReason,
    bestEpoch: history.bestEpoch,
    seed: plan.seed,
    backend: getBackend(),
    seconds: history.seconds,
    secondsPerEpoch: mean.seconds,
    samplesPerSecond: mean.samplesPerSecond,
    final: history.epochs[history.epochs.length - 1],
    test,
    runs: history.runs,
    // The whole command line, so that `nabla export --pytorch` can write the same recipe.
    flags: { ...plan.flags, progress: true, resume: undefined },
  };
}

/** The model with what `evaluate` and `predict` need to know of its data. */
function saveModel(plan: TrainPlan, result: TrainResult, out: string): void {
  const { data, test } = result;
  const split = plan.data;
  save(result.model, out, {
    data: plan.flags.data,
    split: {
      seed: split.seed,
      validation: split.validation,
      test: split.test,
      samples: split.samples,
      noise: split.noise,
      classes: split.classes,
    },
    features: data.features,
    ...(plan.network.kind === 'cnn' ? { inputShape: data.imageShape } : {}),
    classes: data.classes,
    classNames: data.classNames,
    standardization: data.standardization,
    loss: plan.fit.loss,
    test,
  });
}

/** The names of the charts --plots writes. */
function chartNames(result: TrainResult): string[] {
  const names = ['loss', 'accuracy', 'gradient-norms'];
  const conv = convChartNames(result.model);
  return result.data.features === 2 ? [...names, 'decision-boundary'] : [...names, ...conv];
}

/** The loss, accuracy and gradient-norm charts (and the decision boundary of 2-D data). */
function writeCharts(out: string, result: TrainResult): void {
  const { history, data } = result;
  const charts: [string, string][] = [
    ['loss', plotLoss(history, { perBatch: true })],
    ['accuracy', plotAccuracy(history)],
    ['gradient-norms', plotGradientNorms(result.norms, { xLabel: 'step (mini-batch)' })],
  ];
  if (data.features === 2)
    charts.push([
      'decision-boundary',
      plotDecisionBoundary(result.model, data.train, { classes: data.classNames }),
    ]);
  charts.push(...convCharts(result.model, result.data));
  for (const [name, svg] of charts) {
    writeFileAtomicSync(join(out, `${name}.svg`), svg);
    writePng(join(out, `${name}.png`), svg);
  }
}

/**
 * Writes the model, `history.csv`, the charts (with --plots) and `summary.json`: `commit` hands a
 * temporary folder to write them in and puts it in place of the output folder as a whole.
 */
export function saveRun(
  plan: TrainPlan,
  result: TrainResult,
  log: (line: string) => void,
  commit: (write: (tmp: string) => void) => void,
): void {
  const out = plan.out;
  commit((tmp) => {
    saveModel(plan, result, tmp);
    writeFileAtomicSync(join(tmp, 'history.csv'), historyCsv(result.history));
    if (plan.flags.plots) writeCharts(tmp, result);
    const json = `${JSON.stringify(summary(plan, result), null, 2)}\n`;
    writeFileAtomicSync(join(tmp, 'summary.json'), json);
  });
  if (plan.flags.plots)
    log(`wrote the charts ${chartNames(result).join(', ')} (.svg and .png) in ${out}`);
  log(`saved the model, history.csv and summary.json in ${out}`);
}
