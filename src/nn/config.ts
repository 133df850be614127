import { fail, formatValue } from '../tensor/check.js';
import { GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Step, Tanh } from './activation.js';
import type { ConfigurableModule, ModuleFactory } from './config-fields.js';
import { MultiheadAttention } from './attention.js';
import { Conv1d, Conv2d } from './conv.js';
import { ConvTranspose2d } from './conv-transpose.js';
import { Dropout, Dropout2d } from './dropout.js';
import { Flatten } from './flatten.js';
import { Linear } from './linear.js';
import { Module, type ModuleConfig } from './module.js';
import { BatchNorm1d, BatchNorm2d } from './norm.js';
import { GroupNorm, LayerNorm } from './norm-layer.js';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './pool.js';
import { Upsample } from './resize.js';
import { Sequential } from './sequential.js';

export type { BuildModule, ConfigurableModule, ModuleFactory } from './config-fields.js';

/**
 * The built-in module types, by the `type` their `toConfig()` writes (spelt out rather than read
 * from the class names, which a minifier may change). Each class rebuilds itself in its static
 * `fromConfig`.
 */
const BUILT_IN: Record<string, ConfigurableModule> = {
  Linear,
  Dropout,
  Flatten,
  Sequential,
  ReLU,
  Tanh,
  Sigmoid,
  Step,
  LeakyReLU,
  GELU,
  Softmax,
  LogSoftmax,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  MaxPool2d,
  AvgPool2d,
  AdaptiveAvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  LayerNorm,
  GroupNorm,
  Dropout2d,
  Upsample,
  MultiheadAttention,
};

/** A known module type: how to build it, and its class when it was registered as one. */
interface ModuleType {
  build: ModuleFactory;
  Class?: ConfigurableModule;
}

const classType = (Class: ConfigurableModule): ModuleType => ({
  build: (config, build) => Class.fromConfig(config, build),
  Class,
});

/** Every module type `moduleFromConfig` knows, built-in and registered: the one registry. */
const moduleTypes = new Map<string, ModuleType>(
  Object.entries(BUILT_IN).map(([type, Class]) => [type, classType(Class)]),
);

/**
 * Teaches `moduleFromConfig` (and so `load`) a module type of your own: `factory` builds it from
 * the configuration its `toConfig()` gives (and `build` builds any modules nested in it).
 */
export function registerModuleType(type: string, factory: ModuleFactory): void {
  if (typeof type !== 'string' || type === '') {
    fail({ where: 'registerModuleType' }, 'type', 'a non-empty string', type, TypeError);
  }
  if (typeof factory !== 'function') {
    throw new TypeError(
      `registerModuleType: the factory of ${type} must be a function, got ${formatValue(factory)}`,
    );
  }
  moduleTypes.set(type, { build: factory });
}

/**
 * Teaches `moduleFromConfig` (and so `load`) a module class of your own, rebuilt by its static
 * `fromConfig(config, build)`. `type` is what its `toConfig()` writes (default: the class's name;
 * give it when a bundler may rename classes).
 *
 * @example
 * class Scale extends Module {
 *   constructor(readonly factor: number) { super(); }
 *   forward(x: Tensor): Tensor { return x.mul(this.factor); }
 *   override toConfig(): ModuleConfig { return { type: 'Scale', factor: this.factor }; }
 *   static fromConfig(config: ModuleConfig): Scale {
 *     return new Scale(configFields(config).number('factor'));
 *   }
 * }
 * registerModuleClass(Scale);
 */
export function registerModuleClass(Class: ConfigurableModule, type?: string): void {
  if (typeof (Class as unknown) !== 'function') {
    fail({ where: 'registerModuleClass' }, 'Class', 'a Module class', Class, TypeError);
  }
  if (!Object.hasOwn(Class, 'fromConfig') || typeof Class.fromConfig !== 'function') {
    throw new TypeError(
      `registerModuleClass: ${Class.name} has no static fromConfig(config, build) of its own`,
    );
  }
  if (type !== undefined && (typeof type !== 'string' || type === '')) {
    fail({ where: 'registerModuleClass' }, 'type', 'a non-empty string', type, TypeError);
  }
  const name = type ?? Class.name;
  registerModuleType(name, (config, build) => Class.fromConfig(config, build));
  moduleTypes.set(name, classType(Class));
}

/** A configuration as an error message shows it: a plain object or array as JSON, else its sort. */
function describeConfig(config: unknown): string {
  const plain =
    Array.isArray(config) ||
    (typeof config === 'object' &&
      config !== null &&
      Object.getPrototypeOf(config) === Object.prototype);
  return plain ? JSON.stringify(config).slice(0, 80) : formatValue(config);
}

/**
 * The class registered for the type of `config` (any JSON value), when it was registered as a
 * class.
 */
function registeredClass(config: unknown): ConfigurableModule | undefined {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return undefined;
  const type = (config as { type?: unknown }).type;
  return typeof type === 'string' ? moduleTypes.get(type)?.Class : undefined;
}

/**
 * Whether `Class` declares the static `key` itself: one inherited from a parent class may not fit
 * the child's config (and counting too many parameters would refuse a good file), so it is not
 * asked.
 */
const declares = (Class: ConfigurableModule | undefined, key: keyof ConfigurableModule) =>
  Class !== undefined && Object.hasOwn(Class, key);

/**
 * How many numbers the parameters of the module `config` describes hold (its own, not those of
 * the modules nested in it), by its class's static `parameterCount`, without building it: a bound
 * that lets a hostile model file be refused before anything is allocated. Any JSON value is accepted; a type without
 * `parameterCount`, or a malformed config, counts 0 (building it then says what is wrong).
 *
 * @example
 * declaredParameters({ type: 'Linear', inFeatures: 3, outFeatures: 2 }); // => 8
 * declaredParameters({ type: 'ReLU' }); // => 0
 */
export function declaredParameters(config: unknown): number {
  const Class = registeredClass(config);
  if (!declares(Class, 'parameterCount')) return 0;
  try {
    const n = Class?.parameterCount?.(config as ModuleConfig);
    // Infinity stays: a layer too large to count is too large to load.
    return typeof n === 'number' && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

/**
 * The configurations of the modules nested in the module `config` describes, by its class's
 * static `nestedConfigs` (Sequential: its `layers`), without building anything. Any JSON value is
 * accepted; a type without `nestedConfigs`, or a malformed config, has none.
 *
 * @example
 * nestedConfigs({ type: 'Sequential', layers: [{ type: 'ReLU' }] }); // => [{ type: 'ReLU' }]
 */
export function nestedConfigs(config: unknown): readonly unknown[] {
  const Class = registeredClass(config);
  if (!declares(Class, 'nestedConfigs')) return [];
  try {
    const list = Class?.nestedConfigs?.(config as ModuleConfig);
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

/**
 * Rebuilds a module from the description `toConfig()` gave (weights freshly initialized; load
 * them with `loadStateDict`). Unknown types and malformed entries are errors naming them.
 *
 * @example
 * const net = mlp([2, 8, 1], { activation: 'tanh' });
 * const copy = moduleFromConfig(JSON.parse(JSON.stringify(net.toConfig())));
 * copy.loadStateDict(net.stateDict());
 * copy.toString(); // => 'Sequential(3 layers)'
 */
export function moduleFromConfig(config: ModuleConfig): Module {
  if (config === null || typeof config !== 'object' || typeof config.type !== 'string') {
    throw new TypeError(
      `moduleFromConfig: expected a model config (an object with a "type"), got ${describeConfig(config)}`,
    );
  }
  const factory = moduleTypes.get(config.type);
  if (factory === undefined) {
    throw new TypeError(
      `model config: unknown module type ${JSON.stringify(config.type)}; known: ${[...moduleTypes.keys()].join(', ')}`,
    );
  }
  const module = factory.build(config, moduleFromConfig);
  if (!(module instanceof Module)) {
    throw new TypeError(
      `model config: the factory registered for ${JSON.stringify(config.type)} returned ${formatValue(module)}, not a Module`,
    );
  }
  return module;
}
