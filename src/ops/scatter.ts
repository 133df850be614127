import { backend } from '../backend/index.js';
import { defineRules, NOT_DIFFERENTIABLE, record } from '../autograd/node.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, normalizeAxis, shapesEqual } from '../tensor/shape.js';
import type { ScatterOptions } from '../tensor/methods.js';
import { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/creation.js';
import { cast } from './elementwise.js';
import type { Formulas } from './formula.js';
import { indexAdd as indexAddInto, indexTensor, scatterAdd as scatterAddInto } from './indexing.js';
import { expectTensor, operand } from './kernels.js';
import { slice } from './slicing.js';

/**
 * PyTorch's scatter family: `scatter` (write src at the index; a primitive, since repeated indices
 * keep one value and no sum of primitives does that), `scatterAdd` and `indexAdd` (x plus the
 * adjoints of gather and indexSelect, which indexing.ts holds).
 */
export const scatterRules = defineRules({
  // out = x with src written at the index: x's gradient is zero where it was overwritten; every
  // src element (an overwritten repeat too, as in PyTorch) gets the gradient at its position
  scatter: (grad, [, index, src], _out, { dim }: { dim: number }) => [
    scatterPrimitive(grad, dim, index, zeros(index.shape, { dtype: grad.dtype })),
    null,
    src.requiresGrad ? grad.gather(dim, index) : null,
  ],
  // PyTorch has no derivative for scatter with reduce='multiply' either
  scatterMultiply: NOT_DIFFERENTIABLE,
});

/** How the explanations write the rules above. */
export const scatterDerivatives: Formulas<keyof typeof scatterRules> = {
  scatter: ({ wrt, i }) =>
    i === 0
      ? {
          formula: `${wrt} = 0 where overwritten, else 1`,
          rule: 'upstream, zeros where overwritten',
        }
      : { formula: `${wrt} = 1 at its place`, rule: 'upstream gathered at the index' },
  scatterMultiply: () => ({ formula: 'not differentiable' }),
};

function scatterPrimitive(
  x: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor,
  reduce: 'assign' | 'multiply' = 'assign',
): Tensor {
  const out = allocate(x.dtype, x.size);
  out.set(x.data);
  backend().scatter(out, x.shape, dim, index.data as Int32Array, index.shape, src.data, reduce);
  const rule = reduce === 'assign' ? scatterRules.scatter : scatterRules.scatterMultiply;
  return record(new Tensor(out, x.shape), [x, index, src], rule, { dim });
}

export type { ScatterOptions } from '../tensor/methods.js';

/**
 * Checks a scatter's index against x and src (PyTorch's rules: same rank; the index no larger
 * than src anywhere nor than x outside `dim`) and returns it as int32 with src cut to its shape.
 */
function scatterArgs(
  x: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor,
  where: string,
): [number, Tensor, Tensor] {
  const d = normalizeAxis(dim, Math.max(x.ndim, 1), where);
  if (!(index instanceof Tensor))
    throw new TypeError(`${where}: the index must be an int32 Tensor`);
  if (index.ndim !== x.ndim || src.ndim !== x.ndim) {
    throw new RangeError(
      `${where}: the index (shape ${formatShape(index.shape)}) and src (shape ${formatShape(src.shape)}) must have as many dimensions as the input (shape ${formatShape(x.shape)})`,
    );
  }
  index.shape.forEach((n, j) => {
    if (n > src.shape[j] || (j !== d && n > x.shape[j])) {
      throw new RangeError(
        `${where}: index shape ${formatShape(index.shape)} is larger than src ${formatShape(src.shape)} or than the input ${formatShape(x.shape)} outside dimension ${d}`,
      );
    }
  });
  const idx = indexTensor(index, x.ndim === 0 ? 1 : x.shape[d], where, d);
  const cut = shapesEqual(src.shape, index.shape)
    ? src
    : slice(
        src,
        index.shape.map((n) => ({ end: n })),
      );
  return [d, idx, cast(cut, x.dtype)];
}

/**
 * PyTorch's `scatter`: a copy of x with `src` (a tensor, or one number everywhere) written along
 * `dim` at `index`: for dim = 0, out[index[i][j]][j] = src[i][j]. With `reduce` the value is added
 * or multiplied in instead. Where an index repeats without `reduce`, the last one (in row-major
 * order) wins. Differentiable in x and src, except for reduce 'multiply' (as in PyTorch).
 *
 * @example
 * const x = zeros([2, 3]);
 * const index = tensor([[2, 0]], { dtype: 'int32' });
 * scatter(x, 1, index, tensor([[5, 6]])); // => [[6, 0, 5], [0, 0, 0]]
 */
export function scatter(
  x: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor | number,
  options: ScatterOptions = {},
): Tensor {
  expectTensor(x, 'scatter');
  const source = typeof src === 'number' ? operand(src, x, 'scatter').expand(index.shape) : src;
  expectTensor(source, 'scatter', 'src');
  if (options.reduce === 'add') return scatterAdd(x, dim, index, source);
  const [d, idx, s] = scatterArgs(x, dim, index, source, 'scatter');
  if (options.reduce !== undefined && options.reduce !== 'multiply') {
    throw new RangeError(
      `scatter: reduce must be 'add' or 'multiply', got ${JSON.stringify(options.reduce)}`,
    );
  }
  return scatterPrimitive(x, d, idx, s, options.reduce === 'multiply' ? 'multiply' : 'assign');
}

/**
 * PyTorch's `scatter_add`: x plus `src` added along `dim` at `index` (for dim = 0,
 * out[index[i][j]][j] += src[i][j]), every repeat counted. Differentiable in x and src.
 *
 * @example
 * const index = tensor([0, 2, 0], { dtype: 'int32' });
 * scatterAdd(zeros([3]), 0, index, tensor([1, 2, 3])); // => [4, 0, 2]
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  expectTensor(x, 'scatterAdd');
  expectTensor(src, 'scatterAdd', 'src');
  const [d, idx, s] = scatterArgs(x, dim, index, src, 'scatterAdd');
  const source = x.ndim === 0 ? s.reshape([1]) : s;
  const shape = x.ndim === 0 ? [1] : x.shape;
  const index1 = x.ndim === 0 ? idx.reshape([1]) : idx;
  return x.add(scatterAddInto(source, d, index1, shape).reshape(x.shape));
}

/**
 * PyTorch's `index_add`: x plus `alpha`·`source` added along `dim` at the rows `index` names:
 * out[…, index[i], …] += alpha·source[…, i, …], every repeat counted. Differentiable in x and
 * source.
 *
 * @example
 * const index = tensor([2, 0, 2], { dtype: 'int32' });
 * indexAdd(zeros([3, 1]), 0, index, tensor([[1], [2], [3]])); // => [[2], [0], [4]]
 */
export function indexAdd(
  x: Tensor,
  dim: number,
  index: Tensor | readonly number[],
  source: Tensor,
  options: { alpha?: number } = {},
): Tensor {
  expectTensor(x, 'indexAdd');
  expectTensor(source, 'indexAdd', 'source');
  const shape = x.ndim === 0 ? [1] : x.shape;
  const d = normalizeAxis(dim, shape.length, 'indexAdd');
  const idx = indexTensor(index, shape[d], 'indexAdd', d);
  const src = source.ndim === 0 ? source.reshape([1]) : source;
  const want = shape.map((n, j) => (j === d ? idx.size : n));
  if (idx.ndim > 1 || !shapesEqual(src.shape, want)) {
    throw new RangeError(
      `indexAdd: source has shape ${formatShape(source.shape)}, expected ${formatShape(want)} (the input's shape with the index's length ${idx.size} at dimension ${d}) and a 1-D index`,
    );
  }
  const alpha = options.alpha ?? 1;
  const scaled = cast(alpha === 1 ? src : src.mul(alpha), x.dtype);
  return x.add(indexAddInto(scaled, d, idx.reshape([idx.size]), shape).reshape(x.shape));
}

/** @internal Used by `advanced-index.ts`: the scatter primitive on prepared arguments. */
export { scatterPrimitive };
