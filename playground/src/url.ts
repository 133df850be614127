/**
 * Settings in the URL's query string, so that a configuration (seed included) can be shared:
 * `?data=spiral&classes=3&hidden=16,16&activation=tanh&optimizer=adam&lr=0.01&seed=7&hide=optimizer`.
 * Only values that differ from the defaults are written. A value that cannot be read is left at its
 * default and reported, naming the parameter, the value and what was expected.
 */
import {
  ACTIVATIONS,
  DATASETS,
  DEFAULT_SETTINGS,
  FEATURES,
  HIDEABLE,
  LOSSES,
  MAX_CLASSES,
  MAX_LAYERS,
  MAX_NEURONS,
  MODES,
  OPTIMIZERS,
  type Settings,
} from './settings.js';

type Reader = (value: string) => unknown;

const oneOf =
  (options: readonly string[]): Reader =>
  (v) => {
    if (!options.includes(v)) throw new Error(`one of ${options.join(', ')}`);
    return v;
  };

const number =
  (min: number, max: number, integer = false): Reader =>
  (v) => {
    const n = Number(v);
    if (
      v.trim() === '' ||
      !Number.isFinite(n) ||
      n < min ||
      n > max ||
      (integer && !Number.isInteger(n))
    )
      throw new Error(`${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
    return n;
  };

const list =
  (options: readonly string[], allowEmpty: boolean): Reader =>
  (v) => {
    const items = v === '' ? [] : v.split(',');
    if (items.some((i) => !options.includes(i)) || (!allowEmpty && items.length === 0))
      throw new Error(`a comma-separated list of ${options.join(', ')}`);
    return [...new Set(items)];
  };

/** URL parameter → [settings field, reader, writer]. */
const PARAMS: Record<string, [keyof Settings, Reader, (v: never) => string]> = {
  mode: ['mode', oneOf(MODES), String],
  data: ['dataset', oneOf(DATASETS), String],
  classes: ['classes', number(2, MAX_CLASSES, true), String],
  samples: ['samples', number(20, 2000, true), String],
  noise: ['noise', number(0, 1), String],
  train: ['trainRatio', number(0.1, 0.9), String],
  features: ['features', list(FEATURES, false), (v: string[]) => v.join(',')],
  hidden: [
    'hidden',
    (v) => {
      const sizes = v === '' ? [] : v.split(',').map(Number);
      if (
        sizes.length > MAX_LAYERS ||
        sizes.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_NEURONS)
      )
        throw new Error(
          `up to ${MAX_LAYERS} comma-separated layer sizes from 1 to ${MAX_NEURONS} (empty: no hidden layer)`,
        );
      return sizes;
    },
    (v: number[]) => v.join(','),
  ],
  activation: ['activation', oneOf(ACTIVATIONS), String],
  loss: ['loss', oneOf(LOSSES), String],
  optimizer: ['optimizer', oneOf(OPTIMIZERS), String],
  lr: ['lr', number(1e-6, 10), String],
  momentum: ['momentum', number(0, 0.999), String],
  beta1: ['beta1', number(0, 0.9999), String],
  beta2: ['beta2', number(0, 0.99999), String],
  alpha: ['alpha', number(0, 0.9999), String],
  batch: [
    'batchSize',
    (v) => (v === 'full' ? 'full' : number(1, 2000, true)(v)),
    (v: number | 'full') => String(v),
  ],
  l2: ['l2', number(0, 1), String],
  dropout: ['dropout', number(0, 0.9), String],
  jitter: ['jitter', number(0, 1), String],
  seed: ['seed', number(0, 2 ** 31 - 1, true), String],
  discretize: ['discretize', oneOf(['true', 'false']), String],
  hide: ['hide', list(HIDEABLE, true), (v: string[]) => v.join(',')],
};

/** The settings a query string describes, and a message for each parameter that was not understood. */
export function settingsFromQuery(query: string): { settings: Settings; problems: string[] } {
  const params = new URLSearchParams(query);
  const settings: Settings = structuredClone(DEFAULT_SETTINGS) as Settings;
  const problems: string[] = [];
  for (const [key, value] of params) {
    const entry = PARAMS[key];
    if (entry === undefined) {
      problems.push(`unknown URL parameter "${key}" (known: ${Object.keys(PARAMS).join(', ')})`);
      continue;
    }
    const [field, read] = entry;
    try {
      const v = read(value);
      (settings as unknown as Record<string, unknown>)[field] =
        field === 'discretize' ? v === 'true' : v;
    } catch (e) {
      problems.push(
        `URL parameter ${key}=${JSON.stringify(value)}: expected ${(e as Error).message}`,
      );
    }
  }
  return { settings, problems };
}

/** The query string (without '?') of the settings that differ from the defaults. */
export function settingsToQuery(s: Settings): string {
  const params = new URLSearchParams();
  for (const [key, [field, , write]] of Object.entries(PARAMS)) {
    const value = write(s[field] as never);
    const fallback = write(DEFAULT_SETTINGS[field] as never);
    if (value !== fallback) params.set(key, value);
  }
  return params.toString().replace(/%2C/g, ',');
}
