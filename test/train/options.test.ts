import { describe, expect, it } from 'vitest';
import { mlp } from '../../src/nn/mlp.js';
import { tensor } from '../../src/tensor/creation.js';
import { accuracy, formatConfusionMatrix } from '../../src/train/metrics.js';
import { FIT_LIMITS, resolveFitOptions } from '../../src/train/options.js';
import { l2Penalty } from '../../src/train/penalty.js';

describe('resolveFitOptions', () => {
  it('fills in every default', () => {
    const o = resolveFitOptions();
    expect(o).toMatchObject({
      lr: 1e-3,
      weightDecay: 0,
      l2: 0,
      jitter: 0,
      batchSize: 32,
      shuffle: true,
      epochs: 10,
      maxSteps: Infinity,
      onNonFinite: 'stop',
      checkGradients: false,
      callbacks: {},
    });
    expect(resolveFitOptions({ onNonFinite: 'stop' }).checkGradients).toBe(true);
    expect(resolveFitOptions({ batchSize: 'full', restarts: 3 })).toMatchObject({
      batchSize: 'full',
      restarts: { runs: 3 },
    });
  });

  it.each([
    [{ epochs: 0 }, 'fit: epochs must be an integer ≥ 1, got 0'],
    [{ epochs: 2.5 }, 'fit: epochs must be an integer ≥ 1, got 2.5'],
    [{ maxSteps: -1 }, 'fit: maxSteps must be an integer ≥ 1, got -1'],
    [{ batchSize: 0 }, 'fit: batchSize must be an integer ≥ 1, got 0'],
    [{ jitter: -0.1 }, 'fit: jitter must be a number >= 0, got -0.1'],
    [{ l2: Number.NaN }, 'fit: l2 must be a number >= 0, got NaN'],
    [{ lr: 0 }, 'fit: lr must be a positive number, got 0'],
    [{ restarts: 0 }, 'fit: restarts.runs must be an integer ≥ 1, got 0'],
    [{ restarts: { runs: 3, seeds: [1] } }, 'fit: restarts.seeds has 1 seeds for 3 runs'],
    [{ earlyStopping: { patience: -1 } }, 'fit: earlyStopping.patience must be an integer ≥ 0'],
    [{ minImprovement: { delta: 0.1, window: 0 } }, 'fit: minImprovement.window must be'],
    [{ minImprovement: { delta: -1, window: 2 } }, 'fit: minImprovement.delta must be'],
    [{ checkpoint: { every: 1.5, save: () => undefined } }, 'fit: checkpoint.every must be'],
    [{ resumeFrom: 'runs/x' }, 'fit: resumeFrom as a folder (runs/x) needs the Node entry'],
  ])('refuses %j', (options, message) => {
    expect(() => resolveFitOptions(options as never)).toThrow(message);
  });

  it('checks lr only for the default optimizer, which is the one that uses it', () => {
    const optimizer = () => ({}) as never;
    expect(resolveFitOptions({ lr: -1, optimizer }).optimizer).toBe(optimizer);
  });

  it('holds the limits the command line checks its flags against', () => {
    expect(FIT_LIMITS.batchSize).toEqual({ integer: true, min: 1 });
    expect(FIT_LIMITS.lr).toEqual({ positive: true });
  });
});

describe('arguments of the wrong sort', () => {
  it('are refused by name, saying what was expected and what came', () => {
    expect(() => resolveFitOptions(null as never)).toThrow(
      new TypeError('resolveFitOptions: options must be an object, got null'),
    );
    expect(() => accuracy(42 as never, tensor([1]))).toThrow(
      new TypeError('accuracy: predictions must be a Tensor, got 42'),
    );
    expect(() => l2Penalty(tensor([1]) as never, 0.1)).toThrow(
      /^l2Penalty: model must be a Module \(such as mlp\(\[2, 8, 2\]\)\), got Tensor$/,
    );
    expect(() => l2Penalty(mlp([2, 2]), -1)).toThrow(RangeError);
    expect(() => formatConfusionMatrix(tensor([[1, 2]]), ['a'])).toThrow(
      'formatConfusionMatrix: matrix must be a square [C, C] tensor, got shape [1,2]',
    );
    expect(() => formatConfusionMatrix(tensor([[1]]), ['a', 'b'])).toThrow(
      /classNames must be a list of 1 names/,
    );
  });
});
