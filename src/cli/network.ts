/**
 * The network `nabla train` builds: an MLP (`--model mlp`, the default) or a convolutional network
 * (`--model cnn`: LeNet-5 for 28×28 digits, a small VGG with batch norm for CIFAR-10), and the
 * reshaping of flat image rows into [N, C, H, W] that a convolutional network takes.
 *
 * @module
 */
import { noGrad } from '../autograd/mode.js';
import type { LabeledData } from '../data/dataset.js';
import { RandomCrop } from '../data/random-crop.js';
import type { Transform } from '../data/transform.js';
import { Compose, RandomHorizontalFlip } from '../data/transforms.js';
import { Conv2d } from '../nn/conv.js';
import { lenet5, mlp, Sequential, smallVgg, type Module } from '../nn/index.js';
import { evalMode } from '../nn/module.js';
import { plotFeatureMaps, plotFilters } from '../viz/plot/filters.js';
import type { PreparedData } from './data.js';
import { UsageError } from './errors.js';
import type { NetworkPlan, TrainPlan } from './train-flags.js';
import { CosineAnnealingLR } from '../optim/schedulers.js';
import type { FitOptions } from '../train/types.js';
import { optimizerFactory } from './optimizer.js';

/** The networks `--model` names. */
export const MODEL_KINDS = ['mlp', 'cnn'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The rows of a split as images of `shape` [C, H, W] (a view: no copy). */
function splitAsImages(d: LabeledData, shape: readonly number[]): LabeledData {
  return { x: d.x.reshape([d.x.shape[0], ...shape]), y: d.y };
}

/**
 * The data as images for a convolutional network: each split's rows reshaped to [N, C, H, W].
 * Data that are not images (toy sets, CSV files) are refused.
 */
export function asImages(data: PreparedData): PreparedData {
  const shape = data.imageShape;
  if (shape === undefined) {
    throw new UsageError(
      `--model cnn needs image data (mnist, idx:DIR or cifar10:DIR); ${data.name} holds rows of ${data.features} features`,
    );
  }
  return {
    ...data,
    train: splitAsImages(data.train, shape),
    validation: splitAsImages(data.validation, shape),
    test: splitAsImages(data.test, shape),
  };
}

/** The network for the plan and the data (images already shaped for --model cnn). */
export function buildNetwork(plan: NetworkPlan, data: PreparedData): Module {
  const dropout = plan.dropout > 0 ? plan.dropout : undefined;
  if (plan.kind === 'mlp') {
    return mlp([data.features, ...plan.hidden, data.classes], {
      activation: plan.activation,
      dropout,
    });
  }
  const [channels, size] = [data.imageShape![0], data.imageShape![1]];
  const options = { inChannels: channels, imageSize: size, classes: data.classes, dropout };
  return channels === 3
    ? smallVgg(options)
    : lenet5({ ...options, channels: [16, 32], hidden: [128], batchNorm: true });
}

/** One line that says what the network is, for the start of a run. */
export function describeNetwork(plan: NetworkPlan, data: PreparedData, model: Module): string {
  const count = `${model.numParameters().toLocaleString('en-US')} parameters`;
  const dropout =
    (plan.dropout > 0 ? `, dropout ${plan.dropout}` : '') + (plan.augment ? ', augmented' : '');
  if (plan.kind === 'mlp') {
    const sizes = [data.features, ...plan.hidden, data.classes].join('-');
    return `network ${sizes} (${plan.activation}${dropout}), ${count}`;
  }
  const shape = data.imageShape!.join('×');
  const name =
    data.imageShape![0] === 3
      ? 'small VGG: [conv 3×3 → batch norm → ReLU]×2 → pool, 32 then 64 channels → 256'
      : 'LeNet-like: [conv 5×5 → batch norm → ReLU → pool] with 16, then 32 channels → 128';
  return `network ${name} → ${data.classes}, input ${shape}${dropout}, ${count}`;
}

/** The first layer of a Sequential when it is a 2-D convolution. */
function firstConv(model: Module): Conv2d | undefined {
  const first = model instanceof Sequential ? model.children()[0] : undefined;
  return first instanceof Conv2d ? first : undefined;
}

/** The names of the charts {@link convCharts} draws for this model. */
export function convChartNames(model: Module): string[] {
  return firstConv(model) === undefined ? [] : ['filters', 'feature-maps'];
}

/**
 * For a convolutional network (--plots): its first layer's filters, and the feature maps that
 * layer makes of the first test image, as [name, SVG] pairs; none for other networks.
 */
export function convCharts(model: Module, data: PreparedData): [string, string][] {
  const first = firstConv(model);
  if (first === undefined) return [];
  const image = data.test.x.narrow(0, 0, 1);
  const maps = noGrad(() => evalMode(model, () => first.call(image))).squeeze(0);
  const label = data.classNames?.[data.test.y.data[0]] ?? String(data.test.y.data[0]);
  return [
    ['filters', plotFilters(first.weight)],
    [
      'feature-maps',
      plotFeatureMaps(maps, { title: `First-layer feature maps of a test image (a ${label})` }),
    ],
  ];
}

/**
 * The augmentation of the training images --augment asks for: a random crop of the image padded
 * by 2 (digits) or 4 (and a horizontal flip: CIFAR-10's classes are mirror-symmetric, digits are
 * not), drawn anew every epoch from the run's seeded generator.
 */
export function augmentation(plan: NetworkPlan, data: PreparedData): Transform | undefined {
  const spec = augmentationSpec(plan, data);
  if (spec === undefined) return undefined;
  const crop = new RandomCrop(data.imageShape![1], { padding: spec.padding });
  return spec.flip ? new Compose([crop, new RandomHorizontalFlip()]) : crop;
}

/** What {@link augmentation} does, in numbers: the crop's padding, and whether images are mirrored. */
export function augmentationSpec(
  plan: NetworkPlan,
  data: PreparedData,
): { padding: number; flip: boolean } | undefined {
  if (!plan.augment || data.imageShape === undefined) return undefined;
  const colour = data.imageShape[0] === 3;
  return { padding: colour ? 4 : 2, flip: colour };
}

/** Whether the run anneals its learning rate: a CNN trained once (restarts make their own optimizers). */
export function annealed(plan: TrainPlan): boolean {
  return plan.network.kind === 'cnn' && plan.fit.restarts === 1;
}

/**
 * A CNN's optimizer with its learning rate cosine-annealed to 0 over the run's epochs
 * (`CosineAnnealingLR`, stepped each epoch and kept in checkpoints); nothing for other runs.
 */
export function cnnSchedule(
  plan: TrainPlan,
  model: Module,
): Pick<FitOptions, 'optimizer' | 'scheduler'> {
  if (!annealed(plan)) return {};
  const { lr, momentum, weightDecay } = plan.fit;
  const optimizer = optimizerFactory(plan.fit.optimizer, { lr, momentum, weightDecay })(
    model.parameters(),
  );
  return { optimizer, scheduler: new CosineAnnealingLR(optimizer, { tMax: plan.fit.epochs }) };
}
