/**
 * Printing tensors the way PyTorch prints them:
 *
 * ```text
 * tensor([[ 1.5000, -2.0000],
 *         [ 3.0000, 40.2500]], dtype=float64)
 * ```
 *
 * @module
 */

import type { DType } from './dtype.js';
import { formatShape, sizeOf, stridesOf } from './shape.js';

/** Digits after the decimal point (PyTorch's default `precision`). */
const PRECISION = 4;
/** More elements than this are summarized (PyTorch's default `threshold`). */
const THRESHOLD = 1000;
/** Items shown at each end of a summarized dimension (PyTorch's default `edgeitems`). */
const EDGE_ITEMS = 3;
/** Target line width (PyTorch's default `linewidth`). */
const LINE_WIDTH = 80;
const PREFIX = 'tensor(';

/** How every element of one tensor is written. */
type Mode = 'bool' | 'int' | 'integral' | 'fixed' | 'sci';

/**
 * Renders a tensor as text, following PyTorch's `torch._tensor_str` with its default print
 * options (precision 4, threshold 1000, 3 edge items, line width 80).
 *
 * - bool: `true` and `false` (PyTorch: `True`, `False`); int32 and uint8: plain integers.
 * - Floating dtypes: if every finite value is an integer, `1.` style (`tensor([1., 2.])`);
 *   otherwise 4 decimals (`0.1000`). Scientific notation (`1.0000e+05`) is used when the largest
 *   absolute finite non-zero value is > 1e8, or the largest over the smallest exceeds 1000, or
 *   (for non-integral values) the smallest is < 1e-4. `NaN`, `Infinity`, `-Infinity` print as
 *   `nan`, `inf`, `-inf`.
 * - Every element is right-aligned to one common width (non-finite values and zeros included).
 *   Rows wrap at 80 columns; nested dimensions go on new lines under `tensor(`, with
 *   `ndim - d - 1` newlines between blocks of dimension `d` (a blank line between 3-d blocks).
 * - More than 1000 elements: each dimension longer than 6 shows its first and last 3 items with
 *   `...` between; the number format is then chosen from the shown values only.
 * - An empty tensor prints `tensor([])`; unless it is 1-d, `size=[…]` (e.g. `size=[0,3]`) comes
 *   first among the suffixes.
 *
 * `suffixes` (e.g. `dtype=float64`, `requiresGrad=true`) are appended after the data, separated
 * by `, `; one that would pass column 80 starts a new line indented under the data. The caller
 * chooses them: this function adds only `size=` for empty tensors.
 *
 * @param data - `sizeOf(shape)` values, row-major.
 * @param shape - the tensor's shape.
 * @param dtype - decides integer versus floating-point formatting.
 * @param suffixes - extra `key=value` items to show inside the parentheses.
 * @throws RangeError when `data` does not hold `sizeOf(shape)` values.
 * @example
 * ```ts
 * formatTensor([1, 2], [2], 'float64', ['dtype=float64']); // => 'tensor([1., 2.], dtype=float64)'
 * formatTensor([0.5], [], 'float32'); // => 'tensor(0.5000)'
 * ```
 */
export function formatTensor(
  data: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  suffixes: string[] = [],
): string {
  const size = sizeOf(shape);
  if (data.length !== size) {
    throw new RangeError(
      `formatTensor: shape ${formatShape(shape)} needs ${size} values, got ${data.length}`,
    );
  }
  const indent = PREFIX.length;
  let body: string;
  const allSuffixes: string[] = [];
  if (size === 0) {
    body = '[]';
    if (shape.length !== 1) allSuffixes.push(`size=${formatShape(shape)}`);
  } else {
    const summarize = size > THRESHOLD;
    const strides = stridesOf(shape);
    const shown = shownValues(data, shape, strides, summarize);
    const fmt = makeFormatter(shown, dtype);
    body = new Printer(data, shape, strides, summarize, fmt).tensor(0, 0, indent);
  }
  allSuffixes.push(...suffixes);
  return addSuffixes(PREFIX + body, allSuffixes, indent);
}

/** Formats single values, all padded to one width. */
interface Formatter {
  readonly width: number;
  /** The value's text, without padding. */
  text(v: number): string;
}

/** The values that will be printed (all of them, or the edges of a summarized tensor). */
function shownValues(
  data: ArrayLike<number>,
  shape: readonly number[],
  strides: readonly number[],
  summarize: boolean,
): number[] {
  const out: number[] = [];
  const ndim = shape.length;
  if (ndim === 0) return [data[0]];
  const visit = (offset: number, d: number): void => {
    const n = shape[d];
    const indices = shownIndices(n, summarize);
    for (const i of indices) {
      if (i < 0) continue;
      const at = offset + i * strides[d];
      if (d === ndim - 1) out.push(data[at]);
      else visit(at, d + 1);
    }
  };
  visit(0, 0);
  return out;
}

/** The indices shown along a dimension of size `n`; -1 marks the `...`. */
function shownIndices(n: number, summarize: boolean): number[] {
  if (summarize && n > 2 * EDGE_ITEMS) {
    const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
    const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
    return [...head, -1, ...tail];
  }
  return Array.from({ length: n }, (_, i) => i);
}

/** Chooses the number format from the shown values, as torch._tensor_str's _Formatter does. */
function makeFormatter(values: readonly number[], dtype: DType): Formatter {
  let mode: Mode;
  if (dtype === 'bool') {
    mode = 'bool';
  } else if (dtype === 'int32' || dtype === 'uint8') {
    mode = 'int';
  } else {
    let min = Infinity;
    let max = 0;
    let integral = true;
    for (const v of values) {
      if (v === 0 || !Number.isFinite(v)) continue;
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
      if (!Number.isInteger(v)) integral = false;
    }
    if (max === 0)
      mode = 'integral'; // no finite non-zero values
    else if (max / min > 1000 || max > 1e8 || (!integral && min < 1e-4)) mode = 'sci';
    else mode = integral ? 'integral' : 'fixed';
  }
  const text = (v: number): string => formatNumber(v, mode);
  let width = 1;
  for (const v of values) width = Math.max(width, text(v).length);
  return { width, text };
}

/** One number in the given mode, unpadded. */
function formatNumber(v: number, mode: Mode): string {
  if (mode === 'bool') return v !== 0 ? 'true' : 'false';
  if (mode === 'int') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const a = Math.abs(v);
  switch (mode) {
    case 'integral':
      return `${sign}${a.toFixed(0)}.`;
    case 'fixed':
      return sign + a.toFixed(PRECISION);
    case 'sci': {
      // JavaScript writes e+5; Python and PyTorch write at least two exponent digits: e+05.
      const s = a.toExponential(PRECISION);
      const e = s.indexOf('e');
      const exp = s.slice(e + 2);
      return `${sign}${s.slice(0, e + 2)}${exp.length < 2 ? `0${exp}` : exp}`;
    }
  }
}

/** Lays out the nested brackets, as torch._tensor_str's _tensor_str_with_formatter does. */
class Printer {
  constructor(
    private readonly data: ArrayLike<number>,
    private readonly shape: readonly number[],
    private readonly strides: readonly number[],
    private readonly summarize: boolean,
    private readonly fmt: Formatter,
  ) {}

  private cell(v: number): string {
    const s = this.fmt.text(v);
    return s.length < this.fmt.width ? ' '.repeat(this.fmt.width - s.length) + s : s;
  }

  /** The sub-tensor at `offset` spanning dimensions `d` onwards, its continuation lines at `indent`. */
  tensor(offset: number, d: number, indent: number): string {
    const ndim = this.shape.length;
    if (ndim === 0) return this.fmt.text(this.data[offset]);
    if (d === ndim - 1) return this.vector(offset, d, indent);
    const slices = shownIndices(this.shape[d], this.summarize).map((i) =>
      i < 0 ? '...' : this.tensor(offset + i * this.strides[d], d + 1, indent + 1),
    );
    return `[${slices.join(`,${'\n'.repeat(ndim - d - 1)}${' '.repeat(indent + 1)}`)}]`;
  }

  private vector(offset: number, d: number, indent: number): string {
    const items = shownIndices(this.shape[d], this.summarize).map((i) =>
      i < 0 ? ' ...' : this.cell(this.data[offset + i * this.strides[d]]),
    );
    const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (this.fmt.width + 2)));
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine) {
      lines.push(items.slice(i, i + perLine).join(', '));
    }
    return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
  }
}

/** Appends `, suffix` items and the closing parenthesis, as torch._tensor_str's _add_suffixes. */
function addSuffixes(text: string, suffixes: readonly string[], indent: number): string {
  const parts = [text];
  // (PyTorch's own arithmetic, including its +1.)
  let lastLineLength = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > LINE_WIDTH) {
      parts.push(`,\n${' '.repeat(indent)}${suffix}`);
      lastLineLength = indent + suffix.length;
    } else {
      parts.push(`, ${suffix}`);
      lastLineLength += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}
