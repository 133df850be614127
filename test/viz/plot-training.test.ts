import { describe, expect, it } from 'vitest';
import { Linear, tensor, type History } from '../../src/index.js';
import {
  gradientNorms,
  plotAccuracy,
  plotGradientNorms,
  plotLearningRates,
  plotLoss,
} from '../../src/viz/plot/index.js';
import { legendNames, seriesPaths, texts, ticks } from './plot-helpers.js';

const history: History = {
  epochs: [1, 2, 3, 4].map((epoch) => ({
    epoch,
    step: epoch * 3,
    loss: 1 / epoch,
    valLoss: 1.2 / epoch,
    accuracy: 0.5 + epoch / 10,
    valAccuracy: 0.45 + epoch / 10,
    lr: 0.01,
    seconds: 0.1,
    samplesPerSecond: 100,
  })),
  batchLosses: [1.2, 1, 0.9, 0.6, 0.5, 0.45, 0.4, 0.33, 0.3, 0.27, 0.25, 0.24],
  stopReason: 'epochs',
  bestEpoch: 4,
  steps: 12,
  seconds: 0.4,
  nonFinite: [],
};

describe('plotLoss, plotAccuracy, plotLearningRates', () => {
  it('plotLoss draws training and validation loss per epoch', () => {
    const svg = plotLoss(history);
    expect(texts(svg, 'x-label')).toEqual(['epoch']);
    expect(legendNames(svg)).toEqual(['training loss', 'validation loss']);
    const paths = seriesPaths(svg);
    expect(paths.map((p) => p.runs[0].length)).toEqual([4, 4]);
    expect(ticks(svg, 'x')).toEqual(['1', '2', '3', '4']);
  });

  it('plotLoss with perBatch counts steps and puts the epoch means at their last steps', () => {
    const svg = plotLoss(history, { perBatch: true, scale: 'log' });
    expect(texts(svg, 'x-label')).toEqual(['step (mini-batch)']);
    expect(texts(svg, 'y-label')).toEqual(['loss (log scale)']);
    expect(legendNames(svg)).toEqual([
      'training loss per step',
      'training loss, epoch mean',
      'validation loss',
    ]);
    const [steps, means] = seriesPaths(svg);
    expect(steps.runs[0]).toHaveLength(12);
    expect(means.runs[0]).toHaveLength(4);
    // the mean of epoch 2 sits above step 6
    expect(means.runs[0][1][0]).toBeCloseTo(steps.runs[0][5][0], 1);
    expect(texts(svg, 'subtitle')[0]).toContain('12 steps in 4 epochs');
  });

  it('plotAccuracy shows 0% … 100%', () => {
    const svg = plotAccuracy(history);
    expect(legendNames(svg)).toEqual(['training accuracy', 'validation accuracy']);
    const y = ticks(svg, 'y');
    expect(y[0]).toBe('0%');
    expect(y.at(-1)).toBe('100%');
    expect(y.every((l) => /^\d+%$/.test(l))).toBe(true);
    const noAcc = {
      ...history,
      epochs: history.epochs.map((e) => ({ ...e, accuracy: undefined, valAccuracy: undefined })),
    };
    expect(() => plotAccuracy(noAcc)).toThrow(/no accuracy/);
  });

  it('plotLearningRates names each curve by its learning rate', () => {
    const slower = { ...history, epochs: history.epochs.map((e) => ({ ...e, loss: e.loss * 2 })) };
    const svg = plotLearningRates([
      { lr: 0.1, history },
      { lr: 0.001, history: slower },
    ]);
    expect(legendNames(svg)).toEqual(['lr = 0.1', 'lr = 0.001']);
    expect(seriesPaths(svg).map((p) => p.runs[0].length)).toEqual([4, 4]);
    expect(texts(svg, 'y-label')).toEqual(['training loss (log scale)']);
    expect(() => plotLearningRates([{ lr: -1, history }])).toThrow(/lr must be a number > 0/);
  });
});

describe('gradient norms', () => {
  it('gradientNorms gives the L2 norm of each parameter gradient', () => {
    const model = new Linear(2, 1);
    expect(gradientNorms(model)).toEqual({});
    model.weight.grad = tensor([[3, 4]]);
    model.bias!.grad = tensor([-2]);
    expect(gradientNorms(model)).toEqual({ weight: 5, bias: 2 });
  });

  it('plotGradientNorms draws one line per layer, from records or arrays', () => {
    const records = [
      { step: 2, layer: 'a', norm: 0.1 },
      { step: 1, layer: 'a', norm: 1 },
      { step: 1, layer: 'b', norm: 1e-4 },
      { step: 2, layer: 'b', norm: 1e-5 },
    ];
    const svg = plotGradientNorms(records);
    expect(legendNames(svg)).toEqual(['a', 'b']);
    const [a] = seriesPaths(svg);
    expect(a.runs[0][0][1]).toBeLessThan(a.runs[0][1][1]); // sorted by step: 1 then 0.1, going down
    expect(ticks(svg, 'y')).toEqual(['1e-5', '0.0001', '0.001', '0.01', '0.1', '1']);
    const svg2 = plotGradientNorms({
      'layers.0.weight': [1, 2, 3],
      'layers.2.weight': [0.1, 0, 0.3],
    });
    expect(legendNames(svg2)).toEqual(['layers.0.weight', 'layers.2.weight']);
    expect(seriesPaths(svg2).map((p) => p.runs.map((r) => r.length))).toEqual([[3], [1, 1]]);
  });
});
