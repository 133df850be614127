/**
 * The data of a model downloaded from the playground, made again as the playground made it: the
 * settings its model.json records (`metadata.playground.settings`), the toy set drawn with them,
 * moons centred on the plane, the gaussians' own spread, the first `trainRatio` of the points for
 * training and the rest for testing, and the input features (x₁, x₂, x₁², …) of each point. So
 * `nabla evaluate` scores such a model on the very test points the playground scored it on, and
 * `nabla predict` takes points of the playground's plane. test/cli/playground-model.test.ts holds
 * this file to playground/src/data.ts and features.ts.
 *
 * @module
 */
import type { LabeledData } from '../data/dataset.js';
import { circles, gaussians, moons, spiral, xor } from '../data/toy.js';
import type { Metadata } from '../io/model-schema.js';
import { integer, list, number, object, optional, readJson, string } from '../io/schema.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { UsageError } from './errors.js';

/** The playground's data sets and input features (playground/src/choices.ts). */
const DATASETS = ['circles', 'xor', 'gaussians', 'spiral', 'moons'] as const;
const FEATURES = ['x', 'y', 'x2', 'y2', 'xy', 'sinx', 'siny'] as const;
type Feature = (typeof FEATURES)[number];

/** The gaussians' own spread before the settings' noise (playground/src/data.ts). */
const GAUSSIAN_SPREAD = 0.2;

/** What the data of a playground model depends on, checked within the playground's limits. */
const SETTINGS = object(
  {
    mode: optional(string(['classification', 'regression'])),
    dataset: optional(string(DATASETS)),
    classes: optional(integer({ min: 2, max: 5 })),
    noise: optional(number({ min: 0, max: 1 })),
    trainRatio: optional(number({ min: 0.1, max: 0.9 })),
    samples: optional(integer({ min: 20, max: 2000 })),
    seed: optional(integer({ min: 0, max: 2 ** 31 - 1 })),
    features: optional(list(string(FEATURES), { min: 1 })),
    loss: optional(string(['crossEntropy', 'mse'] as const)),
  },
  'the playground settings',
);

/** A playground model's data settings, the playground's defaults filled in. */
export interface PlaygroundSettings {
  dataset: (typeof DATASETS)[number];
  classes: number;
  noise: number;
  trainRatio: number;
  samples: number;
  seed: number;
  features: Feature[];
  loss: 'crossEntropy' | 'mse';
}

/** Whether `name` is one of the playground's data sets (for `--data` over a playground model). */
export const isPlaygroundDataset = (name: string): name is PlaygroundSettings['dataset'] =>
  (DATASETS as readonly string[]).includes(name);

/**
 * The data settings of a model the playground saved, or undefined for a model `nabla train`
 * saved. A regression model is refused: evaluate and predict score classifiers.
 */
export function playgroundSettings(
  metadata: Metadata | undefined,
  file: string,
): PlaygroundSettings | undefined {
  const saved = (metadata?.playground as { settings?: unknown } | undefined)?.settings;
  if (saved === undefined) return undefined;
  const s = readJson(SETTINGS, saved, file, 'metadata.playground.settings');
  if (s.mode === 'regression')
    throw new UsageError(
      `${file} holds a regression model from the playground; nabla evaluate and predict take classifiers`,
    );
  // The playground's defaults (playground/src/schema.ts) for what a file leaves out.
  return {
    dataset: s.dataset ?? 'circles',
    classes: s.classes ?? 2,
    noise: s.noise ?? 0,
    trainRatio: s.trainRatio ?? 0.5,
    samples: s.samples ?? 500,
    seed: s.seed ?? 1,
    features: s.features ?? ['x', 'y'],
    loss: s.loss ?? 'crossEntropy',
  };
}

/** The points of the settings' data set as the playground draws them: [x₁, x₂, …] and labels. */
function points(s: PlaygroundSettings): { points: number[]; labels: number[] } {
  const base = { samples: s.samples, noise: s.noise, seed: s.seed };
  const classes = s.dataset === 'spiral' || s.dataset === 'gaussians' ? s.classes : undefined;
  const d =
    s.dataset === 'circles'
      ? circles(base)
      : s.dataset === 'xor'
        ? xor(base)
        : s.dataset === 'moons'
          ? moons(base)
          : s.dataset === 'spiral'
            ? spiral({ ...base, classes })
            : gaussians({ ...base, noise: Math.hypot(GAUSSIAN_SPREAD, s.noise), classes });
  const p = Array.from(d.x.data);
  if (s.dataset === 'moons') {
    // Moons spans x ∈ [-1, 2], y ∈ [-0.5, 1]: the playground centres it on its plane.
    for (let i = 0; i < p.length; i += 2) {
      p[i] = (p[i] - 0.5) * 1.2;
      p[i + 1] = (p[i + 1] - 0.25) * 1.2;
    }
  }
  return { points: p, labels: Array.from(d.y.data) };
}

function featureValue(f: Feature, x: number, y: number): number {
  const values: Record<Feature, () => number> = {
    x: () => x,
    y: () => y,
    x2: () => x * x,
    y2: () => y * y,
    xy: () => x * y,
    sinx: () => Math.sin(x),
    siny: () => Math.sin(y),
  };
  return values[f]();
}

/** The network's input rows [n, features] for points given as [x₁, x₂, x₁, x₂, …]. */
export function playgroundFeatures(
  points: ArrayLike<number>,
  features: readonly Feature[],
): Tensor {
  const n = points.length / 2;
  const out = new Float32Array(n * features.length);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < features.length; j++)
      out[i * features.length + j] = featureValue(features[j], points[2 * i], points[2 * i + 1]);
  return tensor(out).reshape([n, features.length]);
}

/** The training and test points of a playground model (without the points a user clicked in). */
export function playgroundData(s: PlaygroundSettings): {
  train: LabeledData;
  test: LabeledData;
  classes: number;
} {
  const all = points(s);
  const n = all.labels.length;
  const k = Math.max(1, Math.min(n - 1, Math.round(n * s.trainRatio)));
  const part = (from: number, to: number): LabeledData => ({
    x: playgroundFeatures(all.points.slice(2 * from, 2 * to), s.features),
    y: tensor(all.labels.slice(from, to), { dtype: 'int32' }),
  });
  const classes = s.dataset === 'spiral' || s.dataset === 'gaussians' ? s.classes : 2;
  return { train: part(0, k), test: part(k, n), classes };
}
