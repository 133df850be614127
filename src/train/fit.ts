import type { Dataset } from '../data/dataset.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { checkObject } from '../tensor/check.js';
import { engine, manualSeed } from '../tensor/state.js';
import type { GeneratorState } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkModule } from './arguments.js';
import { asDataset, holdOut } from './data.js';
import { makeOptimizer, resolveFitOptions, type ResolvedFitOptions } from './options.js';
import { snapshot } from './checkpoint.js';
import { TrainingRun } from './run.js';
import type { FitOptions, History, RestartOptions, RunSummary, TrainingData } from './types.js';

/** The training and validation data: given, or a fraction held out of the training data. */
function splitData(
  data: TrainingData,
  options: ResolvedFitOptions,
): { train: Dataset<Tensor[]>; validation: Dataset<Tensor[]> | undefined } {
  const train = asDataset(data, 'fit');
  const v = options.validation;
  if (typeof v === 'number') {
    const [rest, validation] = holdOut(train, v, engine.generator);
    return { train: rest, validation };
  }
  return { train, validation: v === undefined ? undefined : asDataset(v, 'fit (validation)') };
}

/** One run's final numbers, for the list of restarts. */
function summarize(run: number, seed: number, history: History): RunSummary {
  const last = history.epochs[history.epochs.length - 1];
  const summary: RunSummary = {
    run,
    seed,
    loss: last.loss,
    epochs: history.epochs.length,
    stopReason: history.stopReason,
  };
  if (last.valLoss !== undefined) summary.valLoss = last.valLoss;
  if (last.accuracy !== undefined) summary.accuracy = last.accuracy;
  if (last.valAccuracy !== undefined) summary.valAccuracy = last.valAccuracy;
  return summary;
}

/** Random restarts: a run from each seed, keeping the weights and history of the best. */
function withRestarts(
  model: Module,
  data: { train: Dataset<Tensor[]>; validation: Dataset<Tensor[]> | undefined },
  options: ResolvedFitOptions,
  restarts: RestartOptions,
): History {
  if (options.checkpoint !== undefined || options.resumeFrom !== undefined)
    throw new Error('fit: checkpoints and resumeFrom do not combine with restarts (yet)');
  const optimizer = makeOptimizer(model.parameters(), options);
  const fresh = optimizer.stateDict();
  const base = options.seed ?? engine.generator.initialSeed;
  const byValidation =
    (restarts.select ?? (data.validation ? 'validation' : 'train')) === 'validation';
  if (byValidation && data.validation === undefined)
    throw new Error('fit: restarts.select = validation needs validation data');
  const runs: RunSummary[] = [];
  let best:
    { score: number; state: Map<string, Tensor>; history: History; run: number } | undefined;
  for (let r = 0; r < restarts.runs; r++) {
    const seed = restarts.seeds?.[r] ?? base + r;
    manualSeed(seed);
    model.resetParameters();
    optimizer.loadStateDict(fresh);
    const run = { run: r + 1, runs: restarts.runs };
    const history = new TrainingRun({ model, ...data, options, optimizer, run }).run();
    const summary = summarize(r + 1, seed, history);
    runs.push(summary);
    const score = byValidation ? (summary.valLoss ?? Infinity) : summary.loss;
    if (best === undefined || score < best.score)
      best = { score, state: snapshot(model), history, run: r + 1 };
  }
  model.loadStateDict(best!.state);
  return { ...best!.history, runs, bestRun: best!.run };
}

/** One run, from the model's weights or from a checkpoint. */
function single(
  model: Module,
  data: { train: Dataset<Tensor[]>; validation: Dataset<Tensor[]> | undefined },
  options: ResolvedFitOptions,
  optimizer: Optimizer,
  startGenerator: GeneratorState,
): History {
  const checkpoint = options.resumeFrom;
  const resume = { ...(checkpoint === undefined ? {} : { checkpoint }), startGenerator };
  return new TrainingRun({ model, ...data, options, optimizer, resume }).run();
}

/**
 * Trains `model` on `data` by gradient descent with backpropagation: full-batch
 * (`batchSize: 'full'`), stochastic (`batchSize: 1`) or mini-batch; stopping after `epochs`, or
 * earlier by `maxSteps`, `targetLoss`, `minImprovement`, early stopping on validation loss, or a
 * callback; with optional random restarts, jitter, L2 and gradient clipping. Returns the history.
 * A NaN or infinite loss stops training with an error naming the epoch, the batch and the likely
 * cause (NaN in the data, or a learning rate too large); so do weights that are not finite before
 * training, before a checkpoint, at the end of training, or a validation loss that is not.
 *
 * @example
 * const { x, y } = datasets.spiral({ samples: 300, classes: 3 });
 * const model = mlp([2, 32, 3], { activation: 'tanh' });
 * const history = fit(model, { x, y }, { epochs: 200, batchSize: 32, lr: 0.01 });
 * history.epochs.at(-1)?.accuracy; // close to 1
 */
export function fit(model: Module, data: TrainingData, options: FitOptions = {}): History {
  checkModule('fit', 'model', model);
  checkObject({ where: 'fit' }, 'options', options);
  const o = resolveFitOptions(options);
  const checkpoint = o.resumeFrom;
  if (checkpoint !== undefined) engine.generator.setState(checkpoint.startGenerator);
  else if (o.seed !== undefined) manualSeed(o.seed);
  // The generator as the run starts (before any validation split), kept in checkpoints.
  const startGenerator = engine.generator.getState();
  const split = splitData(data, o);
  if (o.restarts === undefined || o.restarts.runs === 1)
    return single(model, split, o, makeOptimizer(model.parameters(), o), startGenerator);
  return withRestarts(model, split, o, o.restarts);
}
