import { getBackend } from '../backend/index.js';
import type { Module } from '../nn/index.js';
import { progressBar } from '../node/progress.js';
import { watchInterrupt, type StopSignal } from '../node/interrupt.js';
import { fit } from '../node/fit.js';
import { mseLoss } from '../ops/loss.js';
import { oneHot } from '../ops/composite.js';
import { crossEntropy } from '../ops/loss.js';
import { manualSeed } from '../tensor/state.js';
import type { Tensor } from '../tensor/tensor.js';
import { evaluate } from '../train/evaluate.js';
import type { BatchInfo, FitOptions, History, LossFunction } from '../train/types.js';
import { gradientNorms, type GradientNormRecord } from '../viz/plot/gradients.js';
import { prepareData, type PreparedData } from './data.js';
import {
  annealed,
  asImages,
  augmentation,
  buildNetwork,
  cnnSchedule,
  describeNetwork,
} from './network.js';
import { Interrupted, UsageError } from './errors.js';
import { optimizerFactory } from './optimizer.js';
import { checkRoom, claimRunDir } from '../node/run-dir.js';
import { parseTrainFlags, placeRun, type TrainFlags, type TrainPlan } from './train-flags.js';
import { reportRun, saveRun } from './train-save.js';

export type { TrainFlags } from './train-flags.js';

/** What a run of `nabla train` produced: the model, its data, its history and its test numbers. */
export interface TrainResult {
  data: PreparedData;
  model: Module;
  history: History;
  test: { loss: number; accuracy?: number };
  /** With --plots: the weight matrices' gradient norms as training went. */
  norms: GradientNormRecord[];
}

/**
 * `nabla train`: builds an MLP for the data, trains it, evaluates it on the test split and saves
 * it. The output folder is claimed (created, tested for writing, locked) before anything else
 * happens; `explicit` names the flags given on the command line.
 */
export function trainCommand(
  given: TrainFlags,
  log: (line: string) => void = console.log,
  explicit?: readonly string[],
): { test: { loss: number; accuracy?: number }; history: History } {
  const parsed = parseTrainFlags(given, explicit);
  const run = claimRunDir(parsed.output);
  try {
    const plan = placeRun(parsed, run.dir);
    const result = runTraining(plan, log);
    reportRun(result, log);
    saveRun(plan, result, log, run.commit);
    return { test: result.test, history: result.history };
  } finally {
    run.release();
  }
}

/** The lines that say what is about to be trained, and how. */
function announce(
  plan: TrainPlan,
  data: PreparedData,
  model: Module,
  log: (line: string) => void,
): void {
  const { optimizer, lr, batchSize, epochs, maxSteps } = plan.fit;
  log(
    `nabla train: ${data.name} — ${data.train.x.shape[0]} training, ${data.validation.x.shape[0]} validation, ${data.test.x.shape[0]} test examples`,
  );
  log(describeNetwork(plan.network, data, model));
  log(
    `${optimizer} lr ${lr}${annealed(plan) ? ' (cosine-annealed to 0)' : ''}, batch ${batchSize}, up to ${epochs} epochs${maxSteps === undefined ? '' : ` or ${maxSteps} steps`}, seed ${plan.seed}, backend ${getBackend()}`,
  );
  log(`writing to ${plan.out}`);
  if (plan.checkpoint !== undefined)
    log(`checkpoints every ${plan.checkpoint.every} steps in ${plan.checkpoint.dir}`);
  const resume = plan.resume;
  if (resume !== undefined)
    log(
      `resuming from ${resume.dir} at step ${resume.checkpoint.history.steps} (epoch ${resume.checkpoint.epoch}, batch ${resume.checkpoint.batch})`,
    );
}

/** Records the gradient norm of every weight matrix about four times an epoch (for --plots). */
function normRecorder(
  model: Module,
  plan: TrainPlan,
  samples: number,
): { norms: GradientNormRecord[]; record: (info: BatchInfo) => void } {
  const norms: GradientNormRecord[] = [];
  const batchSize = plan.fit.batchSize;
  const every = Math.max(
    1,
    Math.round(samples / (typeof batchSize === 'number' ? batchSize : samples) / 4),
  );
  const record = (info: BatchInfo): void => {
    if (info.step % every !== 0) return;
    for (const [layer, norm] of Object.entries(gradientNorms(model)))
      if (layer.endsWith('weight')) norms.push({ step: info.step, layer, norm });
  };
  return { norms, record };
}

/** `fit`'s options for the plan (without the callbacks and progress of one particular run). */
function fitOptions(plan: TrainPlan, data: PreparedData, loss: LossFunction): FitOptions {
  const { flags, seed, checkpoint, resume } = plan;
  const { lr, momentum, weightDecay, patience, restarts } = plan.fit;
  return {
    loss,
    optimizer: optimizerFactory(plan.fit.optimizer, { lr, momentum, weightDecay }),
    batchSize: plan.fit.batchSize,
    epochs: plan.fit.epochs,
    maxSteps: plan.fit.maxSteps,
    l2: plan.fit.l2,
    jitter: plan.fit.jitter,
    transform: augmentation(plan.network, data),
    validation: data.validation,
    earlyStopping: patience > 0 ? { patience, restoreBestWeights: true } : undefined,
    restarts:
      restarts > 1
        ? { runs: restarts, seeds: Array.from({ length: restarts }, (_, i) => seed + i) }
        : undefined,
    seed,
    ...(checkpoint === undefined
      ? {}
      : {
          checkpoint: {
            ...checkpoint,
            meta: {
              flags: { ...flags, checkpointDir: checkpoint.dir, progress: true, resume: undefined },
            },
          },
        }),
    ...(resume === undefined ? {} : { resumeFrom: resume.checkpoint }),
  };
}

/** The message of a run stopped by Ctrl-C (or SIGTERM, SIGHUP): where its checkpoint is, if any. */
function interrupted(plan: TrainPlan, history: History, signal: StopSignal): Interrupted {
  const dir = plan.checkpoint?.dir;
  const how = signal === 'SIGINT' ? 'interrupted' : `stopped by ${signal}`;
  return new Interrupted(
    dir === undefined
      ? `${how} at step ${history.steps}; nothing saved (with --checkpoint-dir a run can be resumed)`
      : `${how} at step ${history.steps}; its checkpoint is in ${dir} — go on with: nabla train --resume ${dir}`,
    signal,
  );
}

/** Reads the data, builds the network, trains it (Ctrl-C stops after a step) and tests it. */
export function runTraining(plan: TrainPlan, log: (line: string) => void): TrainResult {
  const flat = prepareData(plan.flags.data, plan.data);
  const data = plan.network.kind === 'cnn' ? asImages(flat) : flat;
  manualSeed(plan.seed);
  const model = buildNetwork(plan.network, data);
  const loss = cliLoss(plan.fit.loss, data.classes);
  announce(plan, data, model, log);
  // The model and, with checkpoints, its copies with the optimizer's state (4 bytes a number).
  const numbers = model.numParameters() * (plan.checkpoint === undefined ? 2 : 6);
  checkRoom(plan.out, numbers * 4 + 2 ** 20);
  const { norms, record } = normRecorder(model, plan, data.train.x.shape[0]);
  // Ctrl-C, SIGTERM or SIGHUP stops after the step, saves a checkpoint (with --checkpoint-dir), exits.
  const watch = watchInterrupt();
  const onBatchEnd = (info: BatchInfo): 'stop' | undefined => {
    if (plan.flags.plots) record(info);
    return watch?.interrupted() ? 'stop' : undefined;
  };
  const history = fit(model, data.train, {
    callbacks: { onBatchEnd },
    ...fitOptions(plan, data, loss),
    ...cnnSchedule(plan, model),
    progress: plan.flags.progress ? progressBar() : undefined,
  });
  watch?.stop();
  const signal = watch?.signal();
  if (signal !== undefined) throw interrupted(plan, history, signal);
  const test = evaluate(model, data.test, { loss });
  return { data, model, history, test, norms };
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
  return oneHot(y, classes).to('float32');
}
