export { Parameter } from './parameter.js';
export {
  Module,
  evalMode,
  type ForwardHook,
  type LoadStateDictOptions,
  type ModuleConfig,
} from './module.js';
export { Linear, type InitScheme, type LinearOptions } from './linear.js';
export {
  Flatten,
  GELU,
  LeakyReLU,
  LogSoftmax,
  ReLU,
  Sigmoid,
  Softmax,
  Step,
  Tanh,
} from './activation.js';
export { Dropout } from './dropout.js';
export { Sequential } from './sequential.js';
export { mlp, activation, ACTIVATIONS, type ActivationName, type MlpOptions } from './mlp.js';
export { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss } from './loss.js';
export { moduleFromConfig, registerModuleType, type ModuleFactory } from './config.js';
export * as init from './init.js';
