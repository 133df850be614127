import { checkObject } from '../tensor/check.js';
import { formatShape, shapesEqual, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { cast } from './elementwise.js';
import { broadcastAll, expectTensor } from './kernels.js';

/**
 * Operations that pick elements by a mask or by flat positions: maskedFill, maskedSelect,
 * nonzero, take. A mask may be of any dtype (nonzero counts as true), so the bool tensors of
 * comparisons and int32 0/1 tensors both work.
 */

/**
 * PyTorch's `masked_fill`: x with `value` where `mask` (broadcast with x) is nonzero. The result
 * keeps x's dtype (an int tensor filled with 2.5 gets 2, as in PyTorch). Differentiable in x and
 * in a 0-d tensor `value`.
 *
 * @example
 * maskedFill(tensor([1, 2, 3]), tensor([1, 0, 1], { dtype: 'int32' }), 0); // => [0, 2, 0]
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  expectTensor(x, 'maskedFill');
  expectTensor(mask, 'maskedFill', 'the mask');
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new RangeError(
      `maskedFill: value must be a number or a 0-d tensor, got shape ${formatShape(value.shape)}`,
    );
  }
  const filled = where(mask, typeof value === 'number' ? value : cast(value, x.dtype), x);
  return filled.dtype === x.dtype ? filled : cast(filled, x.dtype);
}

/** Flat positions of the nonzero elements of `data`. */
function nonzeroPositions(mask: Tensor): number[] {
  const data = mask.data;
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) out.push(i);
  return out;
}

/**
 * PyTorch's `masked_select`: the elements of x where `mask` is nonzero, x and mask broadcast
 * together, as a 1-D tensor in row-major order. Differentiable in x.
 *
 * @example
 * maskedSelect(tensor([[1, 2], [3, 4]]), tensor([1, 0], { dtype: 'int32' })); // => [1, 3]
 */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  expectTensor(x, 'maskedSelect');
  expectTensor(mask, 'maskedSelect', 'the mask');
  const shape = broadcastAll([x.shape, mask.shape], 'maskedSelect');
  const m = shapesEqual(mask.shape, shape) ? mask : mask.expand(shape);
  return x
    .expand(shape)
    .reshape([-1])
    .indexSelect(0, nonzeroPositions(m.reshape([-1])));
}

/**
 * PyTorch's `nonzero`: the indices of the nonzero elements, one row [i0, i1, …] each, in
 * row-major order, as an int32 tensor of shape [count, ndim]; with `asTuple`, one 1-D tensor per
 * dim instead (a 0-d input counts as 1-D there, as in PyTorch). Not differentiable.
 *
 * @example
 * nonzero(tensor([[0, 1], [2, 0]])); // => [[0, 1], [1, 0]]
 * nonzero(tensor([[0, 1], [2, 0]]), { asTuple: true }).map((t) => t.toArray()); // => [[0, 1], [1, 0]]
 */
export function nonzero(x: Tensor, options?: { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, options: { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, options: { asTuple?: boolean } = {}): Tensor | Tensor[] {
  expectTensor(x, 'nonzero');
  checkObject({ where: 'nonzero' }, 'options', options);
  const positions = nonzeroPositions(x);
  const nd = x.ndim;
  const strides = stridesOf(x.shape);
  const table = new Int32Array(positions.length * nd);
  positions.forEach((p, r) => {
    for (let d = 0; d < nd; d++) table[r * nd + d] = Math.floor(p / strides[d]) % x.shape[d];
  });
  if (!options.asTuple) return new Tensor(table, [positions.length, nd]);
  if (nd === 0) return [new Tensor(new Int32Array(positions.length), [positions.length])];
  return Array.from({ length: nd }, (_, d) => {
    const column = new Int32Array(positions.length);
    for (let r = 0; r < positions.length; r++) column[r] = table[r * nd + d];
    return new Tensor(column, [positions.length]);
  });
}

/**
 * PyTorch's `take`: the elements of x at flat (row-major) positions `index`, in the index's shape.
 * Negative positions count from the end. Differentiable in x (repeats add up).
 *
 * @example
 * take(tensor([[1, 2, 3], [4, 5, 6]]), tensor([0, -1], { dtype: 'int32' })); // => [1, 6]
 */
export function take(x: Tensor, index: Tensor): Tensor {
  expectTensor(x, 'take');
  expectTensor(index, 'take', 'the index');
  if (index.dtype !== 'int32') {
    throw new TypeError(`take: the index must be an int32 tensor, got ${index.dtype}`);
  }
  const n = x.size;
  const flat = Int32Array.from(index.data, (v) => {
    if (v < -n || v >= n) {
      throw new RangeError(`take: index ${v} is out of range for a tensor of ${n} elements`);
    }
    return v < 0 ? v + n : v;
  });
  return x
    .reshape([-1])
    .indexSelect(0, new Tensor(flat, [flat.length]))
    .reshape(index.shape);
}
