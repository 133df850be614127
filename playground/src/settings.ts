/**
 * The settings of a run (their schema is schema.ts): the defaults, the reading of a value from its
 * text, and what follows from them — the classes, the layer sizes, the seed of a random restart.
 */
import { isOneD } from './choices.js';
import { isCurve } from './rules.js';
import { SCHEMA, SETTING_KEYS, SETTINGS, type SettingKey, type Settings } from './schema.js';

export type { Settings } from './schema.js';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(
  Object.fromEntries(SETTING_KEYS.map((k) => [k, structuredClone(SCHEMA[k].default)])) as Settings,
);

/** Sets `s[key]` from the text of its value (the URL's); throws what was expected. */
export function readSetting<K extends SettingKey>(s: Settings, key: K, text: string): void {
  s[key] = SETTINGS[key].read(text);
}

/** Classes of the data the settings describe (1 output for regression). */
export function classCount(s: Settings): number {
  if (s.mode === 'regression') return 1;
  return s.dataset === 'spiral' || s.dataset === 'gaussians' ? s.classes : 2;
}

/** The layer sizes of the network: inputs, hidden layers, outputs. */
export function layerSizes(s: Settings): number[] {
  const inputs = isCurve(s) ? s.features.filter(isOneD).length : s.features.length;
  return [inputs, ...s.hidden, classCount(s)];
}

/**
 * The seed of a random restart after `seed`: the next value of the generator
 * (seed·1103515245 + 12345) mod (2³¹ − 1), in 0 … 2³¹ − 2. The product passes 2⁵³, where doubles
 * lose its low bits, so it is computed in BigInt.
 */
export function restartSeed(seed: number): number {
  return Number((BigInt(seed) * 1103515245n + 12345n) % 2147483647n);
}
