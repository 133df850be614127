import { backend } from '../backend/index.js';
import type { ScanKernel } from '../backend/scan-kernels.js';
import { defineRules, record } from '../autograd/node.js';
import { allocate, isFloating } from '../tensor/dtype.js';
import type { ValuesAndIndices } from '../tensor/methods.js';
import { normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import type { Formulas } from './formula.js';
import { expectTensor } from './kernels.js';

/**
 * Scans along one axis: running sums, products and log-sum-exps (primitives with kernels), and
 * the running maximum and minimum (a kernel finds the positions; `gather` takes the values, so
 * the gradient goes to the element each result was taken from, as PyTorch's `cummax`).
 */

/** An axis of x and x viewed as [outer, size, inner] around it (a 0-d x read as [1]). */
export interface Along {
  source: Tensor;
  axis: number;
  outer: number;
  size: number;
  inner: number;
}

/** `x` laid out around `axis`, naming `op` when the axis is out of range. */
export function along(x: Tensor, axis: number, op: string): Along {
  expectTensor(x, op);
  const ax = normalizeAxis(axis, x.ndim, op);
  const source = x.ndim === 0 ? x.reshape([1]) : x;
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < ax; d++) outer *= source.shape[d];
  for (let d = ax + 1; d < source.ndim; d++) inner *= source.shape[d];
  return { source, axis: ax, outer, size: source.shape[ax], inner };
}

interface ScanAttrs {
  axis: number;
  reverse: boolean;
}

/** The lowest finite number of x's dtype: log 0 in the gradient of logcumsumexp, kept finite. */
const lowest = (x: Tensor): number =>
  x.dtype === 'float32' ? -3.4028234663852886e38 : -Number.MAX_VALUE;

export const scanRules = defineRules({
  // ∂(Σ_{k≤j} x_k)/∂x_i = 1 for j ≥ i: the gradient is the reversed running sum of grad
  cumsum: (grad, _inputs, _out, { axis, reverse }: ScanAttrs) => [
    scanOp('cumsum', grad, axis, !reverse),
  ],
  // ∂(∏_{k≤j} x_k)/∂x_i = ∏_{k≤j, k≠i} x_k, exact where x holds zeros (as PyTorch's)
  cumprod: (grad, [x], out, { axis }: ScanAttrs) => [cumprodGrad(grad, x, out, axis)],
  // ∂out_j/∂x_i = exp(x_i − out_j) for j ≥ i; summed in log space, the positive and negative
  // parts of grad apart (PyTorch's and TensorFlow's formula), so that nothing overflows
  logcumsumexp: (grad, [x], out, { axis, reverse }: ScanAttrs) => {
    const logAbs = grad.abs().log();
    const part = (mask: Tensor): Tensor =>
      scanOp('logcumsumexp', where(mask, logAbs, lowest(x)).sub(out), axis, !reverse)
        .add(x)
        .exp();
    return [part(grad.gt(0)).sub(part(grad.lt(0)))];
  },
});

/** How the explanations write the rules above. */
export const scanDerivatives: Formulas<keyof typeof scanRules> = {
  cumsum: ({ self, x }) => ({
    formula: `∂${self}ⱼ/∂${x}ᵢ = 1 for j ≥ i`,
    rule: 'the running sum of upstream, taken from the end',
  }),
  cumprod: ({ self, x }) => ({
    formula: `∂${self}ⱼ/∂${x}ᵢ = ∏ of ${x}ₖ for k ≤ j, k ≠ i (j ≥ i)`,
    rule: 'Σ over j ≥ i of upstream ⱼ × that product',
  }),
  logcumsumexp: ({ self, x }) => ({
    formula: `∂${self}ⱼ/∂${x}ᵢ = exp(${x}ᵢ − ${self}ⱼ) for j ≥ i`,
    rule: 'Σ over j ≥ i of upstream ⱼ × that softmax weight',
  }),
};

/** The gradient of cumprod: Σ_{j≥i} g_j·out_j / x_i before the first zero, 0 after it, and at it
 * Σ_{j≥i} g_j times the running product with that zero left out. */
function cumprodGrad(grad: Tensor, x: Tensor, out: Tensor, axis: number): Tensor {
  const data = x.data;
  let zero = false;
  for (let i = 0; i < data.length && !zero; i++) zero = data[i] === 0;
  const fromEnd = (t: Tensor): Tensor => scanOp('cumsum', t, axis, true);
  if (!zero) return fromEnd(grad.mul(out)).div(x);
  const isZero = x.eq(0).to(x.dtype);
  const zerosSoFar = scanOp('cumsum', isZero, axis, false);
  const before = zerosSoFar.eq(0);
  const first = isZero.mul(zerosSoFar.eq(1).to(x.dtype));
  const beforeGrad = fromEnd(grad.mul(out)).div(where(before, x, 1));
  const withoutFirst = scanOp('cumprod', where(first, 1, x), axis, false);
  return where(before, beforeGrad, where(first, fromEnd(grad.mul(withoutFirst)), 0));
}

function scanOp(op: ScanKernel, x: Tensor, axis: number, reverse: boolean): Tensor {
  const { source, axis: ax, outer, size, inner } = along(x, axis, op);
  const input = op === 'logcumsumexp' && !isFloating(x.dtype) ? source.to('float32') : source;
  const out = allocate(input.dtype, input.size);
  backend().scan(op, input.data, outer, size, inner, reverse, out);
  const result = record(new Tensor(out, input.shape), [input], scanRules[op], {
    axis: ax,
    reverse,
  });
  return x.ndim === 0 ? result.reshape([]) : result;
}

/**
 * The running sum along `axis`: out[j] = x[0] + … + x[j], as PyTorch's `cumsum` (summed in double
 * precision; int32 stays int32).
 *
 * @example
 * cumsum(tensor([1, 2, 3]), 0); // => [1, 3, 6]
 */
export const cumsum = (x: Tensor, axis: number): Tensor => scanOp('cumsum', x, axis, false);

/**
 * The running product along `axis`, as PyTorch's `cumprod`; its gradient is exact where the input
 * holds zeros.
 *
 * @example
 * cumprod(tensor([1, 2, 3]), 0); // => [1, 2, 6]
 */
export const cumprod = (x: Tensor, axis: number): Tensor => scanOp('cumprod', x, axis, false);

/**
 * log Σ_{k≤j} exp(x_k) along `axis`, as a running log-add-exp (no term underflows), as PyTorch's
 * `logcumsumexp`.
 *
 * @example
 * logcumsumexp(tensor([0, 0]), 0); // => [0, 0.6931]
 */
export const logcumsumexp = (x: Tensor, axis: number): Tensor =>
  scanOp('logcumsumexp', x, axis, false);

function cumExtreme(op: 'cummax' | 'cummin', x: Tensor, axis: number): ValuesAndIndices {
  const { source, axis: ax, outer, size, inner } = along(x, axis, op);
  const positions = new Int32Array(source.size);
  backend().scanIndex(op, source.data, outer, size, inner, positions);
  const indices = new Tensor(positions, source.shape);
  const values = source.gather(ax, indices);
  if (x.ndim > 0) return { values, indices };
  return { values: values.reshape([]), indices: indices.reshape([]) };
}

/**
 * The running maximum along `axis` and where it was found (int32; the latest on ties, as
 * PyTorch's `cummax`); the gradient goes to those elements.
 *
 * @example
 * cummax(tensor([1, 3, 2]), 0).values; // => [1, 3, 3]
 */
export const cummax = (x: Tensor, axis: number): ValuesAndIndices => cumExtreme('cummax', x, axis);

/**
 * The running minimum along `axis` and where it was found, as PyTorch's `cummin`.
 *
 * @example
 * cummin(tensor([2, 3, 1]), 0).indices; // => [0, 0, 2]
 */
export const cummin = (x: Tensor, axis: number): ValuesAndIndices => cumExtreme('cummin', x, axis);
