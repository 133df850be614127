import {
  GELU,
  Flatten,
  LeakyReLU,
  LogSoftmax,
  ReLU,
  Sigmoid,
  Softmax,
  Step,
  Tanh,
} from './activation.js';
import { Dropout } from './dropout.js';
import { Linear, type InitScheme } from './linear.js';
import type { Module } from './module.js';
import { type ModuleConfig } from './module.js';
import { Sequential } from './sequential.js';

/** Builds a module from its configuration. */
export type ModuleFactory = (
  config: ModuleConfig,
  build: (config: ModuleConfig) => Module,
) => Module;

const factories = new Map<string, ModuleFactory>();

/** Teaches `moduleFromConfig` (and so `load`) a module type of your own. */
export function registerModuleType(type: string, factory: ModuleFactory): void {
  factories.set(type, factory);
}

function num(config: ModuleConfig, key: string, fallback?: number): number {
  const v = config[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new TypeError(
      `model config: ${config.type}.${key} must be a number, got ${JSON.stringify(config[key])}`,
    );
  }
  return v;
}

registerModuleType(
  'Linear',
  (c) =>
    new Linear(num(c, 'inFeatures'), num(c, 'outFeatures'), {
      bias: c.bias !== false,
      init: (c.init as InitScheme | undefined) ?? 'default',
    }),
);
registerModuleType('ReLU', () => new ReLU());
registerModuleType('Tanh', () => new Tanh());
registerModuleType('Sigmoid', () => new Sigmoid());
registerModuleType('Step', () => new Step());
registerModuleType('LeakyReLU', (c) => new LeakyReLU(num(c, 'negativeSlope', 0.01)));
registerModuleType('GELU', (c) => new GELU(c.approximate === 'tanh' ? 'tanh' : 'none'));
registerModuleType('Softmax', (c) => new Softmax(num(c, 'dim', -1)));
registerModuleType('LogSoftmax', (c) => new LogSoftmax(num(c, 'dim', -1)));
registerModuleType('Flatten', (c) => new Flatten(num(c, 'startDim', 1), num(c, 'endDim', -1)));
registerModuleType('Dropout', (c) => new Dropout(num(c, 'p', 0.5)));
registerModuleType('Sequential', (c, build) => {
  if (!Array.isArray(c.layers))
    throw new TypeError('model config: Sequential.layers must be a list');
  return new Sequential(...(c.layers as ModuleConfig[]).map(build));
});

/**
 * Rebuilds a module from the description `toConfig()` gave (weights freshly initialized; load
 * them with `loadStateDict`). Unknown types and malformed entries are errors naming them.
 */
export function moduleFromConfig(config: ModuleConfig): Module {
  if (config === null || typeof config !== 'object' || typeof config.type !== 'string') {
    throw new TypeError(
      `model config: expected an object with a "type", got ${JSON.stringify(config)?.slice(0, 80)}`,
    );
  }
  const factory = factories.get(config.type);
  if (factory === undefined) {
    throw new TypeError(
      `model config: unknown module type ${JSON.stringify(config.type)}; known: ${[...factories.keys()].join(', ')}`,
    );
  }
  return factory(config, moduleFromConfig);
}
