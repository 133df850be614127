import { declaredParameters, moduleFromConfig, nestedConfigs } from '../nn/config.js';
import type { Module, ModuleConfig } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json.js';
import { checkFinite, checkMetadata } from './model-checks.js';
import { MODEL_DESCRIPTION } from './model-schema.js';
import { readJson } from './schema.js';
import { checkObject, formatValue, kindOf } from '../tensor/check.js';
import { checkModule } from '../train/arguments.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

/** The file names of a saved model. */
export const MODEL_JSON = 'model.json';
export const MODEL_WEIGHTS = 'model.safetensors';

/** What `model.json` holds. */
export interface ModelDescription {
  format: 'nabla-model';
  version: 1;
  /** The module tree, as `toConfig()` gives it. */
  architecture: ModuleConfig;
  /** The parameter names and shapes, as stored in model.safetensors. */
  parameters: Record<string, number[]>;
  /**
   * The persistent buffers' names and shapes (batch norm's `running_mean`, `running_var` and
   * `num_batches_tracked`), also stored in model.safetensors; left out when the model has none.
   */
  buffers?: Record<string, number[]>;
  /**
   * Anything else worth keeping (dataset, classes, input shape, training summary, …). Where it
   * records them, `features` (the number of inputs), `classes` (a count or a list of names),
   * `classNames` and `standardization` (`{ mean, std }`, one per feature) are checked on load
   * against the model and each other.
   */
  metadata?: Record<string, unknown>;
}

/** Options of {@link deserializeModel} and `load`. */
export interface LoadModelOptions {
  /** Load weights that hold NaN or ±Infinity instead of refusing them (default false). */
  allowNonFinite?: boolean;
}

/**
 * A model as its two files: the architecture (model.json text) and the weights
 * (model.safetensors bytes, readable by PyTorch's `safetensors.torch.load_file`). The weights file
 * holds the state dict: parameters and persistent buffers, by PyTorch's keys. Batch norm's
 * `num_batches_tracked` is written as I32 (nabla's int32); PyTorch's `load_state_dict` copies it
 * into its int64 buffer (`Tensor.copy_` converts dtypes), and PyTorch's I64 loads here as int32.
 */
export function serializeModel(
  model: Module,
  metadata?: Record<string, unknown>,
): { json: string; weights: Uint8Array } {
  checkModule('serializeModel', 'model', model);
  checkObject({ where: 'serializeModel' }, 'metadata', metadata, true);
  const state = model.stateDict();
  const { parameters, buffers } = stateShapes(model);
  const description: ModelDescription = {
    format: 'nabla-model',
    version: 1,
    architecture: model.toConfig(),
    parameters: Object.fromEntries(parameters),
    ...(buffers.size === 0 ? {} : { buffers: Object.fromEntries(buffers) }),
    ...(metadata === undefined ? {} : { metadata }),
  };
  const weights = encodeSafetensors(state, { format: 'pt', producer: 'nabla' });
  return { json: `${JSON.stringify(description, null, 2)}\n`, weights };
}

/** The shapes of the model's parameters and of its persistent buffers, by name. */
function stateShapes(model: Module): {
  parameters: Map<string, number[]>;
  buffers: Map<string, number[]>;
} {
  const parameters = new Map(model.namedParameters().map(([k, p]) => [k, [...p.shape]]));
  const buffers = new Map<string, number[]>();
  for (const [k, t] of Object.entries(model.stateDict()))
    if (!parameters.has(k)) buffers.set(k, [...t.shape]);
  return { parameters, buffers };
}

/**
 * Refuses a list of `kind` ("parameters" or "buffers") in model.json that differs from the
 * shapes the architecture gives, naming the first name that differs.
 */
function checkListed(
  kind: 'parameters' | 'buffers',
  listed: Record<string, number[]>,
  shapes: Map<string, number[]>,
  jsonName: string,
): void {
  const wrong =
    Object.entries(listed).find(([k, shape]) => {
      const want = shapes.get(k);
      return (
        want === undefined || want.length !== shape.length || want.some((n, i) => n !== shape[i])
      );
    })?.[0] ?? [...shapes.keys()].find((k) => !Object.hasOwn(listed, k));
  if (wrong === undefined) return;
  const want = shapes.get(wrong);
  const what = kind === 'parameters' ? 'a parameter' : 'a buffer';
  throw new Error(
    `${jsonName}: "${kind}" does not match the architecture: ${JSON.stringify(wrong)} is ` +
      (want === undefined
        ? `not ${what} of the model`
        : `listed as ${JSON.stringify(listed[wrong] ?? null)} but has shape ${JSON.stringify(want)}`),
  );
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads model.json text, checking it is one of ours and that every field holds what it should
 * (see model-schema.ts): an error names `source`, the field, its value and what was expected.
 * Arrays and objects nested deeper than `MAX_JSON_DEPTH` levels are refused (no model needs
 * them, and rebuilding one would overflow the stack).
 */
export function parseModelDescription(text: string, source = MODEL_JSON): ModelDescription {
  if (typeof source !== 'string')
    throw new TypeError(
      `parseModelDescription: source must be a string, got ${formatValue(source)}`,
    );
  if (typeof text !== 'string')
    throw new TypeError(`${source}: expected the text of the file, got ${kindOf(text)}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    throw new Error(
      `${source}: the JSON nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
    );
  }
  const d = value as Partial<ModelDescription> | null;
  if (!isPlainObject(d) || d.format !== 'nabla-model') {
    throw new Error(`${source}: not a nabla model description (expected "format": "nabla-model")`);
  }
  if (d.version !== 1)
    throw new Error(
      `${source}: unsupported version ${JSON.stringify(d.version)} (this nabla reads version 1)`,
    );
  readJson(MODEL_DESCRIPTION, d, source);
  return d as ModelDescription;
}

/** The most modules a model.json may describe (rebuilding far more would overflow the stack). */
export const MAX_MODULES = 10_000;

/**
 * How many modules `architecture` (any JSON value) describes, and how many parameters its layers
 * declare (by their classes' `parameterCount`; types without one count 0): bounds that let a
 * hostile model.json be refused before its layers are allocated. The walk is iterative and stops
 * once more than `MAX_MODULES` modules are seen.
 */
function countArchitecture(architecture: unknown): { modules: number; parameters: number } {
  let modules = 0;
  let parameters = 0;
  const stack: unknown[] = [architecture];
  while (stack.length > 0 && modules <= MAX_MODULES) {
    const c = stack.pop();
    modules++;
    parameters += declaredParameters(c);
    for (const nested of nestedConfigs(c)) stack.push(nested);
  }
  return { modules, parameters };
}

/**
 * Rebuilds a model from its two files; a mismatch between them (a missing parameter, a shape
 * that differs) is an error naming the files and the parameter. So are weights that are not
 * finite (unless `options.allowNonFinite`), a tensor whose bytes do not match the checksum nabla
 * recorded for it, and metadata that does not fit the model (see {@link ModelDescription}).
 * Hostile files are refused before anything large is allocated: an architecture of more than
 * `MAX_MODULES` modules, or whose layers declare more parameters than the weights file has
 * bytes, and a "parameters" or "buffers" list that differs from the architecture's, are errors
 * naming model.json. Buffers (running statistics) load with the weights; an int64 count written
 * by PyTorch loads as int32.
 */
export function deserializeModel(
  jsonText: string,
  weights: Uint8Array,
  sources: { json?: string; weights?: string } = {},
  options: LoadModelOptions = {},
): { model: Module; description: ModelDescription } {
  const jsonName = sources.json ?? MODEL_JSON;
  const weightsName = sources.weights ?? MODEL_WEIGHTS;
  const description = parseModelDescription(jsonText, jsonName);
  // Every parameter takes at least one byte of the weights file: check before allocating.
  const declared = countArchitecture(description.architecture);
  if (declared.modules > MAX_MODULES) {
    throw new Error(
      `${jsonName}: the architecture describes more than the ${MAX_MODULES} modules nabla rebuilds`,
    );
  }
  if (declared.parameters > weights.byteLength) {
    throw new Error(
      `${jsonName}: the architecture declares ${declared.parameters} parameters, but ${weightsName} holds only ${weights.byteLength} bytes`,
    );
  }
  let model: Module;
  try {
    model = moduleFromConfig(description.architecture);
  } catch (e) {
    throw new Error(`${jsonName}: ${(e as Error).message}`);
  }
  const shapes = stateShapes(model);
  checkListed('parameters', description.parameters, shapes.parameters, jsonName);
  checkListed('buffers', description.buffers ?? {}, shapes.buffers, jsonName);
  checkMetadata(model, description.metadata, jsonName);
  const { tensors } = decodeSafetensors(weights, weightsName);
  if (options.allowNonFinite !== true) checkFinite(tensors, weightsName);
  try {
    model.loadStateDict(tensors as Map<string, Tensor>);
  } catch (e) {
    throw new Error(
      `${weightsName} does not match ${jsonName}: ${(e as Error).message.replace(/^loadStateDict: /, '')}`,
    );
  }
  return { model, description };
}
