/** The 2-D regression data sets (TensorFlow Playground's plane and multi-Gaussian) and their rules. */
import { describe, expect, it } from 'vitest';
import { EXTENT, generate, regression2d, targetValue } from '../../playground/src/data.js';
import { getParameter, parameterSlot, setParameter } from '../../playground/src/parameters.js';
import { buildModel } from '../../playground/src/model.js';
import { DEFAULT_SETTINGS, layerSizes, type Settings } from '../../playground/src/settings.js';
import { Trainer, inputFeatures } from '../../playground/src/trainer.js';
import { keepRegressionFeatures } from '../../playground/src/rules.js';
import { predictionGrid } from '../../playground/src/surface.js';
import { split } from '../../playground/src/data.js';
import { Generator } from '../../src/index.js';

const settings = (over: Partial<Settings>): Settings => ({
  ...structuredClone(DEFAULT_SETTINGS),
  ...over,
});

describe('2-D regression data', () => {
  for (const target of ['plane', 'gauss'] as const) {
    it(`${target}: one (x₁, x₂) and one value per sample, inside the plane`, () => {
      const d = regression2d(target, { samples: 300, noise: 0, seed: 3 });
      expect(d.points).toHaveLength(600);
      expect(d.labels).toHaveLength(300);
      for (const v of d.points) expect(Math.abs(v)).toBeLessThanOrEqual(EXTENT);
      for (const y of d.labels) expect(Math.abs(y)).toBeLessThan(1.1);
      // Without noise each label is the target's value at its point.
      for (let i = 0; i < 300; i++)
        expect(d.labels[i]).toBeCloseTo(
          targetValue(target, d.points[2 * i], d.points[2 * i + 1]),
          12,
        );
    });

    it(`${target}: the same seed gives the same points, another seed others`, () => {
      const a = regression2d(target, { samples: 50, noise: 0.1, seed: 7 });
      const b = regression2d(target, { samples: 50, noise: 0.1, seed: 7 });
      const c = regression2d(target, { samples: 50, noise: 0.1, seed: 8 });
      expect(b).toEqual(a);
      expect(c.points).not.toEqual(a.points);
    });
  }

  it('adds noise of the settings’ σ to the targets', () => {
    const clean = regression2d('plane', { samples: 2000, noise: 0, seed: 1 });
    const noisy = regression2d('plane', { samples: 2000, noise: 0.2, seed: 1 });
    expect(noisy.points).toEqual(clean.points);
    const diffs = noisy.labels.map((y, i) => y - clean.labels[i]);
    const sd = Math.sqrt(diffs.reduce((a, d) => a + d * d, 0) / diffs.length);
    expect(sd).toBeGreaterThan(0.18);
    expect(sd).toBeLessThan(0.22);
  });

  it('the plane is a·x₁ + b·x₂, the bumps go up and down', () => {
    expect(targetValue('plane', 1, 0)).toBeCloseTo(0.4);
    expect(targetValue('plane', 0, 1)).toBeCloseTo(0.2);
    expect(targetValue('gauss', -1, 0.6)).toBeGreaterThan(0.9);
    expect(targetValue('gauss', 0, 0.6)).toBeLessThan(-0.9);
  });

  it('generate() follows the settings: the target, the samples, the seed', () => {
    const s = settings({ mode: 'regression', target: 'gauss', samples: 120, seed: 4 });
    const d = generate(s);
    expect(d.labels).toHaveLength(120);
    expect(d).toEqual(regression2d('gauss', { samples: 120, noise: s.noise, seed: 4 }));
    // The curve stays the 1-D set: x₂ is its target.
    const curve = generate(settings({ mode: 'regression', samples: 40 }));
    for (let i = 0; i < 40; i++) expect(curve.points[2 * i + 1]).toBe(curve.labels[i]);
  });

  it('a 2-D target reads every chosen feature; a curve only those of x₁', () => {
    const plane = settings({ mode: 'regression', target: 'plane', features: ['x', 'y', 'xy'] });
    expect(inputFeatures(plane)).toEqual(['x', 'y', 'xy']);
    expect(layerSizes(plane)).toEqual([3, 8, 8, 1]);
    const y = settings({ mode: 'regression', target: 'plane', features: ['y'] });
    expect(keepRegressionFeatures(y)).toBe(false);
    expect(keepRegressionFeatures({ ...y, target: 'curve' })).toBe(true);
  });

  it('a plane is learned to a low test loss at the default training settings', () => {
    const s = settings({ mode: 'regression', target: 'plane' });
    const t = new Trainer(s, split(generate(s), s.trainRatio));
    for (let e = 0; e < 40; e++) t.stepEpoch();
    expect(t.evaluate().test).toBeLessThan(0.005);
    const grid = predictionGrid(t.model, s, 5);
    expect(grid).toHaveLength(25);
    // ŷ at the centre of the top-right cell: near the plane's value there.
    expect(grid[4]).toBeCloseTo(targetValue('plane', 1.28, 1.28), 1);
  });
});

describe('editing a parameter', () => {
  it('names a weight and a bias by their place in the diagram, and sets them in place', () => {
    const s = settings({ hidden: [3] });
    const model = buildModel(s, new Generator(1));
    expect(parameterSlot(model, { layer: 0, from: 1, to: 2 })).toEqual({
      name: '0.weight',
      index: 2 * 2 + 1,
    });
    expect(parameterSlot(model, { layer: 1, to: 0 })).toEqual({ name: '2.bias', index: 0 });
    const slot = parameterSlot(model, { layer: 1, from: 2, to: 1 });
    setParameter(model, slot.name, slot.index, 0.75);
    expect(getParameter(model, { layer: 1, from: 2, to: 1 })).toBe(0.75);
    expect(() => parameterSlot(model, { layer: 2, to: 0 })).toThrow('no layer of weights 2');
    expect(() => setParameter(model, '0.weight', 0, NaN)).toThrow('finite');
  });

  it('training goes on from an edited weight (the optimizer keeps its state)', () => {
    const s = settings({});
    const t = new Trainer(s, split(generate(s), s.trainRatio));
    t.stepOnce();
    const ref = { layer: 0, from: 0, to: 0 };
    const slot = parameterSlot(t.model, ref);
    setParameter(t.model, slot.name, slot.index, 2.5);
    t.stepOnce();
    const after = getParameter(t.model, ref);
    expect(after).not.toBe(2.5);
    expect(Math.abs(after - 2.5)).toBeLessThan(0.05);
  });
});
