import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_SETTINGS, layerSizes, type Settings } from '../../playground/src/settings.js';
import { settingsFromQuery, settingsToQuery } from '../../playground/src/url.js';

describe('playground settings in the URL', () => {
  it('writes only what differs from the defaults, and reads it back', () => {
    const s: Settings = {
      ...structuredClone(DEFAULT_SETTINGS),
      dataset: 'spiral',
      classes: 3,
      hidden: [16, 4],
      optimizer: 'nesterov',
      lr: 0.05,
      batchSize: 'full',
      seed: 42,
      features: ['x', 'y', 'xy'],
      hide: ['optimizer', 'seed'],
    };
    const q = settingsToQuery(s);
    expect(q).toBe(
      'data=spiral&classes=3&features=x,y,xy&hidden=16,4&optimizer=nesterov&lr=0.05&batch=full&seed=42&hide=optimizer,seed',
    );
    expect(settingsFromQuery(`?${q}`)).toEqual({ settings: s, problems: [] });
    expect(settingsToQuery(structuredClone(DEFAULT_SETTINGS) as Settings)).toBe('');
  });

  it('round-trips any valid settings (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          hidden: fc.array(fc.integer({ min: 1, max: 16 }), { maxLength: 4 }),
          lr: fc.double({ min: 1e-6, max: 10, noNaN: true }),
          batchSize: fc.oneof(fc.constant<'full'>('full'), fc.integer({ min: 1, max: 2000 })),
          noise: fc.double({ min: 0, max: 1, noNaN: true }),
          discretize: fc.boolean(),
        }),
        (over) => {
          const s = { ...structuredClone(DEFAULT_SETTINGS), ...over } as Settings;
          expect(settingsFromQuery(settingsToQuery(s)).settings).toEqual(s);
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });

  it('names each parameter it cannot read, and keeps its default', () => {
    const { settings, problems } = settingsFromQuery(
      '?data=swirl&hidden=3,99&lr=-1&batch=0&optimizer=adam&colour=red',
    );
    expect(settings.dataset).toBe('circles');
    expect(settings.hidden).toEqual([8, 8]);
    expect(settings.optimizer).toBe('adam');
    expect(problems).toEqual([
      'URL parameter data="swirl": expected one of circles, xor, gaussians, spiral, moons',
      'URL parameter hidden="3,99": expected up to 4 comma-separated layer sizes from 1 to 16 (empty: no hidden layer)',
      'URL parameter lr="-1": expected a number from 0.000001 to 10',
      'URL parameter batch="0": expected an integer from 1 to 2000',
      expect.stringMatching(/^unknown URL parameter "colour" \(known: mode, data, /),
    ]);
  });

  it('keeps a usable feature in regression: a link with none of x₁ alone gets x₁, and says so', () => {
    // x₂ alone would leave a regression network (a function of x₁) with no input at all.
    const { settings, problems } = settingsFromQuery('?mode=regression&features=y');
    expect(settings.mode).toBe('regression');
    expect(settings.features).toEqual(['x']);
    expect(layerSizes(settings)[0]).toBe(1);
    expect(problems).toEqual([
      'URL parameter features="y": regression uses only features of x₁ alone (x, x2, sinx); using x',
    ]);
    // The order of the parameters does not matter, and a usable set is kept as it is.
    expect(settingsFromQuery('?features=y&mode=regression').settings.features).toEqual(['x']);
    expect(settingsFromQuery('?mode=regression&features=y,sinx')).toMatchObject({
      settings: { features: ['y', 'sinx'] },
      problems: [],
    });
  });
});
