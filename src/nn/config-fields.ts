import {
  checkBoolean,
  checkChoice,
  checkFiniteNumber,
  checkInteger,
  fail,
  type CheckContext,
} from '../tensor/check.js';
import type { Module, ModuleConfig } from './module.js';

/** Builds a module (a nested one, too) from its configuration: `moduleFromConfig`. */
export type BuildModule = (config: ModuleConfig) => Module;

/** Builds a module from its configuration; `build` builds the modules nested in it. */
export type ModuleFactory = (config: ModuleConfig, build: BuildModule) => Module;

/**
 * A module class that can be rebuilt from its `toConfig()`: it has a static `fromConfig`. Two
 * optional statics let a model file be checked before anything is built (both are given any
 * JSON object with this `type`, and may throw on a malformed one: it then counts as 0 or none, and
 * `fromConfig` says what is wrong):
 * - `parameterCount(config)`: how many numbers the layer's own parameters hold (Linear:
 *   in·out + out), computed from the config without allocating;
 * - `nestedConfigs(config)`: the configurations of the modules nested in it (Sequential: its
 *   `layers`).
 */
export interface ConfigurableModule {
  readonly name: string;
  fromConfig(config: ModuleConfig, build: BuildModule): Module;
  parameterCount?(config: ModuleConfig): number;
  nestedConfigs?(config: ModuleConfig): readonly unknown[];
}

/** The floating-point dtypes a layer's weights may have. */
export const FLOAT_DTYPES = ['float32', 'float64'] as const;

/** float32 or float64. */
export type FloatDType = (typeof FLOAT_DTYPES)[number];

const CONFIG: CheckContext = { where: 'model config' };

/**
 * The fields of one module's configuration, read with the shared checks. A field left out takes
 * its fallback (a field without one is required); a wrong one is an error naming it as
 * `model config: <type>.<field>`, e.g. `model config: Linear.inFeatures must be a positive
 * integer, got 0`.
 *
 * @example
 * const f = configFields({ type: 'Linear', inFeatures: 3, outFeatures: 0 });
 * f.integer('inFeatures', 1); // => 3
 * f.boolean('bias', true); // => true
 * f.integer('outFeatures', 1); // throws model config: Linear.outFeatures must be a positive integer, got 0
 */
export class ConfigFields {
  constructor(readonly config: ModuleConfig) {}

  /** The field's name in error messages: `Linear.inFeatures`. */
  name(key: string): string {
    return `${this.config.type}.${key}`;
  }

  /** The field's value, or `fallback` when it is left out. */
  value(key: string, fallback?: unknown): unknown {
    const v = this.config[key];
    return v === undefined ? fallback : v;
  }

  /** An integer ≥ `min` (pass −Infinity for any integer, such as a dimension). */
  integer(key: string, min: number, fallback?: number): number {
    const v = this.value(key, fallback);
    if (min === -Infinity) {
      if (!Number.isInteger(v)) fail(CONFIG, this.name(key), 'an integer', v);
      return v as number;
    }
    return checkInteger(CONFIG, this.name(key), v, min);
  }

  /** Any finite number. */
  number(key: string, fallback?: number): number {
    return checkFiniteNumber(CONFIG, this.name(key), this.value(key, fallback));
  }

  /** A number in [0, 1]. */
  probability(key: string, fallback?: number): number {
    const v = this.value(key, fallback);
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      fail(CONFIG, this.name(key), 'a probability in [0, 1]', v);
    }
    return v;
  }

  /** true or false. */
  boolean(key: string, fallback?: boolean): boolean {
    return checkBoolean(CONFIG, this.name(key), this.value(key, fallback));
  }

  /** One of the given strings. */
  choice<T extends string>(key: string, choices: readonly T[], fallback?: T): T {
    return checkChoice(CONFIG, this.name(key), this.value(key, fallback), choices);
  }

  /** The dtype of the weights: float32 (the default, and then usually left out) or float64. */
  dtype(key = 'dtype'): FloatDType {
    return this.choice(key, FLOAT_DTYPES, 'float32');
  }

  /**
   * A tuple of `length` integers ≥ `min`, such as a kernel size; one integer stands for all of
   * them (`3` is `[3, 3]`), as in PyTorch.
   */
  integers(key: string, length: number, min: number, fallback?: number | number[]): number[] {
    const v = this.value(key, fallback);
    const list = typeof v === 'number' ? new Array<number>(length).fill(v) : v;
    const ok =
      Array.isArray(list) &&
      list.length === length &&
      list.every((d) => Number.isInteger(d) && (d as number) >= min);
    if (!ok) {
      const each = min === -Infinity ? 'an integer' : `an integer >= ${min}`;
      fail(CONFIG, this.name(key), `${each} or a list of ${length} of them`, v);
    }
    return (list as number[]).slice();
  }

  /** A list of nested module configurations (each checked only when it is built). */
  configs(key: string): ModuleConfig[] {
    const v = this.value(key);
    if (!Array.isArray(v)) fail(CONFIG, this.name(key), 'a list of module configurations', v);
    return v as ModuleConfig[];
  }

  /** A list of nested module configurations, each built with `build`. */
  modules(key: string, build: BuildModule): Module[] {
    return this.configs(key).map((c) => build(c));
  }

  /**
   * A field checked by a function of the layer's own (such as `checkInitScheme`), which is given
   * the context and name that make its errors read `model config: <type>.<field> must be …`.
   */
  checked<T>(
    key: string,
    check: (ctx: CheckContext, key: string, value: unknown) => T,
    fallback?: unknown,
  ): T {
    return check(CONFIG, this.name(key), this.value(key, fallback));
  }
}

/** The fields of `config`, for a `fromConfig` to read. */
export const configFields = (config: ModuleConfig): ConfigFields => new ConfigFields(config);
