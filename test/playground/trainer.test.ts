import { describe, expect, it } from 'vitest';
import { Generator, crossEntropy, serializeModel, tensor } from '../../src/index.js';
import { generate, split } from '../../playground/src/data.js';
import { featureRows } from '../../playground/src/features.js';
import { buildModel } from '../../playground/src/model.js';
import { DEFAULT_SETTINGS, layerSizes, type Settings } from '../../playground/src/settings.js';
import { Trainer, setWeights } from '../../playground/src/trainer.js';

const settings = (over: Partial<Settings> = {}): Settings => ({
  ...structuredClone(DEFAULT_SETTINGS),
  ...over,
});

describe('playground trainer', () => {
  it('learns the circles with a 2-16-16-2 tanh network in mini-batches of 32', () => {
    const s = settings({ hidden: [16, 16], samples: 500 });
    const t = new Trainer(s, split(generate(s), s.trainRatio));
    const before = t.losses();
    expect(before.train).toBeGreaterThan(0.6);
    for (let i = 0; i < 600; i++) t.stepOnce();
    const after = t.losses();
    expect(after.train).toBeLessThan(0.15);
    expect(after.test).toBeLessThan(0.3);
    expect(t.step).toBe(600);
    // 250 training points in batches of 32: 8 steps an epoch.
    expect(t.epoch).toBe(600 / 8);
  });

  it('repeats a run exactly from the same seed, dropout and jitter included', () => {
    const s = settings({ dropout: 0.2, jitter: 0.05, l2: 0.001, optimizer: 'momentum', lr: 0.03 });
    const run = (): Float32Array => {
      const t = new Trainer(s, split(generate(s), s.trainRatio));
      for (let i = 0; i < 50; i++) t.stepOnce();
      return t.weights()['0.weight'].data;
    };
    expect(run()).toEqual(run());
    const other = new Trainer({ ...s, seed: 2 }, split(generate({ ...s, seed: 2 }), s.trainRatio));
    expect(other.weights()['0.weight'].data).not.toEqual(run());
  });

  it('trains every optimizer and both losses without leaving finite numbers', () => {
    for (const optimizer of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const)
      for (const loss of ['crossEntropy', 'mse'] as const) {
        const s = settings({ optimizer, loss, dataset: 'xor' });
        const t = new Trainer(s, split(generate(s), s.trainRatio));
        const start = t.losses().train;
        for (let i = 0; i < 100; i++) expect(Number.isFinite(t.stepOnce())).toBe(true);
        expect(t.losses().train, `${optimizer} ${loss}`).toBeLessThan(start);
      }
  });

  it('switches the optimizer mid-run, keeping the weights', () => {
    const s = settings();
    const data = split(generate(s), s.trainRatio);
    const t = new Trainer(s, data);
    for (let i = 0; i < 20; i++) t.stepOnce();
    const w = t.weights()['0.weight'].data;
    t.update({ ...s, optimizer: 'sgd', lr: 0.1 }, data);
    expect(t.optimizer.constructor.name).toBe('SGD');
    expect(t.weights()['0.weight'].data).toEqual(w);
    t.stepOnce();
    expect(t.weights()['0.weight'].data).not.toEqual(w);
  });

  it('retunes the running optimizer: learning rate, momentum, Adam betas, RMSProp alpha', () => {
    const s = settings();
    const data = split(generate(s), s.trainRatio);
    const t = new Trainer(s, data);
    t.update({ ...s, lr: 0.003, beta1: 0.8, beta2: 0.99 }, data);
    expect(t.optimizer.paramGroups[0]).toMatchObject({ lr: 0.003, betas: [0.8, 0.99] });
    t.update({ ...s, optimizer: 'rmsprop', alpha: 0.9 }, data);
    expect(t.optimizer.constructor.name).toBe('RMSprop');
    expect(t.optimizer.paramGroups[0]).toMatchObject({ alpha: 0.9 });
    t.update({ ...s, optimizer: 'rmsprop', alpha: 0.5 }, data);
    expect(t.optimizer.paramGroups[0]).toMatchObject({ alpha: 0.5 });
    t.update({ ...s, optimizer: 'nesterov', momentum: 0.7 }, data);
    expect(t.optimizer.paramGroups[0]).toMatchObject({ momentum: 0.7, nesterov: true });
  });

  it('fits the regression curve with squared error', () => {
    const s = settings({ mode: 'regression', hidden: [16, 16], features: ['x'], lr: 0.02 });
    const t = new Trainer(s, split(generate(s), s.trainRatio));
    const start = t.losses().train;
    for (let i = 0; i < 800; i++) t.stepOnce();
    expect(t.losses().train).toBeLessThan(Math.min(0.05, start / 4));
  });

  it('has softmax outputs for more than two classes and uses the chosen features', () => {
    const s = settings({ dataset: 'spiral', classes: 4, features: ['x', 'y', 'xy', 'sinx'] });
    expect(layerSizes(s)).toEqual([4, 8, 8, 4]);
    const t = new Trainer(s, split(generate(s), s.trainRatio));
    expect(t.weights()['0.weight'].shape).toEqual([8, 4]);
    expect(Array.from(featureRows([0.5, -2], s.features))).toEqual(
      Array.from(Float32Array.from([0.5, -2, -1, Math.sin(0.5)])),
    );
  });

  it('copies weights into the page’s model, and loads saved files back', () => {
    const s = settings();
    const data = split(generate(s), s.trainRatio);
    const t = new Trainer(s, data);
    for (let i = 0; i < 30; i++) t.stepOnce();
    const copy = buildModel(s, new Generator(99));
    setWeights(copy, t.weights());
    const x = tensor([0.3, -0.4]).reshape([1, 2]);
    copy.eval();
    t.model.eval();
    expect(Array.from(copy.call(x).data)).toEqual(Array.from(t.model.call(x).data));
    const { json, weights } = serializeModel(copy);
    const fresh = new Trainer(s, data);
    fresh.load(json, weights);
    fresh.model.eval();
    expect(Array.from(fresh.model.call(x).data)).toEqual(Array.from(copy.call(x).data));
    const loss = crossEntropy(copy.call(x), tensor([1], { dtype: 'int32' })).item();
    expect(Number.isFinite(loss)).toBe(true);
    const wrong = new Trainer(settings({ hidden: [3] }), data);
    expect(() => wrong.load(json, weights)).toThrow(
      /does not match 2-3-2: parameter 0.weight is \[8, 2\], expected \[3, 2\]/,
    );
  });
});
