/**
 * The settings of projector mode and classroom links, in Node: `large` and `unlock` in the URL
 * (booleans also as 1 and 0), every group of controls, each input feature and the exercise panel
 * hideable, and which links are locked.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTROL_GROUPS, FEATURES, HIDEABLE, featureGroup } from '../../playground/src/choices.js';
import { SETTINGS, SETTING_KEYS } from '../../playground/src/schema.js';
import { CLASSROOM_GROUPS } from '../../playground/src/schema-view.js';
import { DEFAULT_SETTINGS } from '../../playground/src/settings.js';
import { isLocked, settingsFromQuery, settingsToQuery } from '../../playground/src/url.js';

describe('projector mode and classroom links in the URL', () => {
  it('reads large and unlock as true/false or 1/0, and writes them only when on', () => {
    expect(DEFAULT_SETTINGS.large).toBe(false);
    expect(DEFAULT_SETTINGS.unlock).toBe(false);
    for (const on of ['1', 'true']) {
      const { settings, problems } = settingsFromQuery(`?large=${on}&unlock=${on}`);
      expect(problems).toEqual([]);
      expect(settings).toMatchObject({ large: true, unlock: true });
      expect(settingsToQuery(settings)).toBe('large=true&unlock=true');
    }
    const off = settingsFromQuery('?large=0');
    expect(off.settings.large).toBe(false);
    expect(settingsToQuery(off.settings)).toBe('');
    expect(settingsFromQuery('?large=yes').problems).toEqual([
      'URL parameter large="yes": expected one of true, false, 1, 0',
    ]);
  });

  it('hides every group of controls and each input feature', () => {
    expect(HIDEABLE).toEqual([...CONTROL_GROUPS, ...FEATURES.map(featureGroup)]);
    const all = HIDEABLE.join(',');
    const { settings, problems } = settingsFromQuery(`?hide=${all}`);
    expect(problems).toEqual([]);
    expect(settings.hide).toEqual(HIDEABLE);
    expect(settingsToQuery(settings)).toBe(`hide=${all}`);
    expect(settingsFromQuery('?hide=feature-z').problems[0]).toContain('feature-sinx');
    // Every control the panel shows (but the classroom box itself) belongs to a hideable group.
    const ungrouped = SETTING_KEYS.filter((k) => {
      const panel = SETTINGS[k].panel;
      return panel !== undefined && panel.control.type !== 'builder' && panel.group === undefined;
    });
    expect(ungrouped).toEqual([]);
    for (const k of SETTING_KEYS) {
      const group = SETTINGS[k].panel?.group;
      if (group !== undefined) expect(HIDEABLE).toContain(group);
    }
  });

  it('locks a link that hides controls, unless it says unlock', () => {
    expect(isLocked(settingsFromQuery('').settings)).toBe(false);
    expect(isLocked(settingsFromQuery('?hide=optimizer,seed').settings)).toBe(true);
    expect(isLocked(settingsFromQuery('?hide=optimizer,seed&unlock=1').settings)).toBe(false);
  });

  it('hides the exercise panel (hide=exercise) and locks the link', () => {
    expect(CLASSROOM_GROUPS).toContain('exercise');
    const { settings, problems } = settingsFromQuery('?hide=exercise,seed&exercise=staged');
    expect(problems).toEqual([]);
    expect(settings.hide).toEqual(['exercise', 'seed']);
    expect(settingsToQuery(settings)).toContain('hide=exercise,seed');
    expect(isLocked(settings)).toBe(true);
    // Its section carries the group that applyClassroom hides (exercise-e2e checks the page).
    const html = readFileSync(new URL('../../playground/index.html', import.meta.url), 'utf8');
    expect(html).toMatch(/<section[^>]*id="exercise-panel"[^>]*data-group="exercise"/);
  });
});
