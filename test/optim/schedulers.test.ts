import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';
import {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  LRScheduler as Scheduler,
  SGD,
  StepLR,
  type LRScheduler,
  type Optimizer,
} from '../../src/optim/index.js';
import { param } from './steps.js';

/** An optimizer with two groups, lr 0.1 and 0.02. */
const twoGroups = (): Optimizer =>
  new SGD([{ params: [param([1])] }, { params: [param([2])], lr: 0.02 }], { lr: 0.1 });
const BASES = [0.1, 0.02];

/** The lrs after construction (epoch 0) and after each of `epochs` steps. */
function lrsOver(sched: LRScheduler, epochs: number): number[][] {
  const out = [sched.getLastLr()];
  for (let e = 1; e <= epochs; e++) {
    sched.step();
    out.push(sched.getLastLr());
    expect(sched.optimizer.paramGroups.map((g) => g.lr)).toEqual(sched.getLastLr());
  }
  return out;
}

function expectLrs(got: number[][], closedForm: (base: number, epoch: number) => number): void {
  got.forEach((lrs, e) =>
    lrs.forEach((lr, i) =>
      expect(lr, `epoch ${e}, group ${i}`).toBeCloseTo(closedForm(BASES[i], e), 12),
    ),
  );
}

describe('epoch schedules', () => {
  it('StepLR: lr = base · γ^⌊epoch / stepSize⌋', () => {
    const got = lrsOver(new StepLR(twoGroups(), { stepSize: 3, gamma: 0.5 }), 10);
    expectLrs(got, (base, e) => base * 0.5 ** Math.floor(e / 3));
    expect(got[3][0]).toBe(0.05);
  });

  it('StepLR has gamma 0.1 by default', () => {
    const got = lrsOver(new StepLR(twoGroups(), { stepSize: 2 }), 6);
    expectLrs(got, (base, e) => base * 0.1 ** Math.floor(e / 2));
  });

  it('ExponentialLR: lr = base · γ^epoch', () => {
    const got = lrsOver(new ExponentialLR(twoGroups(), { gamma: 0.9 }), 10);
    expectLrs(got, (base, e) => base * 0.9 ** e);
  });

  it('CosineAnnealingLR: lr = ηmin + (base − ηmin)(1 + cos(π·epoch/tMax))/2, rising again after tMax', () => {
    const etaMin = 0.001;
    const got = lrsOver(new CosineAnnealingLR(twoGroups(), { tMax: 10, etaMin }), 14);
    expectLrs(
      got,
      (base, e) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * e) / 10))) / 2,
    );
    expect(got[10][0]).toBeCloseTo(etaMin, 15);
    expect(got[5][0]).toBeCloseTo((0.1 + etaMin) / 2, 15);
    expect(got[12][0]).toBeGreaterThan(got[11][0]);
  });

  it('CosineAnnealingLR has etaMin 0 by default', () => {
    const got = lrsOver(new CosineAnnealingLR(twoGroups(), { tMax: 4 }), 4);
    expectLrs(got, (base, e) => (base * (1 + Math.cos((Math.PI * e) / 4))) / 2);
    expect(got[4][0]).toBeCloseTo(0, 15);
  });

  it('LinearLR warms up from a third of the lr over 5 epochs by default', () => {
    const got = lrsOver(new LinearLR(twoGroups()), 10);
    expectLrs(got, (base, e) => base * (1 / 3 + ((1 - 1 / 3) * Math.min(e, 5)) / 5));
    expect(got[0][0]).toBeCloseTo(0.1 / 3, 15);
    expect(got[10][0]).toBeCloseTo(0.1, 15);
  });

  it('LinearLR with its own factors', () => {
    const got = lrsOver(
      new LinearLR(twoGroups(), { startFactor: 0.1, endFactor: 0.5, totalIters: 4 }),
      10,
    );
    expectLrs(got, (base, e) => base * (0.1 + (0.4 * Math.min(e, 4)) / 4));
  });

  it('LinearLR can also decay (endFactor below startFactor)', () => {
    const got = lrsOver(
      new LinearLR(twoGroups(), { startFactor: 1, endFactor: 0, totalIters: 4 }),
      6,
    );
    expectLrs(got, (base, e) => base * (1 - Math.min(e, 4) / 4));
  });

  it('the optimizer steps with the scheduled lr', () => {
    const p = param([1]);
    const opt = new SGD([p], { lr: 0.3 });
    const sched = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
    p.grad = tensor([1], { dtype: 'float64' });
    opt.step();
    expect(p.item()).toBeCloseTo(1 - 0.15, 15);
    sched.step();
    opt.step();
    expect(p.item()).toBeCloseTo(1 - 0.15 - 0.225, 15);
  });

  it('records initialLr once; a second scheduler starts from it', () => {
    const opt = twoGroups();
    new StepLR(opt, { stepSize: 1, gamma: 0.5 }).step(); // lr now 0.05 and 0.01
    expect(opt.paramGroups.map((g) => g.initialLr)).toEqual(BASES);
    const cosine = new CosineAnnealingLR(opt, { tMax: 10 });
    expect(cosine.baseLrs).toEqual(BASES);
    expect(cosine.getLastLr()).toEqual(BASES);
  });

  it('StepLR and ExponentialLR scale the current lr (PyTorch’s chainable form)', () => {
    const opt = twoGroups();
    const sched = new ExponentialLR(opt, { gamma: 0.5 });
    opt.paramGroups[0].lr = 1;
    sched.step();
    expect(sched.getLastLr()).toEqual([0.5, 0.01]);
  });

  it('stateDict / loadStateDict continue the schedule', () => {
    const a = new CosineAnnealingLR(twoGroups(), { tMax: 10, etaMin: 0.01 });
    for (let i = 0; i < 3; i++) a.step();
    const saved = a.stateDict();
    expect(saved).toMatchObject({ tMax: 10, etaMin: 0.01, lastEpoch: 3, baseLrs: BASES });
    const b = new CosineAnnealingLR(twoGroups(), { tMax: 99 });
    b.loadStateDict(saved);
    expect(b.options).toEqual({ tMax: 10, etaMin: 0.01 });
    a.step();
    b.step();
    expect(b.getLastLr()).toEqual(a.getLastLr());

    const s = new StepLR(twoGroups(), { stepSize: 2 });
    expect(() => s.loadStateDict({ ...s.stateDict(), baseLrs: [0.1] })).toThrow(
      'StepLR.loadStateDict: baseLrs must be a list with one number per param group (2), got [0.1]',
    );
    expect(() => s.loadStateDict({ ...s.stateDict(), stepSize: 0 })).toThrow(
      'StepLR.loadStateDict: stepSize must be a positive integer, got 0',
    );
  });

  it('refuses bad options with clear messages', () => {
    const opt = twoGroups();
    expect(() => new StepLR(opt, {} as { stepSize: number })).toThrow(
      'StepLR: stepSize must be a positive integer, got undefined',
    );
    expect(() => new StepLR(opt, { stepSize: 2, gamma: -1 })).toThrow(
      'StepLR: gamma must be a positive number, got -1',
    );
    expect(() => new ExponentialLR(opt, { gamma: NaN })).toThrow(
      'ExponentialLR: gamma must be a positive number, got NaN',
    );
    expect(() => new CosineAnnealingLR(opt, { tMax: 0 })).toThrow(
      'CosineAnnealingLR: tMax must be a positive number, got 0',
    );
    expect(() => new LinearLR(opt, { startFactor: 0 })).toThrow(
      'LinearLR: startFactor must be a number in (0, 1], got 0',
    );
    expect(() => new LinearLR(opt, { endFactor: 1.5 })).toThrow(
      'LinearLR: endFactor must be a number in [0, 1], got 1.5',
    );
    expect(() => new LinearLR(opt, { totalIters: 2.5 })).toThrow(
      'LinearLR: totalIters must be a positive integer, got 2.5',
    );
    expect(() => new StepLR({} as Optimizer, { stepSize: 1 })).toThrow(
      'StepLR: expected an Optimizer, got Object',
    );
  });

  it('refuses to step after param groups were added', () => {
    const opt = new SGD([param([1])], { lr: 0.1 });
    const sched = new StepLR(opt, { stepSize: 1 });
    opt.addParamGroup({ params: [param([2])] });
    expect(() => sched.step()).toThrow(
      'StepLR: the optimizer has 2 param groups but the scheduler was made for 1; make the scheduler after adding all param groups',
    );
  });
});

describe('the base classes refuse to be used on their own', () => {
  it('LRScheduler and Optimizer name themselves', () => {
    const Base = Scheduler as unknown as new (...args: unknown[]) => unknown;
    expect(() => new Base(42)).toThrow(/^LRScheduler: the base class cannot be used on its own/);
    const opt = new SGD([param()], { lr: 0.1 });
    expect(() => new StepLR(opt, null as never)).toThrow(/^StepLR: /);
    expect(() => new StepLR(42 as never, { stepSize: 1 })).toThrow(
      'StepLR: expected an Optimizer, got 42',
    );
  });
});
