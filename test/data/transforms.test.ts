import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  channelStats,
  Compose,
  Normalize,
  RandomCrop,
  RandomHorizontalFlip,
  transformFromConfig,
  type Transform,
} from '../../src/data/transforms.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Generator } from '../../src/tensor/random.js';

/** One image [1, 1, h, w] holding 1, 2, 3, … row by row. */
const counting = (h: number, w: number): Tensor =>
  new Tensor(
    Float32Array.from({ length: h * w }, (_, i) => i + 1),
    [1, 1, h, w],
  );

/** A batch [n, c, h, w] of random values. */
function randomImages(shape: number[], seed: number, Kind = Float32Array): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const g = new Generator(seed);
  return new Tensor(
    Kind.from({ length: size }, () => g.random()),
    shape,
  );
}

/** The rows of a [h, w] plane as nested arrays. */
const plane = (t: Tensor, h: number, w: number, at = 0): number[][] =>
  Array.from({ length: h }, (_, y) => Array.from(t.data.subarray(at + y * w, at + y * w + w)));

/** The generator that yields `draws` to uniformInt and random in turn: a stub to fix offsets. */
function scripted(ints: number[], uniforms: number[] = []): Generator {
  const g = new Generator(0);
  g.uniformInt = (n: number): number => {
    const v = ints.shift()!;
    expect(v).toBeLessThan(n);
    return v;
  };
  g.random = (): number => uniforms.shift()!;
  return g;
}

describe('RandomCrop', () => {
  it('pads with zeros and cuts at the drawn offsets (top first, then left)', () => {
    // 3×3 image padded by 1 → 5×5; a 3×3 crop at top 0, left 2.
    const out = new RandomCrop(3, { padding: 1 }).call(counting(3, 3), scripted([0, 2]));
    expect(out.shape).toEqual([1, 1, 3, 3]);
    expect(plane(out, 3, 3)).toEqual([
      [0, 0, 0],
      [2, 3, 0],
      [5, 6, 0],
    ]);
  });

  it('draws each offset uniformly from 0 to padded size − crop size', () => {
    const g = new Generator(0);
    const seen: number[] = [];
    g.uniformInt = (n: number): number => (seen.push(n), 0);
    new RandomCrop([2, 3], { padding: [1, 2] }).call(counting(4, 4), g); // padded 8 × 6
    expect(seen).toEqual([8 - 2 + 1, 6 - 3 + 1]);
  });

  it('fills the padding by mode: constant (fill), edge, reflect, symmetric', () => {
    const img = counting(3, 3); // [[1,2,3],[4,5,6],[7,8,9]]
    const at = (mode: 'constant' | 'edge' | 'reflect' | 'symmetric'): number[][] =>
      plane(
        new RandomCrop(5, { padding: 1, paddingMode: mode, fill: -1 }).call(img, scripted([0, 0])),
        5,
        5,
      );
    expect(at('constant')[0]).toEqual([-1, -1, -1, -1, -1]);
    expect(at('constant')[1]).toEqual([-1, 1, 2, 3, -1]);
    expect(at('edge')).toEqual([
      [1, 1, 2, 3, 3],
      [1, 1, 2, 3, 3],
      [4, 4, 5, 6, 6],
      [7, 7, 8, 9, 9],
      [7, 7, 8, 9, 9],
    ]);
    expect(at('reflect')).toEqual([
      [5, 4, 5, 6, 5],
      [2, 1, 2, 3, 2],
      [5, 4, 5, 6, 5],
      [8, 7, 8, 9, 8],
      [5, 4, 5, 6, 5],
    ]);
    expect(at('symmetric')[0]).toEqual([1, 1, 2, 3, 3]);
    expect(at('symmetric')[2]).toEqual([4, 4, 5, 6, 6]);
  });

  it('takes [left, top, right, bottom] padding and crops every channel alike', () => {
    const img = new Tensor(Float32Array.from([1, 2, 3, 4, 10, 20, 30, 40]), [2, 2, 2]);
    const out = new RandomCrop(2, { padding: [1, 0, 0, 0] }).call(img, scripted([0, 0]));
    expect(out.shape).toEqual([2, 2, 2]);
    expect(Array.from(out.data)).toEqual([0, 1, 0, 3, 0, 10, 0, 30]);
  });

  it('matches a naive pad-then-slice reference on random batches', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        (n, c, size, pad, seed) => {
          const x = randomImages([n, c, size, size], seed);
          const crop = size; // crop the original size out of the padded image
          const out = new RandomCrop(crop, { padding: pad }).call(x, new Generator(seed));
          const g = new Generator(seed);
          const p = size + 2 * pad;
          for (let i = 0; i < n; i++) {
            const draw = p !== crop;
            const top = draw ? g.uniformInt(p - crop + 1) : 0;
            const left = draw ? g.uniformInt(p - crop + 1) : 0;
            for (let ch = 0; ch < c; ch++)
              for (let y = 0; y < crop; y++)
                for (let xx = 0; xx < crop; xx++) {
                  const sy = y + top - pad;
                  const sx = xx + left - pad;
                  const inside = sy >= 0 && sy < size && sx >= 0 && sx < size;
                  const want = inside ? x.data[((i * c + ch) * size + sy) * size + sx] : 0;
                  expect(out.data[((i * c + ch) * crop + y) * crop + xx]).toBe(want);
                }
          }
        },
      ),
      { seed: 14, numRuns: 40 },
    );
  });

  it('refuses a crop larger than the padded image, and reflect padding as wide as the image', () => {
    expect(() => new RandomCrop(6, { padding: 1 }).call(counting(3, 3))).toThrow(
      'RandomCrop.call: the crop [6, 6] is larger than the padded image [5, 5]',
    );
    expect(() =>
      new RandomCrop(3, { padding: 3, paddingMode: 'reflect' }).call(counting(3, 3)),
    ).toThrow('RandomCrop.call: reflect padding [3, 3, 3, 3] needs each side smaller than');
    expect(() => new RandomCrop(0)).toThrow('RandomCrop: size must be an integer ≥ 1, got 0');
    expect(() => new RandomCrop(3, { padding: -1 })).toThrow('RandomCrop: padding must be');
    expect(() => new RandomCrop(3, { padding: [1, 2, 3] as never })).toThrow(TypeError);
    expect(() => new RandomCrop(3, { paddingMode: 'wrap' as never })).toThrow(
      'RandomCrop: paddingMode must be one of',
    );
    expect(() => new RandomCrop(3, { pading: 1 } as never)).toThrow('unknown option "pading"');
    expect(() => new RandomCrop(2).call(new Tensor(new Float32Array(784), [1, 784]))).toThrow(
      'RandomCrop.call: expected images [N, C, H, W] or [C, H, W], got shape [1,784]; reshape flat rows to images first',
    );
  });
});

describe('RandomHorizontalFlip', () => {
  it('mirrors the images whose draw is below p, and copies the others', () => {
    const x = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), [2, 1, 2, 3]);
    const out = new RandomHorizontalFlip(0.5).call(x, scripted([], [0.2, 0.7]));
    expect(Array.from(out.data)).toEqual([3, 2, 1, 6, 5, 4, 7, 8, 9, 10, 11, 12]);
    expect(Array.from(x.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('never flips with p = 0 and always with p = 1; flips about half with p = 0.5', () => {
    const x = randomImages([200, 1, 1, 2], 3);
    const flipped = (p: number): number => {
      const out = new RandomHorizontalFlip(p).call(x, new Generator(1));
      let k = 0;
      for (let i = 0; i < 200; i++) if (out.data[2 * i] !== x.data[2 * i]) k++;
      return k;
    };
    expect(flipped(0)).toBe(0);
    expect(flipped(1)).toBe(200);
    expect(flipped(0.5)).toBeGreaterThan(70);
    expect(flipped(0.5)).toBeLessThan(130);
  });

  it('refuses p outside [0, 1]', () => {
    expect(() => new RandomHorizontalFlip(1.5)).toThrow(
      'RandomHorizontalFlip: p must be a probability in [0, 1], got 1.5',
    );
    expect(() => new RandomHorizontalFlip(NaN)).toThrow(RangeError);
  });
});

describe('Normalize', () => {
  it('subtracts the mean and divides by the std of each channel, in float32 as PyTorch', () => {
    const x = new Tensor(Float32Array.from([0, 0.5, 1, 0.2, 0.4, 0.6]), [1, 2, 1, 3]);
    const out = new Normalize([0.5, 0.1], [0.5, 0.2]).call(x);
    const f = Math.fround;
    const want = [0, 0.5, 1].map((v) => f(f(f(v) - f(0.5)) / f(0.5)));
    want.push(...[0.2, 0.4, 0.6].map((v) => f(f(f(v) - f(0.1)) / f(0.2))));
    expect(Array.from(out.data)).toEqual(want);
    expect(Array.from(out.data).map((v) => +v.toFixed(5))).toEqual([-1, 0, 1, 0.5, 1.5, 2.5]);
  });

  it('works in float64 and broadcasts one mean and std over all channels', () => {
    const x = new Tensor(Float64Array.from([1, 2, 3, 4]), [2, 2, 1]);
    const out = new Normalize([1], [2]).call(x);
    expect(out.dtype).toBe('float64');
    expect(Array.from(out.data)).toEqual([0, 0.5, 1, 1.5]);
  });

  it('refuses std 0, lists that do not match the channels, and int32 images', () => {
    expect(() => new Normalize([0.5], [0])).toThrow('Normalize: std[0] is 0');
    expect(() => new Normalize([], [1])).toThrow('Normalize: mean must be a non-empty list');
    expect(() => new Normalize([NaN], [1])).toThrow('Normalize: mean[0] must be a finite number');
    const rgb = randomImages([1, 3, 2, 2], 0);
    expect(() => new Normalize([0.5, 0.5], [1, 1]).call(rgb)).toThrow(
      'Normalize.call: mean has 2 values but the images have 3 channels',
    );
    expect(() => new Normalize([0.5], [1, 1]).call(rgb)).toThrow('std has 2 values');
    expect(() => new Normalize([0], [1]).call(new Tensor(new Int32Array(4), [1, 1, 2, 2]))).toThrow(
      'Normalize.call: expected float32 or float64 images, got int32',
    );
  });
});

describe('Compose and configs', () => {
  const pipeline = (): Compose =>
    new Compose([
      new RandomCrop(4, { padding: 1, paddingMode: 'edge' }),
      new RandomHorizontalFlip(0.3),
      new Normalize([0.5, 0.4], [0.2, 0.1]),
    ]);

  it('applies its transforms in turn with one generator', () => {
    const x = randomImages([5, 2, 4, 4], 2);
    const a = pipeline().call(x, new Generator(9));
    const g = new Generator(9);
    const t = pipeline().transforms;
    const b = t[2].call(t[1].call(t[0].call(x, g), g), g);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(pipeline().random).toBe(true);
    expect(new Compose([new Normalize([0], [1])]).random).toBe(false);
  });

  it('gives the same batch for the same seed and others for other seeds or later draws', () => {
    const x = randomImages([8, 2, 4, 4], 5);
    const one = (g: Generator): number[] => Array.from(pipeline().call(x, g).data);
    expect(one(new Generator(1))).toEqual(one(new Generator(1)));
    expect(one(new Generator(1))).not.toEqual(one(new Generator(2)));
    const g = new Generator(1);
    expect(one(g)).not.toEqual(one(g));
  });

  it('describes itself as JSON and is rebuilt from it', () => {
    const config = pipeline().toConfig();
    expect(JSON.parse(JSON.stringify(config))).toEqual({
      name: 'Compose',
      transforms: [
        { name: 'RandomCrop', size: [4, 4], padding: [1, 1, 1, 1], paddingMode: 'edge', fill: 0 },
        { name: 'RandomHorizontalFlip', p: 0.3 },
        { name: 'Normalize', mean: [0.5, 0.4], std: [0.2, 0.1] },
      ],
    });
    const rebuilt: Transform = transformFromConfig(config);
    const x = randomImages([3, 2, 4, 4], 7);
    expect(Array.from(rebuilt.call(x, new Generator(3)).data)).toEqual(
      Array.from(pipeline().call(x, new Generator(3)).data),
    );
  });

  it('refuses what is not a transform or a description of one', () => {
    expect(() => new Compose([{} as Transform])).toThrow(
      'Compose: transforms[0] must be a transform',
    );
    expect(() => new Compose(null as never)).toThrow('Compose: expected a list of transforms');
    expect(() => transformFromConfig({ name: 'Rotate' } as never)).toThrow(
      'transformFromConfig: unknown transform "Rotate"',
    );
    expect(() => transformFromConfig(null as never)).toThrow(TypeError);
    expect(() => transformFromConfig({ name: 'Normalize', mean: [1], std: [0] })).toThrow(
      'Normalize: std[0] is 0',
    );
  });
});

describe('channelStats', () => {
  it("gives each channel's mean and population std, 1 for a constant channel", () => {
    // channel 0 holds 1, 2, 3, 4 over two images; channel 1 is constant 5
    const x = new Tensor(Float32Array.from([1, 2, 5, 5, 3, 4, 5, 5]), [2, 2, 1, 2]);
    const { mean, std } = channelStats(x);
    expect(mean).toEqual([2.5, 5]);
    expect(std[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(std[1]).toBe(1);
    const out = new Normalize(mean, std).call(x);
    expect(channelStats(out).mean[0]).toBeCloseTo(0, 6);
    expect(channelStats(out).std[0]).toBeCloseTo(1, 6);
  });

  it('refuses what is not images', () => {
    expect(() => channelStats([1, 2] as never)).toThrow(
      'channelStats: expected images as a Tensor',
    );
  });
});
