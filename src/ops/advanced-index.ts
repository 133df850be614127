import { renamingErrors } from './kernels.js';
import { fail } from '../tensor/check.js';
import type { IndexPutOptions, IndexSpec, SliceSpec } from '../tensor/methods.js';
import { formatShape, sizeOf, stridesOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cast } from './elementwise.js';
import { indexAdd as indexAddInto } from './indexing.js';
import { broadcastAll, expectTensor, operand } from './kernels.js';
import { nonzero } from './masked.js';
import { scatterPrimitive } from './scatter.js';
import { resolveSpec, slice } from './slicing.js';

export type { IndexPutOptions, IndexSpec } from '../tensor/methods.js';

/** Where the selected elements lie in x, as flat positions in the result's shape. */
interface Selection {
  positions: Tensor;
  shape: number[];
}

/** A dim kept by a range: its length and step in x's flat positions. */
interface Axis {
  size: number;
  stride: number;
}

function isMask(t: Tensor): boolean {
  // uint8 masks as in PyTorch (which deprecates them); `bool` is the dtype comparisons return
  return (t.dtype as string) === 'bool' || (t.dtype as string) === 'uint8';
}

/** The entries with '...' spelled out and masks replaced by their nonzero columns. */
function expandEntries(x: Tensor, indices: readonly IndexSpec[], where: string): IndexSpec[] {
  const width = (e: IndexSpec): number =>
    e instanceof Tensor && isMask(e) ? e.ndim : e === '...' ? 0 : 1;
  const used = indices.reduce<number>((p, e) => p + width(e), 0);
  if (indices.filter((e) => e === '...').length > 1) {
    throw new RangeError(`${where}: at most one '...' is allowed`);
  }
  if (used > x.ndim) {
    throw new RangeError(
      `${where}: too many indices for a tensor of shape ${formatShape(x.shape)}: ${used} dims indexed`,
    );
  }
  const out: IndexSpec[] = [];
  for (const e of indices) {
    if (e === '...') for (let k = 0; k < x.ndim - used; k++) out.push(null);
    else if (e instanceof Tensor && isMask(e)) {
      const dims = x.shape.slice(out.length, out.length + e.ndim);
      if (e.shape.some((n, k) => n !== dims[k])) {
        throw new RangeError(
          `${where}: the mask of shape ${formatShape(e.shape)} does not match the dims ${formatShape(dims)} it indexes`,
        );
      }
      out.push(...(e.ndim === 0 ? [] : nonzero(e, { asTuple: true })));
    } else out.push(e);
  }
  return out;
}

/** The advanced (tensor) entries, their values wrapped into range, and their broadcast shape. */
function advancedOffsets(
  x: Tensor,
  entries: readonly IndexSpec[],
  strides: readonly number[],
  where: string,
): { shape: number[]; offsets: Int32Array } {
  const tensors: [Tensor, number][] = [];
  entries.forEach((e, d) => {
    if (!(e instanceof Tensor)) return;
    if (e.dtype !== 'int32') {
      throw new TypeError(`${where}: index tensors must be int32 (or bool masks), got ${e.dtype}`);
    }
    tensors.push([e, d]);
  });
  const shape = broadcastAll(
    tensors.map(([t]) => t.shape),
    where,
  );
  const offsets = new Int32Array(sizeOf(shape));
  for (const [t, d] of tensors) {
    const n = x.shape[d];
    const full = t.expand(shape).data;
    for (let i = 0; i < offsets.length; i++) {
      const v = full[i];
      if (v < -n || v >= n) {
        throw new RangeError(
          `${where}: index ${v} is out of range for dimension ${d} of size ${n}`,
        );
      }
      offsets[i] += (v < 0 ? v + n : v) * strides[d];
    }
  }
  return { shape, offsets };
}

/**
 * The flat positions `x[indices]` reads, with PyTorch's layout: numbers select first; the index
 * tensors broadcast together, and their shape takes the place of their dims when those are
 * adjacent, else comes first; ranges keep their dims in order.
 */
function select(x: Tensor, indices: readonly IndexSpec[], where: string): Selection {
  const entries = expandEntries(x, indices, where);
  const strides = stridesOf(x.shape);
  let base = 0;
  const kept: (Axis | 'advanced')[] = [];
  x.shape.forEach((n, d) => {
    const e = d < entries.length ? entries[d] : null;
    if (e instanceof Tensor) {
      kept.push('advanced');
      return;
    }
    const s = resolveSpec(e, n, d);
    base += s.begin * strides[d];
    if (!s.drop) kept.push({ size: s.count, stride: s.step * strides[d] });
  });
  const adv = advancedOffsets(x, entries, strides, where);
  const first = kept.indexOf('advanced');
  const last = kept.lastIndexOf('advanced');
  const adjacent = kept.slice(first, last + 1).every((k) => k === 'advanced');
  const ranges = kept.filter((k): k is Axis => k !== 'advanced');
  // ranges before the index tensors' shape: those before them when adjacent, else none
  const at = first >= 0 && adjacent ? first : 0;
  const before = ranges.slice(0, at);
  const after = ranges.slice(at);
  const shape = [...before.map((r) => r.size), ...adv.shape, ...after.map((r) => r.size)];
  return { positions: positionsOf(base, before, adv.offsets, after, shape), shape };
}

/** base + Σ range offsets + the advanced offset, over the result's shape in row-major order. */
function positionsOf(
  base: number,
  before: readonly Axis[],
  table: Int32Array,
  after: readonly Axis[],
  shape: Shape,
): Tensor {
  const axes = [...before, { size: table.length, stride: 0 }, ...after];
  const k = before.length;
  const out = new Int32Array(sizeOf(shape));
  const counter = new Int32Array(axes.length);
  for (let p = 0; p < out.length; p++) {
    let at = base + table[counter[k]];
    for (let a = 0; a < axes.length; a++) at += counter[a] * axes[a].stride;
    out[p] = at;
    for (let a = axes.length - 1; a >= 0; a--) {
      if (++counter[a] < axes[a].size) break;
      counter[a] = 0;
    }
  }
  return new Tensor(out, [out.length]);
}

function checkIndices(indices: readonly IndexSpec[], where: string): void {
  if (!Array.isArray(indices)) {
    fail({ where }, 'indices', 'a list of indices', indices, TypeError);
  }
}

/**
 * PyTorch's indexing `x[i0, i1, …]` with tensors: numbers, ranges and `null` as in `slice`, int32
 * tensors of indices (broadcast together; negative ones count from the end) and bool or uint8
 * masks. Differentiable in x (an element read twice gets both gradients).
 *
 * @example
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * index(x, [tensor([1, 0], { dtype: 'int32' }), tensor([2, 2], { dtype: 'int32' })]); // => [6, 3]
 * index(x, [null, tensor([0, 0], { dtype: 'int32' })]); // => [[1, 1], [4, 4]]
 */
export function index(x: Tensor, indices: readonly IndexSpec[]): Tensor {
  expectTensor(x, 'index');
  checkIndices(indices, 'index');
  if (!indices.some((e) => e instanceof Tensor) && !indices.includes('...')) {
    return renamingErrors('slice', 'index', () => slice(x, indices as SliceSpec[]));
  }
  const rows = rowIndex(x, indices);
  if (rows !== undefined) return rows;
  const { positions, shape } = select(x, indices, 'index');
  return x.reshape([-1]).indexSelect(0, positions).reshape(shape);
}

/**
 * The common case `x[:, …, idx, :, …]`, one int32 index tensor among whole dims: whole rows by
 * indexSelect along that dim (one copy per row, not one position per element); else undefined.
 */
function rowIndex(x: Tensor, indices: readonly IndexSpec[]): Tensor | undefined {
  const d = indices.findIndex((e) => e instanceof Tensor);
  const last = indices[d];
  const whole = (e: IndexSpec, i: number): boolean => i === d || e === null || e === ':';
  if (!(last instanceof Tensor) || last.dtype !== 'int32' || indices.length > x.ndim)
    return undefined;
  if (!indices.every(whole)) return undefined;
  const n = x.shape[d];
  const flat = Int32Array.from(last.data, (v) => {
    if (v < -n || v >= n) {
      throw new RangeError(`index: index ${v} is out of range for dimension ${d} of size ${n}`);
    }
    return v < 0 ? v + n : v;
  });
  const picked = x.indexSelect(d, new Tensor(flat, [flat.length]));
  return picked.reshape([...x.shape.slice(0, d), ...last.shape, ...x.shape.slice(d + 1)]);
}

/**
 * PyTorch's `index_put` (functional): a copy of x with `values` (broadcast to the shape
 * `index(x, indices)` has) written at those places, or added with `accumulate`. Without it, where
 * a place repeats the last value wins (PyTorch leaves this unspecified) and every value still gets
 * the gradient at its place, as in PyTorch. Differentiable in x and values.
 *
 * @example
 * const x = zeros([2, 2]);
 * indexPut(x, [tensor([0, 1], { dtype: 'int32' }), tensor([1, 0], { dtype: 'int32' })], 5); // => [[0, 5], [5, 0]]
 */
export function indexPut(
  x: Tensor,
  indices: readonly IndexSpec[],
  values: Tensor | number,
  options: IndexPutOptions = {},
): Tensor {
  expectTensor(x, 'indexPut');
  checkIndices(indices, 'indexPut');
  const { positions, shape } = select(x, indices, 'indexPut');
  const v = cast(operand(values, x, 'indexPut'), x.dtype);
  broadcastAll([v.shape, shape], 'indexPut');
  if (v.ndim > shape.length) {
    throw new RangeError(
      `indexPut: values of shape ${formatShape(v.shape)} cannot be broadcast to the indexed shape ${formatShape(shape)}`,
    );
  }
  const flatValues = v.expand(shape).reshape([-1]);
  const flat = x.reshape([-1]);
  const out = options.accumulate
    ? flat.add(indexAddInto(flatValues, 0, positions, [x.size]))
    : scatterPrimitive(flat, 0, positions, flatValues);
  return out.reshape(x.shape);
}
