/**
 * What an image transform is: a step that turns a batch of NCHW images into another, drawing any
 * random numbers it needs from a seedable {@link Generator}, and that describes itself as JSON so
 * that a run, a checkpoint or a model file can record which transforms were used.
 *
 * @module
 */
import { formatValue, kindOf } from '../tensor/check.js';
import { formatShape } from '../tensor/shape.js';
import type { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { TypedArray } from '../tensor/dtype.js';

/** How {@link RandomCrop} fills the padding (torchvision's `padding_mode`). */
export type PaddingMode = 'constant' | 'edge' | 'reflect' | 'symmetric';

/** The padding modes, in the order messages list them. @internal */
export const PADDING_MODES: readonly PaddingMode[] = ['constant', 'edge', 'reflect', 'symmetric'];

/** A transform as JSON: what `toConfig()` gives and `transformFromConfig` reads. */
export type TransformConfig =
  | {
      name: 'RandomCrop';
      /** [height, width] of the crop. */
      size: [number, number];
      /** [left, top, right, bottom]. */
      padding: [number, number, number, number];
      paddingMode: PaddingMode;
      fill: number;
    }
  | { name: 'RandomHorizontalFlip'; p: number }
  | { name: 'Normalize'; mean: number[]; std: number[] }
  | { name: 'Compose'; transforms: TransformConfig[] };

/**
 * A transform of images: `call(images, generator?)` takes a batch [N, C, H, W] (or one image
 * [C, H, W]) and returns a new tensor, leaving its input as it was. Random transforms draw every
 * random number from `generator` (default: the default generator, seeded by `manualSeed`), so the
 * same generator state gives the same result. A `DataLoader` with a `transform` calls it on the
 * inputs of every batch with its own generator.
 *
 * @example
 * const flip: Transform = new RandomHorizontalFlip(0.5);
 * const out = flip.call(rand([8, 3, 32, 32]), new Generator(0));
 * flip.toConfig(); // => { name: 'RandomHorizontalFlip', p: 0.5 }
 */
export interface Transform {
  /** Whether it draws random numbers (a crop or a flip) or not (normalization). */
  readonly random: boolean;
  /** The transformed images, a new tensor of the input's dtype. */
  call(images: Tensor, generator?: Generator): Tensor;
  /** The transform as JSON, to record it and to rebuild it with `transformFromConfig`. */
  toConfig(): TransformConfig;
}

/** Throws a TypeError unless `value` looks like a {@link Transform}. @internal */
export function checkTransform(value: unknown, where: string, key: string): Transform {
  const t = value as Partial<Transform> | null;
  if (
    t === null ||
    typeof t !== 'object' ||
    typeof t.call !== 'function' ||
    typeof t.toConfig !== 'function'
  ) {
    throw new TypeError(
      `${where}: ${key} must be a transform (an object with call(images) and toConfig(), such as new RandomCrop(32, { padding: 4 })), got ${formatValue(value)}`,
    );
  }
  return t as Transform;
}

/** The sizes of a batch of images; a single image [C, H, W] counts as a batch of one. */
export interface ImageShape {
  n: number;
  c: number;
  h: number;
  w: number;
}

/**
 * The batch's sizes, refusing what is not a Tensor of images [N, C, H, W] or [C, H, W]. @internal
 */
export function imageShape(images: unknown, where: string): ImageShape {
  if (!(images instanceof Tensor)) {
    throw new TypeError(
      `${where}: expected images as a Tensor [N, C, H, W] or [C, H, W], got ${kindOf(images)}`,
    );
  }
  const s = images.shape;
  if (s.length !== 3 && s.length !== 4) {
    throw new RangeError(
      `${where}: expected images [N, C, H, W] or [C, H, W], got shape ${formatShape(s)}` +
        (s.length === 2
          ? '; reshape flat rows to images first, such as x.reshape([-1, 1, 28, 28]) (or read MNIST with { image: true })'
          : ''),
    );
  }
  const [n, c, h, w] = s.length === 4 ? s : [1, s[0], s[1], s[2]];
  return { n, c, h, w };
}

/** A typed array of the same kind as `like`, of `length` elements. @internal */
export function sameKind(like: TypedArray, length: number): TypedArray {
  const Kind = like.constructor as new (length: number) => TypedArray;
  return new Kind(length);
}

/** A list of finite numbers, else an error naming `key`. @internal */
export function numberList(where: string, key: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(
      `${where}: ${key} must be a non-empty list of numbers, got ${formatValue(value)}`,
    );
  }
  value.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${where}: ${key}[${i}] must be a finite number, got ${formatValue(v)}`);
    }
  });
  return value.slice() as number[];
}
