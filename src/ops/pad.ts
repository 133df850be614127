import { backend } from '../backend/index.js';
import { defineRules, record } from '../autograd/node.js';
import { checkChoice, fail, resolveOptions } from '../tensor/check.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, type Shape, sizeOf, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Formulas } from './formula.js';
import { expectTensor } from './kernels.js';
import { slice } from './slicing.js';

interface PadAttrs {
  /** How many elements of padding come before the input in each dimension (≥ 0). */
  before: readonly number[];
  /** The input's shape. */
  from: Shape;
}

/**
 * Constant padding as a primitive: the input placed inside a tensor filled with `value`. Its
 * adjoint is the slice that takes the input's place back out (a tensor op, so it differentiates
 * again). Reflect and replicate padding are index selections (indexing.ts).
 */
export const padRules = defineRules({
  // ∂out/∂x = 1 where x was placed, 0 in the padding: the gradient is upstream cut back to x's place
  constantPad: (grad, _inputs, _out, { before, from }: PadAttrs) => [
    slice(
      grad,
      before.map((b, d) => ({ start: b, end: b + from[d] })),
    ),
  ],
});

/** How the explanations write the rule above, in the lectures' words. */
export const padDerivatives: Formulas<keyof typeof padRules> = {
  constantPad: ({ wrt }) => ({
    formula: `${wrt} = 1 where the input was placed, 0 in the padding`,
    rule: 'upstream with the padding cut off',
  }),
};

/** x placed in a tensor of `shape` filled with `value`, `before[d]` elements in along each dimension. */
function constantPad(x: Tensor, before: readonly number[], shape: Shape, value: number): Tensor {
  const out = allocate(x.dtype, sizeOf(shape));
  if (value !== 0) out.fill(value);
  const strides = stridesOf(shape);
  const offset = before.reduce((sum, b, d) => sum + b * strides[d], 0);
  backend().assignStrided(x.data, x.shape, out, offset, strides);
  return record(new Tensor(out, shape.slice()), [x], padRules.constantPad, {
    before,
    from: x.shape,
  });
}

/** Options of `pad`, as PyTorch's `F.pad`. */
export interface PadOptions {
  /** `constant` (default) fills with `value`; `reflect` mirrors without repeating the edge; `replicate` repeats the edge. */
  mode?: 'constant' | 'reflect' | 'replicate';
  /** The fill value of `constant` mode (default 0). */
  value?: number;
}

type Mode = NonNullable<PadOptions['mode']>;

/** The input position output position j (of a dimension of `size` padded by `before`) reads. */
const source: Record<Exclude<Mode, 'constant'>, (t: number, size: number) => number> = {
  reflect: (t, size) => (t < 0 ? -t : t >= size ? 2 * (size - 1) - t : t),
  replicate: (t, size) => Math.min(Math.max(t, 0), size - 1),
};

/** Reads `pad` as [before, after] for each dimension of x, first to last (0 where not given). */
function padWidths(x: Tensor, widths: unknown): [number, number][] {
  const ctx = { where: 'pad' };
  if (!Array.isArray(widths) || widths.length % 2 !== 0 || widths.length > 2 * x.ndim) {
    fail(
      ctx,
      'pad',
      `a list of an even number of integers, at most 2 per dimension (${2 * x.ndim} for shape ${formatShape(x.shape)})`,
      widths,
    );
  }
  widths.forEach((v, i) => {
    if (!Number.isInteger(v)) fail(ctx, `pad[${i}]`, 'an integer', v, TypeError);
  });
  const pads = widths as number[];
  return x.shape.map((_, d) => {
    const k = x.ndim - 1 - d;
    return 2 * k < pads.length ? [pads[2 * k], pads[2 * k + 1]] : [0, 0];
  });
}

/** Reflect or replicate padding: one index selection along each padded dimension. */
function selectPad(x: Tensor, mode: Exclude<Mode, 'constant'>, pads: [number, number][]): Tensor {
  return pads.reduce((t, [before, after], d) => {
    if (before === 0 && after === 0) return t;
    const size = t.shape[d];
    const length = size + before + after;
    if (mode === 'reflect' ? before >= size || after >= size || length < 1 : length < 1) {
      throw new RangeError(
        `pad: ${mode} padding (${before}, ${after}) does not fit dimension ${d} of size ${size} in ${formatShape(x.shape)}${mode === 'reflect' ? '; each side must be smaller than the dimension' : ''}`,
      );
    }
    const index = new Int32Array(length);
    for (let j = 0; j < length; j++) index[j] = source[mode](j - before, size);
    return t.indexSelect(d, new Tensor(index, [length]));
  }, x);
}

function checkModeRank(x: Tensor, mode: Mode, count: number): void {
  if (
    mode !== 'constant' &&
    !(count >= 1 && count <= 3 && (x.ndim === count + 1 || x.ndim === count + 2))
  ) {
    throw new RangeError(
      `pad: ${mode} padding pads the last 1, 2 or 3 dimensions of an input with 1 or 2 more (batch and channel), got ${count} padded dimension(s) of shape ${formatShape(x.shape)}`,
    );
  }
}

/**
 * Pads a tensor, as PyTorch's `F.pad`: `pad` lists [before, after] pairs from the last
 * dimension backwards ([left, right, top, bottom, …]). `constant` mode fills with `value` and
 * crops where a width is negative; `reflect` mirrors the input about its edges (each width
 * smaller than its dimension); `replicate` repeats the edge element. Reflect and replicate pad
 * the last 1–3 dimensions of an input with one or two more.
 *
 * @example
 * pad(tensor([[1, 2]]), [1, 1]).toArray(); // => [[0, 1, 2, 0]]
 * pad(tensor([[[1, 2, 3]]]), [2, 1], { mode: 'reflect' }).toArray(); // => [[[3, 2, 1, 2, 3, 2]]]
 */
export function pad(input: Tensor, widths: readonly number[], options?: PadOptions): Tensor {
  const x = expectTensor(input, 'pad');
  const o = resolveOptions('pad', options, {
    mode: 'constant' as Mode,
    value: undefined as number | undefined,
  });
  const mode = checkChoice({ where: 'pad' }, 'mode', o.mode, ['constant', 'reflect', 'replicate']);
  const pads = padWidths(x, widths);
  checkModeRank(x, mode, widths.length / 2);
  if (mode !== 'constant') {
    if (o.value !== undefined && o.value !== 0)
      fail(
        { where: 'pad' },
        'value',
        `left out in ${mode} mode (it fills constant padding only)`,
        o.value,
      );
    return selectPad(x, mode, pads);
  }
  const value = o.value ?? 0;
  if (typeof value !== 'number') fail({ where: 'pad' }, 'value', 'a number', value, TypeError);
  const shape = pads.map(([b, a], d) => x.shape[d] + b + a);
  shape.forEach((n, d) => {
    if (n < 0) {
      throw new RangeError(
        `pad: dimension ${d} of size ${x.shape[d]} padded by (${pads[d][0]}, ${pads[d][1]}) would have negative size ${n}`,
      );
    }
  });
  const cropped = pads.some(([b, a]) => b < 0 || a < 0)
    ? slice(
        x,
        pads.map(([b, a], d) => ({ start: Math.max(-b, 0), end: x.shape[d] - Math.max(-a, 0) })),
      )
    : x;
  if (pads.every(([b, a]) => b <= 0 && a <= 0)) return cropped;
  return constantPad(
    cropped,
    pads.map(([b]) => Math.max(b, 0)),
    shape,
    value,
  );
}
