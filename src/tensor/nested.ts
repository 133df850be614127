/**
 * Conversion between nested JavaScript arrays (`[[1, 2], [3, 4]]`) and flat row-major values
 * with a shape.
 *
 * @module
 */

import { formatValue, kindOf } from './check.js';
import { formatShape, sizeOf } from './shape.js';

/**
 * A number, a boolean, or a (possibly empty) nested array of them, as users write tensor data.
 * Readonly arrays are accepted too.
 */
export type NestedArray = number | boolean | NestedArray[] | readonly NestedArray[];

/** The deepest nesting {@link flattenNested} accepts. */
const MAX_DEPTH = 64;

/** The arrays flattenNested descends into: plain arrays and numeric typed arrays. */
type ArrayNode = ArrayLike<unknown>;

function isArrayNode(x: unknown): x is ArrayNode {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/**
 * Flattens nested arrays of numbers and booleans into row-major values and infers their shape.
 * Booleans become 1 and 0; a bare number or boolean has shape `[]`; `[]` has shape `[0]` and
 * `[[], []]` has shape `[2, 0]`. Numeric typed arrays are accepted wherever an array is.
 *
 * The walk is iterative and linear in the number of elements, so large inputs (a million numbers,
 * flat or nested) are cheap and deep ones cannot overflow the call stack.
 *
 * @param data - the user's data.
 * @param where - the operation to name in error messages, e.g. `'tensor'`.
 * @throws RangeError for ragged input (naming the offending element's path and the length or
 *   kind expected from the first element at that depth), and for nesting deeper than 64 levels;
 *   TypeError for a leaf that is not a number or boolean (naming its path and type).
 * @example
 * ```ts
 * flattenNested([[1, 2, 3], [4, 5, 6]], 'tensor'); // => { values: [1, 2, 3, 4, 5, 6], shape: [2, 3] }
 * flattenNested([true, false], 'tensor'); // => { values: [1, 0], shape: [2] }
 * ```
 */
export function flattenNested(data: unknown, where: string): { values: number[]; shape: number[] } {
  // The shape is read along the first element at each depth; every other element must match it.
  const shape: number[] = [];
  let node: unknown = data;
  while (isArrayNode(node)) {
    if (shape.length === MAX_DEPTH) {
      throw new RangeError(
        `${where}: nested array is deeper than ${MAX_DEPTH} levels (is it circular?)`,
      );
    }
    shape.push(node.length);
    if (node.length === 0) break;
    node = node[0];
  }

  const ndim = shape.length;
  if (ndim === 0) {
    if (typeof data === 'number') return { values: [data], shape };
    if (typeof data === 'boolean') return { values: [data ? 1 : 0], shape };
    throw new TypeError(
      `${where}: expected a number, a boolean or a nested array of them, got ${describeValue(data)}`,
    );
  }

  const values: number[] = [];
  const last = ndim - 1;
  // nodes[d] is the array at depth d on the current path; idx[d] the position within it.
  const nodes = new Array<ArrayNode>(ndim);
  const idx = new Array<number>(ndim).fill(0);
  nodes[0] = data as ArrayNode;
  let d = 0;
  for (;;) {
    if (d === last) {
      const row = nodes[d];
      const n = row.length;
      for (let i = 0; i < n; i++) {
        const v = row[i];
        if (typeof v === 'number') values.push(v);
        else if (typeof v === 'boolean') values.push(v ? 1 : 0);
        else throw leafError(where, idx, d, i, v);
      }
      // Move to the next sibling of the nearest ancestor that has one.
      d--;
      while (d >= 0 && ++idx[d] >= shape[d]) d--;
      if (d < 0) break;
    }
    const child = nodes[d][idx[d]];
    d++;
    if (!isArrayNode(child)) throw arrayExpectedError(where, idx, d, child, shape[d]);
    if (child.length !== shape[d]) {
      throw new RangeError(
        `${where}: ragged nested array: element ${pathOf(idx, d)} has length ${child.length} ` +
          `but element ${firstPath(d)} has length ${shape[d]}`,
      );
    }
    nodes[d] = child;
    idx[d] = 0;
  }
  return { values, shape };
}

/**
 * Builds nested arrays from row-major values (numbers, or booleans for a bool tensor): the inverse
 * of {@link flattenNested}. A 0-d shape gives a plain number; a shape with a zero size gives empty arrays
 * (`[2, 0]` → `[[], []]`, `[0, 3]` → `[]`).
 *
 * @param data - `sizeOf(shape)` values in row-major order.
 * @param shape - the sizes of the dimensions, outermost first.
 * @throws RangeError when `data` does not hold exactly `sizeOf(shape)` values.
 * @example
 * ```ts
 * toNested([1, 2, 3, 4, 5, 6], [2, 3]); // => [[1, 2, 3], [4, 5, 6]]
 * toNested([7], []); // => 7
 * ```
 */
export function toNested(data: ArrayLike<number | boolean>, shape: readonly number[]): NestedArray {
  const size = sizeOf(shape);
  if (data.length !== size) {
    throw new RangeError(
      `toNested: shape ${formatShape(shape)} needs ${size} values, got ${data.length}`,
    );
  }
  const ndim = shape.length;
  if (ndim === 0) return data[0];

  // Innermost rows first, then group them outwards one dimension at a time.
  const width = shape[ndim - 1];
  const rows = countBefore(shape, ndim - 1);
  let level: NestedArray[][] = new Array<NestedArray[]>(rows);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const row = new Array<NestedArray>(width);
    for (let j = 0; j < width; j++) row[j] = data[k++];
    level[r] = row;
  }
  for (let d = ndim - 2; d >= 0; d--) {
    const n = shape[d];
    const groups = countBefore(shape, d);
    const next = new Array<NestedArray[]>(groups);
    let m = 0;
    for (let g = 0; g < groups; g++) {
      const group = new Array<NestedArray>(n);
      for (let j = 0; j < n; j++) group[j] = level[m++];
      next[g] = group;
    }
    level = next;
  }
  return level[0];
}

/** The product of the sizes before dimension `d`. */
function countBefore(shape: readonly number[], d: number): number {
  let n = 1;
  for (let i = 0; i < d; i++) n *= shape[i];
  return n;
}

/** `[1][0][2]`: the path to the element at depth `d` reached through idx[0..d-1]. */
function pathOf(idx: readonly number[], d: number, leaf?: number): string {
  let s = '';
  for (let i = 0; i < d; i++) s += `[${idx[i]}]`;
  if (leaf !== undefined) s += `[${leaf}]`;
  return s;
}

/** `[0][0]`: the first element at depth `d`, whose length sets the shape. */
function firstPath(d: number): string {
  return '[0]'.repeat(d);
}

function leafError(where: string, idx: number[], d: number, i: number, v: unknown): Error {
  const path = pathOf(idx, d, i);
  if (isArrayNode(v)) {
    return new RangeError(
      `${where}: ragged nested array: element ${path} is an array ` +
        `but element ${firstPath(d + 1)} is a number`,
    );
  }
  return new TypeError(
    `${where}: element ${path} is ${describeValue(v)}; expected a number or a boolean`,
  );
}

function arrayExpectedError(
  where: string,
  idx: number[],
  d: number,
  v: unknown,
  length: number,
): Error {
  const path = pathOf(idx, d);
  const expected = `an array of length ${length} like element ${firstPath(d)}`;
  if (typeof v === 'number' || typeof v === 'boolean') {
    return new RangeError(
      `${where}: ragged nested array: element ${path} is a ${typeof v} but expected ${expected}`,
    );
  }
  return new TypeError(`${where}: element ${path} is ${describeValue(v)}; expected ${expected}`);
}

/**
 * What a value that is not a number is, for messages: its kind (`null`, `an array`, `Map`, …),
 * and for a string or a bigint also the value: `a string ("abc")`.
 */
function describeValue(v: unknown): string {
  if (v === null || v === undefined || typeof v === 'object') return kindOf(v);
  const kind = `a ${kindOf(v)}`;
  return typeof v === 'string' || typeof v === 'bigint' ? `${kind} (${formatValue(v)})` : kind;
}
