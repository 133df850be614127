import { backend } from '../backend/index.js';
import { defineRules, record } from '../autograd/node.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, normalizeAxis, type Shape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Formulas } from './formula.js';
import { expectTensor } from './kernels.js';
import { withSize } from './shape.js';

interface IndexAttrs {
  dim: number;
  from: Shape;
}

/**
 * Primitives that pick elements by an index tensor, in adjoint pairs: each one's gradient is its
 * partner. indexSelect ↔ indexAdd, gather ↔ scatterAdd (repeated indices sum). Slicing and
 * joining are in `slicing.ts`.
 */
export const indexingRules = defineRules({
  // out = x[index] along dim: each selected row's gradient is added back to the row it came from
  indexSelect: (grad, [, index], _out, { dim, from }: IndexAttrs) => [
    indexAdd(grad, dim, index, from),
    null,
  ],
  indexAdd: (grad, [, index], _out, { dim }: IndexAttrs) => [grad.indexSelect(dim, index), null],
  gather: (grad, [, index], _out, { dim, from }: IndexAttrs) => [
    scatterAdd(grad, dim, index, from),
    null,
  ],
  scatterAdd: (grad, [, index], _out, { dim }: IndexAttrs) => [grad.gather(dim, index), null],
});

/** How the explanations write the rules above: each entry's formula, then its rule. */
export const indexingDerivatives: Formulas<keyof typeof indexingRules> = {
  indexSelect: ({ wrt }) => ({
    formula: `${wrt} = 1 for each selected row (a row selected twice counts twice)`,
    rule: 'upstream rows added back to the rows they were selected from',
  }),
  indexAdd: ({ wrt }) => ({
    formula: `${wrt} = 1 where it was added`,
    rule: 'upstream rows at the indices',
  }),
  gather: ({ wrt }) => ({
    formula: `${wrt} = 1 at the gathered positions, 0 elsewhere`,
    rule: 'upstream placed at the gathered positions, zeros elsewhere',
  }),
  scatterAdd: ({ wrt }) => ({
    formula: `${wrt} = 1 where it was added`,
    rule: 'upstream gathered at the positions',
  }),
};

/** @internal An index argument as an int32 tensor, its values checked against `size`. */
export function indexTensor(
  index: Tensor | readonly number[],
  size: number,
  where: string,
  dim: number,
): Tensor {
  let t: Tensor;
  if (index instanceof Tensor) {
    if (index.dtype !== 'int32') {
      throw new TypeError(
        `${where}: the index must be an int32 tensor, got ${index.dtype} (use .int() or { dtype: 'int32' })`,
      );
    }
    t = index;
  } else if (Array.isArray(index)) {
    const data = new Int32Array(index.length);
    index.forEach((v, i) => {
      if (!Number.isInteger(v)) throw new TypeError(`${where}: index ${i} is ${v}, not an integer`);
      data[i] = v;
    });
    t = new Tensor(data, [index.length]);
  } else {
    throw new TypeError(`${where}: the index must be an int32 Tensor or a list of integers`);
  }
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0 || data[i] >= size) {
      throw new RangeError(
        `${where}: index ${data[i]} is out of range for dimension ${dim} of size ${size}`,
      );
    }
  }
  return t;
}

/** The entries of x at `index` along `dim` (repeats allowed): shape of x with size index.length at dim. */
export function indexSelect(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  expectTensor(x, 'indexSelect');
  const d = normalizeAxis(dim, Math.max(x.ndim, 1), 'indexSelect');
  const source = x.ndim === 0 ? x.reshape([1]) : x;
  const idx = indexTensor(index, source.shape[d], 'indexSelect', d);
  if (idx.ndim > 1)
    throw new RangeError(`indexSelect: the index must be 1-D, got shape ${formatShape(idx.shape)}`);
  const shape = withSize(source.shape, d, idx.size);
  const out = allocate(x.dtype, sizeOf(shape));
  backend().indexSelect(source.data, source.shape, d, idx.data as Int32Array, out);
  return record(new Tensor(out, shape), [source, idx], indexingRules.indexSelect, {
    dim: d,
    from: source.shape,
  });
}

/** @internal The adjoint of indexSelect: zeros of `shape` with `src` added at `index` along `dim`. */
export function indexAdd(src: Tensor, dim: number, index: Tensor, shape: Shape): Tensor {
  const out = allocate(src.dtype, sizeOf(shape));
  backend().indexAdd(out, shape, dim, index.data as Int32Array, src.data);
  return record(new Tensor(out, shape.slice()), [src, index], indexingRules.indexAdd, {
    dim,
    from: src.shape,
  });
}

/** PyTorch's gather: out[i][j] = x[i][index[i][j]] for dim = 1 (likewise for other dims). */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  expectTensor(x, 'gather');
  const d = normalizeAxis(dim, x.ndim, 'gather');
  if (!(index instanceof Tensor)) throw new TypeError('gather: the index must be an int32 Tensor');
  if (index.ndim !== x.ndim) {
    throw new RangeError(
      `gather: the index (shape ${formatShape(index.shape)}) must have as many dimensions as the input (shape ${formatShape(x.shape)})`,
    );
  }
  index.shape.forEach((n, j) => {
    if (j !== d && n > x.shape[j]) {
      throw new RangeError(
        `gather: index shape ${formatShape(index.shape)} is larger than input shape ${formatShape(x.shape)} in dimension ${j}`,
      );
    }
  });
  const idx = indexTensor(index, x.shape[d], 'gather', d);
  const out = allocate(x.dtype, idx.size);
  backend().gather(x.data, x.shape, d, idx.data as Int32Array, idx.shape, out);
  return record(new Tensor(out, idx.shape), [x, idx], indexingRules.gather, {
    dim: d,
    from: x.shape,
  });
}

/** @internal The adjoint of gather: zeros of `shape` with `src` added at `index` along `dim`. */
export function scatterAdd(src: Tensor, dim: number, index: Tensor, shape: Shape): Tensor {
  const out = allocate(src.dtype, sizeOf(shape));
  backend().scatterAdd(out, shape, dim, index.data as Int32Array, index.shape, src.data);
  return record(new Tensor(out, shape.slice()), [src, index], indexingRules.scatterAdd, {
    dim,
    from: src.shape,
  });
}
