import { defineRules, record } from '../autograd/node.js';
import { promoteTypes } from '../tensor/dtype.js';
import { backend } from '../backend/index.js';
import { shapesEqual, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Formulas } from './formula.js';
import { binaryKernel } from './kernels.js';

/**
 * Fused derivative primitives (for speed: one pass and one array instead of three or four), used
 * by the tanh, sigmoid and relu rules of `elementwise.ts`. Differentiable themselves, for
 * higher-order gradients. Each takes g, the upstream gradient, and the activation's result y (for
 * `reluGrad`, its input x).
 */
export const fusedGradRules = defineRules({
  // tanhGrad(g, y) = g·(1 − y²): ∂/∂g = 1 − y², ∂/∂y = −2·g·y
  tanhGrad: (grad, [g, y]) => [
    g.requiresGrad ? tanhGrad(grad, y) : null,
    y.requiresGrad ? grad.mul(g).mul(y).mul(-2) : null,
  ],
  // sigmoidGrad(g, y) = g·y·(1 − y): ∂/∂g = y·(1 − y), ∂/∂y = g·(1 − 2y)
  sigmoidGrad: (grad, [g, y]) => [
    g.requiresGrad ? sigmoidGrad(grad, y) : null,
    y.requiresGrad ? grad.mul(g).mul(y.mul(-2).add(1)) : null,
  ],
  // reluGrad(g, x) = g where x > 0, else 0: ∂/∂g is the same mask; ∂/∂x = 0 (taken as 0 at the kink)
  reluGrad: (grad, [g, x]) => [g.requiresGrad ? reluGrad(grad, x) : null, null],
});

/** How the explanations write the rules above (these appear in graphs of gradients). */
export const fusedGradDerivatives: Formulas<keyof typeof fusedGradRules> = {
  tanhGrad: ({ wrt, a, i }) => ({
    formula: i === 0 ? `${wrt} = 1 − ${a[1]}²` : `${wrt} = −2·${a[0]}·${a[1]}`,
  }),
  sigmoidGrad: ({ wrt, a, i }) => ({
    formula: i === 0 ? `${wrt} = ${a[1]}(1 − ${a[1]})` : `${wrt} = ${a[0]}(1 − 2${a[1]})`,
  }),
  reluGrad: ({ wrt, a, i }) => ({
    formula: i === 0 ? `${wrt} = 1 if ${a[1]} > 0, else 0` : `${wrt} = 0`,
  }),
};

function fusedGrad(op: keyof typeof fusedGradRules, g: Tensor, y: Tensor): Tensor {
  return record(
    binaryKernel(op, g, y, op, promoteTypes(g.dtype, y.dtype)),
    [g, y],
    fusedGradRules[op],
  );
}

/**
 * The rule's fused gradient written into the upstream gradient g itself when the backward pass
 * lets it (`g._donatable`: nothing else sees g, and no graph of the backward pass is built),
 * saving an array per activation; else a fresh one. Only for rules that read g once, here.
 */
export function fusedGradInPlace(op: keyof typeof fusedGradRules, g: Tensor, y: Tensor): Tensor {
  if (!g._donatable || g.dtype !== y.dtype || !shapesEqual(g.shape, y.shape))
    return fusedGrad(op, g, y);
  g._donatable = false;
  const strides = stridesOf(g.shape);
  backend().binary(op, g.data, strides, y.data, strides, g.data, g.shape);
  // a new tensor on the same array: the engine keeps g's array, since a result reuses it
  return new Tensor(g.data, g.shape);
}

/** g·(1 − y²): the gradient through tanh given its result y (a fused primitive, for speed). */
export const tanhGrad = (g: Tensor, y: Tensor): Tensor => fusedGrad('tanhGrad', g, y);
/** g·y·(1 − y): the gradient through the sigmoid given its result y (a fused primitive, for speed). */
export const sigmoidGrad = (g: Tensor, y: Tensor): Tensor => fusedGrad('sigmoidGrad', g, y);
/** g where x > 0, else 0: the gradient through relu given its input x (a fused primitive, for speed). */
export const reluGrad = (g: Tensor, x: Tensor): Tensor => fusedGrad('reluGrad', g, x);
