import { DataLoader } from '../data/loader.js';
import type { Dataset } from '../data/dataset.js';
import { gradients } from '../autograd/engine.js';
import { noGrad } from '../autograd/mode.js';
import type { Module } from '../nn/module.js';
import { clipGradNorm, clipGradValue } from '../optim/clip.js';
import { Adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { ReduceLROnPlateau } from '../optim/schedulers.js';
import { randn } from '../tensor/creation.js';
import { engine, manualSeed } from '../tensor/state.js';
import type { GeneratorState } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { asDataset, holdOut } from './data.js';
import { evaluate, isClassification, resolveLoss } from './evaluate.js';
import { accuracy } from './metrics.js';
import { firstBadOperation, nonFiniteGradient } from './nonfinite.js';
import type { TrainingCheckpoint } from './checkpoint.js';
import { StoppingRules } from './stopping.js';
import type {
  EpochInfo,
  FitOptions,
  History,
  LossFunction,
  NonFiniteEvent,
  RestartOptions,
  RunSummary,
  StopReason,
  TrainingData,
} from './types.js';

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`fit: ${name} must be an integer ≥ 1, got ${String(value)}`);
  }
  return value;
}

function nonNegative(value: number | undefined, name: string): number {
  const v = value ?? 0;
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
    throw new RangeError(`fit: ${name} must be a number ≥ 0, got ${String(value)}`);
  return v;
}

function makeOptimizer(model: Module, options: FitOptions): Optimizer {
  const params = model.parameters();
  if (params.length === 0) throw new Error('fit: the model has no parameters to train');
  const given = options.optimizer;
  if (given === undefined) {
    const lr = options.lr ?? 1e-3;
    if (!(lr > 0) || !Number.isFinite(lr))
      throw new RangeError(`fit: lr must be a positive number, got ${String(options.lr)}`);
    return new Adam(params, { lr, weightDecay: options.weightDecay ?? 0 });
  }
  return typeof given === 'function' ? given(params) : given;
}

/**
 * The explicit L2 penalty λ/2·Σ‖W‖² over a model's weight matrices (parameters of 2 or more
 * dimensions; biases are left out), to add to a loss — what `fit`'s `l2` option adds. Undefined
 * when the model has no weight matrix.
 *
 * @example
 * const loss = crossEntropy(model.call(x), y).add(l2Penalty(model, 1e-4) ?? 0);
 */
export function l2Penalty(model: Module, lambda: number): Tensor | undefined {
  let total: Tensor | undefined;
  for (const p of model.parameters()) {
    if (p.ndim < 2) continue;
    const term = p.mul(p).sum();
    total = total === undefined ? term : total.add(term);
  }
  return total?.mul(lambda / 2);
}

function snapshot(model: Module): Map<string, Tensor> {
  return new Map(Object.entries(model.stateDict()).map(([k, t]) => [k, t.clone()]));
}

interface RunResult {
  history: History;
}

/** One training run from the model's current weights. */
function runOnce(
  model: Module,
  train: Dataset<Tensor[]>,
  validation: Dataset<Tensor[]> | undefined,
  options: FitOptions,
  optimizer: Optimizer,
  run?: { run: number; runs: number },
  resume?: { checkpoint?: TrainingCheckpoint; startGenerator: GeneratorState },
): RunResult {
  const started = performance.now();
  const epochs = positiveInteger(options.epochs ?? 10, 'epochs');
  const maxSteps =
    options.maxSteps === undefined ? Infinity : positiveInteger(options.maxSteps, 'maxSteps');
  const batchSize =
    options.batchSize === 'full'
      ? train.length
      : positiveInteger(options.batchSize ?? 32, 'batchSize');
  const jitter = nonNegative(options.jitter, 'jitter');
  const l2 = nonNegative(options.l2, 'l2');
  const loader = new DataLoader(train, {
    batchSize,
    shuffle: options.shuffle ?? true,
    generator: engine.generator,
  });
  const rules = new StoppingRules(options, validation !== undefined);
  const history: History = {
    epochs: [],
    batchLosses: [],
    stopReason: 'epochs',
    bestEpoch: undefined,
    steps: 0,
    seconds: 0,
    nonFinite: [],
  };
  const progress = options.progress;
  const onNonFinite = options.onNonFinite ?? 'stop';
  if (!['stop', 'skip', 'warn'].includes(onNonFinite))
    throw new RangeError(
      `fit: onNonFinite must be 'stop', 'skip' or 'warn', got ${JSON.stringify(onNonFinite)}`,
    );
  // Gradients are checked only when asked for: a pass over every gradient costs time each step.
  const checkGradients = options.onNonFinite !== undefined;
  const callbacks = options.callbacks ?? {};
  let lossFn: LossFunction | undefined;
  // From the data, not the first batch: a resumed epoch may have no batches left to run.
  const classification = isClassification(options.loss, train.get(0)[1]);
  let best: Map<string, Tensor> | undefined;
  let stop: StopReason | undefined;
  const saved = resume?.checkpoint;
  if (saved !== undefined) {
    model.loadStateDict(saved.model);
    optimizer.loadStateDict(saved.optimizer);
    if (saved.scheduler !== undefined) options.scheduler?.loadStateDict(saved.scheduler as never);
    rules.setState(saved.rules);
    Object.assign(history, saved.history, { nonFinite: saved.history.nonFinite ?? [] });
    if (saved.best !== undefined) best = new Map(Object.entries(saved.best));
    engine.generator.setState(saved.generator);
  }
  const priorSeconds = saved?.history.seconds ?? 0;
  const checkpoint = options.checkpoint;
  if (checkpoint !== undefined) {
    positiveInteger(checkpoint.every, 'checkpoint.every');
    if (checkpoint.save === undefined)
      throw new Error(
        'fit: checkpoint.dir needs the Node entry (import from "nabla/node"); in the core give checkpoint.save',
      );
  }
  const wasTraining = model.training;
  model.train();
  progress?.start({ epochs, batches: loader.length, samples: train.length, ...run });
  try {
    for (let epoch = saved?.epoch ?? 1; epoch <= epochs && stop === undefined; epoch++) {
      const epochStart = performance.now();
      const lr = optimizer.paramGroups[0].lr as number;
      // Going on with the epoch a checkpoint interrupted: its order, position and sums.
      const cont = saved !== undefined && epoch === saved.epoch ? saved : undefined;
      let lossSum = cont?.sums.loss ?? 0;
      let hitSum = cont?.sums.hits ?? 0;
      let seen = cont?.sums.seen ?? 0;
      let batch = cont?.batch ?? 0;
      const { order, batches } = loader.epoch(
        cont === undefined ? undefined : { order: cont.order, from: cont.batch },
      );
      for (const [xb, yb] of { [Symbol.iterator]: () => batches }) {
        batch++;
        lossFn ??= resolveLoss(options.loss, yb);
        const x =
          jitter > 0
            ? xb.add(
                randn(xb.shape, {
                  std: jitter,
                  dtype: xb.dtype === 'float64' ? 'float64' : 'float32',
                }),
              )
            : xb;
        // To skip or warn and go on exactly, a bad batch is re-run from the random state it began
        // with; stopping needs no such care (and no copy of the state at every step).
        const before = onNonFinite === 'stop' ? undefined : engine.generator.getState();
        const out = model.call(x);
        const loss = lossFn(out, yb);
        const value = loss.item();
        const step = history.steps + 1;
        const penalty = l2 > 0 ? l2Penalty(model, l2) : undefined;
        optimizer.zeroGrad();
        // A non-finite loss is still backpropagated when the user asked to warn and go on.
        if (Number.isFinite(value) || onNonFinite === 'warn')
          (penalty === undefined ? loss : loss.add(penalty)).backward();
        const bad = !Number.isFinite(value)
          ? { where: 'loss' as const, value }
          : checkGradients
            ? nonFiniteGradient(model)
            : undefined;
        let skip = false;
        if (bad !== undefined) {
          // Run the batch again under anomaly detection, from the same random state, to name the
          // first operation that produced the bad value; then carry on from where we were.
          const after = engine.generator.getState();
          if (before !== undefined) engine.generator.setState(before);
          // gradients(), not backward(): the parameters' .grad must not take this pass twice.
          const operation = firstBadOperation(() => {
            const again = lossFn!(model.call(x), yb);
            const p = l2 > 0 ? l2Penalty(model, l2) : undefined;
            gradients(p === undefined ? again : again.add(p), model.parameters(), {
              allowUnused: true,
            });
          });
          engine.generator.setState(after);
          const where =
            bad.where === 'loss' ? `the loss became ${bad.value}` : `a gradient held ${bad.value}`;
          const cause =
            operation === undefined
              ? ''
              : ` (first in the ${operation.phase} pass of ${operation.op})`;
          const message =
            `fit: ${where} at epoch ${epoch}, batch ${batch} (step ${step})${cause}; ` +
            `the learning rate (${lr}) is probably too large — try a smaller one, or clip the gradients (clipGradNorm)`;
          if (onNonFinite === 'stop') throw new Error(message);
          const event: NonFiniteEvent = {
            epoch,
            batch,
            step,
            where: bad.where,
            value: bad.value,
            ...(operation === undefined ? {} : { operation }),
            action: onNonFinite,
            message,
          };
          history.nonFinite.push(event);
          if (callbacks.onNonFinite !== undefined) callbacks.onNonFinite(event);
          else console.warn(message);
          skip = onNonFinite === 'skip';
        }
        if (skip) {
          optimizer.zeroGrad();
        } else {
          if (options.clipGradNorm !== undefined)
            clipGradNorm(model.parameters(), options.clipGradNorm);
          if (options.clipGradValue !== undefined)
            clipGradValue(model.parameters(), options.clipGradValue);
          optimizer.step();
        }
        history.steps = step;
        history.batchLosses.push(value);
        const n = xb.shape[0];
        // A skipped or warned batch whose loss was not finite does not count in the epoch's mean.
        if (Number.isFinite(value)) {
          lossSum += value * n;
          seen += n;
        }
        if (classification && Number.isFinite(value)) {
          const scores = options.loss === 'bceWithLogits' ? noGrad(() => out.sigmoid()) : out;
          hitSum += accuracy(scores, yb) * n;
        }
        const info = { epoch, batch, batches: loader.length, step, loss: value, size: n, lr };
        progress?.batch(info);
        const signal = callbacks.onBatchEnd?.(info);
        if (signal === 'stop' || signal === false) stop = 'callback';
        else if (step >= maxSteps) stop = 'maxSteps';
        if (
          checkpoint?.save !== undefined &&
          (step % checkpoint.every === 0 || stop === 'callback')
        ) {
          history.seconds = priorSeconds + (performance.now() - started) / 1000;
          const c: TrainingCheckpoint = {
            format: 'nabla-checkpoint',
            version: 1,
            epoch,
            batch,
            order: order === null ? null : order.slice(),
            sums: { loss: lossSum, hits: hitSum, seen },
            history: {
              ...history,
              epochs: history.epochs.slice(),
              batchLosses: history.batchLosses.slice(),
              nonFinite: history.nonFinite.slice(),
            },
            generator: engine.generator.getState(),
            startGenerator: resume?.startGenerator ?? engine.generator.getState(),
            rules: rules.getState(),
            optimizer: optimizer.stateDict(),
            scheduler: options.scheduler?.stateDict(),
            model: Object.fromEntries(snapshot(model)),
          };
          if (best !== undefined) c.best = Object.fromEntries(best);
          if (checkpoint.meta !== undefined) c.meta = checkpoint.meta;
          checkpoint.save(c, { epoch, batch, step });
        }
        if (stop !== undefined) break;
      }
      const seconds = (performance.now() - epochStart) / 1000;
      const info: EpochInfo = {
        epoch,
        step: history.steps,
        loss: seen > 0 ? lossSum / seen : NaN,
        lr,
        seconds,
        samplesPerSecond: seen / seconds,
      };
      if (classification) info.accuracy = hitSum / seen;
      if (validation !== undefined) {
        const v = evaluate(model, validation, { loss: options.loss });
        info.valLoss = v.loss;
        if (v.accuracy !== undefined) info.valAccuracy = v.accuracy;
      }
      history.epochs.push(info);
      if (rules.observe(info) && rules.restoreBest) best = snapshot(model);
      const scheduler = options.scheduler;
      if (scheduler instanceof ReduceLROnPlateau) scheduler.step(info.valLoss ?? info.loss);
      else scheduler?.step();
      progress?.epoch(info);
      const signal = callbacks.onEpochEnd?.(info);
      if (stop === undefined && (signal === 'stop' || signal === false)) stop = 'callback';
      stop ??= rules.check(history.epochs);
    }
  } finally {
    model.train(wasTraining);
  }
  history.stopReason = stop ?? 'epochs';
  history.bestEpoch = rules.bestEpoch;
  if (best !== undefined) model.loadStateDict(best);
  history.seconds = priorSeconds + (performance.now() - started) / 1000;
  progress?.end(history);
  callbacks.onTrainEnd?.(history);
  return { history };
}

function restartOptions(restarts: FitOptions['restarts']): RestartOptions | undefined {
  if (restarts === undefined) return undefined;
  const o = typeof restarts === 'number' ? { runs: restarts } : restarts;
  positiveInteger(o.runs, 'restarts.runs');
  if (o.seeds !== undefined && o.seeds.length < o.runs) {
    throw new RangeError(`fit: restarts.seeds has ${o.seeds.length} seeds for ${o.runs} runs`);
  }
  return o;
}

/**
 * Trains `model` on `data` by gradient descent with backpropagation: full-batch
 * (`batchSize: 'full'`), stochastic (`batchSize: 1`) or mini-batch; stopping after `epochs`, or
 * earlier by `maxSteps`, `targetLoss`, `minImprovement`, early stopping on validation loss, or a
 * callback; with optional random restarts, jitter, L2 and gradient clipping. Returns the history.
 * A NaN or infinite loss stops training with an error naming the epoch and batch.
 *
 * @example
 * const { x, y } = spiral({ samples: 300, classes: 3 });
 * const model = mlp([2, 32, 3], { activation: 'tanh' });
 * const history = fit(model, { x, y }, { epochs: 200, batchSize: 32, lr: 0.01 });
 * history.epochs.at(-1)?.accuracy; // close to 1
 */
export function fit(model: Module, data: TrainingData, options: FitOptions = {}): History {
  const from = options.resumeFrom;
  if (typeof from === 'string')
    throw new Error(
      `fit: resumeFrom as a folder (${from}) needs the Node entry (import from "nabla/node"); in the core give a checkpoint (decodeCheckpoint reads its bytes)`,
    );
  const checkpoint = from;
  if (checkpoint !== undefined) engine.generator.setState(checkpoint.startGenerator);
  else if (options.seed !== undefined) manualSeed(options.seed);
  // The generator as the run starts (before any validation split), kept in checkpoints.
  const startGenerator = engine.generator.getState();
  let train = asDataset(data, 'fit');
  let validation: Dataset<Tensor[]> | undefined;
  if (typeof options.validation === 'number')
    [train, validation] = holdOut(train, options.validation, engine.generator);
  else if (options.validation !== undefined)
    validation = asDataset(options.validation, 'fit (validation)');

  const restarts = restartOptions(options.restarts);
  if (restarts === undefined || restarts.runs === 1) {
    return runOnce(model, train, validation, options, makeOptimizer(model, options), undefined, {
      ...(checkpoint === undefined ? {} : { checkpoint }),
      startGenerator,
    }).history;
  }

  if (options.checkpoint !== undefined || checkpoint !== undefined)
    throw new Error('fit: checkpoints and resumeFrom do not combine with restarts (yet)');
  const optimizer = makeOptimizer(model, options);
  const fresh = optimizer.stateDict();
  const base = options.seed ?? engine.generator.initialSeed;
  const byValidation = (restarts.select ?? (validation ? 'validation' : 'train')) === 'validation';
  if (byValidation && validation === undefined)
    throw new Error('fit: restarts.select = validation needs validation data');
  const runs: RunSummary[] = [];
  let bestScore = Infinity;
  let bestState: Map<string, Tensor> | undefined;
  let bestHistory: History | undefined;
  let bestRun = 0;
  for (let r = 0; r < restarts.runs; r++) {
    const seed = restarts.seeds?.[r] ?? base + r;
    manualSeed(seed);
    model.resetParameters();
    optimizer.loadStateDict(fresh);
    const { history } = runOnce(model, train, validation, options, optimizer, {
      run: r + 1,
      runs: restarts.runs,
    });
    const last = history.epochs[history.epochs.length - 1];
    const summary: RunSummary = {
      run: r + 1,
      seed,
      loss: last.loss,
      epochs: history.epochs.length,
      stopReason: history.stopReason,
    };
    if (last.valLoss !== undefined) summary.valLoss = last.valLoss;
    if (last.accuracy !== undefined) summary.accuracy = last.accuracy;
    if (last.valAccuracy !== undefined) summary.valAccuracy = last.valAccuracy;
    runs.push(summary);
    const score = byValidation ? (last.valLoss ?? Infinity) : last.loss;
    if (score < bestScore || bestState === undefined) {
      bestScore = score;
      bestState = snapshot(model);
      bestHistory = history;
      bestRun = r + 1;
    }
  }
  model.loadStateDict(bestState!);
  return { ...bestHistory!, runs, bestRun };
}
