import { describe, expect, it } from 'vitest';
import { allocate, DTYPES } from '../../src/tensor/dtype.js';
import type { DType } from '../../src/tensor/dtype.js';
import { B, BINARY_OPS, expectClose, UNARY_OPS } from './js-helpers.js';

// The backend object, and its one-number kernels (unaryScalar, binaryScalar, powScalarScalar)
// against the array kernels.
// The helpers and the approach are in js-helpers.ts.

describe('jsBackend', () => {
  it('is named js and provides every kernel', () => {
    expect(B.name).toBe('js');
    const kernels = [
      'unary',
      'powScalar',
      'binary',
      'where',
      'reduce',
      'argReduce',
      'copyStrided',
      'assignStrided',
      'indexSelect',
      'indexAdd',
      'gather',
      'scatterAdd',
      'matmul',
    ] as const;
    for (const k of kernels) expect(typeof B[k]).toBe('function');
  });
});

/** Edge values each dtype can hold (stored through a one-element array of that dtype). */
function edgeValues(dtype: DType): number[] {
  const raw =
    dtype === 'int32'
      ? [0, 1, -1, 2, -3, 7, 65537, 2 ** 31 - 1, -(2 ** 31)]
      : [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -2.5, 3, 0.1, 1e30, -1e-30, 2 ** 31, 700];
  return raw.map((v) => allocate(dtype, 1).fill(v)[0]);
}

const EXACT = { rtol: 0, atol: 0 };

describe('scalar kernels', () => {
  for (const dtype of DTYPES) {
    const values = edgeValues(dtype);

    it(`unaryScalar over ${dtype} equals unary on a one-element array`, () => {
      for (const op of [...UNARY_OPS, 'cast'] as const) {
        for (const from of op === 'cast' ? DTYPES : [dtype]) {
          for (const v of edgeValues(from)) {
            const out = allocate(dtype, 1);
            B.unary(op, allocate(from, 1).fill(v), out);
            const one = allocate(dtype, 1).fill(B.unaryScalar(op, v, dtype));
            expectClose(one, out, EXACT);
          }
        }
      }
    });

    it(`binaryScalar over ${dtype} equals binary on one-element arrays`, () => {
      for (const op of BINARY_OPS) {
        for (const x of values) {
          for (const y of values) {
            const out = allocate(dtype, 1);
            B.binary(op, allocate(dtype, 1).fill(x), [], allocate(dtype, 1).fill(y), [], out, []);
            const one = allocate(dtype, 1).fill(B.binaryScalar(op, x, y, dtype));
            expectClose(one, out, EXACT);
          }
        }
      }
    });

    it(`powScalarScalar over ${dtype} equals powScalar on a one-element array`, () => {
      for (const p of [0, 1, 2, -1, 0.5, 3, -2, 1.5]) {
        for (const v of values) {
          const out = allocate(dtype, 1);
          B.powScalar(allocate(dtype, 1).fill(v), p, out);
          const one = allocate(dtype, 1).fill(B.powScalarScalar(v, p, dtype));
          expectClose(one, out, EXACT);
        }
      }
    });
  }
});
