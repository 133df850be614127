import { moduleFromConfig } from '../nn/config.js';
import type { Module, ModuleConfig } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
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
  /** Anything else worth keeping (dataset, classes, input shape, training summary, …). */
  metadata?: Record<string, unknown>;
}

/**
 * A model as its two files: the architecture (model.json text) and the weights
 * (model.safetensors bytes, readable by PyTorch's `safetensors.torch.load_file`).
 */
export function serializeModel(
  model: Module,
  metadata?: Record<string, unknown>,
): { json: string; weights: Uint8Array } {
  const state = model.stateDict();
  const description: ModelDescription = {
    format: 'nabla-model',
    version: 1,
    architecture: model.toConfig(),
    parameters: Object.fromEntries(Object.entries(state).map(([k, t]) => [k, [...t.shape]])),
    ...(metadata === undefined ? {} : { metadata }),
  };
  const weights = encodeSafetensors(state, { format: 'pt', producer: 'nabla' });
  return { json: `${JSON.stringify(description, null, 2)}\n`, weights };
}

/** Reads model.json text, checking it is one of ours; `source` names the file in errors. */
export function parseModelDescription(text: string, source = MODEL_JSON): ModelDescription {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const d = value as Partial<ModelDescription> | null;
  if (d === null || typeof d !== 'object' || d.format !== 'nabla-model') {
    throw new Error(`${source}: not a nabla model description (expected "format": "nabla-model")`);
  }
  if (d.version !== 1)
    throw new Error(
      `${source}: unsupported version ${JSON.stringify(d.version)} (this nabla reads version 1)`,
    );
  if (d.architecture === null || typeof d.architecture !== 'object')
    throw new Error(`${source}: "architecture" is missing`);
  return d as ModelDescription;
}

/**
 * Rebuilds a model from its two files; a mismatch between them (a missing parameter, a shape
 * that differs) is an error naming the files and the parameter.
 */
export function deserializeModel(
  jsonText: string,
  weights: Uint8Array,
  sources: { json?: string; weights?: string } = {},
): { model: Module; description: ModelDescription } {
  const jsonName = sources.json ?? MODEL_JSON;
  const weightsName = sources.weights ?? MODEL_WEIGHTS;
  const description = parseModelDescription(jsonText, jsonName);
  let model: Module;
  try {
    model = moduleFromConfig(description.architecture);
  } catch (e) {
    throw new Error(`${jsonName}: ${(e as Error).message}`);
  }
  const { tensors } = decodeSafetensors(weights, weightsName);
  try {
    model.loadStateDict(tensors as Map<string, Tensor>);
  } catch (e) {
    throw new Error(
      `${weightsName} does not match ${jsonName}: ${(e as Error).message.replace(/^loadStateDict: /, '')}`,
    );
  }
  return { model, description };
}
