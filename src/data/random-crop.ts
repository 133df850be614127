import { checkChoice, checkFiniteNumber, formatValue, resolveOptions } from '../tensor/check.js';
import type { Generator } from '../tensor/random.js';
import { engine } from '../tensor/state.js';
import type { TypedArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import {
  imageShape,
  PADDING_MODES,
  sameKind,
  type PaddingMode,
  type Transform,
  type TransformConfig,
} from './transform.js';

/** Options of {@link RandomCrop}, as torchvision's `RandomCrop`. */
export interface RandomCropOptions {
  /**
   * Padding added to the image before cropping (default 0): one number for all four sides,
   * `[leftRight, topBottom]`, or `[left, top, right, bottom]`.
   */
  padding?: number | readonly [number, number] | readonly [number, number, number, number];
  /**
   * What the padding holds (default `'constant'`): `fill`; `'edge'` the nearest edge pixel;
   * `'reflect'` the image mirrored without repeating the edge (padding must be smaller than the
   * image); `'symmetric'` mirrored with the edge repeated (padding at most the image's size).
   */
  paddingMode?: PaddingMode;
  /** The value of constant padding (default 0). */
  fill?: number;
}

const WHERE = 'RandomCrop';

/** A non-negative integer size, else an error naming `key`. */
function count(key: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${WHERE}: ${key} must be an integer ≥ ${min}, got ${formatValue(value)}`);
  }
  return value;
}

function readSize(size: unknown): [number, number] {
  if (typeof size === 'number') return [count('size', size, 1), size];
  if (Array.isArray(size) && size.length === 2) {
    return [count('size[0]', size[0], 1), count('size[1]', size[1], 1)];
  }
  throw new TypeError(
    `${WHERE}: size must be an integer ≥ 1 or [height, width], got ${formatValue(size)}`,
  );
}

/** torchvision's padding forms as [left, top, right, bottom]. */
function readPadding(padding: unknown): [number, number, number, number] {
  if (typeof padding === 'number') {
    const p = count('padding', padding, 0);
    return [p, p, p, p];
  }
  if (Array.isArray(padding) && (padding.length === 2 || padding.length === 4)) {
    const p = padding.map((v, i) => count(`padding[${i}]`, v, 0));
    return p.length === 2 ? [p[0], p[1], p[0], p[1]] : [p[0], p[1], p[2], p[3]];
  }
  throw new TypeError(
    `${WHERE}: padding must be an integer ≥ 0, [leftRight, topBottom] or [left, top, right, bottom], got ${formatValue(padding)}`,
  );
}

/**
 * Where output position `k` (in padded coordinates shifted back by the padding) reads from in a
 * line of `size` pixels: the pixel's index, or −1 for the constant fill.
 */
function source(k: number, size: number, mode: PaddingMode): number {
  if (k >= 0 && k < size) return k;
  switch (mode) {
    case 'constant':
      return -1;
    case 'edge':
      return k < 0 ? 0 : size - 1;
    case 'reflect':
      return k < 0 ? -k : 2 * (size - 1) - k;
    case 'symmetric':
      return k < 0 ? -k - 1 : 2 * size - 1 - k;
  }
}

/**
 * Pads each image, then cuts out a `size` window at a random place (torchvision's `RandomCrop`):
 * for every image of the batch, its own top offset uniform in [0, H + top + bottom − height] and
 * left offset uniform in [0, W + left + right − width], drawn in that order (none when the
 * padded image is exactly the crop's size). The standard CIFAR-10 augmentation is
 * `new RandomCrop(32, { padding: 4 })`.
 *
 * @throws RangeError when a size or padding is not an integer of the right range, or (on call)
 *   when the crop is larger than the padded image or reflect padding is not smaller than the image.
 * @example
 * const crop = new RandomCrop(32, { padding: 4 });
 * const out = crop.call(rand([64, 3, 32, 32]), new Generator(0)); // [64, 3, 32, 32], shifted by up to 4 pixels
 */
export class RandomCrop implements Transform {
  readonly random = true;
  /** [height, width] of the crop. */
  readonly size: readonly [number, number];
  /** [left, top, right, bottom]. */
  readonly padding: readonly [number, number, number, number];
  readonly paddingMode: PaddingMode;
  readonly fill: number;

  constructor(size: number | readonly [number, number], options: RandomCropOptions = {}) {
    this.size = readSize(size);
    const o = resolveOptions(WHERE, options, {
      padding: 0 as RandomCropOptions['padding'],
      paddingMode: 'constant' as PaddingMode,
      fill: 0,
    });
    this.padding = readPadding(o.padding);
    this.paddingMode = checkChoice({ where: WHERE }, 'paddingMode', o.paddingMode, PADDING_MODES);
    this.fill = checkFiniteNumber({ where: WHERE }, 'fill', o.fill);
  }

  /** The batch cropped: [N, C, height, width] (or [C, height, width] for one image). */
  call(images: Tensor, generator: Generator = engine.generator): Tensor {
    const { n, c, h, w } = imageShape(images, 'RandomCrop.call');
    const [left, top, right, bottom] = this.padding;
    const [th, tw] = this.size;
    const ph = h + top + bottom;
    const pw = w + left + right;
    this.checkFits(h, w, ph, pw);
    const out = sameKind(images.data, n * c * th * tw);
    const rows = new Int32Array(th);
    const cols = new Int32Array(tw);
    const draw = ph !== th || pw !== tw;
    for (let i = 0; i < n; i++) {
      const y0 = draw ? generator.uniformInt(ph - th + 1) : 0;
      const x0 = draw ? generator.uniformInt(pw - tw + 1) : 0;
      for (let y = 0; y < th; y++) rows[y] = source(y + y0 - top, h, this.paddingMode);
      for (let x = 0; x < tw; x++) cols[x] = source(x + x0 - left, w, this.paddingMode);
      const shift = x0 - left;
      // Output columns [inLo, inHi) read the image itself, one after another: no lookup there.
      const inLo = Math.min(tw, Math.max(0, -shift));
      const inHi = Math.max(inLo, Math.min(tw, w - shift));
      const geometry = { rows, cols, shift, inLo, inHi, h, w, th, tw };
      for (let ch = 0; ch < c; ch++) {
        this.copyPlane(images.data, (i * c + ch) * h * w, out, (i * c + ch) * th * tw, geometry);
      }
    }
    const shape = images.ndim === 4 ? [n, c, th, tw] : [c, th, tw];
    return new Tensor(out, shape);
  }

  /** One channel of one image, cropped: rows and columns by their source maps. */
  private copyPlane(
    src: TypedArray,
    plane: number,
    out: TypedArray,
    at: number,
    g: {
      rows: Int32Array;
      cols: Int32Array;
      shift: number;
      inLo: number;
      inHi: number;
      w: number;
      th: number;
      tw: number;
    },
  ): void {
    const { rows, cols, shift, inLo, inHi, w, th, tw } = g;
    const fill = this.fill;
    for (let y = 0, o = at; y < th; y++, o += tw) {
      const r = rows[y];
      if (r < 0) {
        out.fill(fill, o, o + tw);
        continue;
      }
      const line = plane + r * w;
      for (let x = 0; x < inLo; x++) out[o + x] = cols[x] < 0 ? fill : src[line + cols[x]];
      const from = line + shift;
      for (let x = inLo; x < inHi; x++) out[o + x] = src[from + x];
      for (let x = inHi; x < tw; x++) out[o + x] = cols[x] < 0 ? fill : src[line + cols[x]];
    }
  }

  private checkFits(h: number, w: number, ph: number, pw: number): void {
    const [th, tw] = this.size;
    if (th > ph || tw > pw) {
      throw new RangeError(
        `RandomCrop.call: the crop [${th}, ${tw}] is larger than the padded image [${ph}, ${pw}] ` +
          `(image [${h}, ${w}] with padding [left, top, right, bottom] = [${this.padding.join(', ')}])`,
      );
    }
    const [left, top, right, bottom] = this.padding;
    const mode = this.paddingMode;
    const limitW = mode === 'reflect' ? w - 1 : w;
    const limitH = mode === 'reflect' ? h - 1 : h;
    if (
      (mode === 'reflect' || mode === 'symmetric') &&
      (Math.max(left, right) > limitW || Math.max(top, bottom) > limitH)
    ) {
      throw new RangeError(
        `RandomCrop.call: ${mode} padding [${this.padding.join(', ')}] needs each side ${mode === 'reflect' ? 'smaller than' : 'at most'} the image's size [${h}, ${w}]`,
      );
    }
  }

  /**
   * @example
   * const c = new RandomCrop(28, { padding: 2, fill: 1 }).toConfig();
   * c; // => { name: 'RandomCrop', size: [28, 28], padding: [2, 2, 2, 2], paddingMode: 'constant', fill: 1 }
   */
  toConfig(): TransformConfig {
    return {
      name: 'RandomCrop',
      size: [this.size[0], this.size[1]],
      padding: [...this.padding],
      paddingMode: this.paddingMode,
      fill: this.fill,
    };
  }
}
