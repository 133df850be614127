export { Parameter } from './parameter.js';
export {
  Module,
  evalMode,
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
export { Flatten } from './flatten.js';
export { Dropout } from './dropout.js';
export { Sequential } from './sequential.js';
export { mlp, type MlpOptions } from './mlp.js';
export { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss } from './loss.js';
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
