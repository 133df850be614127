export { Parameter } from './parameter.js';
export {
  Module,
  evalMode,
  type BufferOptions,
  type ForwardHook,
  type LoadStateDictOptions,
  type ModuleConfig,
} from './module.js';
export { Linear, type LinearOptions } from './linear.js';
export { type InitScheme } from './init.js';
export {
  ACTIVATION_TABLE,
  ACTIVATIONS,
  activation,
  type ActivationEntry,
  type ActivationName,
  GELU,
  LeakyReLU,
  LogSoftmax,
  ReLU,
  Sigmoid,
  Softmax,
  Step,
  Tanh,
} from './activation.js';
export {
  CELU,
  ELU,
  LogSigmoid,
  Mish,
  SELU,
  SiLU,
  Softplus,
  Softsign,
} from './activation-smooth.js';
export { Hardsigmoid, Hardswish, Hardtanh, ReLU6 } from './activation-piecewise.js';
export { GLU, Softmin } from './activation-dim.js';
export { PReLU, type PReLUOptions } from './prelu.js';
export { Flatten } from './flatten.js';
export { Dropout, Dropout2d } from './dropout.js';
export {
  Conv1d,
  Conv2d,
  type Conv1dLayerOptions,
  type Conv2dLayerOptions,
  type ConvPaddingMode,
} from './conv.js';
export { ConvTranspose2d, type ConvTranspose2dLayerOptions } from './conv-transpose.js';
export {
  AdaptiveAvgPool2d,
  AvgPool2d,
  MaxPool2d,
  type AdaptiveSize,
  type AvgPool2dLayerOptions,
  type MaxPool2dLayerOptions,
} from './pool.js';
export { BatchNorm1d, BatchNorm2d, type BatchNormLayerOptions } from './norm.js';
export {
  GroupNorm,
  LayerNorm,
  type GroupNormLayerOptions,
  type LayerNormLayerOptions,
} from './norm-layer.js';
export { Upsample, type UpsampleOptions } from './resize.js';
export { Sequential } from './sequential.js';
export {
  MultiheadAttention,
  type AttendOptions,
  type MultiheadAttentionOptions,
} from './attention.js';
export { mlp, type MlpOptions } from './mlp.js';
export { lenet5, smallVgg, type CnnOptions, type LeNetOptions } from './cnn.js';
export { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss } from './loss.js';
export { CosineEmbeddingLoss, HuberLoss, KLDivLoss, L1Loss, SmoothL1Loss } from './loss.js';
export {
  declaredParameters,
  moduleFromConfig,
  nestedConfigs,
  registerModuleClass,
  registerModuleType,
  type BuildModule,
  type ConfigurableModule,
  type ModuleFactory,
} from './config.js';
export { ConfigFields, configFields, type FloatDType } from './config-fields.js';
export * as init from './init.js';
