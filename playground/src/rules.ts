/**
 * The rules between settings that no single schema entry states: which optimizer reads which
 * hyperparameter, and which features regression can use. The schema (schema.ts) and the panel,
 * URL and model files read them here.
 */
import { FEATURES, isOneD, type OptimizerChoice } from './choices.js';
import type { SettingKey, Settings } from './schema.js';

/** The settings each optimizer reads besides the learning rate (the panel shows just those). */
export const OPTIMIZER_SETTINGS: Record<OptimizerChoice, readonly SettingKey[]> = {
  sgd: [],
  momentum: ['momentum'],
  nesterov: ['momentum'],
  adagrad: [],
  rmsprop: ['alpha'],
  adam: ['beta1', 'beta2'],
};
/** Whether the chosen optimizer reads the setting `key`. */
export const readsSetting = (s: Settings, key: SettingKey): boolean =>
  OPTIMIZER_SETTINGS[s.optimizer].includes(key);

/** Whether the settings fit a curve y = f(x₁): regression of the 1-D target, which reads x₁ alone. */
export const isCurve = (s: Pick<Settings, 'mode' | 'target'>): boolean =>
  s.mode === 'regression' && s.target === 'curve';

/** What `keepRegressionFeatures` keeps to (a curve y = f(x₁)), for the messages of the URL and of model files. */
export const REGRESSION_FEATURES = `regression uses only features of x₁ alone (${FEATURES.filter(isOneD).join(', ')})`;

/**
 * The rule between settings no single entry can check: a regression curve is a function of x₁, so
 * it needs a feature of x₁ alone; if none is chosen, x₁ itself is (the 2-D targets read them all). Returns whether it changed `s`. The panel
 * applies it after a change of the problem or of the features, the URL and a model file after reading.
 */
export function keepRegressionFeatures(s: Settings): boolean {
  if (!isCurve(s) || s.features.some(isOneD)) return false;
  s.features = ['x'];
  return true;
}
