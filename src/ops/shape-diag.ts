import { backend } from '../backend/index.js';
import { defineRules, record } from '../autograd/node.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, normalizeAxis, stridesOf, sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Formulas } from './formula.js';
import { where } from './binary.js';
import { expectTensor } from './kernels.js';

/** Where a diagonal lies in a tensor of shape `from`: a strided view of shape `shape`. */
interface DiagonalAttrs {
  offset: number;
  strides: readonly number[];
  shape: Shape;
  from: Shape;
}

/**
 * Diagonals, in an adjoint pair as slice ↔ unslice: `diagonal` copies a strided view (the other
 * dimensions, then the diagonal last), `undiagonal` places values on a diagonal of zeros. diag,
 * diagEmbed, tril and triu are built on them.
 */
export const diagonalRules = defineRules({
  // the diagonal's elements came from distinct places: their gradients go back there, zeros elsewhere
  diagonal: (grad, _inputs, _out, attrs: DiagonalAttrs) => [undiagonal(grad, attrs)],
  undiagonal: (grad, _inputs, _out, attrs: DiagonalAttrs) => [diagonalPrimitive(grad, attrs)],
});

/** How the explanations write the rules above. */
export const diagonalDerivatives: Formulas<keyof typeof diagonalRules> = {
  diagonal: ({ wrt }) => ({
    formula: `${wrt} = 1 on the diagonal, 0 elsewhere`,
    rule: 'upstream placed on the diagonal, zeros elsewhere',
  }),
  undiagonal: ({ wrt }) => ({
    formula: `${wrt} = 1 where placed on the diagonal`,
    rule: 'upstream read from the diagonal',
  }),
};

function diagonalPrimitive(x: Tensor, attrs: DiagonalAttrs): Tensor {
  const out = allocate(x.dtype, sizeOf(attrs.shape));
  backend().copyStrided(x.data, attrs.offset, attrs.strides, attrs.shape, out);
  return record(new Tensor(out, attrs.shape.slice()), [x], diagonalRules.diagonal, { ...attrs });
}

function undiagonal(src: Tensor, attrs: DiagonalAttrs): Tensor {
  const out = allocate(src.dtype, sizeOf(attrs.from));
  backend().assignStrided(src.data, attrs.shape, out, attrs.offset, attrs.strides);
  return record(new Tensor(out, attrs.from.slice()), [src], diagonalRules.undiagonal, {
    ...attrs,
  });
}

/** The geometry of the diagonal `offset` of dims a, b (distinct, normalized) of `from`. */
function geometry(from: Shape, offset: number, a: number, b: number): DiagonalAttrs {
  const st = stridesOf(from);
  const length = Math.max(
    0,
    offset >= 0 ? Math.min(from[a], from[b] - offset) : Math.min(from[a] + offset, from[b]),
  );
  const rest = from.map((_, i) => i).filter((i) => i !== a && i !== b);
  const start = length === 0 ? 0 : offset >= 0 ? offset * st[b] : -offset * st[a];
  return {
    offset: start,
    strides: [...rest.map((i) => st[i]), st[a] + st[b]],
    shape: [...rest.map((i) => from[i]), length],
    from: from.slice(),
  };
}

function checkOffset(offset: number, where: string): void {
  if (!Number.isInteger(offset))
    throw new TypeError(`${where}: offset ${offset} is not an integer`);
}

function twoDims(ndim: number, dim1: number, dim2: number, where: string): [number, number] {
  const a = normalizeAxis(dim1, ndim, where);
  const b = normalizeAxis(dim2, ndim, where);
  if (a === b) throw new RangeError(`${where}: dim1 and dim2 are both dimension ${a}`);
  return [a, b];
}

/**
 * PyTorch's `diagonal`: the elements x[…, i, …, i + offset, …] of dims `dim1`, `dim2` (offset > 0
 * above the main diagonal, < 0 below), those dims removed and the diagonal appended last.
 *
 * @example
 * diagonal(tensor([[1, 2, 3], [4, 5, 6]])); // => [1, 5]
 * diagonal(tensor([[1, 2, 3], [4, 5, 6]]), 1); // => [2, 6]
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  expectTensor(x, 'diagonal');
  checkOffset(offset, 'diagonal');
  if (x.ndim < 2) {
    throw new RangeError(
      `diagonal: needs at least 2 dimensions, got shape ${formatShape(x.shape)}`,
    );
  }
  const [a, b] = twoDims(x.ndim, dim1, dim2, 'diagonal');
  return diagonalPrimitive(x, geometry(x.shape, offset, a, b));
}

/**
 * PyTorch's `diag_embed`: each vector along x's last dimension placed on the diagonal `offset` of
 * the new dims `dim1`, `dim2` (of size n + |offset|), zeros elsewhere.
 *
 * @example
 * diagEmbed(tensor([1, 2])); // => [[1, 0], [0, 2]]
 */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  expectTensor(x, 'diagEmbed');
  checkOffset(offset, 'diagEmbed');
  if (x.ndim === 0) throw new RangeError('diagEmbed: needs at least 1 dimension, got a 0-d tensor');
  const [a, b] = twoDims(x.ndim + 1, dim1, dim2, 'diagEmbed');
  const m = x.shape[x.ndim - 1] + Math.abs(offset);
  const shape = x.shape.slice(0, -1);
  // inserted in increasing order, each at its place in the result
  for (const at of [a, b].sort((p, q) => p - q)) shape.splice(at, 0, m);
  return undiagonal(x, geometry(shape, offset, a, b));
}

/**
 * PyTorch's `diag`: a vector becomes a square matrix with it on the diagonal `offset`; a matrix
 * gives its diagonal `offset` as a vector.
 *
 * @example
 * diag(tensor([1, 2])); // => [[1, 0], [0, 2]]
 * diag(tensor([[1, 2], [3, 4]])); // => [1, 4]
 */
export function diag(x: Tensor, offset = 0): Tensor {
  expectTensor(x, 'diag');
  if (x.ndim === 1) return diagEmbed(x, offset, 0, 1);
  if (x.ndim === 2) return diagonal(x, offset, 0, 1);
  throw new RangeError(`diag: expected a 1-D or 2-D tensor, got shape ${formatShape(x.shape)}`);
}

/** x where (column − row) passes `keep`, else 0, over the last two dims. */
function triangle(x: Tensor, keep: (d: number) => boolean, op: string): Tensor {
  expectTensor(x, op);
  if (x.ndim < 2) {
    throw new RangeError(`${op}: needs at least 2 dimensions, got shape ${formatShape(x.shape)}`);
  }
  const [rows, cols] = x.shape.slice(-2);
  const mask = new Int32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mask[i * cols + j] = +keep(j - i);
  return where(new Tensor(mask, [rows, cols]), x, 0);
}

/**
 * PyTorch's `tril`: the lower triangle of the last two dims (column − row ≤ `diagonal`), zeros
 * above.
 *
 * @example
 * tril(tensor([[1, 2], [3, 4]])); // => [[1, 0], [3, 4]]
 */
export function tril(x: Tensor, diagonal = 0): Tensor {
  checkOffset(diagonal, 'tril');
  return triangle(x, (d) => d <= diagonal, 'tril');
}

/**
 * PyTorch's `triu`: the upper triangle of the last two dims (column − row ≥ `diagonal`), zeros
 * below.
 *
 * @example
 * triu(tensor([[1, 2], [3, 4]]), 1); // => [[0, 2], [0, 0]]
 */
export function triu(x: Tensor, diagonal = 0): Tensor {
  checkOffset(diagonal, 'triu');
  return triangle(x, (d) => d >= diagonal, 'triu');
}
