import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  fit,
  manualSeed,
  mlp,
  tensor,
  type Module,
  type Tensor,
  type TrainingCheckpoint,
} from '../../src/index.js';

/** 64 points of 2 features and a target; `bad` puts a value at [row, column] of x (or of y). */
function data(bad?: { row: number; column: number; value: number; in?: 'y' }): {
  x: Tensor;
  y: Tensor;
} {
  const xs: number[][] = [];
  const ys: number[][] = [];
  for (let i = 0; i < 64; i++) {
    xs.push([Math.sin(i), Math.cos(i)]);
    ys.push([Math.sin(i) * Math.cos(i)]);
  }
  if (bad !== undefined) (bad.in === 'y' ? ys : xs)[bad.row][bad.column] = bad.value;
  return { x: tensor(xs), y: tensor(ys) };
}

const base = { epochs: 3, batchSize: 16, shuffle: false, lr: 0.01, seed: 3, loss: 'mse' } as const;
const finite = (m: Module): boolean =>
  m.parameters().every((p) => Array.from(p.data).every(Number.isFinite));
const weightsFinite = (c: TrainingCheckpoint): boolean =>
  Object.values(c.model).every((t) => Array.from(t.data).every(Number.isFinite));

afterEach(() => vi.restoreAllMocks());

describe('fit never ends with, or saves, a model that is not finite', () => {
  it('names NaN in the targets as the cause', () => {
    manualSeed(1);
    expect(() =>
      fit(mlp([2, 4, 1]), data({ row: 21, column: 0, value: NaN, in: 'y' }), base),
    ).toThrow(
      /the loss became NaN at epoch 1, batch 2 \(step 2\).*; the targets hold NaN at example 21 of the training data \(row 5 of the batch, column 0\)/,
    );
  });

  it('names the example in the data when shuffled', () => {
    manualSeed(1);
    expect(() =>
      fit(mlp([2, 4, 1]), data({ row: 37, column: 1, value: Infinity }), {
        ...base,
        shuffle: true,
      }),
    ).toThrow(/the input data holds Infinity at example 37 of the training data/);
  });

  it('refuses weights that hold NaN before training, from the model or from a checkpoint', () => {
    manualSeed(1);
    const model = mlp([2, 4, 1]);
    model.parameters()[2].data[0] = NaN;
    expect(() => fit(model, data(), base)).toThrow(
      "fit: the model's weights held NaN before training (2.weight[0]); initialize or load finite weights",
    );
    // A checkpoint whose weights hold NaN (written by hand: fit writes none such).
    manualSeed(1);
    let saved: TrainingCheckpoint | undefined;
    fit(mlp([2, 4, 1]), data(), { ...base, checkpoint: { every: 2, save: (c) => (saved = c) } });
    const c = decodeCheckpoint(encodeCheckpoint(saved!));
    Object.values(c.model)[0].data[3] = NaN;
    expect(() => fit(mlp([2, 4, 1]), data(), { ...base, resumeFrom: c })).toThrow(
      "fit: the model's weights held NaN before training (loaded from the checkpoint) (0.weight[3])",
    );
  });

  it('never writes a checkpoint of exploded weights, and stops naming the learning rate', () => {
    manualSeed(1);
    const saved: { step: number; checkpoint: TrainingCheckpoint }[] = [];
    const model = mlp([2, 8, 1], { activation: 'tanh' });
    expect(() =>
      fit(model, data(), {
        ...base,
        lr: 1e300,
        checkpoint: {
          every: 1,
          save: (checkpoint, at) => saved.push({ step: at.step, checkpoint }),
        },
      }),
    ).toThrow(/the learning rate \(1e\+300\) is probably too large/);
    expect(saved.every((s) => weightsFinite(s.checkpoint))).toBe(true);
  });

  it('catches exploded weights at the end of training even when every loss was finite', () => {
    manualSeed(1);
    // One step at a huge rate: the loss of that step is finite, the weights after it are not.
    const model = mlp([2, 1]);
    expect(() => fit(model, data(), { ...base, lr: 1e308, maxSteps: 1 })).toThrow(
      /^fit: the weights became non-finite \(.*\) by the end of training \(step 1\); the learning rate \(1e\+308\) is probably too large/,
    );
  });

  it('catches a NaN that appears only in the validation loss, naming the validation data', () => {
    manualSeed(1);
    const validation = data({ row: 9, column: 1, value: NaN });
    expect(() => fit(mlp([2, 4, 1]), data(), { ...base, validation })).toThrow(
      'fit: the validation loss became NaN at epoch 1; the validation data holds NaN at example 9, input value 1',
    );
  });

  it("with 'warn', goes on but writes no checkpoint of non-finite weights", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    manualSeed(1);
    const saved: TrainingCheckpoint[] = [];
    const model = mlp([2, 4, 1], { activation: 'tanh' });
    fit(model, data({ row: 20, column: 0, value: NaN }), {
      ...base,
      epochs: 1,
      onNonFinite: 'warn',
      callbacks: { onNonFinite: () => undefined },
      checkpoint: { every: 1, save: (c) => saved.push(c) },
    });
    expect(finite(model)).toBe(false);
    expect(saved).toHaveLength(1);
    expect(saved.every(weightsFinite)).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/no checkpoint was written/));
  });
});
