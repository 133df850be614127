import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';
import { ReduceLROnPlateau, SGD, type Optimizer } from '../../src/optim/index.js';
import { param } from './steps.js';

const sgd = (lr = 1): Optimizer => new SGD([param([1])], { lr });

/** Steps `sched` with each metric, returning the first group's lr after each step. */
function lrsFor(sched: ReduceLROnPlateau, metrics: number[]): number[] {
  return metrics.map((m) => {
    sched.step(m);
    return sched.optimizer.paramGroups[0].lr;
  });
}

describe('ReduceLROnPlateau', () => {
  it('has PyTorch defaults', () => {
    const sched = new ReduceLROnPlateau(sgd());
    expect(sched.options).toEqual({
      mode: 'min',
      factor: 0.1,
      patience: 10,
      threshold: 1e-4,
      thresholdMode: 'rel',
      cooldown: 0,
      minLr: 0,
      eps: 1e-8,
    });
    expect(sched.best).toBe(Infinity);
    // ten bad epochs are tolerated; the eleventh lowers the lr
    expect(lrsFor(sched, [5, ...new Array(10).fill(5)])).toEqual(new Array(11).fill(1));
    sched.step(5);
    expect(sched.getLastLr()[0]).toBeCloseTo(0.1, 15);
  });

  it('lowers the lr after more than `patience` epochs without improvement', () => {
    const sched = new ReduceLROnPlateau(sgd(), { patience: 2, factor: 0.5 });
    // 10 best; 9 better; 9, 9 bad (1, 2); 9 bad (3 > 2) → 0.5; 9, 9 bad (1, 2); 9 → 0.25; 8 better
    const lrs = lrsFor(sched, [10, 9, 9, 9, 9, 9, 9, 9, 8, 8]);
    expect(lrs).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]);
    expect(sched.best).toBe(8);
    expect(sched.numBadEpochs).toBe(1);
    expect(sched.lastEpoch).toBe(10);
  });

  it('does not count bad epochs during cooldown', () => {
    const sched = new ReduceLROnPlateau(sgd(), { patience: 1, factor: 0.5, cooldown: 2 });
    // 3 best; bad 1; bad 2 > 1 → 0.5, cooldown 2; two cooldown epochs; bad 1; bad 2 → 0.25
    const lrs = lrsFor(sched, [3, 3, 3, 3, 3, 3, 3]);
    expect(lrs).toEqual([1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]);
  });

  it('threshold: relative or absolute', () => {
    const rel = new ReduceLROnPlateau(sgd(), { patience: 0, threshold: 0.1 });
    rel.step(10);
    expect(rel.isBetter(9.5, 10)).toBe(false); // needs < 10·(1 − 0.1) = 9
    expect(rel.isBetter(8.9, 10)).toBe(true);
    rel.step(9.5);
    expect(rel.getLastLr()[0]).toBeCloseTo(0.1, 15);
    const abs = new ReduceLROnPlateau(sgd(), { patience: 0, threshold: 0.1, thresholdMode: 'abs' });
    abs.step(10);
    abs.step(9.5); // < 10 − 0.1: an improvement
    expect(abs.getLastLr()).toEqual([1]);
    expect(abs.best).toBe(9.5);
  });

  it("mode 'max' watches for a rising value", () => {
    const sched = new ReduceLROnPlateau(sgd(), { mode: 'max', patience: 1, factor: 0.5 });
    expect(sched.best).toBe(-Infinity);
    const lrs = lrsFor(sched, [0.5, 0.6, 0.6, 0.55, 0.7]);
    expect(lrs).toEqual([1, 1, 1, 0.5, 0.5]);
    expect(sched.best).toBe(0.7);
  });

  it('never goes below minLr, and skips reductions smaller than eps', () => {
    const opt = new SGD([{ params: [param([1])] }, { params: [param([2])], lr: 0.01 }], { lr: 1 });
    const sched = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.1, minLr: [0.05, 0] });
    sched.step(1);
    sched.step(1);
    expect(sched.getLastLr()).toEqual([expect.closeTo(0.1, 15), expect.closeTo(0.001, 15)]);
    sched.step(1);
    expect(sched.getLastLr()).toEqual([0.05, expect.closeTo(0.0001, 15)]);
    const tiny = new ReduceLROnPlateau(sgd(1e-8), { patience: 0 });
    tiny.step(1);
    tiny.step(1); // 1e-8 → 1e-9 is a change of 9e-9 < eps: skipped
    expect(tiny.getLastLr()).toEqual([1e-8]);
  });

  it('accepts a one-element tensor as the metric', () => {
    const sched = new ReduceLROnPlateau(sgd(), { patience: 0 });
    sched.step(tensor(2));
    expect(sched.best).toBe(2);
  });

  it('stateDict / loadStateDict carry the counters over', () => {
    const a = new ReduceLROnPlateau(sgd(), { patience: 3, cooldown: 1 });
    lrsFor(a, [5, 4, 4, 4]);
    const saved = a.stateDict();
    expect(saved).toMatchObject({ best: 4, numBadEpochs: 2, lastEpoch: 4, patience: 3 });
    const b = new ReduceLROnPlateau(sgd());
    b.loadStateDict(saved);
    expect(lrsFor(b, [4, 4, 4])).toEqual(lrsFor(a, [4, 4, 4]));
  });

  it('refuses bad options', () => {
    const opt = sgd();
    expect(() => new ReduceLROnPlateau(opt, { factor: 1 })).toThrow(
      'ReduceLROnPlateau: factor must be a number in [0, 1), got 1',
    );
    expect(() => new ReduceLROnPlateau(opt, { mode: 'up' as 'min' })).toThrow(
      'ReduceLROnPlateau: mode must be one of "min", "max", got "up"',
    );
    expect(() => new ReduceLROnPlateau(opt, { patience: -1 })).toThrow(
      'ReduceLROnPlateau: patience must be an integer >= 0, got -1',
    );
    expect(() => new ReduceLROnPlateau(opt, { minLr: [0, 0] })).toThrow(
      'ReduceLROnPlateau: minLr must be a number or a list with one number per param group (1), got [0, 0]',
    );
    expect(() => new ReduceLROnPlateau(opt, { thresholdMode: 'x' as 'abs' })).toThrow(
      'ReduceLROnPlateau: thresholdMode must be one of "rel", "abs", got "x"',
    );
  });
});
