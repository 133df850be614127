import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ACTIVATIONS, OPTIMIZER_NAMES, Parameter, zeros, type Optimizer } from '../../src/index.js';
import { ACTIVATION_CHOICES, OPTIMIZERS } from '../../playground/src/choices.js';
import { controlId, SETTING_KEYS, SETTINGS, type SettingKey } from '../../playground/src/schema.js';
import {
  DEFAULT_SETTINGS,
  layerSizes,
  restartSeed,
  type Settings,
} from '../../playground/src/settings.js';
import { makeOptimizer, retune } from '../../playground/src/optimizer.js';
import { settingsFromQuery, urlName } from '../../playground/src/url.js';

describe('the seed of a random restart', () => {
  it('is the exact next value of the generator (seed·1103515245 + 12345) mod (2³¹ − 1)', () => {
    // The product passes 2⁵³ from the second restart on: in doubles its low bits are lost.
    let seed = 1;
    const seeds: number[] = [];
    for (let i = 0; i < 4; i++) seeds.push((seed = restartSeed(seed)));
    expect(seeds).toEqual([1103527590, 944465040, 1695244727, 1008001095]);
  });

  it('is a whole number the URL accepts, for every valid seed (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const next = restartSeed(seed);
        const exact = (BigInt(seed) * 1103515245n + 12345n) % 2147483647n;
        expect(next).toBe(Number(exact));
        expect(settingsFromQuery(`seed=${next}`)).toMatchObject({ problems: [] });
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe('the settings schema', () => {
  const textOf = <K extends SettingKey>(key: K, s: Readonly<Settings>): string =>
    SETTINGS[key].write(s[key]);

  it('reads back the text of every default, and each setting has its own URL parameter and id', () => {
    for (const key of SETTING_KEYS) {
      const entry = SETTINGS[key];
      expect(entry.read(textOf(key, DEFAULT_SETTINGS)), key).toEqual(DEFAULT_SETTINGS[key]);
    }
    const params = SETTING_KEYS.map(urlName);
    expect(new Set(params).size).toBe(params.length);
    const ids = SETTING_KEYS.filter((k) => SETTINGS[k].panel !== undefined).map(controlId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("offers nabla's own activations and optimizers, by nabla's names", () => {
    for (const a of ACTIVATION_CHOICES) expect(ACTIVATIONS).toContain(a);
    for (const o of OPTIMIZERS) expect(OPTIMIZER_NAMES).toContain(o);
  });

  it('gives each optimizer the hyperparameters the panel shows for it, and only those', () => {
    const params = [new Parameter(zeros([2]))];
    const group = (o: Optimizer): Record<string, unknown> => ({ ...o.paramGroups[0] });
    const s = (over: Partial<Settings>): Settings => ({
      ...structuredClone(DEFAULT_SETTINGS),
      ...over,
    });
    expect(
      group(makeOptimizer(s({ optimizer: 'momentum', momentum: 0.5, lr: 0.2 }), params)),
    ).toMatchObject({
      lr: 0.2,
      momentum: 0.5,
      nesterov: false,
    });
    expect(group(makeOptimizer(s({ optimizer: 'nesterov', momentum: 0.7 }), params))).toMatchObject(
      {
        momentum: 0.7,
        nesterov: true,
      },
    );
    // RMSProp could take a momentum too; the playground's momentum is SGD's alone.
    expect(group(makeOptimizer(s({ optimizer: 'rmsprop', alpha: 0.9 }), params))).toMatchObject({
      alpha: 0.9,
      momentum: 0,
    });
    const adam = makeOptimizer(s({ optimizer: 'adam', beta1: 0.8 }), params);
    expect(group(adam)).toMatchObject({ betas: [0.8, 0.999] });
    retune(adam, s({ optimizer: 'adam', lr: 0.5, beta2: 0.99 }));
    expect(group(adam)).toMatchObject({ lr: 0.5, betas: [0.9, 0.99] });
    expect(group(adam)).not.toHaveProperty('momentum');
  });

  it('keeps a usable feature in regression after the problem or the features change in the panel', () => {
    const s = (over: Partial<Settings>): Settings => ({
      ...structuredClone(DEFAULT_SETTINGS),
      ...over,
    });
    // Unticking x₁ in regression while x₂ is still selected leaves x₂ alone: x₁ comes back.
    const unticked = s({ mode: 'regression', features: ['y'] });
    SETTINGS.features.panel!.onSet!(unticked);
    expect(unticked.features).toEqual(['x']);
    expect(layerSizes(unticked)[0]).toBe(1);
    // Switching to regression with no feature of x₁ alone does the same.
    const switched = s({ mode: 'regression', features: ['y', 'xy'] });
    SETTINGS.mode.panel!.onSet!(switched);
    expect(switched.features).toEqual(['x']);
    // In classification, any non-empty set is usable.
    const classifying = s({ features: ['y'] });
    SETTINGS.features.panel!.onSet!(classifying);
    expect(classifying.features).toEqual(['y']);
  });
});
