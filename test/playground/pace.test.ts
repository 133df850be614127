import { describe, expect, it } from 'vitest';
import { epochsPerSecond, SPEEDS } from '../../playground/src/choices.js';
import { generate, split } from '../../playground/src/data.js';
import { stepButton } from '../../playground/src/pace.js';
import { DEFAULT_SETTINGS, type Settings } from '../../playground/src/settings.js';
import { Trainer } from '../../playground/src/trainer.js';
import { settingsFromQuery, settingsToQuery } from '../../playground/src/url.js';

const settings = (over: Partial<Settings> = {}): Settings => ({
  ...structuredClone(DEFAULT_SETTINGS),
  ...over,
});

describe('the pace of the playground', () => {
  it('runs from one step per click to as fast as it goes, 10 epochs a second by default', () => {
    expect(SPEEDS.map(epochsPerSecond)).toEqual([0, 1, 3, 10, 30, 60, Infinity]);
    expect(DEFAULT_SETTINGS).toMatchObject({ speed: '10', stepBy: 'batch', noise: 0 });
  });

  it('carries the speed and the size of Step in the URL', () => {
    const s = settings({ speed: 'max', stepBy: 'epoch' });
    expect(settingsToQuery(s)).toBe('speed=max&step=epoch');
    expect(settingsFromQuery('?speed=max&step=epoch')).toEqual({ settings: s, problems: [] });
    expect(settingsFromQuery('?speed=fast').problems).toEqual([
      'URL parameter speed="fast": expected one of step, 1, 3, 10, 30, 60, max',
    ]);
  });

  it('steps by one epoch: the batches to the end of the pass, and the epoch counts at once', () => {
    const s = settings();
    const t = new Trainer(s, split(generate(s), s.trainRatio));
    // 250 training points in batches of 32: 8 steps an epoch, the last of 26 points.
    expect(t.stepsPerEpoch()).toBe(8);
    t.stepOnce();
    expect([t.step, t.epoch]).toEqual([1, 0]);
    t.stepEpoch();
    expect([t.step, t.epoch]).toEqual([8, 1]);
    t.stepEpoch();
    expect([t.step, t.epoch]).toEqual([16, 2]);
    const full = settings({ batchSize: 'full' });
    const f = new Trainer(full, split(generate(full), full.trainRatio));
    f.stepEpoch();
    expect([f.stepsPerEpoch(), f.step, f.epoch]).toEqual([1, 1, 1]);
  });

  it('says on the Step button which it trains, with the run’s numbers', () => {
    expect(stepButton(settings(), 250)).toEqual({
      text: 'Step: 1 batch',
      title:
        'Train one mini-batch of 32 of the 250 training points: one step of gradient descent (8 make an epoch)',
    });
    expect(stepButton(settings({ stepBy: 'epoch' }), 250).text).toBe('Step: 1 epoch');
    expect(stepButton(settings({ stepBy: 'epoch' }), 250).title).toMatch(
      /^Train one epoch: 8 mini-batches of 32, one pass over the 250 training points/,
    );
    expect(stepButton(settings({ batchSize: 'full' }), 250).title).toMatch(/all 250 training/);
  });

  it('measures the test accuracy with the losses (NaN in regression)', () => {
    const s = settings({ dataset: 'gaussians' });
    const t = new Trainer(s, split(generate(s), s.trainRatio));
    for (let i = 0; i < 40; i++) t.stepOnce();
    const m = t.evaluate();
    expect(m.testAccuracy).toBeGreaterThan(0.95);
    expect(m).toMatchObject(t.losses());
    const r = settings({ mode: 'regression', features: ['x'] });
    expect(new Trainer(r, split(generate(r), r.trainRatio)).evaluate().testAccuracy).toBeNaN();
  });
});
