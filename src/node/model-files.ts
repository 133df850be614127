import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  deserializeModel,
  MODEL_JSON,
  MODEL_WEIGHTS,
  serializeModel,
  type LoadModelOptions,
  type ModelDescription,
} from '../io/model.js';
import type { Module } from '../nn/module.js';
import { checkObject } from '../tensor/check.js';
import { checkModule } from '../train/arguments.js';
import { checkPath, readFileChecked, writeFileAtomicSync } from './files.js';

/**
 * Saves a model to `dir` as `model.safetensors` (the weights, in the standard safetensors layout)
 * and `model.json` (the architecture and `metadata`). Each file is written atomically: to a
 * temporary file first, then renamed, so a crash never leaves a half-written model.
 *
 * @example
 * const model = mlp([784, 128, 10]);
 * save(model, 'runs/mnist');
 * const { model: again } = load('runs/mnist');
 */
export function save(model: Module, dir: string, metadata?: Record<string, unknown>): void {
  checkModule('save', 'model', model);
  checkPath('save', 'dir', dir);
  checkObject({ where: 'save' }, 'metadata', metadata, true);
  const { json, weights } = serializeModel(model, metadata);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new Error(`save: cannot create the directory ${dir}: ${(e as Error).message}`);
  }
  // Weights first: a model.json always describes complete weights beside it.
  writeFileAtomicSync(join(dir, MODEL_WEIGHTS), weights);
  writeFileAtomicSync(join(dir, MODEL_JSON), json);
}

/**
 * Loads a model saved by `save`; every problem is an error naming the file: a damaged byte (the
 * weights carry checksums), weights that are not finite (unless `options.allowNonFinite`), and
 * metadata that does not fit the model (classes against its outputs, standard deviations ≤ 0).
 */
export function load(
  dir: string,
  options: LoadModelOptions = {},
): { model: Module; description: ModelDescription } {
  checkPath('load', 'dir', dir);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new Error(`load: no model directory at ${dir}`);
  }
  if (!isDir)
    throw new Error(
      `load: ${dir} is not a directory (expected one holding ${MODEL_JSON} and ${MODEL_WEIGHTS})`,
    );
  const jsonPath = join(dir, MODEL_JSON);
  const weightsPath = join(dir, MODEL_WEIGHTS);
  const json = new TextDecoder().decode(readFileChecked(jsonPath, MODEL_JSON));
  const weights = readFileChecked(weightsPath, MODEL_WEIGHTS);
  return deserializeModel(json, weights, { json: jsonPath, weights: weightsPath }, options);
}
