/**
 * Data: datasets, loaders and batching, toy-data generators, standardization, and readers of
 * file formats working on bytes and text (browser-safe; the Node entry adds file reading).
 *
 * The toy generators themselves (`spiral`, `circles`, `xor`, `gaussians`, `moons`,
 * `regression1d`) live in `./toy.js`, exported by the package as the `datasets` namespace.
 *
 * @module
 */
export {
  randomSplit,
  Subset,
  TensorDataset,
  type Dataset,
  type LabeledData,
  type RandomSplitOptions,
} from './dataset.js';
export {
  DataLoader,
  type Collatable,
  type DataLoaderOptions,
  type DataLoaderState,
} from './loader.js';
export {
  channelStats,
  Compose,
  Normalize,
  RandomCrop,
  RandomHorizontalFlip,
  transformFromConfig,
  type PaddingMode,
  type RandomCropOptions,
  type Transform,
  type TransformConfig,
} from './transforms.js';
export type { RegressionOptions, SpiralOptions, ToyClassOptions, ToyOptions } from './toy.js';
export { standardize, type Standardized } from './standardize.js';
export { parseIdx, type IdxOptions } from './idx.js';
export { parseCifar10, CIFAR10_CLASSES } from './cifar10.js';
export { parseCsv, type CsvData, type CsvOptions } from './csv.js';
export { mnistFromDigits, MNIST_PIXELS, type MnistSplit, type MnistSplitOptions } from './mnist.js';
