/**
 * One training run from the model's current weights (or from a checkpoint), step by step: an
 * epoch starts, each batch goes forward and backward, a NaN or ±Infinity is dealt with, the
 * gradients are clipped and the optimizer steps, the metrics are recorded, a checkpoint may be
 * saved, and the epoch ends with its numbers, the schedule and the stopping rules.
 *
 * @module
 */
import type { Dataset } from '../data/dataset.js';
import { DataLoader } from '../data/loader.js';
import { gradients } from '../autograd/engine.js';
import { noGrad } from '../autograd/mode.js';
import type { Module } from '../nn/module.js';
import { clipGradNorm, clipGradValue } from '../optim/clip.js';
import type { Optimizer } from '../optim/optimizer.js';
import { ReduceLROnPlateau } from '../optim/schedulers.js';
import { randn } from '../tensor/creation.js';
import type { GeneratorState } from '../tensor/random.js';
import { engine } from '../tensor/state.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  CHECKPOINT_VERSION,
  restoreCheckpoint,
  snapshot,
  type TrainingCheckpoint,
} from './checkpoint.js';
import { evaluate, isClassification, resolveLoss } from './evaluate.js';
import { accuracy } from './metrics.js';
import {
  firstBadOperation,
  nonFiniteEvent,
  nonFiniteGradient,
  nonFiniteInBatch,
  nonFiniteMessage,
  checkStartingWeights,
  checkValidationLoss,
  weightsFinite,
  type NonFiniteValue,
} from './nonfinite.js';
import type { ResolvedFitOptions } from './options.js';
import { l2Penalty } from './penalty.js';
import type { BatchPass, EpochState } from './run-state.js';
import { StoppingRules } from './stopping.js';
import type { BatchInfo, EpochInfo, History, LossFunction, StopReason } from './types.js';

/** What a run trains, with what, and where it starts. */
export interface RunSetup {
  readonly model: Module;
  readonly train: Dataset<Tensor[]>;
  readonly validation: Dataset<Tensor[]> | undefined;
  readonly options: ResolvedFitOptions;
  readonly optimizer: Optimizer;
  /** Which of several random restarts this is. */
  readonly run?: { run: number; runs: number };
  /** The checkpoint to go on from, and the generator's state as `fit` began (kept in checkpoints). */
  readonly resume?: { checkpoint?: TrainingCheckpoint; startGenerator: GeneratorState };
}

/** A training run: `new TrainingRun(setup).run()` trains and returns the history. */
export class TrainingRun {
  private readonly started = performance.now();
  private readonly loader: DataLoader<Tensor[]>;
  private readonly rules: StoppingRules;
  /** From the data, not the first batch: a resumed epoch may have no batches left to run. */
  private readonly classification: boolean;
  private readonly saved: TrainingCheckpoint | undefined;
  private readonly history: History = {
    epochs: [],
    batchLosses: [],
    stopReason: 'epochs',
    bestEpoch: undefined,
    steps: 0,
    seconds: 0,
    nonFinite: [],
  };
  private lossFn: LossFunction | undefined;
  private best: Map<string, Tensor> | undefined;
  private stop: StopReason | undefined;

  constructor(private readonly setup: RunSetup) {
    const { train, options } = setup;
    this.loader = new DataLoader(train, {
      batchSize: options.batchSize === 'full' ? train.length : options.batchSize,
      shuffle: options.shuffle,
      generator: engine.generator,
      transform: options.transform,
    });
    this.rules = new StoppingRules(options, setup.validation !== undefined);
    this.classification = isClassification(options.loss, train.get(0)[1]);
    this.saved = setup.resume?.checkpoint;
  }

  /** Trains to the end (or until a rule or a callback stops it) and returns the history. */
  run(): History {
    const { model, options, train } = this.setup;
    this.resume();
    if (options.onNonFinite === 'stop') checkStartingWeights(model, this.saved !== undefined);
    const wasTraining = model.training;
    model.train();
    options.progress?.start({
      epochs: options.epochs,
      batches: this.loader.length,
      samples: train.length,
      ...this.setup.run,
    });
    try {
      try {
        // A resumed run goes on with the epoch its checkpoint interrupted.
        let epoch = this.saved?.epoch ?? 1;
        while (epoch <= options.epochs && this.stop === undefined) this.runEpoch(epoch++);
      } finally {
        model.train(wasTraining);
      }
      return this.finish();
    } catch (e) {
      // The progress display ends before the error is reported (its line is not left half-drawn).
      options.progress?.end(this.history);
      throw e;
    }
  }

  /** Puts back everything a checkpoint holds, to go on exactly where it was written. */
  private resume(): void {
    const saved = this.saved;
    if (saved === undefined) return;
    const { model, optimizer, options } = this.setup;
    const { scheduler, transform } = options;
    const target = { model, optimizer, scheduler, rules: this.rules, transform };
    this.best = restoreCheckpoint(saved, { ...target, history: this.history });
  }

  private runEpoch(epoch: number): void {
    const { state, batches } = this.startEpoch(epoch);
    for (const [x, y] of { [Symbol.iterator]: () => batches }) {
      this.batch(state, x, y);
      if (this.stop !== undefined) break;
    }
    this.endEpoch(state);
  }

  /** The epoch's order and its sums so far: zero, or where a checkpoint interrupted it. */
  private startEpoch(epoch: number): { state: EpochState; batches: Iterator<Tensor[]> } {
    const started = performance.now();
    const lr = this.setup.optimizer.paramGroups[0].lr as number;
    const cont = this.saved !== undefined && epoch === this.saved.epoch ? this.saved : undefined;
    const { order, batches } = this.loader.epoch(
      cont === undefined ? undefined : { order: cont.order, from: cont.batch },
    );
    const state: EpochState = {
      epoch,
      lr,
      started,
      order,
      batch: cont?.batch ?? 0,
      lossSum: cont?.sums.loss ?? 0,
      hitSum: cont?.sums.hits ?? 0,
      seen: cont?.sums.seen ?? 0,
    };
    return { state, batches };
  }

  /** One step: forward and backward, a bad value dealt with, the update, the numbers. */
  private batch(e: EpochState, xb: Tensor, yb: Tensor): void {
    e.batch++;
    const pass = this.forwardBackward(xb, yb);
    const bad = this.findNonFinite(pass.value);
    const skip = bad !== undefined && this.recoverNonFinite(e, pass, bad);
    if (skip) this.setup.optimizer.zeroGrad();
    else this.clipAndStep();
    this.recordMetrics(e, pass);
    this.endBatch(e, pass);
    this.maybeCheckpoint(e, pass.step);
  }

  /** The inputs with Gaussian noise of σ `jitter` (or as they are). */
  private jittered(x: Tensor): Tensor {
    const std = this.setup.options.jitter;
    if (!(std > 0)) return x;
    return x.add(randn(x.shape, { std, dtype: x.dtype === 'float64' ? 'float64' : 'float32' }));
  }

  /** The loss with the explicit L2 penalty, when there is one. */
  private penalized(loss: Tensor): Tensor {
    const l2 = this.setup.options.l2;
    const penalty = l2 > 0 ? l2Penalty(this.setup.model, l2) : undefined;
    return penalty === undefined ? loss : loss.add(penalty);
  }

  private forwardBackward(xb: Tensor, y: Tensor): BatchPass {
    const { model, optimizer, options } = this.setup;
    this.lossFn ??= resolveLoss(options.loss, y);
    const x = this.jittered(xb);
    // To skip or warn and go on exactly, a bad batch is re-run from the random state it began
    // with; stopping needs no such care (and no copy of the state at every step).
    const before = options.onNonFinite === 'stop' ? undefined : engine.generator.getState();
    const out = model.call(x);
    const loss = this.lossFn(out, y);
    const value = loss.item();
    const total = this.penalized(loss);
    optimizer.zeroGrad();
    // A non-finite loss is still backpropagated when the user asked to warn and go on.
    if (Number.isFinite(value) || options.onNonFinite === 'warn') total.backward();
    const step = this.history.steps + 1;
    return { x, y, out, value, step, size: xb.shape[0], before };
  }

  /** A NaN or ±Infinity in the loss — or, when asked to check them, in a gradient. */
  private findNonFinite(value: number): NonFiniteValue | undefined {
    if (!Number.isFinite(value)) return { where: 'loss', value };
    return this.setup.options.checkGradients ? nonFiniteGradient(this.setup.model) : undefined;
  }

  /**
   * Runs the batch again under anomaly detection, from the random state it began with, to name
   * the first operation that produced the bad value; then stops (throws), or reports it and says
   * whether to skip the step.
   */
  private recoverNonFinite(e: EpochState, pass: BatchPass, bad: NonFiniteValue): boolean {
    const { model, options } = this.setup;
    // gradients(), not backward(): the parameters' .grad must not take this pass twice.
    const operation = firstBadOperation(() => {
      const again = this.penalized(this.lossFn!(model.call(pass.x), pass.y));
      gradients(again, model.parameters(), { allowUnused: true });
    }, pass.before);
    const at = { epoch: e.epoch, batch: e.batch, step: pass.step, lr: e.lr };
    const first = (e.batch - 1) * this.loader.batchSize;
    const cause =
      bad.where === 'loss' ? nonFiniteInBatch(pass.x, pass.y, first, e.order) : undefined;
    if (options.onNonFinite === 'stop')
      throw new Error(nonFiniteMessage(bad, operation, at, cause));
    const event = nonFiniteEvent(bad, operation, at, options.onNonFinite, cause);
    this.history.nonFinite.push(event);
    if (options.callbacks.onNonFinite !== undefined) options.callbacks.onNonFinite(event);
    else console.warn(event.message);
    return options.onNonFinite === 'skip';
  }

  private clipAndStep(): void {
    const { model, optimizer, options } = this.setup;
    if (options.clipGradNorm !== undefined) clipGradNorm(model.parameters(), options.clipGradNorm);
    if (options.clipGradValue !== undefined)
      clipGradValue(model.parameters(), options.clipGradValue);
    optimizer.step();
  }

  /** The step's loss in the history, and in the epoch's sums when it is finite. */
  private recordMetrics(e: EpochState, pass: BatchPass): void {
    const { value, size } = pass;
    this.history.steps = pass.step;
    this.history.batchLosses.push(value);
    // A skipped or warned batch whose loss was not finite does not count in the epoch's mean.
    if (!Number.isFinite(value)) return;
    e.lossSum += value * size;
    e.seen += size;
    if (this.classification) {
      const bce = this.setup.options.loss === 'bceWithLogits';
      const scores = bce ? noGrad(() => pass.out.sigmoid()) : pass.out;
      e.hitSum += accuracy(scores, pass.y) * size;
    }
  }

  /** Progress, the batch callback, and whether to stop (a callback, or `maxSteps`). */
  private endBatch(e: EpochState, pass: BatchPass): void {
    const { options } = this.setup;
    const { step, value: loss, size } = pass;
    const info: BatchInfo = {
      epoch: e.epoch,
      batch: e.batch,
      batches: this.loader.length,
      step,
      loss,
      size,
      lr: e.lr,
    };
    options.progress?.batch(info);
    const signal = options.callbacks.onBatchEnd?.(info);
    if (signal === 'stop' || signal === false) this.stop = 'callback';
    else if (step >= options.maxSteps) this.stop = 'maxSteps';
  }

  /** Saves a checkpoint every `checkpoint.every` steps, and when a callback stops the run. */
  private maybeCheckpoint(e: EpochState, step: number): void {
    const checkpoint = this.setup.options.checkpoint;
    if (checkpoint?.save === undefined) return;
    if (step % checkpoint.every !== 0 && this.stop !== 'callback') return;
    // Never a checkpoint of non-finite weights: the last good one stays in place.
    const when = `at step ${step} (epoch ${e.epoch}, batch ${e.batch}); no checkpoint was written, the last good one is kept`;
    const { model, options } = this.setup;
    if (!weightsFinite(model, when, e.lr, options.onNonFinite === 'stop')) return;
    this.history.seconds = this.seconds();
    checkpoint.save(this.checkpoint(e), { epoch: e.epoch, batch: e.batch, step });
  }

  /** Everything needed to go on from here exactly (copies, so that training can go on). */
  private checkpoint(e: EpochState): TrainingCheckpoint {
    const { model, optimizer, options } = this.setup;
    const h = this.history;
    const c: TrainingCheckpoint = {
      format: 'nabla-checkpoint',
      version: CHECKPOINT_VERSION,
      epoch: e.epoch,
      batch: e.batch,
      order: e.order === null ? null : e.order.slice(),
      sums: { loss: e.lossSum, hits: e.hitSum, seen: e.seen },
      history: {
        ...h,
        epochs: h.epochs.slice(),
        batchLosses: h.batchLosses.slice(),
        nonFinite: h.nonFinite.slice(),
      },
      generator: engine.generator.getState(),
      startGenerator: this.setup.resume?.startGenerator ?? engine.generator.getState(),
      rules: this.rules.getState(),
      optimizer: optimizer.stateDict(),
      scheduler: options.scheduler?.stateDict(),
      model: Object.fromEntries(snapshot(model)),
    };
    if (this.best !== undefined) c.best = Object.fromEntries(this.best);
    if (options.checkpoint?.meta !== undefined) c.meta = options.checkpoint.meta;
    if (options.transform !== undefined) c.transform = options.transform.toConfig();
    return c;
  }

  /** The epoch's numbers, validation, the best weights, the schedule, callbacks, stopping. */
  private endEpoch(e: EpochState): void {
    const { model, options } = this.setup;
    const info = this.epochInfo(e);
    const { validation } = this.setup;
    if (options.onNonFinite === 'stop' && validation !== undefined)
      checkValidationLoss(model, validation, info);
    this.history.epochs.push(info);
    if (this.rules.observe(info) && this.rules.restoreBest) this.best = snapshot(model);
    const scheduler = options.scheduler;
    if (scheduler instanceof ReduceLROnPlateau) scheduler.step(info.valLoss ?? info.loss);
    else scheduler?.step();
    options.progress?.epoch(info);
    const signal = options.callbacks.onEpochEnd?.(info);
    if (this.stop === undefined && (signal === 'stop' || signal === false)) this.stop = 'callback';
    this.stop ??= this.rules.check(this.history.epochs);
  }

  private epochInfo(e: EpochState): EpochInfo {
    const { model, validation, options } = this.setup;
    const seconds = (performance.now() - e.started) / 1000;
    const info: EpochInfo = {
      epoch: e.epoch,
      step: this.history.steps,
      loss: e.seen > 0 ? e.lossSum / e.seen : NaN,
      lr: e.lr,
      seconds,
      samplesPerSecond: e.seen / seconds,
    };
    if (this.classification) info.accuracy = e.hitSum / e.seen;
    if (validation !== undefined) {
      const v = evaluate(model, validation, { loss: options.loss });
      info.valLoss = v.loss;
      if (v.accuracy !== undefined) info.valAccuracy = v.accuracy;
    }
    return info;
  }

  /** Seconds of training so far, with those before the checkpoint it resumed from. */
  private seconds(): number {
    return (this.saved?.history.seconds ?? 0) + (performance.now() - this.started) / 1000;
  }

  private finish(): History {
    const { model, options } = this.setup;
    const history = this.history;
    history.stopReason = this.stop ?? 'epochs';
    history.bestEpoch = this.rules.bestEpoch;
    if (this.best !== undefined) model.loadStateDict(this.best);
    const lr = this.setup.optimizer.paramGroups[0].lr as number;
    const stop = options.onNonFinite === 'stop';
    weightsFinite(model, `by the end of training (step ${history.steps})`, lr, stop);
    history.seconds = this.seconds();
    options.progress?.end(history);
    options.callbacks.onTrainEnd?.(history);
    return history;
  }
}
