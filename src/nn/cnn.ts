import {
  checkBoolean,
  checkInteger,
  checkObject,
  checkUnitInterval,
  fail,
  type CheckContext,
} from '../tensor/check.js';
import type { Generator } from '../tensor/random.js';
import { ReLU } from './activation.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import { BatchNorm2d } from './norm.js';
import { Conv2d } from './conv.js';
import { MaxPool2d } from './pool.js';
import { Sequential } from './sequential.js';

/** Options of {@link lenet5} and {@link smallVgg}. */
export interface CnnOptions {
  /** Channels of the input images (default 1 for lenet5, 3 for smallVgg). */
  inChannels?: number;
  /** Height and width of the (square) input images (default 28 for lenet5, 32 for smallVgg). */
  imageSize?: number;
  /** Number of classes: the size of the output (default 10). */
  classes?: number;
  /**
   * Dropout probability before the dense layers (default 0: none): lenet5 drops after the
   * flatten and after each hidden dense layer, smallVgg before its last layer.
   */
  dropout?: number;
  /** Where the initial weights are drawn from. */
  generator?: Generator;
}

interface Resolved {
  inChannels: number;
  imageSize: number;
  classes: number;
  dropout: number;
  generator?: Generator;
}

function resolve(ctx: CheckContext, options: CnnOptions, channels: number, size: number): Resolved {
  checkObject(ctx, 'options', options);
  return {
    inChannels: checkInteger(ctx, 'inChannels', options.inChannels ?? channels, 1),
    imageSize: checkInteger(ctx, 'imageSize', options.imageSize ?? size, 1),
    classes: checkInteger(ctx, 'classes', options.classes ?? 10, 1),
    dropout: checkUnitInterval(ctx, 'dropout', options.dropout ?? 0),
    generator: options.generator,
  };
}

function finish(layers: Module[]): Sequential {
  const net = new Sequential(...layers);
  net.namedParameters(); // the parameters take their paths (0.weight, …) as names, for pictures
  return net;
}

/** Options of {@link lenet5}: those of every CNN, and its widths. */
export interface LeNetOptions extends CnnOptions {
  /** Output channels of the two convolutions (default [6, 16], LeNet-5's). */
  channels?: readonly [number, number];
  /** Sizes of the hidden dense layers (default [120, 84], LeNet-5's). */
  hidden?: readonly number[];
  /** A BatchNorm2d after each convolution, before its ReLU (default false). */
  batchNorm?: boolean;
}

function lenetWidths(options: LeNetOptions): { channels: [number, number]; hidden: number[] } {
  const ctx = { where: 'lenet5' };
  const channels: unknown = options.channels ?? [6, 16];
  const hidden: unknown = options.hidden ?? [120, 84];
  if (!Array.isArray(channels) || channels.length !== 2)
    fail(ctx, 'channels', 'two channel counts [first, second]', channels, TypeError);
  if (!Array.isArray(hidden)) fail(ctx, 'hidden', 'a list of layer sizes', hidden, TypeError);
  hidden.forEach((h, i) => checkInteger(ctx, `hidden[${i}]`, h, 1));
  return {
    channels: [
      checkInteger(ctx, 'channels[0]', channels[0], 1),
      checkInteger(ctx, 'channels[1]', channels[1], 1),
    ],
    hidden: hidden as number[],
  };
}

/**
 * LeNet-5 as it is trained on MNIST today (ReLU and max-pooling): conv 5×5×6 (padding 2) → ReLU
 * → max-pool 2 → conv 5×5×16 → ReLU → max-pool 2 → 120 → 84 → classes. Inputs are
 * [batch, inChannels, imageSize, imageSize]; the output is logits. `channels` and `hidden` widen
 * it (`nabla train --model cnn` uses channels [16, 32], hidden [128] and dropout 0.25).
 *
 * @example
 * const net = lenet5(); // for the digits: [N, 1, 28, 28] → [N, 10]
 * net.call(zeros([2, 1, 28, 28])).shape; // => [2, 10]
 */
export function lenet5(options: LeNetOptions = {}): Sequential {
  const o = resolve({ where: 'lenet5' }, options, 1, 28);
  const { channels, hidden } = lenetWidths(options);
  const batchNorm = checkBoolean({ where: 'lenet5' }, 'batchNorm', options.batchNorm ?? false);
  const afterConv1 = Math.floor(o.imageSize / 2); // padding 2 keeps the size; pooling halves it
  const side = Math.floor((afterConv1 - 4) / 2);
  if (side < 1) {
    throw new RangeError(
      `lenet5: imageSize must be at least 12 (two 5×5 convolutions and two poolings), got ${o.imageSize}`,
    );
  }
  const g = { generator: o.generator };
  const drop = (): Module[] => (o.dropout > 0 ? [new Dropout(o.dropout, g)] : []);
  const sizes = [channels[1] * side * side, ...hidden];
  const dense = hidden.flatMap((h, i) => [new Linear(sizes[i], h, g), new ReLU(), ...drop()]);
  const norm = (c: number): Module[] => (batchNorm ? [new BatchNorm2d(c)] : []);
  return finish([
    new Conv2d(o.inChannels, channels[0], 5, { padding: 2, ...g }),
    ...norm(channels[0]),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(channels[0], channels[1], 5, g),
    ...norm(channels[1]),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    ...drop(),
    ...dense,
    new Linear(sizes[sizes.length - 1], o.classes, g),
  ]);
}

/**
 * A small VGG-like network for CIFAR-sized images: two blocks of [conv 3×3 (padding 1) → batch
 * norm → ReLU] ×2 then max-pool 2, with 32 and 64 channels, then a dense layer of 256 and the
 * classes. Inputs are [batch, inChannels, imageSize, imageSize] (imageSize divisible by 4).
 *
 * @example
 * const net = smallVgg(); // for CIFAR-10: [N, 3, 32, 32] → [N, 10]
 * net.call(zeros([2, 3, 32, 32])).shape; // => [2, 10]
 */
export function smallVgg(options: CnnOptions = {}): Sequential {
  const o = resolve({ where: 'smallVgg' }, options, 3, 32);
  if (o.imageSize % 4 !== 0) {
    throw new RangeError(
      `smallVgg: imageSize must be a multiple of 4 (two poolings by 2), got ${o.imageSize}`,
    );
  }
  const g = { generator: o.generator };
  const block = (i: number, c: number): Module[] => [
    new Conv2d(i, c, 3, { padding: 1, ...g }),
    new BatchNorm2d(c),
    new ReLU(),
  ];
  const side = o.imageSize / 4;
  return finish([
    ...block(o.inChannels, 32),
    ...block(32, 32),
    new MaxPool2d(2),
    ...block(32, 64),
    ...block(64, 64),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(64 * side * side, 256, g),
    new ReLU(),
    ...(o.dropout > 0 ? [new Dropout(o.dropout, g)] : []),
    new Linear(256, o.classes, g),
  ]);
}
