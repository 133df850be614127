/**
 * Every setting of the playground, one entry each: its kind, default, range or choices, URL
 * parameter, and the control the panel shows for it. The `Settings` type, the defaults
 * (settings.ts), the URL codec (url.ts) and the control panel (panel.ts) are all read from here, so
 * a new setting is one entry below. The entries' order is the panel's order and the URL's.
 */
import { choice, custom, list, number, readNumber, type Setting } from './setting-kinds.js';
import {
  ACTIVATION_CHOICES,
  DATASETS,
  DEFAULT_LR,
  FEATURES,
  LOSS_LABELS,
  LOSSES,
  MAX_CLASSES,
  MAX_LAYERS,
  MAX_NEURONS,
  MODES,
  OPTIMIZER_LABELS,
  OPTIMIZERS,
  SPEED_LABELS,
  SPEEDS,
  STEP_UNITS,
  TARGET_LABELS,
  TARGETS,
} from './choices.js';
import { keepRegressionFeatures, readsSetting } from './rules.js';
import { VIEW_SETTINGS } from './schema-view.js';
import { readExerciseCode } from './views/exercise-model.js';

export {
  isCurve,
  keepRegressionFeatures,
  OPTIMIZER_SETTINGS,
  readsSetting,
  REGRESSION_FEATURES,
} from './rules.js';

const classification = (s: Settings): boolean => s.mode === 'classification';

export const SCHEMA = {
  mode: choice({
    choices: MODES,
    labels: { classification: 'classification', regression: 'regression (fit a value)' },
    default: 'classification',
    panel: {
      root: 'data',
      label: 'Problem',
      group: 'data',
      change: 'data',
      rebuild: true,
      onSet: keepRegressionFeatures,
    },
  }),
  dataset: choice({
    choices: DATASETS,
    default: 'circles',
    url: 'data',
    panel: {
      root: 'data',
      label: 'Data set',
      group: 'data',
      change: 'data',
      rebuild: true,
      visible: classification,
    },
  }),
  /** What regression fits: a curve of x₁, or a plane or Gaussian bumps over (x₁, x₂) (data.ts). */
  target: choice({
    choices: TARGETS,
    labels: TARGET_LABELS,
    default: 'curve',
    panel: {
      root: 'data',
      label: 'Data set',
      title: 'the function the network fits from noisy samples',
      group: 'data',
      change: 'data',
      rebuild: true,
      visible: (s): boolean => s.mode === 'regression',
      onSet: keepRegressionFeatures,
    },
  }),
  /** Classes of the generated data (2 … 5; spiral and gaussians only, the others have 2). */
  classes: number({
    min: 2,
    max: MAX_CLASSES,
    integer: true,
    default: 2,
    panel: {
      root: 'data',
      label: 'Classes',
      title: 'more than two classes: softmax output',
      group: 'data',
      change: 'data',
      visible: (s): boolean =>
        s.mode === 'classification' && (s.dataset === 'spiral' || s.dataset === 'gaussians'),
    },
  }),
  /** σ of the noise on each coordinate; 0 by default (as TF Playground): every set learns cleanly. */
  noise: number({
    min: 0,
    max: 1,
    default: 0,
    panel: {
      root: 'data',
      label: 'Noise σ',
      title: 'added to each coordinate (the gaussians’ blobs have their own spread of 0.2 besides)',
      group: 'data',
      change: 'data',
      slider: { max: 0.5, step: 0.01 },
    },
  }),
  /** Fraction of the points used for training; the rest are the test set. */
  trainRatio: number({
    min: 0.1,
    max: 0.9,
    default: 0.5,
    url: 'train',
    panel: {
      root: 'data',
      label: 'Training share',
      title: 'fraction of the points used for training; the rest are test points',
      group: 'data',
      change: 'data',
      slider: { step: 0.05 },
    },
  }),
  /** Points generated (training and test together). */
  samples: number({
    min: 20,
    max: 2000,
    integer: true,
    default: 500,
    panel: { root: 'data', label: 'Points', group: 'data', change: 'data', step: 10 },
  }),
  features: list({
    options: FEATURES,
    allowEmpty: false,
    default: ['x', 'y'],
    panel: {
      root: 'features',
      label: 'Input features',
      group: 'features',
      change: 'network',
      rebuild: true,
      builder: 'features',
      onSet: keepRegressionFeatures,
    },
  }),
  /** Neurons of each hidden layer. */
  hidden: custom<number[]>({
    default: [8, 8],
    read: (v) => {
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
    write: (v) => v.join(','),
    panel: {
      root: 'network',
      label: 'Hidden layers',
      group: 'network',
      change: 'network',
      rebuild: true,
      builder: 'layers',
    },
  }),
  activation: choice({
    choices: ACTIVATION_CHOICES,
    labels: { tanh: 'tanh', relu: 'ReLU', sigmoid: 'sigmoid', step: 'unit step' },
    default: 'tanh',
    panel: {
      root: 'network',
      label: 'Activation',
      title:
        'step: the unit step of the flow-diagram lesson; its gradient is 0, so it cannot learn by backprop',
      group: 'activation',
      change: 'network',
      rebuild: true,
    },
  }),
  loss: choice({
    choices: LOSSES,
    labels: LOSS_LABELS,
    default: 'crossEntropy',
    panel: {
      root: 'network',
      label: 'Loss',
      group: 'loss',
      change: 'training',
      visible: classification,
    },
  }),
  optimizer: choice({
    choices: OPTIMIZERS,
    labels: OPTIMIZER_LABELS,
    default: 'adam',
    panel: {
      root: 'training',
      label: 'Optimizer',
      group: 'optimizer',
      change: 'training',
      rebuild: true,
      onSet: (s): void => {
        s.lr = DEFAULT_LR[s.optimizer];
      },
    },
  }),
  lr: number({
    min: 1e-6,
    max: 10,
    default: 0.01,
    panel: { root: 'training', label: 'Learning rate η', group: 'optimizer', change: 'training' },
  }),
  /** β of momentum and Nesterov. */
  momentum: number({
    min: 0,
    max: 0.999,
    default: 0.9,
    panel: {
      root: 'training',
      label: 'Momentum β',
      title: 'v ← β·v + g; the step follows v',
      group: 'optimizer',
      change: 'training',
      visible: (s): boolean => readsSetting(s, 'momentum'),
    },
  }),
  /** Adam's β₁: decay of the running mean of the gradient. */
  beta1: number({
    min: 0,
    max: 0.9999,
    default: 0.9,
    panel: {
      root: 'training',
      label: 'Adam β₁',
      title: 'decay of the running mean of the gradient',
      group: 'optimizer',
      change: 'training',
      visible: (s): boolean => readsSetting(s, 'beta1'),
    },
  }),
  /** Adam's β₂: decay of the running mean of the squared gradient. */
  beta2: number({
    min: 0,
    max: 0.99999,
    default: 0.999,
    panel: {
      root: 'training',
      label: 'Adam β₂',
      title: 'decay of the running mean of the squared gradient',
      group: 'optimizer',
      change: 'training',
      visible: (s): boolean => readsSetting(s, 'beta2'),
    },
  }),
  /** RMSProp's α: decay of the running mean of the squared gradient. */
  alpha: number({
    min: 0,
    max: 0.9999,
    default: 0.99,
    panel: {
      root: 'training',
      label: 'RMSProp α',
      title: 'decay of the running mean of the squared gradient',
      group: 'optimizer',
      change: 'training',
      visible: (s): boolean => readsSetting(s, 'alpha'),
    },
  }),
  /** Examples per step; 'full' is full-batch gradient descent, 1 is stochastic. */
  batchSize: custom<number | 'full'>({
    default: 32,
    url: 'batch',
    read: (v) => (v === 'full' ? 'full' : readNumber(v, { min: 1, max: 2000, integer: true })),
    write: String,
    panel: {
      root: 'training',
      label: 'Batch size',
      title: '1 = stochastic gradient descent; full = (full-)batch gradient descent',
      group: 'optimizer',
      change: 'training',
      options: {
        '1': '1 (stochastic)',
        '8': '8',
        '16': '16',
        '32': '32',
        '64': '64',
        '128': '128',
        full: 'full batch',
      },
    },
  }),
  /** L2 penalty λ/2·Σ‖W‖² added to the loss. */
  l2: number({
    min: 0,
    max: 1,
    default: 0,
    panel: {
      root: 'training',
      label: 'L2 penalty λ',
      title: 'adds λ/2·Σ‖W‖² to the loss',
      group: 'regularization',
      change: 'training',
    },
  }),
  /** Dropout probability after each hidden activation. */
  dropout: number({
    min: 0,
    max: 0.9,
    default: 0,
    panel: {
      root: 'training',
      label: 'Dropout p',
      title: 'probability of dropping each hidden neuron at each step',
      group: 'regularization',
      change: 'network',
      slider: { max: 0.8, step: 0.05 },
    },
  }),
  /** σ of the Gaussian noise added to the inputs at each step. */
  jitter: number({
    min: 0,
    max: 1,
    default: 0,
    panel: {
      root: 'training',
      label: 'Jitter σ',
      title: 'Gaussian noise added to the inputs at each step',
      group: 'regularization',
      change: 'training',
      slider: { max: 0.5, step: 0.01 },
    },
  }),
  /** How fast Play trains (choices.ts, SPEEDS); in the page's header, beside Play. */
  speed: choice({
    choices: SPEEDS,
    labels: SPEED_LABELS,
    default: '10',
    panel: {
      root: 'run',
      label: 'speed',
      title: 'how fast Play trains: an epoch is one pass over the training points',
      group: 'pace',
      change: 'pace',
    },
  }),
  /** What one press of Step trains. */
  stepBy: choice({
    choices: STEP_UNITS,
    labels: { batch: 'one mini-batch', epoch: 'one epoch' },
    default: 'batch',
    url: 'step',
    panel: {
      root: 'run',
      label: 'step trains',
      group: 'pace',
      title:
        'a mini-batch: one step of gradient descent; an epoch: one pass over the training points',
      change: 'pace',
    },
  }),
  /** Seed of the data, the initial weights, the shuffling, dropout and jitter (its box is in the page's header). */
  seed: number({ min: 0, max: 2 ** 31 - 1, integer: true, default: 1 }),
  /** The exercise open in the exercise panel ('' for none), by its code: `staged:0-3`, `random-5-42`. */
  exercise: custom<string>({
    default: '',
    read: (v) => (v === '' ? '' : readExerciseCode(v)),
    write: (v) => v,
  }),
  ...VIEW_SETTINGS,
};

/** The value type of a setting. */
type ValueOf<S> = S extends Setting<infer T> ? T : never;

/**
 * Everything a run of the playground depends on, in one plain object: the data, the network, the
 * training, the seed and what the page hides. The URL carries it (url.ts), so a configuration can
 * be shared and repeated.
 */
export type Settings = { -readonly [K in keyof typeof SCHEMA]: ValueOf<(typeof SCHEMA)[K]> };
export type SettingKey = keyof Settings;

/** The schema with each entry typed by its own value, for code generic over the keys. */
export const SETTINGS: { readonly [K in SettingKey]: Setting<Settings[K]> } = SCHEMA;
/** The settings' keys, in the panel's and the URL's order. */
export const SETTING_KEYS = Object.keys(SCHEMA) as SettingKey[];

/** The element id of a setting's control: its own, or its key in kebab case (trainRatio → train-ratio). */
export const controlId = (key: SettingKey): string =>
  SETTINGS[key].panel?.id ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
