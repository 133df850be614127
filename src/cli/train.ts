import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { getBackend } from '../backend/index.js';
import { mlp, ACTIVATIONS, type ActivationName } from '../nn/mlp.js';
import { writeFileAtomicSync } from '../node/files.js';
import { save } from '../node/model-files.js';
import { writePng } from '../node/png.js';
import { progressBar } from '../node/progress.js';
import {
  gradientNorms,
  plotGradientNorms,
  type GradientNormRecord,
} from '../viz/plot/gradients.js';
import { plotDecisionBoundary } from '../viz/plot/boundary.js';
import { plotAccuracy, plotLoss } from '../viz/plot/training.js';
import { crossEntropy, mseLoss } from '../ops/loss.js';
import { arange } from '../tensor/creation.js';
import { manualSeed } from '../tensor/state.js';
import type { Tensor } from '../tensor/tensor.js';
import { evaluate } from '../train/evaluate.js';
import { fit, readCheckpoint } from '../node/fit.js';
import { watchInterrupt } from '../node/native.js';
import type { TrainingCheckpoint } from '../train/checkpoint.js';
import type { BatchInfo, History, LossFunction } from '../train/types.js';
import { prepareData, TOY_DATASETS, type PreparedData } from './data.js';
import { choiceFlag, Interrupted, numberFlag, sizesFlag, UsageError } from './errors.js';
import { DEFAULT_LR, OPTIMIZERS, optimizerFactory, type OptimizerName } from './optimizer.js';

/** The flags of `nabla train`, as commander hands them over (strings, unparsed). */
export interface TrainFlags {
  data: string;
  hidden?: string;
  activation?: string;
  loss: string;
  optimizer: string;
  lr?: string;
  momentum?: string;
  batchSize: string;
  epochs?: string;
  seed: string;
  dropout?: string;
  weightDecay: string;
  l2: string;
  jitter: string;
  earlyStopping?: string;
  restarts: string;
  samples?: string;
  noise?: string;
  classes?: string;
  validation: string;
  test: string;
  out?: string;
  progress: boolean;
  plots?: boolean;
  checkpointDir?: string;
  checkpointEvery?: string;
  resume?: string;
}

const LOSSES = ['crossEntropy', 'mse'] as const;

function historyCsv(history: History): string {
  const header = 'epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds,samples_per_second';
  const cell = (v: number | undefined): string => (v === undefined ? '' : String(v));
  const lines = history.epochs.map((e) =>
    [e.epoch, e.loss, e.accuracy, e.valLoss, e.valAccuracy, e.lr, e.seconds, e.samplesPerSecond]
      .map(cell)
      .join(','),
  );
  return `${[header, ...lines].join('\n')}\n`;
}

function pct(v: number | undefined): string {
  return v === undefined ? '-' : `${(v * 100).toFixed(2)}%`;
}

/** `nabla train`: builds an MLP for the data, trains it, evaluates it on the test split and saves it. */
export function trainCommand(
  given: TrainFlags,
  log: (line: string) => void = console.log,
): { test: { loss: number; accuracy?: number }; history: History } {
  // --resume: the run's own flags come from its checkpoint; only the progress bar is chosen anew.
  let resumeFrom: TrainingCheckpoint | undefined;
  let flags = given;
  if (given.resume !== undefined) {
    resumeFrom = readCheckpoint(given.resume);
    const saved = resumeFrom.meta?.flags as TrainFlags | undefined;
    if (saved === undefined || typeof saved !== 'object')
      throw new UsageError(
        `--resume ${given.resume}: that checkpoint was not written by nabla train (it holds no command line)`,
      );
    flags = { ...saved, progress: given.progress, checkpointDir: given.resume };
  }
  const isMnist = flags.data === 'mnist';
  const isToy = (TOY_DATASETS as readonly string[]).includes(flags.data);
  const seed = numberFlag(flags.seed, '--seed', { integer: true });
  const optimizerName = choiceFlag(flags.optimizer, '--optimizer', OPTIMIZERS) as OptimizerName;
  const lossName = choiceFlag(flags.loss, '--loss', LOSSES);
  const activation = choiceFlag(
    flags.activation ?? (isToy ? 'tanh' : 'relu'),
    '--activation',
    ACTIVATIONS,
  ) as ActivationName;
  const hidden = sizesFlag(flags.hidden ?? (isMnist ? '256' : isToy ? '16,16' : '128'), '--hidden');
  // Toy data sets are small and easy: the adaptive optimizers' defaults would crawl there.
  const defaultLr = isToy ? Math.max(DEFAULT_LR[optimizerName], 0.01) : DEFAULT_LR[optimizerName];
  const lr = flags.lr === undefined ? defaultLr : numberFlag(flags.lr, '--lr', { positive: true });
  const momentum =
    flags.momentum === undefined ? undefined : numberFlag(flags.momentum, '--momentum', { min: 0 });
  const batchSize =
    flags.batchSize === 'full'
      ? 'full'
      : numberFlag(flags.batchSize, '--batch-size', { integer: true, min: 1 });
  const epochs = numberFlag(flags.epochs ?? (isMnist ? '30' : isToy ? '300' : '30'), '--epochs', {
    integer: true,
    min: 1,
  });
  const dropout = numberFlag(flags.dropout ?? (isMnist ? '0.2' : '0'), '--dropout', {
    min: 0,
    max: 0.99,
  });
  const weightDecay = numberFlag(flags.weightDecay, '--weight-decay', { min: 0 });
  const l2 = numberFlag(flags.l2, '--l2', { min: 0 });
  const jitter = numberFlag(flags.jitter, '--jitter', { min: 0 });
  const patience = numberFlag(flags.earlyStopping ?? (isMnist ? '5' : '0'), '--early-stopping', {
    integer: true,
    min: 0,
  });
  const restarts = numberFlag(flags.restarts, '--restarts', { integer: true, min: 1 });
  const validation = numberFlag(flags.validation, '--validation', { min: 0.01, max: 0.5 });
  const testFraction = numberFlag(flags.test, '--test', { min: 0.01, max: 0.5 });
  const dataFlags = {
    seed,
    validation,
    test: testFraction,
    samples:
      flags.samples === undefined
        ? undefined
        : numberFlag(flags.samples, '--samples', { integer: true, min: 10 }),
    noise: flags.noise === undefined ? undefined : numberFlag(flags.noise, '--noise', { min: 0 }),
    classes:
      flags.classes === undefined
        ? undefined
        : numberFlag(flags.classes, '--classes', { integer: true, min: 2 }),
  };
  const out =
    flags.out ?? join('runs', flags.data.replace(/[:/\\]+/g, '-').replace(/^-+|-+$/g, ''));
  const checkpointEvery =
    flags.checkpointEvery === undefined
      ? 100
      : numberFlag(flags.checkpointEvery, '--checkpoint-every', { integer: true, min: 1 });
  const checkpointDir =
    flags.checkpointDir ??
    (flags.checkpointEvery !== undefined ? join(out, 'checkpoints') : undefined);
  if (checkpointDir !== undefined && restarts > 1)
    throw new UsageError(
      '--restarts does not combine with checkpoints (--checkpoint-dir, --resume)',
    );

  const data: PreparedData = prepareData(flags.data, dataFlags);
  manualSeed(seed);
  const model = mlp([data.features, ...hidden, data.classes], {
    activation,
    dropout: dropout > 0 ? dropout : undefined,
  });
  const loss = cliLoss(lossName, data.classes);

  log(
    `nabla train: ${data.name} — ${data.train.x.shape[0]} training, ${data.validation.x.shape[0]} validation, ${data.test.x.shape[0]} test examples`,
  );
  log(
    `network ${[data.features, ...hidden, data.classes].join('-')} (${activation}${dropout > 0 ? `, dropout ${dropout}` : ''}), ${model.numParameters().toLocaleString('en-US')} parameters`,
  );
  log(
    `${optimizerName} lr ${lr}, batch ${batchSize}, up to ${epochs} epochs, seed ${seed}, backend ${getBackend()}`,
  );
  if (checkpointDir !== undefined)
    log(`checkpoints every ${checkpointEvery} steps in ${checkpointDir}`);
  if (resumeFrom !== undefined)
    log(
      `resuming from ${given.resume} at step ${resumeFrom.history.steps} (epoch ${resumeFrom.epoch}, batch ${resumeFrom.batch})`,
    );

  // With --plots, the gradient norm of every weight matrix is recorded as training goes.
  const norms: GradientNormRecord[] = [];
  const every = Math.max(
    1,
    Math.round(
      data.train.x.shape[0] /
        (typeof batchSize === 'number' ? batchSize : data.train.x.shape[0]) /
        4,
    ),
  );
  const onBatchEnd = (info: BatchInfo): void => {
    if (info.step % every !== 0) return;
    for (const [layer, norm] of Object.entries(gradientNorms(model)))
      if (layer.endsWith('weight')) norms.push({ step: info.step, layer, norm });
  };
  // Ctrl-C stops after the current step, saves a checkpoint (with --checkpoint-dir) and exits.
  const watch = watchInterrupt();
  const history = fit(model, data.train, {
    callbacks: {
      onBatchEnd: (info) => {
        if (flags.plots) onBatchEnd(info);
        return watch?.interrupted() ? 'stop' : undefined;
      },
    },
    loss,
    optimizer: optimizerFactory(optimizerName, { lr, momentum, weightDecay }),
    batchSize,
    epochs,
    l2,
    jitter,
    validation: data.validation,
    earlyStopping: patience > 0 ? { patience, restoreBestWeights: true } : undefined,
    restarts:
      restarts > 1
        ? { runs: restarts, seeds: Array.from({ length: restarts }, (_, i) => seed + i) }
        : undefined,
    progress: flags.progress ? progressBar() : undefined,
    seed,
    ...(checkpointDir === undefined
      ? {}
      : {
          checkpoint: {
            dir: checkpointDir,
            every: checkpointEvery,
            meta: { flags: { ...flags, checkpointDir, progress: true, resume: undefined } },
          },
        }),
    ...(resumeFrom === undefined ? {} : { resumeFrom }),
  });
  watch?.stop();
  if (watch?.interrupted())
    throw new Interrupted(
      checkpointDir === undefined
        ? `interrupted at step ${history.steps}; nothing saved (with --checkpoint-dir a run can be resumed)`
        : `interrupted at step ${history.steps}; its checkpoint is in ${checkpointDir} — go on with: nabla train --resume ${checkpointDir}`,
    );
  const test = evaluate(model, data.test, { loss });
  const last = history.epochs[history.epochs.length - 1];
  const meanEpoch = history.epochs.reduce((s, e) => s + e.seconds, 0) / history.epochs.length;
  const meanRate =
    history.epochs.reduce((s, e) => s + e.samplesPerSecond, 0) / history.epochs.length;
  if (history.runs !== undefined) {
    for (const r of history.runs)
      log(
        `run ${r.run} (seed ${r.seed}): loss ${r.loss.toFixed(4)}, val loss ${r.valLoss?.toFixed(4) ?? '-'}, val accuracy ${pct(r.valAccuracy)}`,
      );
    log(`kept run ${history.bestRun}`);
  }
  log(
    `trained ${history.epochs.length} epochs (${history.stopReason === 'epochs' ? 'all' : `stopped: ${history.stopReason}`}${history.bestEpoch !== undefined ? `, best epoch ${history.bestEpoch}` : ''}) ` +
      `in ${history.seconds.toFixed(1)} s: ${meanEpoch >= 0.1 ? `${meanEpoch.toFixed(2)} s` : `${(meanEpoch * 1000).toFixed(1)} ms`}/epoch, ${Math.round(meanRate).toLocaleString('en-US')} samples/s`,
  );
  log(
    `test loss ${test.loss.toFixed(4)}, test accuracy ${pct(test.accuracy)} (${data.test.x.shape[0]} examples)`,
  );

  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new Error(`cannot create the output directory ${out}: ${(e as Error).message}`);
  }
  const summary = {
    data: data.name,
    network: [data.features, ...hidden, data.classes],
    activation,
    dropout,
    loss: lossName,
    optimizer: optimizerName,
    lr,
    batchSize,
    epochs: history.epochs.length,
    stopReason: history.stopReason,
    bestEpoch: history.bestEpoch,
    seed,
    backend: getBackend(),
    seconds: history.seconds,
    secondsPerEpoch: meanEpoch,
    samplesPerSecond: meanRate,
    final: last,
    test,
    runs: history.runs,
  };
  save(model, out, {
    data: flags.data,
    split: {
      seed,
      validation,
      test: testFraction,
      samples: dataFlags.samples,
      noise: dataFlags.noise,
      classes: dataFlags.classes,
    },
    features: data.features,
    classes: data.classes,
    classNames: data.classNames,
    standardization: data.standardization,
    loss: lossName,
    test,
  });
  writeFileAtomicSync(join(out, 'history.csv'), historyCsv(history));
  if (flags.plots) {
    const charts: [string, string][] = [
      ['loss', plotLoss(history, { perBatch: true })],
      ['accuracy', plotAccuracy(history)],
      ['gradient-norms', plotGradientNorms(norms, { xLabel: 'step (mini-batch)' })],
    ];
    if (data.features === 2)
      charts.push([
        'decision-boundary',
        plotDecisionBoundary(model, data.train, { classes: data.classNames }),
      ]);
    for (const [name, svg] of charts) {
      writeFileAtomicSync(join(out, `${name}.svg`), svg);
      writePng(join(out, `${name}.png`), svg);
    }
    log(`wrote the charts ${charts.map(([n]) => n).join(', ')} (.svg and .png) in ${out}`);
  }
  writeFileAtomicSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  log(`saved the model, history.csv and summary.json in ${out}`);
  return { test, history };
}

/**
 * The loss `--loss` names: cross-entropy of the logits, or squared error between the softmax and
 * one-hot labels (the lectures' squared error for classification).
 */
export function cliLoss(name: string, classes: number): LossFunction {
  return name === 'mse'
    ? (o, t) => mseLoss(o.softmax(-1), oneHotLabels(t, classes))
    : (o, t) => crossEntropy(o, t);
}

/** Class labels as one-hot rows (for squared error on a classifier's softmax). */
function oneHotLabels(y: Tensor, classes: number): Tensor {
  if (y.dtype !== 'int32') throw new UsageError('--loss mse on class labels needs integer labels');
  return y
    .reshape([-1, 1])
    .eq(arange(classes, { dtype: 'int32' }).reshape([1, classes]))
    .to('float32');
}
