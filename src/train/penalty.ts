import type { Module } from '../nn/module.js';
import { checkNonNegative } from '../tensor/check.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkModule } from './arguments.js';

/**
 * The explicit L2 penalty λ/2·Σ‖W‖² over a model's weight matrices (parameters of 2 or more
 * dimensions; biases are left out), to add to a loss — what `fit`'s `l2` option adds. Undefined
 * when the model has no weight matrix.
 *
 * @example
 * const { x, y } = datasets.spiral({ samples: 60 });
 * const model = mlp([2, 16, 2]);
 * const loss = crossEntropy(model.call(x), y).add(l2Penalty(model, 1e-4) ?? 0);
 */
export function l2Penalty(model: Module, lambda: number): Tensor | undefined {
  checkModule('l2Penalty', 'model', model);
  checkNonNegative({ where: 'l2Penalty' }, 'lambda', lambda);
  let total: Tensor | undefined;
  for (const p of model.parameters()) {
    if (p.ndim < 2) continue;
    const term = p.mul(p).sum();
    total = total === undefined ? term : total.add(term);
  }
  return total?.mul(lambda / 2);
}
