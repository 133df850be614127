import { afterEach, describe, expect, it, vi } from 'vitest';
import { fit, mlp, tensor, type NonFiniteEvent } from '../../src/index.js';

/** 64 points of 2 features with targets; row 40 (batch 2 of 32, unshuffled) holds a NaN. */
function data(nanRow?: number): { x: ReturnType<typeof tensor>; y: ReturnType<typeof tensor> } {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < 64; i++) {
    xs.push([Math.sin(i), Math.cos(i)]);
    ys.push(Math.sin(i) * Math.cos(i));
  }
  if (nanRow !== undefined) xs[nanRow][1] = NaN;
  return { x: tensor(xs), y: tensor(ys).reshape([64, 1]) };
}

const base = { epochs: 3, batchSize: 32, shuffle: false, lr: 0.01, seed: 3, loss: 'mse' } as const;

afterEach(() => vi.restoreAllMocks());

describe('fit with a NaN or infinite loss or gradient', () => {
  it('stops by default, naming the epoch, batch, step, the first operation and the bad input', () => {
    const model = mlp([2, 4, 1], { activation: 'tanh' });
    expect(() => fit(model, data(40), base)).toThrow(
      /^fit: the loss became NaN at epoch 1, batch 2 \(step 2\) \(first in the forward pass of linear\); the input data holds NaN at example 40 of the training data \(row 8 of the batch, column 1\) — clean the data or leave that example out$/,
    );
  });

  it("skips the batch with 'skip', reports it, and trains on", () => {
    const model = mlp([2, 4, 1], { activation: 'tanh' });
    const seen: NonFiniteEvent[] = [];
    const h = fit(model, data(40), {
      ...base,
      onNonFinite: 'skip',
      callbacks: { onNonFinite: (e) => seen.push(e) },
    });
    expect(h.steps).toBe(6);
    expect(h.nonFinite.map((e) => [e.epoch, e.batch, e.step, e.where, e.action])).toEqual([
      [1, 2, 2, 'loss', 'skip'],
      [2, 2, 4, 'loss', 'skip'],
      [3, 2, 6, 'loss', 'skip'],
    ]);
    expect(h.nonFinite[0].operation).toEqual({ op: 'linear', phase: 'forward' });
    expect(seen).toEqual(h.nonFinite);
    // The skipped batches left the weights alone: all finite, and the epochs' losses too.
    for (const p of model.parameters())
      expect(Array.from(p.data).every(Number.isFinite)).toBe(true);
    expect(h.epochs.every((e) => Number.isFinite(e.loss))).toBe(true);
    // The same as training on the good batch alone, step for step.
    const clean = mlp([2, 4, 1], { activation: 'tanh' });
    const good = data();
    fit(clean, { x: good.x.narrow(0, 0, 32), y: good.y.narrow(0, 0, 32) }, base);
    expect(Array.from(model.parameters()[0].data)).toEqual(Array.from(clean.parameters()[0].data));
  });

  it("takes the step anyway with 'warn', printing a warning when there is no callback", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = mlp([2, 4, 1], { activation: 'tanh' });
    const h = fit(model, data(40), { ...base, epochs: 1, onNonFinite: 'warn' });
    expect(h.nonFinite).toHaveLength(1);
    expect(h.nonFinite[0].action).toBe('warn');
    expect(warn).toHaveBeenCalledWith(h.nonFinite[0].message);
    // The NaN reached the weights: that is what 'warn' allows.
    expect(Array.from(model.parameters()[0].data).some(Number.isNaN)).toBe(true);
  });

  it('checks the gradients too when asked, naming the backward operation', () => {
    const model = mlp([2, 1]);
    // sqrt at 0: the loss is finite (0) but its derivative is infinite.
    const sqrtLoss = (out: ReturnType<typeof tensor>) =>
      out.sub(out.detach()).square().sqrt().sum();
    const h = fit(model, data(), {
      ...base,
      epochs: 1,
      loss: sqrtLoss,
      onNonFinite: 'skip',
      callbacks: { onNonFinite: () => undefined },
    });
    expect(h.nonFinite).toHaveLength(2);
    expect(h.nonFinite[0]).toMatchObject({ where: 'gradient', operation: { phase: 'backward' } });
    expect(h.nonFinite[0].message).toMatch(
      /a gradient held (NaN|Infinity|-Infinity) at epoch 1, batch 1 \(step 1\)/,
    );
    // Without the option only the loss is checked at each step; the weights the bad gradient
    // reached are caught at the end of training, so that no NaN model is returned as trained.
    expect(() => fit(mlp([2, 1]), data(), { ...base, loss: sqrtLoss, maxSteps: 1 })).toThrow(
      /^fit: the weights became non-finite \(0\.weight\[0\] is NaN\) by the end of training \(step 1\); the learning rate \(0\.01\)/,
    );
  });

  it('refuses an unknown choice', () => {
    expect(() =>
      fit(mlp([2, 1]), data(), { ...base, onNonFinite: 'ignore' as unknown as 'skip' }),
    ).toThrow("fit: onNonFinite must be 'stop', 'skip' or 'warn', got \"ignore\"");
  });
});
