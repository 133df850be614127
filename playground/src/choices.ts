/**
 * The names the settings choose among — data sets, input features, activations, losses, optimizers,
 * the groups of controls a classroom link hides — with their labels, and the limits of the network.
 * The activations and optimizers are nabla's own, by its names.
 */
import type { ActivationName, OptimizerName } from 'nabla';

export const DATASETS = ['circles', 'xor', 'gaussians', 'spiral', 'moons'] as const;
export type DatasetName = (typeof DATASETS)[number];

/**
 * What regression fits: a curve y = f(x₁) of one input, or a function of the plane as TensorFlow
 * Playground's regression sets — a tilted plane y = a·x₁ + b·x₂, or a sum of Gaussian bumps.
 */
export const TARGETS = ['curve', 'plane', 'gauss'] as const;
export type Target = (typeof TARGETS)[number];
export const TARGET_LABELS: Record<Target, string> = {
  curve: 'curve y = f(x₁)',
  plane: 'plane y = a·x₁ + b·x₂',
  gauss: 'multi-Gaussian bumps',
};

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

/** The activations of the lectures, a subset of nabla's (its ACTIVATIONS). */
export const ACTIVATION_CHOICES = [
  'tanh',
  'relu',
  'sigmoid',
  'step',
] as const satisfies readonly ActivationName[];
export type ActivationChoice = (typeof ACTIVATION_CHOICES)[number];

export const LOSSES = ['crossEntropy', 'mse'] as const;
export type LossChoice = (typeof LOSSES)[number];
export const LOSS_LABELS: Record<LossChoice, string> = {
  crossEntropy: 'cross-entropy',
  mse: 'squared error',
};

/** The optimizers of the lectures, by nabla's names (its OPTIMIZER_NAMES, for createOptimizer). */
export const OPTIMIZERS = [
  'sgd',
  'momentum',
  'nesterov',
  'adagrad',
  'rmsprop',
  'adam',
] as const satisfies readonly OptimizerName[];
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

/**
 * How fast Play trains, in epochs (passes over the training set) per second: from "only Step
 * trains" through about one epoch a frame to as fast as the machine goes. The default, 10 epochs a
 * second, lets a class watch the boundary form over several seconds (TensorFlow Playground runs
 * about 40 of its epochs a second, each a smaller step than one of Adam's epochs here).
 */
export const SPEEDS = ['step', '1', '3', '10', '30', '60', 'max'] as const;
export type Speed = (typeof SPEEDS)[number];
export const SPEED_LABELS: Record<Speed, string> = {
  step: 'one step per click',
  '1': '1 epoch/s',
  '3': '3 epochs/s',
  '10': '10 epochs/s',
  '30': '30 epochs/s',
  '60': '60 epochs/s (one a frame)',
  max: 'as fast as it goes',
};
/** Epochs per second of a speed: 0 when only Step trains, Infinity when unpaced. */
export function epochsPerSecond(speed: Speed): number {
  return speed === 'step' ? 0 : speed === 'max' ? Infinity : Number(speed);
}

/** What one press of Step trains: one mini-batch (one step of gradient descent) or one epoch. */
export const STEP_UNITS = ['batch', 'epoch'] as const;
export type StepUnit = (typeof STEP_UNITS)[number];

/** Limits of the network the page draws legibly. */
export const MAX_LAYERS = 4;
export const MAX_NEURONS = 16;
export const MAX_CLASSES = 5;

/**
 * The groups of controls a classroom link can hide (`hide=` in the URL): every group of the page's
 * controls, and each input feature alone (`feature-x2`: the x₁² box).
 */
export const CONTROL_GROUPS = [
  'data',
  'features',
  'network',
  'activation',
  'loss',
  'optimizer',
  'regularization',
  'seed',
  'restart',
  'pace',
  'display',
  'click',
  'file',
  'exercise',
] as const;
export type ControlGroup = (typeof CONTROL_GROUPS)[number];
/** The classroom name of one input feature's box. */
export const featureGroup = (f: Feature): `feature-${Feature}` => `feature-${f}`;
export const HIDEABLE: readonly Hideable[] = [...CONTROL_GROUPS, ...FEATURES.map(featureGroup)];
export type Hideable = ControlGroup | `feature-${Feature}`;
/** What each group holds, for the classroom box. */
export const CONTROL_GROUP_LABELS: Record<ControlGroup, string> = {
  data: 'data set and points',
  features: 'input features (all)',
  network: 'network: layers, activation, loss',
  activation: 'activation',
  loss: 'loss',
  optimizer: 'optimizer and batch',
  regularization: 'regularization',
  seed: 'seed',
  restart: 'restart button',
  pace: 'speed and step size',
  display: 'display options',
  click: 'clicking on the plane',
  file: 'model file and link',
  exercise: 'the exercise panel',
};

/** Features of x₁ alone: the ones regression (a function of one variable) uses. */
export function isOneD(f: Feature): boolean {
  return f === 'x' || f === 'x2' || f === 'sinx';
}
