import { describe, expect, it } from 'vitest';
import {
  confusionMatrix,
  datasets,
  evaluate,
  fit,
  formatConfusionMatrix,
  Linear,
  manualSeed,
  mlp,
  predict,
  randn,
  SGD,
  tensor,
  type Tensor,
} from '../../src/index.js';

describe('fit learns what it should', () => {
  it('XOR, which needs the hidden layer', () => {
    const data = datasets.xor({ samples: 200, noise: 0.05, seed: 1 });
    manualSeed(0);
    const model = mlp([2, 8, 2], { activation: 'tanh' });
    const history = fit(model, data, { epochs: 150, batchSize: 16, lr: 0.03 });
    expect(history.epochs.at(-1)!.accuracy).toBeGreaterThan(0.95);
    expect(
      evaluate(model, datasets.xor({ samples: 200, noise: 0.05, seed: 2 })).accuracy,
    ).toBeGreaterThan(0.95);
  });

  it('the spiral, by full-batch gradient descent', () => {
    const data = datasets.spiral({ samples: 300, classes: 3, noise: 0.05, seed: 0 });
    manualSeed(0);
    const model = mlp([2, 32, 32, 3], { activation: 'tanh' });
    const history = fit(model, data, { batchSize: 'full', epochs: 400, lr: 0.02 });
    expect(history.steps).toBe(400);
    expect(history.epochs.at(-1)!.accuracy).toBeGreaterThan(0.9);
  });

  it('a linear regression with a known answer, by stochastic gradient descent', () => {
    // y = 2·x0 − 3·x1 + 0.5
    const x = randn([200, 2]);
    const y = x.matmul(tensor([[2], [-3]])).add(0.5);
    const model = new Linear(2, 1);
    fit(
      model,
      { x, y },
      { loss: 'mse', batchSize: 1, epochs: 20, optimizer: (p) => new SGD(p, { lr: 0.01 }) },
    );
    expect(Array.from(model.weight.data).map((v) => Number(v.toFixed(3)))).toEqual([2, -3]);
    expect(model.bias!.item()).toBeCloseTo(0.5, 3);
  });
});

describe('fit options', () => {
  const data = datasets.spiral({ samples: 200, classes: 2, noise: 0.1, seed: 3 });

  it('the same seed gives the same run, bit for bit', () => {
    const run = (): number[] => {
      const model = mlp([2, 16, 2], { dropout: 0.1 });
      model.resetParameters();
      fit(model, data, { seed: 7, epochs: 5, batchSize: 16, jitter: 0.05 });
      return model.parameters().flatMap((p) => Array.from(p.data));
    };
    manualSeed(1);
    const a = run();
    manualSeed(1);
    const b = run();
    expect(b).toEqual(a);
  });

  it('stops at maxSteps, at a target loss, on small improvement, and when a callback says so', () => {
    expect(fit(mlp([2, 8, 2]), data, { epochs: 50, maxSteps: 7, batchSize: 10 }).stopReason).toBe(
      'maxSteps',
    );
    const target = fit(mlp([2, 16, 2], { activation: 'tanh' }), data, {
      epochs: 500,
      lr: 0.01,
      targetLoss: 0.5,
    });
    expect(target.stopReason).toBe('targetLoss');
    expect(target.epochs.at(-1)!.loss).toBeLessThanOrEqual(0.5);
    const flat = fit(mlp([2, 8, 2]), data, {
      epochs: 500,
      lr: 1e-6,
      minImprovement: { delta: 0.01, window: 3 },
    });
    expect(flat.stopReason).toBe('minImprovement');
    expect(flat.epochs.length).toBe(4);
    const cb = fit(mlp([2, 8, 2]), data, {
      epochs: 50,
      callbacks: { onEpochEnd: (e) => (e.epoch === 3 ? 'stop' : undefined) },
    });
    expect(cb.stopReason).toBe('callback');
    expect(cb.epochs.length).toBe(3);
  });

  it('early stopping on validation loss restores the best weights', () => {
    manualSeed(0);
    const model = mlp([2, 64, 2]);
    const small = datasets.spiral({ samples: 40, noise: 0.3, seed: 5 });
    const validation = datasets.spiral({ samples: 200, noise: 0.3, seed: 6 });
    const history = fit(model, small, {
      epochs: 300,
      lr: 0.05,
      validation,
      earlyStopping: { patience: 10 },
    });
    expect(history.stopReason).toBe('earlyStopping');
    const best = history.epochs[history.bestEpoch! - 1];
    expect(evaluate(model, validation).loss).toBeCloseTo(best.valLoss!, 5);
    expect(history.epochs.length).toBe(history.bestEpoch! + 10);
  });

  it('random restarts report every run and keep the best', () => {
    const model = mlp([2, 4, 2], { activation: 'tanh' });
    const history = fit(model, data, {
      epochs: 10,
      restarts: { runs: 3, select: 'train' },
      seed: 11,
    });
    expect(history.runs!.map((r) => r.seed)).toEqual([11, 12, 13]);
    const best = Math.min(...history.runs!.map((r) => r.loss));
    expect(history.runs![history.bestRun! - 1].loss).toBe(best);
    expect(evaluate(model, data).loss).toBeLessThanOrEqual(best * 1.5);
  });

  it('holds out a validation fraction and records a history per epoch', () => {
    const history = fit(mlp([2, 8, 2]), data, { epochs: 3, validation: 0.25 });
    expect(history.epochs).toHaveLength(3);
    for (const e of history.epochs) {
      expect(e.valLoss).toBeGreaterThan(0);
      expect(e.valAccuracy).toBeGreaterThanOrEqual(0);
      expect(e.samplesPerSecond).toBeGreaterThan(0);
    }
    expect(history.batchLosses).toHaveLength(3 * Math.ceil(150 / 32));
  });

  it('L2 by penalty shrinks the weights', () => {
    const norm = (m: ReturnType<typeof mlp>): number =>
      m
        .parameters()
        .filter((p) => p.ndim === 2)
        .reduce((s, p) => s + p.square().sum().item(), 0);
    manualSeed(0);
    const plain = mlp([2, 16, 2]);
    manualSeed(0);
    const shrunk = mlp([2, 16, 2]);
    fit(plain, data, { epochs: 20, lr: 0.01, seed: 1 });
    fit(shrunk, data, { epochs: 20, lr: 0.01, l2: 0.5, seed: 1 });
    expect(norm(shrunk)).toBeLessThan(norm(plain));
  });

  it('a NaN loss stops training, naming the epoch and batch and suggesting a smaller learning rate', () => {
    const model = mlp([2, 16, 2]);
    expect(() =>
      fit(model, data, { epochs: 5, optimizer: (p) => new SGD(p, { lr: 1e30 }) }),
    ).toThrow(
      /fit: the loss became (NaN|Infinity) at epoch \d+, batch \d+ \(step \d+\) \(first in the (forward|backward) pass of \w+\); the learning rate \(1e\+30\) is probably too large/,
    );
  });

  it('refuses bad options and data', () => {
    expect(() => fit(mlp([2, 2]), data, { batchSize: 0 })).toThrow(
      /batchSize must be an integer ≥ 1, got 0/,
    );
    expect(() => fit(mlp([2, 2]), data, { lr: -1 })).toThrow(/lr must be a positive number/);
    expect(() => fit(mlp([2, 2]), data, { lr: Number.NaN })).toThrow(
      /lr must be a positive number/,
    );
    expect(() => fit(mlp([2, 2]), { x: randn([0, 2]), y: tensor([], { dtype: 'int32' }) })).toThrow(
      /empty/,
    );
    expect(() => fit(mlp([3, 2]), data)).toThrow(/Linear\(3→2\) got 2 features/);
  });
});

describe('evaluate, predict, confusion matrix', () => {
  it('count what the model predicts', () => {
    const labels = tensor([0, 1, 2, 2, 1], { dtype: 'int32' });
    const logits: Tensor = tensor([
      [9, 0, 0],
      [0, 9, 0],
      [0, 0, 9],
      [9, 0, 0],
      [0, 9, 0],
    ]);
    const m = confusionMatrix(logits, labels);
    expect(m.toArray()).toEqual([
      [1, 0, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    expect(formatConfusionMatrix(m, ['a', 'b', 'c'])).toContain('true\\pred');
    const model = mlp([2, 3]);
    expect(predict(model, randn([600, 2])).shape).toEqual([600, 3]);
  });
});
