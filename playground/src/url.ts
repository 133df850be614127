/**
 * Settings in the URL's query string, so that a configuration (seed included) can be shared:
 * `?data=spiral&classes=3&hidden=16,16&activation=tanh&optimizer=adam&lr=0.01&seed=7&hide=optimizer`.
 * Each setting's parameter name, text form and validation are its schema entry's (schema.ts). Only
 * values that differ from the defaults are written. A value that cannot be read is left at its
 * default and reported, naming the parameter, the value and what was expected; so is a set of
 * features regression cannot use (schema.ts, keepRegressionFeatures).
 */
import {
  keepRegressionFeatures,
  REGRESSION_FEATURES,
  SETTINGS,
  SETTING_KEYS,
  type SettingKey,
  type Settings,
} from './schema.js';
import { DEFAULT_SETTINGS, readSetting } from './settings.js';

/** The URL parameter of a setting. */
export const urlName = (key: SettingKey): string => SETTINGS[key].url ?? key;

const BY_PARAM = new Map(SETTING_KEYS.map((k) => [urlName(k), k]));

/** The settings a query string describes, and a message for each parameter that was not understood. */
export function settingsFromQuery(query: string): { settings: Settings; problems: string[] } {
  const settings = structuredClone(DEFAULT_SETTINGS) as Settings;
  const problems: string[] = [];
  const params = new URLSearchParams(query);
  for (const [param, value] of params) {
    const key = BY_PARAM.get(param);
    if (key === undefined) {
      problems.push(`unknown URL parameter "${param}" (known: ${[...BY_PARAM.keys()].join(', ')})`);
      continue;
    }
    try {
      readSetting(settings, key, value);
    } catch (e) {
      problems.push(
        `URL parameter ${param}=${JSON.stringify(value)}: expected ${(e as Error).message}`,
      );
    }
  }
  const features = urlName('features');
  if (keepRegressionFeatures(settings))
    problems.push(
      `URL parameter ${features}=${JSON.stringify(params.get(features) ?? '')}: ${REGRESSION_FEATURES}; using ${textOf(settings, 'features')}`,
    );
  return { settings, problems };
}

/** The text of a setting's value. */
function textOf<K extends SettingKey>(s: Readonly<Settings>, key: K): string {
  return SETTINGS[key].write(s[key]);
}

/** The query string (without '?') of the settings that differ from the defaults. */
export function settingsToQuery(s: Settings): string {
  const params = new URLSearchParams();
  for (const key of SETTING_KEYS) {
    const value = textOf(s, key);
    if (value !== textOf(DEFAULT_SETTINGS, key)) params.set(urlName(key), value);
  }
  return params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

/**
 * Whether a page opened with these settings (from its URL) is a locked classroom link: one that
 * hides controls and does not say `unlock=1`. It shows no box to bring them back.
 */
export const isLocked = (s: Readonly<Settings>): boolean => s.hide.length > 0 && !s.unlock;
