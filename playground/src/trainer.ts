/**
 * One training run of the playground, a step at a time: nabla's model, loss and optimizer, with
 * the lectures' regularizers (L2 penalty, dropout, jitter) and mini-batches from a seeded shuffle.
 * It runs in the worker; the tests run it in Node.
 */
import {
  Generator,
  deserializeModel,
  evalMode,
  l2Penalty,
  manualSeed,
  noGrad,
  randn,
  tensor,
  type Module,
  type Optimizer,
  type Tensor,
} from 'nabla';
import type { PointSet, Split } from './data.js';
import { featureRows } from './features.js';
import { buildModel, lossOf } from './model.js';
import { makeOptimizer, retune } from './optimizer.js';
import type { LossPoint, Weights } from './protocol.js';
import { isOneD } from './choices.js';
import { isCurve } from './rules.js';
import { layerSizes, type Settings } from './settings.js';

/** Inputs and targets of a point set as tensors, in the settings' features. */
export interface Tensors {
  x: Tensor;
  y: Tensor;
  n: number;
}

/** The features the network reads: all chosen ones, or the x₁-only ones for a regression curve. */
export function inputFeatures(s: Settings): Settings['features'] {
  return isCurve(s) ? s.features.filter(isOneD) : s.features;
}

export function toTensors(s: Settings, set: PointSet): Tensors {
  const features = inputFeatures(s);
  const n = set.labels.length;
  const x = tensor(featureRows(set.points, features)).reshape([n, features.length]);
  const y =
    s.mode === 'regression'
      ? tensor(Float32Array.from(set.labels))
      : tensor(Int32Array.from(set.labels));
  return { x, y, n };
}

export class Trainer {
  settings: Settings;
  model: Module;
  optimizer: Optimizer;
  /** Mini-batch steps taken, and full passes over the training set completed. */
  step = 0;
  epoch = 0;
  private train!: Tensors;
  private test!: Tensors;
  private readonly generator: Generator;
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;

  constructor(settings: Settings, data: Split) {
    this.settings = settings;
    // One seed makes the whole run: the initial weights, the shuffles, dropout masks and jitter.
    manualSeed(settings.seed);
    this.generator = new Generator(settings.seed);
    this.model = buildModel(settings, this.generator);
    this.optimizer = makeOptimizer(settings, this.model.parameters());
    this.setData(data);
  }

  /** New hyperparameters or data for the same network (its weights and optimizer state kept). */
  update(settings: Settings, data: Split): void {
    const previous = this.settings;
    this.settings = settings;
    if (previous.optimizer !== settings.optimizer)
      this.optimizer = makeOptimizer(settings, this.model.parameters());
    else retune(this.optimizer, settings);
    this.setData(data);
  }

  private setData(data: Split): void {
    this.train = toTensors(this.settings, data.train);
    this.test = toTensors(this.settings, data.test);
    this.order = new Int32Array(0);
    this.cursor = 0;
  }

  /** The size of a mini-batch under the settings. */
  batchSize(): number {
    const b = this.settings.batchSize;
    return b === 'full' ? this.train.n : Math.max(1, Math.min(b, this.train.n));
  }

  /** Mini-batch steps in an epoch (one pass over the training set). */
  stepsPerEpoch(): number {
    return Math.max(1, Math.ceil(this.train.n / this.batchSize()));
  }

  /** The indices of the next mini-batch; a new shuffle starts each epoch. */
  private nextBatch(): Int32Array {
    const n = this.train.n;
    const size = this.batchSize();
    if (this.cursor >= this.order.length) {
      this.order = new Int32Array(n);
      for (let i = 0; i < n; i++) this.order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = this.generator.uniformInt(i + 1);
        const t = this.order[i];
        this.order[i] = this.order[j];
        this.order[j] = t;
      }
      this.cursor = 0;
    }
    const batch = this.order.subarray(this.cursor, Math.min(n, this.cursor + size));
    this.cursor += size;
    return batch;
  }

  /** One step of gradient descent on the next mini-batch; returns the batch's loss. */
  stepOnce(): number {
    const s = this.settings;
    const idx = tensor(this.nextBatch(), { dtype: 'int32' });
    let x = this.train.x.indexSelect(0, idx);
    const y = this.train.y.indexSelect(0, idx);
    if (s.jitter > 0) x = x.add(randn(x.shape, { generator: this.generator }).mul(s.jitter));
    this.model.train();
    let loss = lossOf(s, this.model.call(x), y);
    const value = loss.item();
    const penalty = s.l2 > 0 ? l2Penalty(this.model, s.l2) : undefined;
    if (penalty !== undefined) loss = loss.add(penalty);
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    this.step++;
    // The epoch counts when its last mini-batch is done, so that Step by an epoch shows it at once.
    if (this.cursor >= this.order.length) this.epoch++;
    return value;
  }

  /** Steps to the end of the current epoch (a whole one from its start); returns the last loss. */
  stepEpoch(): number {
    let loss: number;
    do loss = this.stepOnce();
    while (this.cursor < this.order.length && Number.isFinite(loss));
    return loss;
  }

  /** The mean loss over the training and the test set (no dropout, no jitter, no penalty). */
  losses(): { train: number; test: number } {
    const { train, test } = this.evaluate();
    return { train, test };
  }

  /**
   * The mean losses, as `losses()`, and in classification the share of test points whose most
   * likely class is their label (NaN in regression or without test points).
   */
  evaluate(): { train: number; test: number; testAccuracy: number } {
    const s = this.settings;
    const run = (d: Tensors): { loss: number; accuracy: number } => {
      if (d.n === 0) return { loss: NaN, accuracy: NaN };
      const out = this.model.call(d.x);
      const loss = lossOf(s, out, d.y).item();
      if (s.mode === 'regression') return { loss, accuracy: NaN };
      const guess = out.argmax(-1).data;
      const labels = d.y.data;
      let right = 0;
      for (let i = 0; i < d.n; i++) if (guess[i] === labels[i]) right++;
      return { loss, accuracy: right / d.n };
    };
    return evalMode(this.model, () =>
      noGrad(() => {
        const test = run(this.test);
        return { train: run(this.train).loss, test: test.loss, testAccuracy: test.accuracy };
      }),
    );
  }

  lossPoint(): LossPoint {
    const { train, test } = this.losses();
    return { step: this.step, epoch: this.epoch, train, test };
  }

  /** A copy of every parameter, by name. */
  weights(): Weights {
    const out: Weights = {};
    for (const [name, t] of Object.entries(this.model.stateDict()))
      out[name] = { shape: [...t.shape], data: Float32Array.from(t.data as Float32Array) };
    return out;
  }

  /**
   * Takes the weights of a saved model (nabla's model.json and model.safetensors). Its layer sizes
   * must be those of the settings' network.
   */
  load(json: string, bytes: Uint8Array): void {
    const { model } = deserializeModel(json, bytes);
    const ours = this.model.stateDict();
    const theirs = model.stateDict();
    for (const [name, t] of Object.entries(ours)) {
      const w = theirs[name];
      if (w === undefined || w.shape.join() !== t.shape.join())
        throw new Error(
          `the saved network does not match ${layerSizes(this.settings).join('-')}: parameter ${name} is ${
            w === undefined
              ? 'missing'
              : `[${w.shape.join(', ')}], expected [${t.shape.join(', ')}]`
          }`,
        );
    }
    this.model.loadStateDict(theirs);
    this.optimizer = makeOptimizer(this.settings, this.model.parameters());
  }
}

/** Copies weights (from the worker) into a model of the same architecture. */
export function setWeights(model: Module, weights: Weights): void {
  for (const [name, p] of model.namedParameters()) {
    const w = weights[name];
    if (w !== undefined && w.data.length === p.size) (p.data as Float32Array).set(w.data);
  }
}
