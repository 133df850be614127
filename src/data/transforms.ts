/**
 * Image transforms for data augmentation and normalization, with torchvision's names and
 * semantics, applied to a whole batch [N, C, H, W] at once by typed-array loops: `RandomCrop`,
 * `RandomHorizontalFlip`, `Normalize`, and `Compose` to chain them. Give one to a `DataLoader`
 * (`transform`) or to `fit` to apply it to every training batch on the fly; every random draw
 * comes from the loader's generator, so the same seed gives the same batches and a checkpoint
 * (which holds the generator's state) resumes them bit for bit.
 *
 * Each image of a batch gets its own draws. Within `Compose`, each transform handles the whole
 * batch before the next one starts (torchvision draws image by image instead): the same
 * distribution, in another order of draws.
 *
 * @module
 */
import { checkFiniteNumber, formatValue } from '../tensor/check.js';
import type { Generator } from '../tensor/random.js';
import { engine } from '../tensor/state.js';
import { Tensor } from '../tensor/tensor.js';
import { RandomCrop } from './random-crop.js';
import {
  checkTransform,
  imageShape,
  numberList,
  sameKind,
  type Transform,
  type TransformConfig,
} from './transform.js';

export { RandomCrop, type RandomCropOptions } from './random-crop.js';
export type { PaddingMode, Transform, TransformConfig } from './transform.js';

/**
 * Mirrors each image left to right with probability `p` (torchvision's `RandomHorizontalFlip`):
 * one draw `generator.random() < p` per image, in batch order.
 *
 * @throws RangeError when `p` is not a number in [0, 1].
 * @example
 * const flip = new RandomHorizontalFlip(); // flips with probability 0.5
 * const out = flip.call(rand([64, 3, 32, 32]), new Generator(0));
 */
export class RandomHorizontalFlip implements Transform {
  readonly random = true;
  /** The probability that an image is flipped. */
  readonly p: number;

  constructor(p = 0.5) {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new RangeError(
        `RandomHorizontalFlip: p must be a probability in [0, 1], got ${formatValue(p)}`,
      );
    }
    this.p = p;
  }

  /** The batch, with each image flipped or not. */
  call(images: Tensor, generator: Generator = engine.generator): Tensor {
    const { n, c, h, w } = imageShape(images, 'RandomHorizontalFlip.call');
    const src = images.data;
    const out = sameKind(src, src.length);
    const size = c * h * w;
    for (let i = 0; i < n; i++) {
      const start = i * size;
      if (!(generator.random() < this.p)) {
        out.set(src.subarray(start, start + size), start);
        continue;
      }
      for (let row = start; row < start + size; row += w) {
        for (let x = 0, back = row + w - 1; x < w; x++) out[row + x] = src[back - x];
      }
    }
    return new Tensor(out, images.shape.slice());
  }

  /**
   * @example
   * new RandomHorizontalFlip(0.3).toConfig(); // => { name: 'RandomHorizontalFlip', p: 0.3 }
   */
  toConfig(): TransformConfig {
    return { name: 'RandomHorizontalFlip', p: this.p };
  }
}

/**
 * Normalizes each channel: `(x − mean[c]) / std[c]` (torchvision's `Normalize`), in the input's
 * precision (float32 arithmetic for float32 images, as PyTorch). `mean` and `std` hold one number
 * per channel, or one number for all channels. Not random: a `DataLoader` applies it to every
 * batch; apply it to test data yourself (`normalize.call(test.x)`).
 *
 * @throws TypeError or RangeError when `mean` or `std` is not a list of finite numbers or a std
 *   is 0; on call, when the lists' lengths are neither 1 nor the number of channels, or the images
 *   are not float32 or float64.
 * @example
 * // CIFAR-10's channel means and standard deviations
 * const normalize = new Normalize([0.4914, 0.4822, 0.4465], [0.247, 0.2435, 0.2616]);
 * const out = normalize.call(rand([64, 3, 32, 32]));
 */
export class Normalize implements Transform {
  readonly random = false;
  readonly mean: readonly number[];
  readonly std: readonly number[];

  constructor(mean: readonly number[], std: readonly number[]) {
    this.mean = numberList('Normalize', 'mean', mean);
    this.std = numberList('Normalize', 'std', std);
    this.std.forEach((s, i) => {
      if (s === 0)
        throw new RangeError(
          `Normalize: std[${i}] is 0; dividing by it would give Infinity or NaN`,
        );
    });
  }

  /** The normalized batch, of the input's dtype and shape. */
  call(images: Tensor, generator?: Generator): Tensor {
    void generator;
    const { n, c, h, w } = imageShape(images, 'Normalize.call');
    for (const [key, list] of [
      ['mean', this.mean],
      ['std', this.std],
    ] as const) {
      if (list.length !== 1 && list.length !== c) {
        throw new RangeError(
          `Normalize.call: ${key} has ${list.length} values but the images have ${c} channel${c === 1 ? '' : 's'}; give one value per channel (or one for all)`,
        );
      }
    }
    if (images.dtype !== 'float32' && images.dtype !== 'float64') {
      throw new TypeError(
        `Normalize.call: expected float32 or float64 images, got ${images.dtype} (convert uint8 images with .to('float32').div(255))`,
      );
    }
    const f32 = images.dtype === 'float32';
    const src = images.data;
    const out = sameKind(src, src.length);
    const plane = h * w;
    for (let i = 0; i < n * c; i++) {
      const ch = i % c;
      let m = this.mean[this.mean.length === 1 ? 0 : ch];
      let s = this.std[this.std.length === 1 ? 0 : ch];
      const start = i * plane;
      const end = start + plane;
      if (f32) {
        // (x − m) rounded to float32 first, then ÷ s (rounded as stored): PyTorch's two float32 operations.
        m = Math.fround(m);
        s = Math.fround(s);
        for (let k = start; k < end; k++) out[k] = Math.fround(src[k] - m) / s;
      } else {
        for (let k = start; k < end; k++) out[k] = (src[k] - m) / s;
      }
    }
    return new Tensor(out, images.shape.slice());
  }

  /**
   * @example
   * new Normalize([0.5], [0.5]).toConfig(); // => { name: 'Normalize', mean: [0.5], std: [0.5] }
   */
  toConfig(): TransformConfig {
    return { name: 'Normalize', mean: this.mean.slice(), std: this.std.slice() };
  }
}

/**
 * Each channel's mean and standard deviation over a batch of images [N, C, H, W] (or one image),
 * summed in float64: the numbers a {@link Normalize} takes, learned on the training split. The
 * standard deviation is the population one (divided by the count, as torchvision's usual recipe
 * computes them); a constant channel gets std 1 so that normalizing it never divides by 0.
 *
 * @throws TypeError or RangeError when `images` is not a tensor of images.
 * @example
 * const images = tensor([[[[0, 2]], [[1, 1]]]]); // [1, 2, 1, 2]: two channels
 * const { mean, std } = channelStats(images); // mean = [1, 1]
 * std; // => [1, 1]   (the constant channel gets 1)
 * const normalize = new Normalize(mean, std);
 */
export function channelStats(images: Tensor): { mean: number[]; std: number[] } {
  const { n, c, h, w } = imageShape(images, 'channelStats');
  const src = images.data;
  const plane = h * w;
  const count = n * plane;
  const sums = new Float64Array(c);
  const squares = new Float64Array(c);
  for (let i = 0; i < n * c; i++) {
    const ch = i % c;
    let sum = 0;
    for (let k = i * plane; k < (i + 1) * plane; k++) sum += src[k];
    sums[ch] += sum;
  }
  const mean = Array.from(sums, (s) => s / count);
  for (let i = 0; i < n * c; i++) {
    const m = mean[i % c];
    let sq = 0;
    for (let k = i * plane; k < (i + 1) * plane; k++) sq += (src[k] - m) * (src[k] - m);
    squares[i % c] += sq;
  }
  const std = Array.from(squares, (s) => Math.sqrt(s / count) || 1);
  return { mean, std };
}

/**
 * Applies transforms one after another (torchvision's `Compose`), each to the whole batch.
 *
 * @throws TypeError when `transforms` is not a list of transforms.
 * @example
 * const train = new Compose([
 *   new RandomCrop(32, { padding: 4 }),
 *   new RandomHorizontalFlip(),
 *   new Normalize([0.4914, 0.4822, 0.4465], [0.247, 0.2435, 0.2616]),
 * ]);
 * const x = rand([100, 3, 32, 32]);
 * const y = randint(0, 10, [100]);
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 64, shuffle: true, transform: train });
 */
export class Compose implements Transform {
  readonly transforms: readonly Transform[];

  constructor(transforms: readonly Transform[]) {
    if (!Array.isArray(transforms)) {
      throw new TypeError(`Compose: expected a list of transforms, got ${formatValue(transforms)}`);
    }
    this.transforms = Object.freeze(
      transforms.map((t, i) => checkTransform(t, 'Compose', `transforms[${i}]`)),
    );
  }

  /** Whether any of its transforms is random. */
  get random(): boolean {
    return this.transforms.some((t) => t.random);
  }

  /** The images after every transform in turn. */
  call(images: Tensor, generator: Generator = engine.generator): Tensor {
    imageShape(images, 'Compose.call');
    let out = images;
    for (const t of this.transforms) out = t.call(out, generator);
    return out === images ? new Tensor(images.data.slice(), images.shape.slice()) : out;
  }

  /**
   * @example
   * const c = new Compose([new RandomHorizontalFlip()]).toConfig();
   * c; // => { name: 'Compose', transforms: [{ name: 'RandomHorizontalFlip', p: 0.5 }] }
   */
  toConfig(): TransformConfig {
    return { name: 'Compose', transforms: this.transforms.map((t) => t.toConfig()) };
  }
}

/**
 * Rebuilds a transform from its `toConfig()` JSON (as a checkpoint or a model file records it).
 *
 * @throws TypeError or RangeError naming what is wrong when `config` is not such a description.
 * @example
 * const crop = transformFromConfig({ name: 'RandomHorizontalFlip', p: 0.5 });
 * crop instanceof RandomHorizontalFlip; // => true
 */
export function transformFromConfig(config: TransformConfig): Transform {
  const c = config as unknown as Record<string, unknown> | null;
  if (c === null || typeof c !== 'object' || Array.isArray(c)) {
    throw new TypeError(
      `transformFromConfig: expected a transform's description such as { name: 'Normalize', mean: [0.5], std: [0.5] }, got ${formatValue(config)}`,
    );
  }
  switch (c.name) {
    case 'RandomCrop': {
      const { size, padding, paddingMode, fill } = c as Record<string, never>;
      return new RandomCrop(size, { padding, paddingMode, fill });
    }
    case 'RandomHorizontalFlip':
      return new RandomHorizontalFlip(
        checkFiniteNumber({ where: 'transformFromConfig' }, 'p', c.p),
      );
    case 'Normalize':
      return new Normalize(c.mean as number[], c.std as number[]);
    case 'Compose':
      if (!Array.isArray(c.transforms)) {
        throw new TypeError(
          `transformFromConfig: a Compose needs a list "transforms", got ${formatValue(c.transforms)}`,
        );
      }
      return new Compose((c.transforms as TransformConfig[]).map(transformFromConfig));
    default:
      throw new RangeError(
        `transformFromConfig: unknown transform ${formatValue(c.name)}; expected one of "RandomCrop", "RandomHorizontalFlip", "Normalize", "Compose"`,
      );
  }
}
