/**
 * The Node.js entry of nabla: everything in the browser-safe core, `nabla/viz` and `nabla/onnx`,
 * plus the parts that need the file system or a terminal — saving and loading models, reading data
 * files, the bundled MNIST digits, atomic file writes and a progress bar for `fit`.
 *
 * @module nabla/node
 */
import * as coreDatasets from './data/toy.js';
import { mnistDigits, readCifar10, readCsv, readIdx, readMnistIdx } from './node/datasets.js';
import { initBackends } from './node/native.js';
import { setInUseProbe, setUninitializedAllocator } from './tensor/storage.js';

initBackends();
setInUseProbe(() => process.memoryUsage().arrayBuffers);
setUninitializedAllocator((bytes) => Buffer.allocUnsafeSlow(bytes).buffer);

export * from './index.js';
export * from './onnx.js';
export * from './viz.js';
export { save, load } from './node/model-files.js';
export { fit, readCheckpoint, CHECKPOINT_FILE } from './node/fit.js';
export { exportPytorch } from './node/pytorch-export.js';
export type { PytorchLoss, PytorchRecipe } from './io/pytorch-recipe.js';
export { progressBar, type ProgressBarOptions, type TerminalStream } from './node/progress.js';
export {
  getNumThreads,
  nativeAddon,
  nativeError,
  selectBackend,
  setNumThreads,
  type NativeAddon,
} from './node/native.js';
export { wasmError } from './node/wasm.js';
export { svgToPng, writePng, type SvgToPngOptions } from './node/png.js';
export { writeFileAtomic, writeFileAtomicSync, readFileChecked } from './node/files.js';
export {
  mnistDigits,
  readCifar10,
  readCsv,
  readIdx,
  readMnistIdx,
  type TrainTest,
} from './node/datasets.js';

/** The data sets: the toy 2-D generators, and (in Node) the bundled MNIST digits and file readers. */
export const datasets = {
  ...coreDatasets,
  mnistDigits,
  readIdx,
  readMnistIdx,
  readCifar10,
  readCsv,
};
