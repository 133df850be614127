/**
 * The checks `deserializeModel` makes beyond the files' formats: that the weights are finite, and
 * that what model.json records of the model's data (input features, classes, class names,
 * standardization) fits the model it describes.
 */
import { ACTIVATION_TABLE } from '../nn/activation.js';
import { Dropout } from '../nn/dropout.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { Sequential } from '../nn/sequential.js';
import type { Tensor } from '../tensor/tensor.js';

/** Layers whose output has the shape of their input: every activation of the table, and Dropout. */
const SHAPE_KEEPING = [...Object.values(ACTIVATION_TABLE).map((row) => row.module), Dropout];

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
            'diverged, or the file is damaged; pass { allowNonFinite: true } to load it anyway',
        );
      }
    }
  }
}

const show = (v: unknown): string =>
  typeof v === 'number' ? String(v) : (JSON.stringify(v)?.slice(0, 80) ?? String(v));

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

/**
 * Checks what `metadata` records of the model's data, where it records it, against `model` and
 * itself: `features` against the model's inputs, `classes` (a count, or a list of names) and
 * `classNames` against its outputs, and `standardization` (`mean` and `std`, one per feature,
 * finite, every std > 0). Errors name `file` and the field.
 */
export function checkMetadata(
  model: Module,
  metadata: Record<string, unknown> | undefined,
  file: string,
): void {
  if (metadata === undefined) return;
  const fail = (problem: string): never => {
    throw new Error(`${file}: ${problem}`);
  };
  const inputs = featuresAt(model, 'in');
  const outputs = featuresAt(model, 'out');
  let features = inputs;
  if (metadata.features !== undefined) {
    const f = metadata.features;
    if (!isCount(f)) fail(`"metadata.features" must be a positive integer, got ${show(f)}`);
    if (inputs !== undefined && f !== inputs) {
      fail(`"metadata.features" is ${show(f)}, but the model takes ${inputs} input features`);
    }
    features = f as number;
  }
  const classes = metadata.classes;
  if (classes !== undefined) {
    const n = Array.isArray(classes) ? classes.length : classes;
    if (!isCount(n)) {
      fail(
        `"metadata.classes" must be the number of classes (or their names), got ${show(classes)}`,
      );
    }
    if (outputs !== undefined && n !== outputs) {
      fail(`"metadata.classes" says ${show(n)} classes, but the model has ${outputs} outputs`);
    }
  }
  const names = metadata.classNames;
  if (names !== undefined && names !== null) {
    if (!Array.isArray(names) || !names.every((s) => typeof s === 'string')) {
      fail(`"metadata.classNames" must be a list of strings, got ${show(names)}`);
    }
    const n = (names as string[]).length;
    const want = outputs ?? (isCount(classes) ? classes : undefined);
    if (want !== undefined && n !== want) {
      fail(`"metadata.classNames" names ${n} classes, but the model has ${want} outputs`);
    }
  }
  if (metadata.standardization !== undefined) {
    checkStandardization(metadata.standardization, features, fail);
  }
}

/** `{ mean, std }`: lists of finite numbers, one per feature, every std > 0. */
function checkStandardization(
  value: unknown,
  features: number | undefined,
  fail: (problem: string) => never,
): void {
  const where = '"metadata.standardization"';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(`${where} must be an object with "mean" and "std", got ${show(value)}`);
  }
  const { mean, std } = value as { mean?: unknown; std?: unknown };
  for (const [field, list] of [
    ['mean', mean],
    ['std', std],
  ] as const) {
    if (!Array.isArray(list))
      fail(`${where}.${field} must be a list of numbers, got ${show(list)}`);
    const items = list as unknown[];
    const bad = items.findIndex(
      (v) => typeof v !== 'number' || !Number.isFinite(v) || (field === 'std' && v <= 0),
    );
    if (bad >= 0) {
      const why =
        field === 'std'
          ? 'every standard deviation must be a finite number > 0 (inputs are divided by it)'
          : 'every mean must be a finite number';
      fail(`${where}.${field}[${bad}] is ${show(items[bad])}: ${why}`);
    }
    if (features !== undefined && items.length !== features) {
      fail(
        `${where}.${field} has ${items.length} entries, but the model takes ${features} features`,
      );
    }
  }
  if ((mean as unknown[]).length !== (std as unknown[]).length) {
    fail(`${where} has ${(mean as unknown[]).length} means but ${(std as unknown[]).length} stds`);
  }
}
