import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenNested, toNested } from '../../src/tensor/nested.js';
import type { NestedArray } from '../../src/tensor/nested.js';

/** Builds nested arrays the slow, obvious way (independently of toNested). */
function build(values: readonly number[], shape: readonly number[]): NestedArray {
  if (shape.length === 0) return values[0];
  const [n, ...rest] = shape;
  const inner = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => build(values.slice(i * inner, (i + 1) * inner), rest));
}

describe('flattenNested', () => {
  it('flattens scalars, vectors, matrices and deeper arrays in row-major order', () => {
    expect(flattenNested(3.5, 'tensor')).toEqual({ values: [3.5], shape: [] });
    expect(flattenNested([1, 2, 3], 'tensor')).toEqual({ values: [1, 2, 3], shape: [3] });
    expect(
      flattenNested(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        'tensor',
      ),
    ).toEqual({
      values: [1, 2, 3, 4, 5, 6],
      shape: [2, 3],
    });
    expect(
      flattenNested(
        [
          [[1], [2]],
          [[3], [4]],
        ],
        'tensor',
      ),
    ).toEqual({
      values: [1, 2, 3, 4],
      shape: [2, 2, 1],
    });
  });

  it('turns booleans into 1 and 0, also mixed with numbers', () => {
    expect(flattenNested(true, 'tensor')).toEqual({ values: [1], shape: [] });
    expect(
      flattenNested(
        [
          [true, false],
          [0.5, true],
        ],
        'tensor',
      ),
    ).toEqual({
      values: [1, 0, 0.5, 1],
      shape: [2, 2],
    });
  });

  it('keeps NaN and infinities', () => {
    expect(flattenNested([NaN, Infinity, -Infinity], 'tensor').values).toEqual([
      NaN,
      Infinity,
      -Infinity,
    ]);
  });

  it('infers shapes of empty arrays', () => {
    expect(flattenNested([], 'tensor')).toEqual({ values: [], shape: [0] });
    expect(flattenNested([[], []], 'tensor')).toEqual({ values: [], shape: [2, 0] });
    expect(flattenNested([[[]]], 'tensor')).toEqual({ values: [], shape: [1, 1, 0] });
  });

  it('accepts readonly arrays and typed arrays', () => {
    const data: readonly (readonly number[])[] = [
      [1, 2],
      [3, 4],
    ] as const;
    expect(flattenNested(data, 'tensor').shape).toEqual([2, 2]);
    expect(flattenNested([new Float32Array([1, 2]), new Int32Array([3, 4])], 'tensor')).toEqual({
      values: [1, 2, 3, 4],
      shape: [2, 2],
    });
  });

  it('names the operation and both paths for ragged input', () => {
    expect(() =>
      flattenNested(
        [
          [1, 2, 3],
          [4, 5],
        ],
        'tensor',
      ),
    ).toThrow('tensor: ragged nested array: element [1] has length 2 but element [0] has length 3');
    expect(() =>
      flattenNested(
        [
          [
            [1, 2],
            [3, 4],
          ],
          [[5, 6], [7]],
        ],
        'tensor',
      ),
    ).toThrow(
      'tensor: ragged nested array: element [1][1] has length 1 but element [0][0] has length 2',
    );
    expect(() => flattenNested([[], [1]], 'tensor')).toThrow(
      'element [1] has length 1 but element [0] has length 0',
    );
    expect(() => flattenNested([[1, 2], 3], 'tensor')).toThrow(
      'tensor: ragged nested array: element [1] is a number but expected an array of length 2 like element [0]',
    );
    expect(() => flattenNested([1, [2]], 'tensor')).toThrow(
      'tensor: ragged nested array: element [1] is an array but element [0] is a number',
    );
    expect(() =>
      flattenNested(
        [
          [1, 2],
          [3, [4]],
        ],
        'zeros',
      ),
    ).toThrow(
      'zeros: ragged nested array: element [1][1] is an array but element [0][0] is a number',
    );
    expect(() =>
      flattenNested(
        [
          [1, 2],
          [3, 4],
        ].concat([[5, 6, 7]]),
        'tensor',
      ),
    ).toThrow(RangeError);
  });

  it('names the path and the type of a non-numeric leaf', () => {
    expect(() =>
      flattenNested(
        [
          [1, 2],
          [3, 'x'],
        ],
        'tensor',
      ),
    ).toThrow('tensor: element [1][1] is a string ("x"); expected a number or a boolean');
    expect(() => flattenNested([null], 'tensor')).toThrow('element [0] is null');
    expect(() => flattenNested([1, undefined], 'tensor')).toThrow('element [1] is undefined');
    // eslint-disable-next-line no-sparse-arrays
    expect(() => flattenNested([1, , 3], 'tensor')).toThrow('element [1] is undefined');
    expect(() => flattenNested([{}], 'tensor')).toThrow('element [0] is an object');
    expect(() => flattenNested([[1n]], 'tensor')).toThrow('element [0][0] is a bigint (1n)');
    expect(() => flattenNested([[1, 2], 'ab'], 'tensor')).toThrow(
      'tensor: element [1] is a string ("ab"); expected an array of length 2 like element [0]',
    );
    expect(() => flattenNested('abc', 'tensor')).toThrow(
      'tensor: expected a number, a boolean or a nested array of them, got a string ("abc")',
    );
    expect(() => flattenNested(undefined, 'tensor')).toThrow(TypeError);
  });

  it('rejects nesting deeper than 64 levels, and circular arrays', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 64; i++) deep = [deep];
    expect(flattenNested(deep, 'tensor').shape).toHaveLength(64);
    expect(() => flattenNested([deep], 'tensor')).toThrow(/deeper than 64 levels/);
    const circular: unknown[] = [];
    circular.push(circular);
    expect(() => flattenNested(circular, 'tensor')).toThrow(/deeper than 64 levels/);
  });

  it('is fast on a million numbers, flat or 1000 x 1000', () => {
    const flat = Array.from({ length: 1_000_000 }, (_, i) => i);
    const nested = Array.from({ length: 1000 }, (_, i) => flat.slice(i * 1000, (i + 1) * 1000));
    const t0 = performance.now();
    const a = flattenNested(flat, 'tensor');
    const b = flattenNested(nested, 'tensor');
    const elapsed = performance.now() - t0;
    expect(a.shape).toEqual([1_000_000]);
    expect(b.shape).toEqual([1000, 1000]);
    expect(b.values[999_999]).toBe(999_999);
    expect(b.values[123_456]).toBe(123_456);
    expect(elapsed).toBeLessThan(30_000); // only a guard against a hang: speed is measured in bench/
  });
});

describe('toNested', () => {
  it('builds nested arrays in row-major order', () => {
    expect(toNested([7], [])).toBe(7);
    expect(toNested([1, 2, 3], [3])).toEqual([1, 2, 3]);
    expect(toNested([1, 2, 3, 4, 5, 6], [2, 3])).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(toNested(new Float32Array([1, 2, 3, 4]), [2, 1, 2])).toEqual([[[1, 2]], [[3, 4]]]);
  });

  it('handles zero-size dimensions', () => {
    expect(toNested([], [0])).toEqual([]);
    expect(toNested([], [2, 0])).toEqual([[], []]);
    expect(toNested([], [0, 3])).toEqual([]);
    expect(toNested([], [2, 0, 3])).toEqual([[], []]);
  });

  it('returns plain arrays of numbers even from typed arrays', () => {
    const out = toNested(new Int32Array([1, 2]), [2]);
    expect(Array.isArray(out)).toBe(true);
  });

  it('rejects data of the wrong length', () => {
    expect(() => toNested([1, 2, 3], [2, 2])).toThrow(
      'toNested: shape [2,2] needs 4 values, got 3',
    );
  });
});

describe('flattenNested and toNested round trip', () => {
  const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 });
  const caseArb = shapeArb.chain((shape) =>
    fc
      .array(fc.double({ noNaN: false }), {
        minLength: shape.reduce((a, b) => a * b, 1),
        maxLength: shape.reduce((a, b) => a * b, 1),
      })
      .map((values) => ({ shape, values })),
  );

  it('toNested(flatten(x)) === x for random nested arrays', () => {
    fc.assert(
      fc.property(caseArb, ({ shape, values }) => {
        const nested = build(values, shape);
        const flat = flattenNested(nested, 'tensor');
        expect(flat.values).toEqual(values);
        expect(toNested(flat.values, flat.shape)).toEqual(nested);
        // Shapes agree whenever no dimension before the last is 0 (after which sizes are lost).
        const zeroAt = shape.indexOf(0);
        if (zeroAt === -1) expect(flat.shape).toEqual(shape);
        else expect(flat.shape).toEqual(shape.slice(0, zeroAt + 1));
      }),
      { seed: 42 },
    );
  });

  it('flatten(toNested(v, s)) recovers v and s', () => {
    fc.assert(
      fc.property(caseArb, ({ shape, values }) => {
        const flat = flattenNested(toNested(values, shape), 'tensor');
        expect(flat.values).toEqual(values);
        if (!shape.includes(0)) expect(flat.shape).toEqual(shape);
      }),
      { seed: 42 },
    );
  });
});
