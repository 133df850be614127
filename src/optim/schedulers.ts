import {
  checkInteger,
  checkNonNegative,
  checkPositive,
  fail,
  formatValue,
  resolveOptions,
  subclassLabel,
  type CheckContext,
} from '../tensor/check.js';
import { Optimizer } from './optimizer.js';

export {
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  type ReduceLROnPlateauStateDict,
} from './plateau.js';

/** The default of an option without one: its check reports "got undefined" when it is left out. */
const REQUIRED = undefined as unknown as number;

/** A scheduler's snapshot: its options, the epoch count, the base and the last learning rates. */
export type LRSchedulerStateDict<O extends object = object> = O & {
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
};

/**
 * The base of the epoch-based learning-rate schedules, as PyTorch's `LRScheduler`. Construction
 * records each group's starting lr as `group.initialLr` (unless an earlier scheduler did), keeps
 * them as `baseLrs`, and takes the first step (epoch 0). Each `step()` then advances `lastEpoch`
 * and sets every `group.lr` to `getLr()`.
 *
 * Call `scheduler.step()` after `optimizer.step()`, usually once per epoch.
 *
 * A subclass passes its options (defaults filled in) to `super` and writes `checkOptions()` and
 * `getLr()`. Both run during construction already, so they should use only their arguments,
 * `this.options` and the base class's fields.
 *
 * @example
 * const w = tensor([3, -1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 30 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   opt.zeroGrad(); // an epoch of one batch: zeroGrad, backward, opt.step()
 *   w.square().sum().backward();
 *   opt.step();
 *   sched.step(); // lr 0.1 for epochs 0–29, 0.01 for 30–59, …
 * }
 */
export abstract class LRScheduler<O extends object = object> {
  /** The optimizer whose groups' `lr` this scheduler sets. */
  readonly optimizer: Optimizer;
  /** The schedule's options (read-only; replaced by `loadStateDict`). */
  options: Readonly<O>;
  /** Each group's `initialLr`, the lr the schedule starts from. */
  baseLrs: number[];
  /** The number of `step()` calls since construction (0 after construction). */
  lastEpoch = -1;
  /** The name used in messages. */
  protected readonly label: string;
  private lastLr: number[] = [];

  /**
   * @param optimizer the optimizer whose groups' lr to set
   * @param options the schedule's options, with defaults filled in (checked by `checkOptions`)
   * @param name the name for messages
   */
  constructor(optimizer: Optimizer, options: O, name?: string) {
    name = subclassLabel(
      new.target,
      LRScheduler,
      name,
      'StepLR, ExponentialLR, CosineAnnealingLR or LinearLR',
    );
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${name}: expected an Optimizer, got ${formatValue(optimizer)}`);
    }
    this.checkOptions(options, { where: name });
    this.label = name;
    this.optimizer = optimizer;
    this.options = options;
    for (const group of optimizer.paramGroups) {
      if (group.initialLr === undefined) group.initialLr = group.lr;
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.step();
  }

  /** The learning rate of each group for epoch `lastEpoch` (just advanced). */
  protected abstract getLr(): number[];

  /** Checks the options (at construction and when loading a state), throwing a clear message. */
  protected abstract checkOptions(options: O, ctx: CheckContext): void;

  /** Advances one epoch and sets each group's `lr`. */
  step(): void {
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.baseLrs.length) {
      throw new Error(
        `${this.label}: the optimizer has ${groups.length} param groups but the scheduler was made for ${this.baseLrs.length}; make the scheduler after adding all param groups`,
      );
    }
    this.lastEpoch += 1;
    const lrs = this.getLr();
    groups.forEach((group, i) => {
      group.lr = lrs[i];
    });
    this.lastLr = groups.map((g) => g.lr);
  }

  /** The learning rates this scheduler set last, one per group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** A snapshot of the scheduler (its options, `lastEpoch`, `baseLrs`, `lastLr`). */
  stateDict(): LRSchedulerStateDict<O> {
    return {
      ...this.options,
      lastEpoch: this.lastEpoch,
      baseLrs: this.baseLrs.slice(),
      lastLr: this.lastLr.slice(),
    };
  }

  /**
   * Restores a snapshot made by `stateDict()`. Group lrs are not changed: they are restored with
   * the optimizer's own `loadStateDict`, as in PyTorch.
   */
  loadStateDict(dict: LRSchedulerStateDict<O>): void {
    const where = `${this.label}.loadStateDict`;
    const ctx = { where };
    const n = this.optimizer.paramGroups.length;
    if (dict === null || typeof dict !== 'object') {
      throw new TypeError(
        `${where}: expected a state made by stateDict(), got ${formatValue(dict)}`,
      );
    }
    checkInteger(ctx, 'lastEpoch', dict.lastEpoch, 0);
    for (const key of ['baseLrs', 'lastLr'] as const) {
      const list: unknown = dict[key];
      if (!Array.isArray(list) || list.length !== n || list.some((v) => typeof v !== 'number')) {
        fail(ctx, key, `a list with one number per param group (${n})`, list);
      }
    }
    const options = {} as Record<string, unknown>;
    for (const key of Object.keys(this.options)) {
      options[key] = (dict as Record<string, unknown>)[key];
    }
    this.checkOptions(options as O, ctx);
    this.options = options as O;
    this.lastEpoch = dict.lastEpoch;
    this.baseLrs = dict.baseLrs.slice();
    this.lastLr = dict.lastLr.slice();
  }

  /** The current lr of each group. */
  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** The number of epochs between decays. */
  stepSize: number;
  /** The factor applied at each decay (default 0.1). */
  gamma: number;
}

/**
 * Multiplies the learning rate by `gamma` every `stepSize` epochs, as PyTorch's `StepLR`:
 * lr = initialLr · gamma^⌊epoch / stepSize⌋ (applied as a factor to the current lr, as PyTorch's
 * chainable form does, so it composes with changes made by other code).
 *
 * @example
 * const opt = new SGD([tensor([1, 2], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 10, gamma: 0.5 }); // halve every 10 epochs
 */
export class StepLR extends LRScheduler<StepLROptions> {
  constructor(optimizer: Optimizer, options: Partial<StepLROptions> & { stepSize: number }) {
    const o = resolveOptions('StepLR', options, { stepSize: REQUIRED, gamma: 0.1 });
    super(optimizer, o, 'StepLR');
  }

  protected override checkOptions(o: StepLROptions, ctx: CheckContext): void {
    checkInteger(ctx, 'stepSize', o.stepSize, 1);
    checkPositive(ctx, 'gamma', o.gamma);
  }

  protected override getLr(): number[] {
    const { stepSize, gamma } = this.options;
    const e = this.lastEpoch;
    const decay = e !== 0 && e % stepSize === 0;
    return this.currentLrs().map((lr) => (decay ? lr * gamma : lr));
  }
}

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** The factor applied every epoch. */
  gamma: number;
}

/**
 * Multiplies the learning rate by `gamma` every epoch, as PyTorch's `ExponentialLR`:
 * lr = initialLr · gamma^epoch (applied as a factor to the current lr, PyTorch's chainable form).
 *
 * @example
 * const opt = new SGD([tensor([1, 2], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new ExponentialLR(opt, { gamma: 0.95 });
 */
export class ExponentialLR extends LRScheduler<ExponentialLROptions> {
  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    const o = resolveOptions('ExponentialLR', options, { gamma: REQUIRED });
    super(optimizer, o, 'ExponentialLR');
  }

  protected override checkOptions(o: ExponentialLROptions, ctx: CheckContext): void {
    checkPositive(ctx, 'gamma', o.gamma);
  }

  protected override getLr(): number[] {
    const { gamma } = this.options;
    return this.currentLrs().map((lr) => (this.lastEpoch === 0 ? lr : lr * gamma));
  }
}

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** The number of epochs from the initial lr down to `etaMin`. */
  tMax: number;
  /** The smallest learning rate (default 0). */
  etaMin: number;
}

/**
 * Anneals the learning rate from its initial value to `etaMin` along half a cosine over `tMax`
 * epochs, as PyTorch's `CosineAnnealingLR` (SGDR without restarts), in its closed form:
 *
 * ```text
 * lr = etaMin + (initialLr − etaMin) · (1 + cos(π · epoch / tMax)) / 2
 * ```
 *
 * After `tMax` epochs the cosine continues, so the lr rises again (period 2·tMax), as in
 * PyTorch; stop stepping, or use `tMax` = the number of epochs. Being a closed form, it sets the
 * lr from `initialLr` each epoch, overriding changes made to `group.lr` by other code.
 *
 * @example
 * const opt = new SGD([tensor([1, 2], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler<CosineAnnealingLROptions> {
  constructor(optimizer: Optimizer, options: Partial<CosineAnnealingLROptions> & { tMax: number }) {
    const o = resolveOptions('CosineAnnealingLR', options, { tMax: REQUIRED, etaMin: 0 });
    super(optimizer, o, 'CosineAnnealingLR');
  }

  protected override checkOptions(o: CosineAnnealingLROptions, ctx: CheckContext): void {
    checkPositive(ctx, 'tMax', o.tMax);
    checkNonNegative(ctx, 'etaMin', o.etaMin);
  }

  protected override getLr(): number[] {
    const { tMax, etaMin } = this.options;
    const c = (1 + Math.cos((Math.PI * this.lastEpoch) / tMax)) / 2;
    return this.baseLrs.map((base) => etaMin + (base - etaMin) * c);
  }
}

/** Options of {@link LinearLR}. */
export interface LinearLROptions {
  /** The factor of the initial lr at epoch 0, in (0, 1] (default 1/3). */
  startFactor: number;
  /** The factor reached at `totalIters`, in [0, 1] (default 1). */
  endFactor: number;
  /** The number of epochs of the ramp (default 5). */
  totalIters: number;
}

/**
 * The linear warm-up, as PyTorch's `LinearLR`: the learning rate starts at
 * `startFactor · initialLr` and moves linearly to `endFactor · initialLr` over `totalIters`
 * epochs, then stays there:
 *
 * ```text
 * lr = initialLr · (startFactor + (endFactor − startFactor) · min(epoch, totalIters) / totalIters)
 * ```
 *
 * (applied as a ratio to the current lr each epoch, PyTorch's chainable form). With the defaults
 * the lr warms up from a third of its value to all of it over 5 epochs. Small steps at the start
 * keep Adam-like optimizers, whose first steps are large, from jumping away.
 *
 * @example
 * const opt = new SGD([tensor([1, 2], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new LinearLR(opt, { startFactor: 0.1, totalIters: 10 }); // warm up over 10 epochs
 */
export class LinearLR extends LRScheduler<LinearLROptions> {
  constructor(optimizer: Optimizer, options?: Partial<LinearLROptions>) {
    const o = resolveOptions('LinearLR', options, {
      startFactor: 1 / 3,
      endFactor: 1,
      totalIters: 5,
    });
    super(optimizer, o, 'LinearLR');
  }

  protected override checkOptions(o: LinearLROptions, ctx: CheckContext): void {
    const s = o.startFactor;
    if (typeof s !== 'number' || !(s > 0 && s <= 1)) {
      fail(ctx, 'startFactor', 'a number in (0, 1]', s);
    }
    const f = o.endFactor;
    if (typeof f !== 'number' || !(f >= 0 && f <= 1)) {
      fail(ctx, 'endFactor', 'a number in [0, 1]', f);
    }
    checkInteger(ctx, 'totalIters', o.totalIters, 1);
  }

  protected override getLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n } = this.options;
    const e = this.lastEpoch;
    const lrs = this.currentLrs();
    if (e === 0) return lrs.map((lr) => lr * s);
    if (e > n) return lrs;
    const ratio = 1 + (f - s) / (n * s + (e - 1) * (f - s));
    return lrs.map((lr) => lr * ratio);
  }
}
