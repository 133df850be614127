import { Tensor } from '../tensor/tensor.js';
import {
  checkChoice,
  checkInteger,
  checkNonNegative,
  fail,
  formatValue,
  resolveOptions,
  type CheckContext,
} from '../tensor/check.js';
import { Optimizer } from './optimizer.js';

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** 'min': the metric should fall (a loss); 'max': it should rise (an accuracy). Default 'min'. */
  mode: 'min' | 'max';
  /** The factor applied to the lr on a plateau, in [0, 1) (default 0.1). */
  factor: number;
  /** How many epochs without improvement are tolerated; the lr drops on the next one (default 10). */
  patience: number;
  /** How much better than the best a value must be to count as an improvement (default 1e-4). */
  threshold: number;
  /** 'rel': better by the fraction `threshold` of the best; 'abs': by `threshold` itself (default 'rel'). */
  thresholdMode: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown: number;
  /** The smallest lr, for all groups or one per group (default 0). */
  minLr: number | readonly number[];
  /** A reduction smaller than this is skipped (default 1e-8). */
  eps: number;
}

/** A snapshot of a {@link ReduceLROnPlateau}. */
export type ReduceLROnPlateauStateDict = ReduceLROnPlateauOptions & {
  minLrs: number[];
  best: number;
  numBadEpochs: number;
  cooldownCounter: number;
  lastEpoch: number;
  lastLr: number[];
};

const DEFAULTS: ReduceLROnPlateauOptions = {
  mode: 'min',
  factor: 0.1,
  patience: 10,
  threshold: 1e-4,
  thresholdMode: 'rel',
  cooldown: 0,
  minLr: 0,
  eps: 1e-8,
};

/**
 * Lowers the learning rate when a monitored value stops improving, as PyTorch's
 * `ReduceLROnPlateau`. Call `step(metric)` once per epoch with the value (e.g. the validation
 * loss). When `patience` epochs in a row bring no improvement, on the next such epoch each
 * group's lr becomes max(lr · factor, minLr) (skipped when the change would be below `eps`), and
 * for `cooldown` epochs afterwards bad epochs are not counted.
 *
 * A value improves on the best so far when, for mode 'min': value < best·(1 − threshold) ('rel')
 * or value < best − threshold ('abs'); for 'max': value > best·(1 + threshold) or
 * value > best + threshold. A NaN value never improves.
 *
 * Unlike the epoch-based schedules it does not extend {@link LRScheduler}, since its `step` takes
 * the metric; and as in PyTorch it does not record `initialLr`.
 *
 * @example
 * const w = tensor([3, -1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1 });
 * const sched = new ReduceLROnPlateau(opt, { patience: 5, factor: 0.5 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   opt.zeroGrad();
 *   const loss = w.square().sum();
 *   loss.backward();
 *   opt.step();
 *   sched.step(loss.item()); // in real training: the loss on the validation set
 * }
 */
export class ReduceLROnPlateau {
  /** The optimizer whose groups' `lr` this scheduler lowers. */
  readonly optimizer: Optimizer;
  /** The options (read-only; replaced by `loadStateDict`). */
  options: Readonly<ReduceLROnPlateauOptions>;
  /** The smallest lr of each group. */
  minLrs: number[];
  /** The best value seen (starts at +Infinity for 'min', −Infinity for 'max'). */
  best: number;
  /** Epochs since the last improvement (reset by a reduction and during cooldown). */
  numBadEpochs = 0;
  /** Cooldown epochs left. */
  cooldownCounter = 0;
  /** The number of `step()` calls so far. */
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: Optimizer, options?: Partial<ReduceLROnPlateauOptions>) {
    const where = 'ReduceLROnPlateau';
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${where}: expected an Optimizer, got ${formatValue(optimizer)}`);
    }
    const o = resolveOptions(where, options, DEFAULTS);
    this.optimizer = optimizer;
    this.minLrs = checkPlateau(o, { where }, optimizer.paramGroups.length);
    this.options = o;
    this.best = o.mode === 'min' ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** True while cooling down after a reduction. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether `value` counts as an improvement on `best`. */
  isBetter(value: number, best: number): boolean {
    const { mode, threshold, thresholdMode } = this.options;
    if (mode === 'min') {
      return thresholdMode === 'rel' ? value < best * (1 - threshold) : value < best - threshold;
    }
    return thresholdMode === 'rel' ? value > best * (threshold + 1) : value > best + threshold;
  }

  /** Records this epoch's value of the monitored metric, lowering the lr on a plateau. */
  step(metric: number | Tensor): void {
    const value = metric instanceof Tensor ? metric.item() : metric;
    if (typeof value !== 'number') {
      throw new TypeError(
        `ReduceLROnPlateau.step: the metric must be a number or a one-element tensor, got ${formatValue(metric)}`,
      );
    }
    this.lastEpoch += 1;
    if (this.isBetter(value, this.best)) {
      this.best = value;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs during cooldown do not count
    }
    if (this.numBadEpochs > this.options.patience) {
      this.reduceLr();
      this.cooldownCounter = this.options.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rates after the last step, one per group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** A snapshot of the options and the counters. */
  stateDict(): ReduceLROnPlateauStateDict {
    const { minLr } = this.options;
    return {
      ...this.options,
      minLr: typeof minLr === 'number' ? minLr : minLr.slice(),
      minLrs: this.minLrs.slice(),
      best: this.best,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch,
      lastLr: this.lastLr.slice(),
    };
  }

  /** Restores a snapshot made by `stateDict()` (the group lrs come from the optimizer's own). */
  loadStateDict(dict: ReduceLROnPlateauStateDict): void {
    const where = 'ReduceLROnPlateau.loadStateDict';
    const ctx = { where };
    if (dict === null || typeof dict !== 'object') {
      throw new TypeError(
        `${where}: expected a state made by stateDict(), got ${formatValue(dict)}`,
      );
    }
    const options = {} as Record<string, unknown>;
    for (const key of Object.keys(DEFAULTS)) options[key] = dict[key as keyof typeof dict];
    const o = options as unknown as ReduceLROnPlateauOptions;
    const n = this.optimizer.paramGroups.length;
    checkPlateau(o, ctx, n);
    const minLrs: unknown = dict.minLrs;
    if (!Array.isArray(minLrs) || minLrs.length !== n) {
      fail(ctx, 'minLrs', `a list with one number per param group (${n})`, minLrs);
    }
    if (typeof dict.best !== 'number') fail(ctx, 'best', 'a number', dict.best);
    checkInteger(ctx, 'numBadEpochs', dict.numBadEpochs, 0);
    checkInteger(ctx, 'cooldownCounter', dict.cooldownCounter, 0);
    checkInteger(ctx, 'lastEpoch', dict.lastEpoch, 0);
    this.options = o;
    this.minLrs = minLrs.slice();
    this.best = dict.best;
    this.numBadEpochs = dict.numBadEpochs;
    this.cooldownCounter = dict.cooldownCounter;
    this.lastEpoch = dict.lastEpoch;
    this.lastLr = Array.isArray(dict.lastLr) ? dict.lastLr.slice() : this.lastLr;
  }

  private reduceLr(): void {
    const { factor, eps } = this.options;
    this.optimizer.paramGroups.forEach((group, i) => {
      const old = group.lr;
      const lr = Math.max(old * factor, this.minLrs[i]);
      if (old - lr > eps) group.lr = lr;
    });
  }
}

/** Checks the options; returns the minimum lr of each of the `groups` param groups. */
function checkPlateau(o: ReduceLROnPlateauOptions, ctx: CheckContext, groups: number): number[] {
  checkChoice(ctx, 'mode', o.mode, ['min', 'max']);
  const f = o.factor;
  if (typeof f !== 'number' || !(f >= 0 && f < 1)) fail(ctx, 'factor', 'a number in [0, 1)', f);
  checkInteger(ctx, 'patience', o.patience, 0);
  checkNonNegative(ctx, 'threshold', o.threshold);
  checkChoice(ctx, 'thresholdMode', o.thresholdMode, ['rel', 'abs']);
  checkInteger(ctx, 'cooldown', o.cooldown, 0);
  checkNonNegative(ctx, 'eps', o.eps);
  const minLr: unknown = o.minLr;
  if (Array.isArray(minLr)) {
    if (minLr.length !== groups) {
      fail(ctx, 'minLr', `a number or a list with one number per param group (${groups})`, minLr);
    }
    return minLr.map((v: unknown, i) => checkNonNegative(ctx, `minLr[${i}]`, v));
  }
  return new Array<number>(groups).fill(checkNonNegative(ctx, 'minLr', minLr));
}
