import { describe, expect, it } from 'vitest';
import {
  Adam,
  ReduceLROnPlateau,
  SGD,
  datasets,
  decodeCheckpoint,
  encodeCheckpoint,
  fit,
  manualSeed,
  mlp,
  type FitOptions,
  type Module,
  type Parameter,
} from '../../src/index.js';

const data = datasets.spiral({ samples: 240, classes: 3, noise: 0.1, seed: 4 });

/** The network, its initial weights drawn from `seed`; dropout draws from the default generator. */
function network(seed: number): Module {
  manualSeed(seed);
  return mlp([2, 16, 3], { activation: 'tanh', dropout: 0.2 });
}

const optimizers: Record<string, (p: Parameter[]) => SGD | Adam> = {
  'SGD with momentum': (p) => new SGD(p, { lr: 0.05, momentum: 0.9 }),
  Adam: (p) => new Adam(p, { lr: 0.01 }),
};

/** Options that use every random draw there is: shuffling, dropout, jitter, a validation split. */
function options(optimizer: FitOptions['optimizer']): FitOptions {
  return {
    epochs: 5,
    batchSize: 16,
    seed: 11,
    jitter: 0.05,
    validation: 0.25,
    earlyStopping: { patience: 10 },
    optimizer,
  };
}

const bits = (m: Module): number[][] => m.parameters().map((p) => Array.from(p.data));

describe('a run stopped and resumed from its checkpoint', () => {
  // 180 training examples in batches of 16: 12 steps an epoch; 24 ends epoch 2, 30 is mid-epoch 3.
  for (const [name, optimizer] of Object.entries(optimizers))
    for (const stopAt of [24, 30])
      it(`ends with the same weights, bit for bit (${name}, stopped at step ${stopAt})`, () => {
        const whole = network(1);
        const left = fit(whole, data, options(optimizer));

        let saved: Uint8Array | undefined;
        const first = network(1);
        fit(first, data, {
          ...options(optimizer),
          checkpoint: { every: 1000, save: (c) => (saved = encodeCheckpoint(c)) },
          callbacks: { onBatchEnd: (b) => (b.step === stopAt ? 'stop' : undefined) },
        });
        expect(saved).toBeDefined();
        const c = decodeCheckpoint(saved!);
        expect([c.epoch, c.batch, c.history.steps]).toEqual([
          Math.ceil(stopAt / 12),
          stopAt % 12 || 12,
          stopAt,
        ]);

        // A fresh process would build the model again with other weights: the checkpoint's win.
        const resumed = network(99);
        const right = fit(resumed, data, {
          ...options(optimizer),
          resumeFrom: decodeCheckpoint(saved!),
        });
        expect(bits(resumed)).toEqual(bits(whole));
        expect(right.steps).toBe(left.steps);
        expect(right.batchLosses).toEqual(left.batchLosses);
        expect(right.epochs.map((e) => [e.loss, e.valLoss, e.accuracy])).toEqual(
          left.epochs.map((e) => [e.loss, e.valLoss, e.accuracy]),
        );
      });

  it('keeps a learning-rate schedule and checkpoints every N steps', () => {
    const sched = (_m: Module, opt: SGD) =>
      new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
    const run = (resumeFrom?: Uint8Array, stopAt?: number) => {
      const m = network(resumeFrom === undefined ? 1 : 50);
      const opt = new SGD(m.parameters(), { lr: 0.2, momentum: 0.5 });
      const saves: number[] = [];
      let last: Uint8Array | undefined;
      const h = fit(m, data, {
        ...options(opt),
        scheduler: sched(m, opt),
        checkpoint: {
          every: 7,
          save: (c, at) => (saves.push(at.step), (last = encodeCheckpoint(c))),
        },
        ...(resumeFrom === undefined ? {} : { resumeFrom: decodeCheckpoint(resumeFrom) }),
        callbacks: { onBatchEnd: (b) => (b.step === stopAt ? 'stop' : undefined) },
      });
      return { m, h, saves, last, lr: opt.paramGroups[0].lr };
    };
    const whole = run();
    expect(whole.saves.slice(0, 4)).toEqual([7, 14, 21, 28]);
    const stopped = run(undefined, 40);
    expect(stopped.saves.at(-1)).toBe(40);
    const resumed = run(stopped.last);
    expect(resumed.saves[0]).toBe(42);
    expect(bits(resumed.m)).toEqual(bits(whole.m));
    expect(resumed.lr).toBe(whole.lr);
    expect(whole.lr).toBeLessThan(0.2);
  });

  it('refuses what is not a checkpoint, naming the problem', () => {
    const m = network(1);
    expect(() => decodeCheckpoint(new Uint8Array([1, 2, 3]), 'ck.safetensors')).toThrow(
      /^ck\.safetensors: /,
    );
    expect(() => fit(m, data, { resumeFrom: 'runs/x' })).toThrow(
      'fit: resumeFrom as a folder (runs/x) needs the Node entry',
    );
    expect(() => fit(m, data, { checkpoint: { every: 5, dir: 'runs/x' } })).toThrow(
      'fit: checkpoint.dir needs the Node entry',
    );
    expect(() => fit(m, data, { checkpoint: { every: 0, save: () => undefined } })).toThrow(
      'fit: checkpoint.every must be an integer ≥ 1, got 0',
    );
  });
});
