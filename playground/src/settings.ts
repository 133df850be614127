/**
 * Everything a run of the playground depends on, in one plain object: the data, the network, the
 * training, the seed and what the page hides. The URL carries it (see url.ts), so a configuration
 * can be shared and repeated.
 */

export const DATASETS = ['circles', 'xor', 'gaussians', 'spiral', 'moons'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const MODES = ['classification', 'regression'] as const;
export type Mode = (typeof MODES)[number];

/** Input features, as in the TensorFlow Playground: the raw coordinates and a few of their functions. */
export const FEATURES = ['x', 'y', 'x2', 'y2', 'xy', 'sinx', 'siny'] as const;
export type Feature = (typeof FEATURES)[number];
export const FEATURE_LABELS: Record<Feature, string> = {
  x: 'x₁',
  y: 'x₂',
  x2: 'x₁²',
  y2: 'x₂²',
  xy: 'x₁x₂',
  sinx: 'sin x₁',
  siny: 'sin x₂',
};

export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'step'] as const;
export type ActivationChoice = (typeof ACTIVATIONS)[number];

export const LOSSES = ['crossEntropy', 'mse'] as const;
export type LossChoice = (typeof LOSSES)[number];
export const LOSS_LABELS: Record<LossChoice, string> = {
  crossEntropy: 'cross-entropy',
  mse: 'squared error',
};

export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;
export type OptimizerChoice = (typeof OPTIMIZERS)[number];
export const OPTIMIZER_LABELS: Record<OptimizerChoice, string> = {
  sgd: 'SGD',
  momentum: 'SGD + momentum',
  nesterov: 'Nesterov',
  adagrad: 'Adagrad',
  rmsprop: 'RMSProp',
  adam: 'Adam',
};
/** A learning rate each optimizer trains the toy data well with. */
export const DEFAULT_LR: Record<OptimizerChoice, number> = {
  sgd: 0.1,
  momentum: 0.03,
  nesterov: 0.03,
  adagrad: 0.1,
  rmsprop: 0.01,
  adam: 0.01,
};

/** Limits of the network the page draws legibly. */
export const MAX_LAYERS = 4;
export const MAX_NEURONS = 16;
export const MAX_CLASSES = 5;

/** The controls a classroom link can hide (`hide=` in the URL). */
export const HIDEABLE = [
  'data',
  'features',
  'network',
  'activation',
  'loss',
  'optimizer',
  'regularization',
  'seed',
] as const;
export type Hideable = (typeof HIDEABLE)[number];

export interface Settings {
  mode: Mode;
  dataset: DatasetName;
  /** Classes of the generated data (2 … 5; spiral and gaussians only, the others have 2). */
  classes: number;
  /** Points generated (training and test together). */
  samples: number;
  /** Standard deviation of the noise on each coordinate. */
  noise: number;
  /** Fraction of the points used for training; the rest are the test set. */
  trainRatio: number;
  features: Feature[];
  /** Neurons of each hidden layer. */
  hidden: number[];
  activation: ActivationChoice;
  loss: LossChoice;
  optimizer: OptimizerChoice;
  lr: number;
  /** β of momentum and Nesterov. */
  momentum: number;
  /** Adam's β₁ and β₂: decay of the running mean of the gradient and of its square. */
  beta1: number;
  beta2: number;
  /** RMSProp's α: decay of the running mean of the squared gradient. */
  alpha: number;
  /** Examples per step; 'full' is full-batch gradient descent, 1 is stochastic. */
  batchSize: number | 'full';
  /** L2 penalty λ/2·Σ‖W‖² added to the loss. */
  l2: number;
  /** Dropout probability after each hidden activation. */
  dropout: number;
  /** σ of the Gaussian noise added to the inputs at each step. */
  jitter: number;
  /** Seed of the data, the initial weights, the shuffling, dropout and jitter. */
  seed: number;
  /** Draw the boundary as hard classes instead of shaded probabilities. */
  discretize: boolean;
  /** Controls hidden in classroom mode. */
  hide: Hideable[];
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  mode: 'classification',
  dataset: 'circles',
  classes: 2,
  samples: 500,
  noise: 0.1,
  trainRatio: 0.5,
  features: ['x', 'y'],
  hidden: [8, 8],
  activation: 'tanh',
  loss: 'crossEntropy',
  optimizer: 'adam',
  lr: 0.01,
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  alpha: 0.99,
  batchSize: 32,
  l2: 0,
  dropout: 0,
  jitter: 0,
  seed: 1,
  discretize: false,
  hide: [],
} satisfies Settings);

/** Classes of the data the settings describe (1 output for regression). */
export function classCount(s: Settings): number {
  if (s.mode === 'regression') return 1;
  return s.dataset === 'spiral' || s.dataset === 'gaussians' ? s.classes : 2;
}

/** The layer sizes of the network: inputs, hidden layers, outputs. */
export function layerSizes(s: Settings): number[] {
  const inputs = s.mode === 'regression' ? s.features.filter(isOneD).length : s.features.length;
  return [inputs, ...s.hidden, classCount(s)];
}

/** Features of x₁ alone: the ones regression (a function of one variable) uses. */
export function isOneD(f: Feature): boolean {
  return f === 'x' || f === 'x2' || f === 'sinx';
}
