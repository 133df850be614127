/**
 * Small two-dimensional classification problems in the manner of the TensorFlow Playground, and a
 * one-dimensional regression problem: data to watch a network learn.
 *
 * All of them lie within about one unit of the origin (moons, as scikit-learn draws them, spans
 * x ∈ [-1, 2], y ∈ [-0.5, 1]); `noise` is the standard deviation of Gaussian noise added to each
 * coordinate, in those units. Every generator draws from its own `Generator(seed)` (default seed 0)
 * and never from the default generator, so the same options always give the same points.
 *
 * @module
 */
import { fail, formatValue } from '../tensor/check.js';
import { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { LabeledData } from './dataset.js';
import { checkSeed, integerAtLeast } from './options.js';
import { permutation } from './permutation.js';

/** Options shared by the 2-D classification generators. */
export interface ToyOptions {
  /** The total number of points (default 200), shared as evenly as possible by the classes; where it does not divide, the last classes get one more. */
  samples?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0.1). */
  noise?: number;
  /** Seed of the generator the points are drawn from (default 0). */
  seed?: number;
  /** Put the points in random order (default true); false keeps them grouped by class, class 0 first. */
  shuffle?: boolean;
}

/** Options of the generators with any number of classes (`spiral`, `gaussians`). */
export interface ToyClassOptions extends ToyOptions {
  /** The number of classes (default 2). */
  classes?: number;
}

/** Options of {@link spiral}. */
export interface SpiralOptions extends ToyClassOptions {
  /** How many times each arm winds around the centre (default 1). */
  turns?: number;
}

const DEFAULT_SAMPLES = 200;
const DEFAULT_NOISE = 0.1;

interface Setup {
  samples: number;
  noise: number;
  generator: Generator;
  shuffle: boolean;
  /** Points per class. */
  counts: number[];
}

function setup(where: string, options: ToyOptions | undefined, classes: number): Setup {
  const ctx = { where };
  const o = options ?? {};
  if (typeof o !== 'object') fail(ctx, 'options', 'an object', o, TypeError);
  const samples = integerAtLeast(
    where,
    'samples (at least one point per class)',
    o.samples ?? DEFAULT_SAMPLES,
    classes,
  );
  const noise = o.noise ?? DEFAULT_NOISE;
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) {
    fail(ctx, 'noise', 'a finite number ≥ 0', noise);
  }
  const seed = checkSeed(where, o.seed ?? 0);
  const shuffle = o.shuffle ?? true;
  if (typeof shuffle !== 'boolean') fail(ctx, 'shuffle', 'true or false', shuffle, TypeError);
  const base = Math.floor(samples / classes);
  const extra = samples % classes;
  const counts = Array.from({ length: classes }, (_, k) => base + (k >= classes - extra ? 1 : 0));
  return { samples, noise, generator: new Generator(seed), shuffle, counts };
}

function classCount(where: string, options: ToyClassOptions | undefined): number {
  return integerAtLeast(where, 'classes', options?.classes ?? 2, 1);
}

/**
 * Fills the points class by class: `point(k, i, m)` gives the noiseless position of the i-th of
 * the m points of class k; noise and shuffling are applied here.
 */
function build(
  s: Setup,
  point: (k: number, i: number, m: number) => readonly [number, number],
): LabeledData {
  const xs = new Float64Array(s.samples * 2);
  const ys = new Int32Array(s.samples);
  let row = 0;
  s.counts.forEach((m, k) => {
    for (let i = 0; i < m; i++, row++) {
      const [a, b] = point(k, i, m);
      xs[2 * row] = a;
      xs[2 * row + 1] = b;
      ys[row] = k;
    }
  });
  if (s.noise > 0) {
    for (let j = 0; j < xs.length; j++) xs[j] += s.noise * s.generator.normal();
  }
  const x = new Float32Array(s.samples * 2);
  const y = new Int32Array(s.samples);
  const order = s.shuffle ? permutation(s.samples, s.generator) : null;
  for (let r = 0; r < s.samples; r++) {
    const from = order === null ? r : order[r];
    x[2 * r] = xs[2 * from];
    x[2 * r + 1] = xs[2 * from + 1];
    y[r] = ys[from];
  }
  return { x: new Tensor(x, [s.samples, 2]), y: new Tensor(y, [s.samples]) };
}

/**
 * Interleaved spiral arms, one per class (default 2 classes): the i-th of m points of class k sits
 * at radius r = (i + 1) / m and angle 2π·turns·r + 2πk / classes.
 *
 * @example
 * const { x, y } = spiral({ samples: 300, classes: 3, noise: 0.05 });
 * x.shape; // => [300, 2]
 */
export function spiral(options?: SpiralOptions): LabeledData {
  const where = 'spiral';
  const classes = classCount(where, options);
  const turns = options?.turns ?? 1;
  if (typeof turns !== 'number' || !Number.isFinite(turns) || turns <= 0) {
    fail({ where }, 'turns', 'a finite number > 0', turns);
  }
  return build(setup(where, options, classes), (k, i, m) => {
    const r = (i + 1) / m;
    const angle = 2 * Math.PI * (turns * r + k / classes);
    return [r * Math.cos(angle), r * Math.sin(angle)];
  });
}

/**
 * A disc inside a ring: class 1 is the inner disc (radius uniform in [0, 0.5]), class 0 the outer
 * ring (radius uniform in [0.7, 1]), as the TensorFlow Playground and scikit-learn's
 * `make_circles` label them.
 *
 * @example
 * const { x, y } = circles({ noise: 0 });
 */
export function circles(options?: ToyOptions): LabeledData {
  const s = setup('circles', options, 2);
  const g = s.generator;
  return build(s, (k) => {
    const r = k === 1 ? 0.5 * g.random() : 0.7 + 0.3 * g.random();
    const angle = 2 * Math.PI * g.random();
    return [r * Math.cos(angle), r * Math.sin(angle)];
  });
}

/** How far xor points are kept from the axes before noise, so that the classes never touch. */
const XOR_PADDING = 0.05;

/**
 * The exclusive-or of the signs: points uniform in the square [-1, 1]², kept 0.05 away from the
 * axes, with class 1 where the coordinates have different signs (x·y < 0, the second and fourth
 * quadrants) and class 0 where they agree. Classes are exactly balanced; the label is decided
 * before noise is added.
 *
 * @example
 * const { x, y } = xor({ samples: 400 });
 */
export function xor(options?: ToyOptions): LabeledData {
  const s = setup('xor', options, 2);
  const g = s.generator;
  return build(s, (k) => {
    const sx = g.random() < 0.5 ? -1 : 1;
    const sy = k === 1 ? -sx : sx;
    const a = XOR_PADDING + (1 - XOR_PADDING) * g.random();
    const b = XOR_PADDING + (1 - XOR_PADDING) * g.random();
    return [sx * a, sy * b];
  });
}

/**
 * Round Gaussian blobs, one per class (default 2), centred on a circle of radius 0.6 at angles
 * π/4 + 2πk / classes; `noise` is each blob's standard deviation.
 *
 * @example
 * const { x, y } = gaussians({ classes: 4, noise: 0.15 });
 */
export function gaussians(options?: ToyClassOptions): LabeledData {
  const where = 'gaussians';
  const classes = classCount(where, options);
  return build(setup(where, options, classes), (k) => {
    const angle = Math.PI / 4 + (2 * Math.PI * k) / classes;
    return [0.6 * Math.cos(angle), 0.6 * Math.sin(angle)];
  });
}

/**
 * Two interleaving half circles, as scikit-learn's `make_moons`: class 0 is the upper half circle
 * (cos t, sin t), class 1 the lower one (1 − cos t, 0.5 − sin t), t evenly spaced in [0, π].
 *
 * @example
 * const { x, y } = moons({ samples: 100, noise: 0.05 });
 */
export function moons(options?: ToyOptions): LabeledData {
  const s = setup('moons', options, 2);
  return build(s, (k, i, m) => {
    const t = m > 1 ? (Math.PI * i) / (m - 1) : 0;
    return k === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
  });
}

/** Options of {@link regression1d}. */
export interface RegressionOptions {
  /** The number of points (default 100). */
  samples?: number;
  /** Standard deviation of the Gaussian noise added to each target (default 0.1). */
  noise?: number;
  /** Seed of the generator the points are drawn from (default 0). */
  seed?: number;
  /** The function to learn (default `Math.sin`). */
  fn?: (x: number) => number;
  /** The interval the inputs are drawn from, uniformly (default [-π, π]; after rounding to float32 an input may equal either end). */
  range?: readonly [number, number];
}

/**
 * Points of a 1-D function with noise: x uniform in `range` (in random order), y = fn(x) plus
 * Gaussian noise of standard deviation `noise`. fn is applied to x as stored in float32.
 *
 * @example
 * const { x, y } = regression1d({ samples: 64, fn: (t) => t * t, range: [-1, 1] });
 * x.shape; // => [64, 1]
 */
export function regression1d(options?: RegressionOptions): LabeledData {
  const where = 'regression1d';
  const o = options ?? {};
  const { fn = Math.sin, range = [-Math.PI, Math.PI] } = o;
  if (typeof fn !== 'function') fail({ where }, 'fn', 'a function of one number', fn, TypeError);
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !range.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
    !(range[0] < range[1])
  ) {
    fail({ where }, 'range', '[low, high] with finite low < high', range);
  }
  const s = setup(where, { ...o, samples: o.samples ?? 100, shuffle: false }, 1);
  const n = s.samples;
  const g = s.generator;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const [low, high] = range;
  for (let i = 0; i < n; i++) {
    const v = Math.fround(low + (high - low) * g.random());
    x[i] = v;
    const f = fn(v);
    if (typeof f !== 'number' || !Number.isFinite(f)) {
      throw new RangeError(`${where}: fn(${v}) returned ${formatValue(f)}, not a finite number`);
    }
    y[i] = f + (s.noise > 0 ? s.noise * g.normal() : 0);
  }
  return { x: new Tensor(x, [n, 1]), y: new Tensor(y, [n, 1]) };
}
