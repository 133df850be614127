import { describe, expect, it } from 'vitest';
import { parseCifar10 } from '../../src/data/cifar10.js';
import { TensorDataset } from '../../src/data/dataset.js';
import { DataLoader } from '../../src/data/loader.js';
import { mnistFromDigits, MNIST_PIXELS } from '../../src/data/mnist.js';
import { Normalize, RandomCrop, RandomHorizontalFlip, Compose } from '../../src/data/transforms.js';
import { mnistDigits } from '../../src/node/datasets.js';
import { Generator } from '../../src/tensor/random.js';

/** Ten digits with `per` images each; pixel p of image i of digit d is ((d + i + p) % 11) / 10. */
const digits = (per: number): Float32Array[] =>
  Array.from({ length: 10 }, (_, d) =>
    Float32Array.from({ length: per * MNIST_PIXELS }, (_, k) => {
      const i = Math.floor(k / MNIST_PIXELS);
      return ((d + i + (k % MNIST_PIXELS)) % 11) / 10;
    }),
  );

describe('MNIST as images', () => {
  it('gives [n, 1, 28, 28] with image: true, the same pixels as the flat rows', () => {
    const flat = mnistFromDigits(digits(5), { validation: 10, test: 10 });
    const image = mnistFromDigits(digits(5), { validation: 10, test: 10, image: true });
    expect(flat.train.x.shape).toEqual([30, 784]);
    expect(image.train.x.shape).toEqual([30, 1, 28, 28]);
    expect(image.validation.x.shape).toEqual([10, 1, 28, 28]);
    expect(image.test.x.shape).toEqual([10, 1, 28, 28]);
    expect(Array.from(image.train.x.data)).toEqual(Array.from(flat.train.x.data));
    expect(Array.from(image.train.y.data)).toEqual(Array.from(flat.train.y.data));
  });

  it('refuses an image option that is not true or false', () => {
    expect(() =>
      mnistFromDigits(digits(1), { validation: 0, test: 0, image: 'yes' as never }),
    ).toThrow('mnistFromDigits: image must be true or false, got "yes"');
  });

  it('reads the bundled digits as images, ready for a crop with padding', () => {
    const { train, test } = mnistDigits({ image: true });
    expect(train.x.shape).toEqual([7000, 1, 28, 28]);
    expect(test.x.shape).toEqual([2000, 1, 28, 28]);
    const loader = new DataLoader(new TensorDataset(train.x, train.y), {
      batchSize: 64,
      shuffle: true,
      generator: new Generator(0),
      transform: new Compose([
        new RandomCrop(28, { padding: 2 }),
        new Normalize([0.1307], [0.3081]),
      ]),
    });
    const [x, y] = loader[Symbol.iterator]().next().value!;
    expect(x.shape).toEqual([64, 1, 28, 28]);
    expect(y.shape).toEqual([64]);
  });
});

describe('CIFAR-10 as images', () => {
  it('reads records as [n, 3, 32, 32], red plane first, that the transforms take', () => {
    const bytes = new Uint8Array(2 * 3073);
    bytes[0] = 3;
    bytes[1] = 255; // record 0, red (0, 0)
    bytes[1 + 1024] = 51; // record 0, green (0, 0)
    bytes[1 + 2048 + 31] = 102; // record 0, blue (0, 31)
    bytes[3073] = 9;
    const { x, y } = parseCifar10(bytes);
    expect(x.shape).toEqual([2, 3, 32, 32]);
    expect(Array.from(y.data)).toEqual([3, 9]);
    expect([x.data[0], x.data[1024], x.data[2048 + 31]]).toEqual([1, 0.2, 0.4].map(Math.fround));
    // Flipped for sure: blue (0, 31) moves to (0, 0).
    const flipped = new RandomHorizontalFlip(1).call(x, new Generator(0));
    expect(flipped.data[2048]).toBe(Math.fround(0.4));
    expect(flipped.data[31]).toBe(1);
  });
});
