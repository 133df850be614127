export { decodeSafetensors, encodeSafetensors } from './safetensors.js';
export {
  deserializeModel,
  parseModelDescription,
  serializeModel,
  MODEL_JSON,
  MODEL_WEIGHTS,
  type LoadModelOptions,
  type ModelDescription,
} from './model.js';
export { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';
