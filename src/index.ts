/**
 * nabla — tensors, reverse-mode automatic differentiation and gradient checking, for Node.js and
 * browsers. This entry is the browser-safe core; `nabla/node` adds the Node-only parts, and
 * `nabla/viz` (pictures, explanations, plots) and `nabla/onnx` are entries of their own.
 *
 * @module nabla
 */
export { Tensor, type GradFn, type TensorInit } from './tensor/tensor.js';
export type {
  Axes,
  BackwardOptions,
  SliceSpec,
  SoftplusOptions,
  RoundOptions,
  NanToNumOptions,
  TensorLike,
} from './tensor/methods.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export type { RoundingMode } from './ops/integer.js';
export type { Shape } from './tensor/shape.js';
export type { NestedArray } from './tensor/nested.js';
export { Generator, type GeneratorState } from './tensor/random.js';
export { manualSeed, defaultGenerator, DEFAULT_SEED } from './tensor/state.js';
export { memoryStats, emptyCache, type MemoryStats } from './tensor/storage.js';
export {
  tensor,
  scalar,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  fullLike,
  rand,
  randn,
  randint,
  arange,
  linspace,
  eye,
  type CreateOptions,
  type TensorOptions,
  type RandomOptions,
  type ShapeLike,
} from './tensor/creation.js';
export {
  getBackend,
  setBackend,
  listBackends,
  ready,
  registerBackend,
  type Backend,
} from './backend/index.js';
export { getWasmThreads, setWasmThreads } from './backend/wasm/thread-count.js';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd/mode.js';
export { gradients, type GradientsOptions } from './autograd/engine.js';
export { grad, valueAndGrad, type GradOptions } from './autograd/functional.js';
export {
  hessian,
  jacobian,
  jvp,
  vjp,
  vmap,
  type TransformOptions,
  type VmapOptions,
} from './autograd/transforms.js';
export {
  gradcheck,
  type GradcheckOptions,
  type GradcheckReport,
  type GradcheckWorst,
} from './autograd/gradcheck.js';
export { detectAnomaly, AnomalyError } from './autograd/anomaly.js';
export {
  customOp,
  CustomOpContext,
  type CustomGrads,
  type CustomOpDefinition,
} from './autograd/custom-op.js';
export * from './ops/index.js';
export { concat as cat } from './ops/slicing.js';
export {
  mseLoss,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  nllLoss,
  type Reduction,
  type LossOptions,
  type ClassLossOptions,
} from './ops/loss.js';
export * from './nn/index.js';
export * from './optim/index.js';
export * from './data/index.js';
export * as datasets from './data/toy.js';
export * from './train/index.js';
export * from './io/index.js';
