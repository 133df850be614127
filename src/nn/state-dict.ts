/**
 * How `Module.loadStateDict` reads a state: the names checked against the model's (strict mode),
 * each tensor checked against its target's shape, then the values copied into the targets.
 *
 * @module
 */
import { noGrad } from '../autograd/mode.js';
import { setStored } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** A state as `loadStateDict` takes it: tensors by dotted name. */
export type StateInput = Record<string, Tensor> | Map<string, Tensor>;

/** `state` as a Map (a plain object's entries, in order). */
export function stateEntries(state: StateInput, where: string): Map<string, Tensor> {
  if (state instanceof Map) return state;
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new TypeError(
      `${where}: expected an object or a Map of tensors by name, got ${state === null ? 'null' : Array.isArray(state) ? 'an array' : typeof state}`,
    );
  }
  return new Map(Object.entries(state));
}

/**
 * Copies each tensor of `entries` into the target of the same name (its `data`, converted to the
 * target's dtype, as PyTorch's `copy_` converts), after checking every name and shape: in strict
 * mode a target without an entry (missing) or an entry without a target (unexpected) is an error
 * listing them; a tensor of another shape is always one. Nothing is copied when a check fails.
 */
export function copyState(
  targets: Map<string, Tensor>,
  entries: Map<string, Tensor>,
  strict: boolean,
  where = 'loadStateDict',
): void {
  if (strict) {
    const missing = [...targets.keys()].filter((k) => !entries.has(k));
    const unexpected = [...entries.keys()].filter((k) => !targets.has(k));
    if (missing.length > 0 || unexpected.length > 0) {
      const parts = [];
      if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`);
      if (unexpected.length > 0) parts.push(`unexpected ${unexpected.join(', ')}`);
      throw new Error(`${where}: the state does not match the model: ${parts.join('; ')}`);
    }
  }
  for (const [name, value] of entries) {
    const target = targets.get(name);
    if (target === undefined) continue;
    if (!(value instanceof Tensor)) throw new TypeError(`${where}: ${name} is not a Tensor`);
    const same =
      value.shape.length === target.shape.length &&
      value.shape.every((d, i) => d === target.shape[i]);
    if (!same) {
      throw new RangeError(
        `${where}: ${name} has shape ${formatShape(value.shape)} in the state but ${formatShape(target.shape)} in the model`,
      );
    }
  }
  noGrad(() => {
    for (const [name, value] of entries) {
      const target = targets.get(name);
      if (target !== undefined) setStored(target.data, value.data);
    }
  });
}
