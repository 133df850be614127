import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { arange, einsum, ones, tensor } from '../../src/index.js';

// einsum against PyTorch's values and against a brute-force sum over every label assignment.

const grid = (...shape: number[]): Tensor =>
  arange(shape.reduce((p, d) => p * d, 1)).reshape(shape);

/** Σ over every assignment of the labels of the product of the operands (explicit '->', no '...'). */
function naive(equation: string, operands: Tensor[]): { data: number[]; shape: number[] } {
  const [lhs, rhs] = equation.split('->');
  const terms = lhs.split(',');
  const size = new Map<string, number>();
  // a label's size: an operand's own, unless that is 1 (broadcast)
  terms.forEach((t, k) =>
    [...t].forEach((l, d) => {
      const n = operands[k].shape[d];
      if (size.get(l) === undefined || size.get(l) === 1) size.set(l, n);
    }),
  );
  const labels = [...size.keys()];
  const shape = [...rhs].map((l) => size.get(l)!);
  const data = new Array<number>(shape.reduce((p, d) => p * d, 1)).fill(0);
  const at = new Map<string, number>();
  const visit = (i: number): void => {
    if (i === labels.length) {
      let product = 1;
      terms.forEach((t, k) => {
        const pos = [...t].map((l, d) => (operands[k].shape[d] === 1 ? 0 : at.get(l)!));
        product *= operands[k].data[pos.reduce((p, v, d) => p * operands[k].shape[d] + v, 0)];
      });
      data[[...rhs].reduce((p, l) => p * size.get(l)! + at.get(l)!, 0)] += product;
      return;
    }
    for (let v = 0; v < size.get(labels[i])!; v++) {
      at.set(labels[i], v);
      visit(i + 1);
    }
  };
  visit(0);
  return { data, shape };
}

describe('einsum', () => {
  it("gives PyTorch's values: products, traces, diagonals, implicit output, three operands", () => {
    expect(einsum('Ba,aC', grid(2, 3), grid(3, 4)).toArray()).toEqual([
      [20, 23, 26, 29],
      [56, 68, 80, 92],
    ]);
    expect(einsum('a,A', ones([2]), ones([3])).shape).toEqual([3, 2]);
    expect(einsum('ii', grid(3, 3)).item()).toBe(12);
    expect(einsum('ii->i', grid(3, 3)).toArray()).toEqual([0, 4, 8]);
    expect(einsum('iij->j', grid(3, 3, 2)).toArray()).toEqual([24, 27]);
    expect(einsum('i...->...', grid(2, 3)).toArray()).toEqual([3, 5, 7]);
    expect(einsum('...ij->...ji', ones([2, 3, 4])).shape).toEqual([2, 4, 3]);
    expect(einsum('i,i,i->', tensor([1, 2]), tensor([3, 4]), tensor([5, 6])).item()).toBe(63);
    expect(einsum('ij,jk->ik', ones([2, 1]), ones([3, 4])).toArray()).toEqual([
      [3, 3, 3, 3],
      [3, 3, 3, 3],
    ]);
    const bilinear = einsum('bn,anm,bm->ba', grid(2, 3), grid(4, 3, 3).div(10), grid(2, 3));
    const want = [
      [6, 14.1, 22.2, 30.3],
      [67.2, 196.8, 326.4, 456],
    ];
    Array.from(bilinear.data).forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i], 3));
    expect(einsum('ij,jk', [grid(2, 2), grid(2, 2)]).toArray()).toEqual([
      [2, 3],
      [6, 11],
    ]);
  });

  it('matches the brute-force sum on random shapes', () => {
    const equations: [string, number[]][] = [
      ['ij,jk->ik', [0, 1, 1, 2]],
      ['bij,bjk->bki', [0, 1, 2, 0, 2, 3]],
      ['ij,ij->i', [0, 1, 0, 1]],
      ['iij,jk->ki', [0, 0, 1, 1, 2]],
      ['i,j,k->kji', [0, 1, 2]],
      ['ab,bc,cd->ad', [0, 1, 1, 2, 2, 3]],
      ['ijk->', [0, 1, 2]],
      // size 4 is always 1: broadcast dims
      ['ij,jk->ik', [0, 4, 1, 2]],
      ['bij,bjk->bik', [4, 1, 2, 0, 2, 3]],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...equations),
        fc
          .array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 })
          .map((s) => [...s, 1]),
        fc.integer({ min: 0, max: 1000 }),
        ([equation, dims], sizes, seed) => {
          const terms = equation.split('->')[0].split(',');
          let next = 0;
          const operands = terms.map((t) => {
            const shape = [...t].map(() => sizes[dims[next++]]);
            const n = shape.reduce((p, d) => p * d, 1);
            return tensor(
              Array.from({ length: n }, (_, i) => Math.sin(seed + i)),
              { dtype: 'float64', shape },
            );
          });
          const want = naive(equation, operands);
          const got = einsum(equation, ...operands);
          expect(got.shape).toEqual(want.shape);
          Array.from(got.data).forEach((v, i) => expect(v).toBeCloseTo(want.data[i], 10));
        },
      ),
      { seed: 15, numRuns: 60 },
    );
  });

  it('names what is wrong with an equation', () => {
    expect(() => einsum('ij,jk', grid(2, 2))).toThrow(/einsum: 2 term\(s\) for 1 operand\(s\)/);
    expect(() => einsum('ij->ii', grid(2, 2))).toThrow(/the output names i twice/);
    expect(() => einsum('ij->k', grid(2, 2))).toThrow(/the output's k names no input dim/);
    expect(() => einsum('ijk', grid(2, 2))).toThrow(/operand 0 has 2 dims/);
    expect(() => einsum('ii', grid(2, 3))).toThrow(/the repeated label i has sizes 2 and 3/);
    expect(() => einsum('i1', grid(2, 3))).toThrow(/"1" is not a letter/);
  });
});
