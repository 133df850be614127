import type { EarlyStoppingOptions, EpochInfo, FitOptions, StopReason } from './types.js';

/** The options the rules follow (their numbers already checked by `resolveFitOptions`). */
export type StoppingOptions = Pick<FitOptions, 'earlyStopping' | 'minImprovement' | 'targetLoss'>;

/** What the stopping rules remember between epochs (for checkpoints). */
export interface StoppingState {
  best: number;
  sinceBest: number;
  bestEpoch: number | undefined;
}

/**
 * The termination criteria of a run, checked after every epoch: they combine, and the first that
 * holds ends training. Early stopping also tracks the best epoch, whose weights `fit` restores.
 */
export class StoppingRules {
  private readonly early: Required<EarlyStoppingOptions> | undefined;
  private best = Infinity;
  private sinceBest = 0;
  bestEpoch: number | undefined;

  constructor(
    private readonly options: StoppingOptions,
    hasValidation: boolean,
  ) {
    const es = options.earlyStopping;
    if (es) {
      const o = es === true ? {} : es;
      const monitor = o.monitor ?? (hasValidation ? 'valLoss' : 'loss');
      if ((monitor === 'valLoss' || monitor === 'valAccuracy') && !hasValidation) {
        throw new Error(
          `fit: early stopping on ${monitor} needs validation data (the validation option)`,
        );
      }
      this.early = {
        patience: o.patience ?? 5,
        minDelta: o.minDelta ?? 0,
        restoreBestWeights: o.restoreBestWeights ?? true,
        monitor,
      };
    }
  }

  /** What the rules remember, for a checkpoint. */
  getState(): StoppingState {
    return { best: this.best, sinceBest: this.sinceBest, bestEpoch: this.bestEpoch };
  }

  /** Takes back what {@link getState} gave. */
  setState(s: StoppingState): void {
    this.best = s.best;
    this.sinceBest = s.sinceBest;
    this.bestEpoch = s.bestEpoch ?? undefined;
  }

  /** Whether the best weights should be put back at the end. */
  get restoreBest(): boolean {
    return this.early?.restoreBestWeights ?? false;
  }

  /** The monitored value of an epoch, as "lower is better". */
  private score(e: EpochInfo): number {
    const monitor = this.early?.monitor ?? (e.valLoss !== undefined ? 'valLoss' : 'loss');
    const v = e[monitor];
    if (v === undefined) return Infinity;
    return monitor === 'valAccuracy' || monitor === 'accuracy' ? -v : v;
  }

  /** Records an epoch; returns true when it is the best so far (its weights worth keeping). */
  observe(e: EpochInfo): boolean {
    const s = this.score(e);
    const minDelta = this.early?.minDelta ?? 0;
    if (s < this.best - minDelta || this.bestEpoch === undefined) {
      this.best = Math.min(s, this.best);
      this.bestEpoch = e.epoch;
      this.sinceBest = 0;
      return true;
    }
    this.sinceBest++;
    return false;
  }

  /** The reason to stop after the epochs so far, if any. */
  check(history: readonly EpochInfo[]): StopReason | undefined {
    const last = history[history.length - 1];
    const o = this.options;
    if (o.targetLoss !== undefined && last.loss <= o.targetLoss) return 'targetLoss';
    const mi = o.minImprovement;
    if (mi !== undefined && history.length > mi.window) {
      const before = Math.min(...history.slice(0, -mi.window).map((e) => e.loss));
      const recent = Math.min(...history.slice(-mi.window).map((e) => e.loss));
      if (before - recent < mi.delta) return 'minImprovement';
    }
    if (this.early !== undefined && this.sinceBest > 0 && this.sinceBest >= this.early.patience)
      return 'earlyStopping';
    return undefined;
  }
}
