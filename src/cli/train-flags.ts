/**
 * The flags of `nabla train`: declared for commander (with their help), then read and checked
 * into a plan before any data is read or any file written. `fit`'s numbers are checked against
 * `fit`'s own limits ({@link FIT_LIMITS}); the names an option takes come from the library's
 * tables (activations, optimizers), so the help and the check cannot disagree.
 *
 * @module
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { ACTIVATIONS, type ActivationName } from '../nn/index.js';
import type { RunDirRequest } from '../node/run-dir.js';
import { outputRequest } from './train-output.js';
import type { TrainingCheckpoint } from '../train/checkpoint.js';
import { FIT_LIMITS } from '../train/options.js';
import { checkToySize, TOY_DATASETS, type DataFlags } from './data.js';
import { choiceFlag, choiceOption, numberFlag, sizesFlag, UsageError } from './errors.js';
import { checkNetworkSize } from './network-size.js';
import { resumedFlags } from './train-resume.js';
import { MODEL_KINDS, type ModelKind } from './network.js';
import { DEFAULT_LR, defaultLrHelp, OPTIMIZER_NAMES, type OptimizerName } from './optimizer.js';

/** The flags of `nabla train`, as commander hands them over (strings, unparsed). */
export interface TrainFlags {
  data: string;
  /** mlp (default) or cnn; absent in checkpoints written before --model existed. */
  model?: string;
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
  overwrite?: boolean;
  maxSteps?: string;
  progress: boolean;
  plots?: boolean;
  /** Random crops (and flips for cifar10) of the training images; absent: on for a CNN on cifar10. */
  augment?: boolean;
  checkpointDir?: string;
  checkpointEvery?: string;
  resume?: string;
}

/** The losses `--loss` names. */
export const CLI_LOSSES = ['crossEntropy', 'mse'] as const;
export type CliLossName = (typeof CLI_LOSSES)[number];

/** The network `nabla train` builds. */
export interface NetworkPlan {
  kind: ModelKind;
  hidden: number[];
  activation: ActivationName;
  dropout: number;
  /** Augment the training images (--model cnn only). */
  augment: boolean;
}

/** How `nabla train` trains: the numbers it hands to `fit`. */
export interface FitPlan {
  optimizer: OptimizerName;
  loss: CliLossName;
  lr: number;
  momentum: number | undefined;
  weightDecay: number;
  batchSize: number | 'full';
  epochs: number;
  /** Stop after this many steps in all (--max-steps); undefined = no limit. */
  maxSteps: number | undefined;
  l2: number;
  jitter: number;
  /** Early stopping's patience; 0 = off. */
  patience: number;
  restarts: number;
}

/** Everything `nabla train` was asked to do, checked. */
export interface TrainPlan {
  /** The run's flags: as given, or as its checkpoint kept them (with --resume). */
  flags: TrainFlags;
  /** With --resume: the checkpoint and its folder. */
  resume: { checkpoint: TrainingCheckpoint; dir: string } | undefined;
  seed: number;
  data: DataFlags;
  network: NetworkPlan;
  fit: FitPlan;
  /** Where the model, history and summary go (with `output.versioned`, once claimed). */
  out: string;
  /** The directory to claim before the first step. */
  output: RunDirRequest;
  checkpoint: { dir: string; every: number } | undefined;
}

/** The flags given on the command line, by comparing with their defaults (without commander's record). */
function explicitFlags(flags: TrainFlags): string[] {
  const cmd = declareTrainFlags(new Command());
  return cmd.options
    .filter((o) => {
      const value = (flags as unknown as Record<string, unknown>)[o.attributeName()];
      return value !== undefined && value !== o.defaultValue;
    })
    .map((o) => o.long ?? o.flags);
}

/** The kind of data a default depends on. */
type DataKind = 'mnist' | 'toy' | 'other';

function dataKind(spec: string): DataKind {
  if (spec === 'mnist') return 'mnist';
  return (TOY_DATASETS as readonly string[]).includes(spec) ? 'toy' : 'other';
}

function optionalNumber(
  value: string | undefined,
  read: (v: string) => number,
): number | undefined {
  return value === undefined ? undefined : read(value);
}

function networkPlan(flags: TrainFlags, kind: DataKind): NetworkPlan {
  const model = choiceFlag(flags.model ?? 'mlp', '--model', MODEL_KINDS);
  if (model === 'cnn' && flags.hidden !== undefined)
    throw new UsageError('--hidden sets the layers of --model mlp; --model cnn has its own');
  if (model === 'mlp' && flags.augment === true)
    throw new UsageError('--augment crops and flips images for --model cnn; an MLP takes rows');
  const activation = flags.activation ?? (kind === 'toy' ? 'tanh' : 'relu');
  const hidden = sizesFlag(
    flags.hidden ?? { mnist: '256', toy: '16,16', other: '128' }[kind],
    '--hidden',
  );
  // The data's sizes where known before reading it (else 1), so the count is never overstated.
  const inputs = { mnist: 784, toy: 2, other: 1 }[kind];
  checkNetworkSize(hidden, inputs, kind === 'mnist' ? 10 : kind === 'toy' ? 2 : 1);
  const dropoutDefault = model === 'cnn' ? '0.25' : kind === 'mnist' ? '0.2' : '0';
  return {
    kind: model,
    augment: flags.augment ?? model === 'cnn',
    activation: choiceFlag(activation, '--activation', ACTIVATIONS),
    hidden,
    dropout: numberFlag(flags.dropout ?? dropoutDefault, '--dropout', {
      min: 0,
      max: 0.99,
    }),
  };
}

function fitPlan(flags: TrainFlags, kind: DataKind): FitPlan {
  const optimizer = choiceFlag(flags.optimizer, '--optimizer', OPTIMIZER_NAMES);
  const loss = choiceFlag(flags.loss, '--loss', CLI_LOSSES);
  // Toy data sets are small and easy: the adaptive optimizers' defaults would crawl there; the
  // CNN learns its augmented digits in 15 epochs at twice Adam's default.
  const cnn = flags.model === 'cnn';
  const defaultLr = Math.max(DEFAULT_LR[optimizer] * (cnn ? 2 : 1), kind === 'toy' ? 0.01 : 0);
  const full = flags.batchSize === 'full';
  return {
    optimizer,
    loss,
    lr: optionalNumber(flags.lr, (v) => numberFlag(v, '--lr', FIT_LIMITS.lr)) ?? defaultLr,
    momentum: optionalNumber(flags.momentum, (v) => numberFlag(v, '--momentum', { min: 0 })),
    batchSize: full ? 'full' : numberFlag(flags.batchSize, '--batch-size', FIT_LIMITS.batchSize),
    epochs: numberFlag(
      flags.epochs ?? (kind === 'toy' ? '300' : cnn ? '15' : '30'),
      '--epochs',
      FIT_LIMITS.epochs,
    ),
    maxSteps: optionalNumber(flags.maxSteps, (v) =>
      numberFlag(v, '--max-steps', FIT_LIMITS.maxSteps),
    ),
    weightDecay: numberFlag(flags.weightDecay, '--weight-decay', FIT_LIMITS.weightDecay),
    l2: numberFlag(flags.l2, '--l2', FIT_LIMITS.l2),
    jitter: numberFlag(flags.jitter, '--jitter', FIT_LIMITS.jitter),
    patience: numberFlag(
      flags.earlyStopping ?? (kind === 'mnist' ? '5' : '0'),
      '--early-stopping',
      FIT_LIMITS['earlyStopping.patience'],
    ),
    restarts: numberFlag(flags.restarts, '--restarts', FIT_LIMITS['restarts.runs']),
  };
}

function dataFlags(flags: TrainFlags, seed: number, kind: DataKind): DataFlags {
  const fraction = { min: 0.01, max: 0.5 };
  const samples = optionalNumber(flags.samples, (v) =>
    numberFlag(v, '--samples', { integer: true, min: 10 }),
  );
  if (kind === 'toy' && samples !== undefined) checkToySize(flags.data, samples);
  return {
    seed,
    validation: numberFlag(flags.validation, '--validation', fraction),
    test: numberFlag(flags.test, '--test', fraction),
    samples,
    noise: optionalNumber(flags.noise, (v) => numberFlag(v, '--noise', { min: 0 })),
    classes: optionalNumber(flags.classes, (v) =>
      numberFlag(v, '--classes', { integer: true, min: 2 }),
    ),
  };
}

/** Where checkpoints go (--checkpoint-dir, or <out>/checkpoints with --checkpoint-every). */
function checkpointPlan(flags: TrainFlags, out: string): TrainPlan['checkpoint'] {
  const every = optionalNumber(flags.checkpointEvery, (v) =>
    numberFlag(v, '--checkpoint-every', FIT_LIMITS['checkpoint.every']),
  );
  const dir = flags.checkpointDir ?? (every !== undefined ? join(out, 'checkpoints') : undefined);
  return dir === undefined ? undefined : { dir, every: every ?? 100 };
}

/** The plan with its output folder claimed: `out`, the checkpoints and the recorded --out follow it. */
export function placeRun(plan: TrainPlan, dir: string): TrainPlan {
  const flags = { ...plan.flags, out: dir, overwrite: undefined };
  return { ...plan, flags, out: dir, checkpoint: checkpointPlan(flags, dir) };
}

/**
 * Reads and checks every flag of `nabla train` (and, with --resume, its checkpoint). `explicit`
 * names the flags given on the command line (commander knows; else they are told from defaults).
 */
export function parseTrainFlags(given: TrainFlags, explicit?: readonly string[]): TrainPlan {
  const named = explicit ?? explicitFlags(given);
  const { flags, resume } = resumedFlags(given, named);
  try {
    return planOf(flags, resume);
  } catch (e) {
    // A resumed run's flags come from its checkpoint: a bad one there is the file's fault.
    const ours = named.some((f) => (e as Error).message.startsWith(`${f} `));
    if (resume === undefined || ours || !(e instanceof UsageError)) throw e;
    const file = resume.checkpoint.source ?? resume.dir;
    throw new UsageError(`${file}: the flags it recorded (meta.flags) do not work: ${e.message}`);
  }
}

/** The plan of a run from its flags (given, or recorded in the checkpoint it resumes). */
function planOf(flags: TrainFlags, resume: TrainPlan['resume']): TrainPlan {
  const kind = dataKind(flags.data);
  const seed = numberFlag(flags.seed, '--seed', {
    integer: true,
    min: -Number.MAX_SAFE_INTEGER,
    max: Number.MAX_SAFE_INTEGER,
  });
  const network = networkPlan(flags, kind);
  const fit = fitPlan(flags, kind);
  const data = dataFlags(flags, seed, kind);
  const output = outputRequest(
    flags,
    resume === undefined ? undefined : (resume.checkpoint.meta?.flags as TrainFlags),
  );
  const out = output.dir;
  const checkpoint = checkpointPlan(flags, out);
  if (checkpoint !== undefined && fit.restarts > 1)
    throw new UsageError(
      '--restarts does not combine with checkpoints (--checkpoint-dir, --resume)',
    );
  return { flags, resume, seed, data, network, fit, out, output, checkpoint };
}

/** The data flags: what to train on and how to split it. */
function declareDataFlags(cmd: Command): Command {
  return cmd
    .option(
      '--data <spec>',
      ['mnist', ...TOY_DATASETS, 'csv:PATH', 'idx:DIR', 'cifar10:DIR'].join(' | '),
      'mnist',
    )
    .option('--samples <n>', 'points of a toy data set (default 600)')
    .option('--noise <sigma>', 'noise of a toy data set')
    .option('--classes <n>', 'classes of spiral and gaussians')
    .option('--validation <fraction>', 'fraction held out for validation', '0.15')
    .option('--test <fraction>', 'fraction held out for testing (toy and CSV data)', '0.15');
}

/** The network's flags. */
function declareNetworkFlags(cmd: Command): Command {
  return cmd
    .addOption(
      choiceOption(
        '--model <kind>',
        'mlp, or cnn: a convolutional network (LeNet-5 for digits, a small VGG with batch norm for cifar10)',
        MODEL_KINDS,
      ).default('mlp'),
    )
    .option(
      '--hidden <sizes>',
      'hidden layer sizes, comma separated (default: 256 for mnist, 16,16 for toy data, else 128)',
    )
    .addOption(
      choiceOption(
        '--activation <name>',
        "the hidden layers' activation (default: tanh for toy data, else relu)",
        ACTIVATIONS,
      ),
    )
    .option(
      '--dropout <p>',
      'dropout after each hidden layer (default: 0.25 for --model cnn, 0.2 for mnist, else 0)',
    )
    .option(
      '--augment',
      'with --model cnn (default on): a random crop of each training image every epoch (padding 2 for digits; 4 and a horizontal flip for cifar10)',
    )
    .option('--no-augment', 'no augmentation');
}

/** The flags of the loss, the optimizer and the regularizers. */
function declareOptimizationFlags(cmd: Command): Command {
  return cmd
    .addOption(
      choiceOption(
        '--loss <name>',
        'the loss; mse = squared error on the softmax and one-hot labels',
        CLI_LOSSES,
      ).default('crossEntropy'),
    )
    .addOption(choiceOption('--optimizer <name>', 'the optimizer', OPTIMIZER_NAMES).default('adam'))
    .option(
      '--lr <rate>',
      `learning rate (default: ${defaultLrHelp()}; twice that for --model cnn; at least 0.01 for toy data)`,
    )
    .option('--momentum <beta>', 'momentum for sgd, momentum, nesterov and rmsprop')
    .option('--weight-decay <lambda>', 'L2 as weight decay in the optimizer', '0')
    .option('--l2 <lambda>', 'L2 as an explicit penalty λ/2·Σw² in the loss', '0')
    .option('--jitter <sigma>', 'Gaussian noise of this σ added to the inputs at each step', '0');
}

/** The flags of the training loop: batches, epochs, stopping, restarts. */
function declareLoopFlags(cmd: Command): Command {
  return cmd
    .option(
      '--batch-size <n>',
      'examples per step: 1 = stochastic, full = full-batch gradient descent',
      '64',
    )
    .option('--epochs <n>', 'epochs at most (default: 30; 15 for --model cnn; 300 for toy data)')
    .option('--max-steps <n>', 'stop after this many steps (mini-batches) in all')
    .option('--seed <n>', 'random seed: the same seed gives the same run', '0')
    .option(
      '--early-stopping <patience>',
      'stop after this many epochs without a better validation loss, keeping the best weights; 0 = off (default: 5 for mnist, else 0)',
    )
    .option(
      '--restarts <n>',
      'random restarts: train n times from different seeds and keep the best by validation loss',
      '1',
    );
}

/** The flags of what is written: the output folder, checkpoints, charts. */
function declareOutputFlags(cmd: Command): Command {
  return cmd
    .option(
      '--out <dir>',
      'where to write the model, history.csv and summary.json (default: a new runs/<data>/version_N, with runs/<data>/latest pointing at the last)',
    )
    .option('--overwrite', 'replace the run already in --out')
    .option('--no-progress', 'no progress bar')
    .option(
      '--checkpoint-dir <dir>',
      'save checkpoints there (default with --checkpoint-every: <out>/checkpoints)',
    )
    .option('--checkpoint-every <steps>', 'save a checkpoint every this many steps (default 100)')
    .option(
      '--resume <dir>',
      'go on with the run whose checkpoints are in <dir>, exactly where it stopped (its flags come from the checkpoint; --out, --epochs and --max-steps may change)',
    )
    .option(
      '--plots',
      'also write loss, accuracy and gradient-norm charts (and the decision boundary for 2-D data), SVG and PNG',
    );
}

/** Declares the flags of `nabla train` on its command, with their help. */
export function declareTrainFlags(cmd: Command): Command {
  return declareOutputFlags(
    declareLoopFlags(declareOptimizationFlags(declareNetworkFlags(declareDataFlags(cmd)))),
  );
}
