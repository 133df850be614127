import { randomSplit, TensorDataset } from '../data/dataset.js';
import type { LabeledData } from '../data/dataset.js';
import { formatBytes, MAX_TENSOR_BYTES } from '../data/limits.js';
import { standardize } from '../data/standardize.js';
import { circles, gaussians, moons, spiral, xor } from '../data/toy.js';
import { mnistDigits, readCifar10, readCsv, readMnistIdx } from '../node/datasets.js';
import { Generator } from '../tensor/random.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { UsageError } from './errors.js';

/** The data sets `--data` names. */
export const TOY_DATASETS = ['spiral', 'circles', 'xor', 'gaussians', 'moons'] as const;

/** Training, validation and test splits, and what a saved model needs to know of them. */
export interface PreparedData {
  name: string;
  train: LabeledData;
  validation: LabeledData;
  test: LabeledData;
  features: number;
  classes: number;
  classNames?: string[];
  /** For image data: the shape [C, H, W] each row of `features` values is an image of. */
  imageShape?: number[];
  /** Feature standardization learned on the training split, to apply to new inputs. */
  standardization?: { mean: number[]; std: number[] };
}

export interface DataFlags {
  samples?: number;
  noise?: number;
  classes?: number;
  seed: number;
  validation: number;
  test: number;
}

function rows(data: LabeledData, indices: readonly number[]): LabeledData {
  const index = tensor(indices, { dtype: 'int32' });
  return { x: data.x.indexSelect(0, index), y: data.y.indexSelect(0, index) };
}

/** Splits one labeled set into train / validation / test by fractions, deterministically. */
function threeWay(
  data: LabeledData,
  flags: DataFlags,
): { train: LabeledData; validation: LabeledData; test: LabeledData } {
  const n = data.x.shape[0];
  const nTest = Math.max(1, Math.round(n * flags.test));
  const nVal = Math.max(1, Math.round(n * flags.validation));
  if (nTest + nVal >= n)
    throw new UsageError(
      `${n} examples are too few to split into training, validation and test data`,
    );
  const parts = randomSplit(new TensorDataset(data.x, data.y), [n - nVal - nTest, nVal, nTest], {
    generator: new Generator(flags.seed),
  });
  return {
    train: rows(data, parts[0].indices),
    validation: rows(data, parts[1].indices),
    test: rows(data, parts[2].indices),
  };
}

function holdOutValidation(
  train: LabeledData,
  flags: DataFlags,
): { train: LabeledData; validation: LabeledData } {
  const n = train.x.shape[0];
  const nVal = Math.max(1, Math.round(n * flags.validation));
  const parts = randomSplit(new TensorDataset(train.x, train.y), [n - nVal, nVal], {
    generator: new Generator(flags.seed),
  });
  return { train: rows(train, parts[0].indices), validation: rows(train, parts[1].indices) };
}

function countClasses(y: Tensor): number {
  let max = -1;
  for (const v of y.data) max = Math.max(max, v);
  return max + 1;
}

function standardized(split: {
  train: LabeledData;
  validation: LabeledData;
  test: LabeledData;
}): Pick<PreparedData, 'train' | 'validation' | 'test' | 'standardization'> {
  const s = standardize(split.train.x);
  const apply = (d: LabeledData): LabeledData => ({ x: standardize(d.x, s.mean, s.std).x, y: d.y });
  return {
    train: { x: s.x, y: split.train.y },
    validation: apply(split.validation),
    test: apply(split.test),
    standardization: { mean: Array.from(s.mean.data), std: Array.from(s.std.data) },
  };
}

/** Bytes a toy data set takes per point while it is made and split (float64 and float32 copies). */
const TOY_BYTES_PER_SAMPLE = 48;

/** Refuses a `--samples` whose toy data would not fit in memory, before anything is allocated. */
export function checkToySize(kind: string, samples: number): void {
  const need = samples * TOY_BYTES_PER_SAMPLE;
  if (need > MAX_TENSOR_BYTES) {
    throw new UsageError(
      `--samples ${samples} would need about ${formatBytes(need)} of memory for the ${kind} data, ` +
        `more than the ${formatBytes(MAX_TENSOR_BYTES)} nabla allows; give at most ` +
        `${Math.floor(MAX_TENSOR_BYTES / TOY_BYTES_PER_SAMPLE)}`,
    );
  }
}

/**
 * Reads the data `--data` names: `mnist` (the bundled digits), a toy set (`spiral`, …),
 * `csv:PATH`, `idx:DIR` (MNIST or Fashion-MNIST files) or `cifar10:DIR`.
 */
export function prepareData(spec: string, flags: DataFlags): PreparedData {
  const [kind, ...rest] = spec.split(':');
  const path = rest.join(':');
  if (kind === 'mnist' && path === '') {
    const { train, validation, test } = mnistDigits({ seed: 0 });
    return {
      name: 'mnist',
      ...{ train, validation, test },
      features: 784,
      classes: 10,
      imageShape: [1, 28, 28],
    };
  }
  if ((TOY_DATASETS as readonly string[]).includes(kind) && path === '') {
    const options = { samples: flags.samples ?? 600, noise: flags.noise, seed: flags.seed };
    checkToySize(kind, options.samples);
    const classes = flags.classes;
    const data =
      kind === 'spiral'
        ? spiral({ ...options, classes })
        : kind === 'gaussians'
          ? gaussians({ ...options, classes })
          : kind === 'circles'
            ? circles(options)
            : kind === 'xor'
              ? xor(options)
              : moons(options);
    return { name: kind, ...threeWay(data, flags), features: 2, classes: countClasses(data.y) };
  }
  if (kind === 'csv' && path !== '') {
    const csv = readCsv(path);
    const split = standardized(threeWay(csv, flags));
    return {
      name: spec,
      ...split,
      features: csv.x.shape[1],
      classes: csv.classes?.length ?? countClasses(csv.y),
      classNames: csv.classes,
    };
  }
  if (kind === 'idx' && path !== '') {
    const { train, test } = readMnistIdx(path);
    const split = holdOutValidation(train, flags);
    return {
      name: spec,
      ...split,
      test,
      features: train.x.shape[1],
      classes: Math.max(countClasses(train.y), 10),
      ...(train.x.shape[1] === 784 ? { imageShape: [1, 28, 28] } : {}),
    };
  }
  if (kind === 'cifar10' && path !== '') {
    const { train, test } = readCifar10(path);
    const flat = (d: LabeledData): LabeledData => ({ x: d.x.reshape([d.x.shape[0], -1]), y: d.y });
    const split = holdOutValidation(flat(train), flags);
    return {
      ...{ name: spec, ...split, test: flat(test) },
      ...{ features: 3072, classes: 10, imageShape: [3, 32, 32] },
    };
  }
  throw new UsageError(
    `unknown --data ${JSON.stringify(spec)}; expected mnist, ${TOY_DATASETS.join(', ')}, csv:PATH, idx:DIR or cifar10:DIR`,
  );
}
