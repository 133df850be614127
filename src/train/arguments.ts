/**
 * Checks of the arguments of the training, metric and picture functions (train, viz and the Node
 * entry use them): a refusal names the function, the argument and what it got, such as
 * `accuracy: predictions must be a Tensor, got 42`, instead of failing later inside the library.
 *
 * @module
 */
import type { Module } from '../nn/module.js';
import { fail } from '../tensor/check.js';
import { Tensor } from '../tensor/tensor.js';

/** `value` when it is a Tensor, else a TypeError `<where>: <key> must be a Tensor, got …`. */
export function checkTensor(where: string, key: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) fail({ where }, key, 'a Tensor', value, TypeError);
  return value;
}

/**
 * `value` when it is a Module (anything with `call`, `eval`, `train` and `parameters`, as the
 * layers and `mlp(…)` are), else a TypeError `<where>: <key> must be a Module …, got …`.
 */
export function checkModule(where: string, key: string, value: unknown): Module {
  const m = value as Partial<Record<'call' | 'eval' | 'train' | 'parameters', unknown>> | null;
  if (
    m === null ||
    typeof m !== 'object' ||
    typeof m.call !== 'function' ||
    typeof m.eval !== 'function' ||
    typeof m.train !== 'function' ||
    typeof m.parameters !== 'function'
  ) {
    fail({ where }, key, 'a Module (such as mlp([2, 8, 2]))', value, TypeError);
  }
  return value as Module;
}

/** An optional number: `fallback` when undefined, else a number (not NaN), or a TypeError. */
export function checkNumber(where: string, key: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value))
    fail({ where }, key, 'a number', value, TypeError);
  return value;
}
