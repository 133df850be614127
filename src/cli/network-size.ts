/**
 * The size check on `--hidden`: the parameters the layer sizes imply are counted before the model
 * is built, so a typo such as `--hidden 1e9` is one line instead of gigabytes of allocation.
 *
 * @module
 */
import { formatBytes, MAX_TENSOR_BYTES } from '../data/limits.js';
import { UsageError } from './errors.js';

/** Bytes of one float32 weight. */
const WEIGHT_BYTES = 4;

/**
 * The parameters (weights and biases) of a fully connected network with these layer sizes, as a
 * float64 count (exact well past any size that could be allocated).
 */
export function parameterCount(sizes: readonly number[]): number {
  let count = 0;
  for (let i = 1; i < sizes.length; i++) count += sizes[i - 1] * sizes[i] + sizes[i];
  return count;
}

/**
 * Refuses hidden layer sizes whose weights would take more than {@link MAX_TENSOR_BYTES}.
 * `inputs` and `outputs` are the data's sizes when known before it is read (else a lower bound
 * such as 1), so the count never overstates what the model would need.
 */
export function checkNetworkSize(hidden: readonly number[], inputs: number, outputs: number): void {
  const count = parameterCount([inputs, ...hidden, outputs]);
  const bytes = count * WEIGHT_BYTES;
  if (bytes <= MAX_TENSOR_BYTES) return;
  throw new UsageError(
    `--hidden ${hidden.join(',')} would need ${formatBytes(bytes)} of weights ` +
      `(${count.toPrecision(3)} parameters), more than the ${formatBytes(MAX_TENSOR_BYTES)} ` +
      'nabla allows for a model',
  );
}
