/**
 * The digits page's training (playground/src/digits/trainer.ts) in Node on the bundled digits:
 * `nabla train`'s networks, learning, seeded, and reading one image as ten probabilities.
 */
import { describe, expect, it } from 'vitest';
import { readDigitSplit } from '../../src/node/digits.js';
import { DigitsTrainer, RECIPES } from '../../playground/src/digits/trainer.js';

const split = readDigitSplit({ validation: 0, test: 2000 });
/** The first `n` rows of a split. */
const first = (d: typeof split.train, n: number) => ({
  x: d.x.narrow(0, 0, n),
  y: d.y.narrow(0, 0, n),
});
const train = first(split.train, 1600);
const test = first(split.test, 500);

describe('DigitsTrainer', () => {
  it("trains nabla train's MLP: from chance to most test digits right in 100 steps", () => {
    const t = new DigitsTrainer('mlp', train, test, 0);
    expect(t.model.numParameters()).toBe(784 * 256 + 256 + 256 * 10 + 10);
    const before = t.evaluate(0, 500);
    expect(before.right / 500).toBeLessThan(0.3);
    const losses: number[] = [];
    const sizes: number[] = [];
    let ends = 0;
    for (let i = 0; i < 100; i++) {
      const r = t.stepOnce();
      losses.push(r.loss);
      sizes.push(r.size);
      if (r.endsEpoch) ends++;
    }
    // 1600 images in batches of 48: an epoch is 33 full batches and one of 16
    expect(RECIPES.mlp.batchSize).toBe(48);
    expect(t.stepsPerEpoch()).toBe(34);
    expect(sizes.slice(0, 34)).toEqual([...Array<number>(33).fill(48), 16]);
    expect([t.step, t.epoch, ends]).toEqual([100, 2, 2]);
    const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 5)) / 3);
    const after = t.evaluate(0, 500);
    expect(after.right / 500).toBeGreaterThan(0.8);
    // The page evaluates in chunks: they add up to the whole.
    const a = t.evaluate(0, 250);
    const b = t.evaluate(250, 500);
    expect(a.right + b.right).toBe(after.right);
    expect(a.lossSum + b.lossSum).toBeCloseTo(after.lossSum, 3);
  });

  it('repeats a run from its seed, and another seed gives another run', () => {
    const run = (seed: number): number[] => {
      const t = new DigitsTrainer('mlp', train, test, seed);
      return Array.from({ length: 5 }, () => t.stepOnce().loss);
    };
    expect(run(3)).toEqual(run(3));
    expect(run(4)).not.toEqual(run(3));
  });

  it('reads one image as ten probabilities summing to 1, with the MLP and the CNN', () => {
    const image = Float32Array.from(test.x.narrow(0, 0, 1).data as Float32Array);
    for (const kind of ['mlp', 'cnn'] as const) {
      const t = new DigitsTrainer(kind, train, test, 0);
      t.stepOnce();
      const p = t.predict(image);
      expect(p).toHaveLength(10);
      expect(p.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
      p.forEach((v) => expect(v).toBeGreaterThan(0));
      // Reading takes no step and leaves the network training.
      expect(t.step).toBe(1);
      expect(t.model.training).toBe(true);
    }
  });
});
