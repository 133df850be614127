/**
 * The checks `deserializeModel` makes beyond the files' formats: that the weights are finite, and
 * that what model.json records of the model's data (input features, classes, class names,
 * standardization) fits the model it describes.
 */
import { ACTIVATION_TABLE } from '../nn/activation.js';
import { Dropout, Dropout2d } from '../nn/dropout.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { BatchNorm1d, BatchNorm2d } from '../nn/norm.js';
import { GroupNorm, LayerNorm } from '../nn/norm-layer.js';
import { Sequential } from '../nn/sequential.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Metadata } from './model-schema.js';

/** Layers whose output has the shape of their input: every activation of the table, dropout, norms. */
const SHAPE_KEEPING = [
  ...Object.values(ACTIVATION_TABLE).map((row) => row.module),
  Dropout,
  Dropout2d,
  BatchNorm1d,
  BatchNorm2d,
  LayerNorm,
  GroupNorm,
];

const keepsShape = (m: Module): boolean => SHAPE_KEEPING.some((Class) => m instanceof Class);

/**
 * How many features the model takes (`end` 'in') or gives (`end` 'out') in its last dimension,
 * when its layers say so (a Linear, possibly inside Sequentials and behind layers that keep the
 * shape); undefined when they do not.
 */
export function featuresAt(model: Module, end: 'in' | 'out'): number | undefined {
  if (model instanceof Linear) return end === 'in' ? model.inFeatures : model.outFeatures;
  if (!(model instanceof Sequential)) return undefined;
  const layers = end === 'in' ? model.layers : [...model.layers].reverse();
  for (const layer of layers) {
    if (keepsShape(layer)) continue;
    return featuresAt(layer, end);
  }
  return undefined;
}

/**
 * Refuses a tensor holding NaN or ±Infinity, naming `file`, the tensor and the first bad element:
 * such weights make every prediction NaN.
 */
export function checkFinite(tensors: Map<string, Tensor>, file: string): void {
  for (const [name, t] of tensors) {
    if (t.dtype === 'int32') continue;
    const data = t.data;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v - v !== 0) {
        throw new Error(
          `${file}: tensor ${JSON.stringify(name)} holds ${v} (element ${i} of ${data.length}); ` +
            'a model with weights that are not finite predicts NaN. The training that wrote it ' +
            'diverged, or the file is damaged; to load it anyway pass { allowNonFinite: true } ' +
            '(on the command line: --allow-non-finite)',
        );
      }
    }
  }
}

/**
 * Checks what `metadata` (already of the right types: see model-schema.ts) records of the model's
 * data against `model` and itself: `features` against the model's inputs, `classes` (a count, or
 * a list of names) and `classNames` against its outputs, and `standardization` (one mean and one
 * std per feature). Errors name `file` and the field.
 */
export function checkMetadata(model: Module, metadata: Metadata | undefined, file: string): void {
  if (metadata === undefined) return;
  const fail = (problem: string): never => {
    throw new Error(`${file}: ${problem}`);
  };
  const inputs = featuresAt(model, 'in');
  const outputs = featuresAt(model, 'out');
  const f = metadata.features;
  if (f !== undefined && inputs !== undefined && f !== inputs)
    fail(`"metadata.features" is ${f}, but the model takes ${inputs} input features`);
  const features = f ?? inputs;
  const { classes, classNames, standardization } = metadata;
  const n = Array.isArray(classes) ? classes.length : classes;
  if (n !== undefined && outputs !== undefined && n !== outputs)
    fail(`"metadata.classes" says ${n} classes, but the model has ${outputs} outputs`);
  const want = outputs ?? n;
  if (classNames !== undefined && classNames !== null && want !== undefined) {
    if (classNames.length !== want)
      fail(
        `"metadata.classNames" names ${classNames.length} classes, but the model has ${want} outputs`,
      );
  }
  if (standardization !== undefined) {
    const { mean, std } = standardization;
    const where = '"metadata.standardization"';
    if (mean.length !== std.length)
      fail(`${where} has ${mean.length} means but ${std.length} stds`);
    if (features !== undefined && mean.length !== features)
      fail(`${where} has ${mean.length} means and stds, but the model takes ${features} features`);
  }
}
