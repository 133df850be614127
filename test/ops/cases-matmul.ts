import fc from 'fast-check';
import { matmul } from '../../src/index.js';
import { linear, linearActivation } from '../../src/ops/matmul.js';
import type { OpCase } from './op-table.js';

/**
 * Matrix products in the gradcheck table (op-table.ts): matmul in every form it takes (2-D, dot,
 * vector-matrix, batched with broadcasting and expanded batch dims, transposed operands), and the
 * fused layer primitives linear and linearActivation.
 */

const dim = fc.integer({ min: 1, max: 4 });

export const matmulCases: OpCase[] = [
  {
    name: 'matmul 2-D',
    primitives: ['matmul'],
    shapes: fc.tuple(dim, dim, dim).map(([m, k, n]) => [
      [m, k],
      [k, n],
    ]),
    domain: 'any',
    fn: (a, b) => matmul(a, b),
  },
  {
    name: 'matmul dot',
    primitives: ['matmul', 'reshape'],
    shapes: dim.map((k) => [[k], [k]]),
    domain: 'any',
    fn: (a, b) => matmul(a, b),
  },
  {
    name: 'matmul vector-matrix and matrix-vector',
    primitives: ['matmul'],
    shapes: fc.tuple(dim, dim, dim).map(([m, k, n]) => [[k], [k, n], [m, k]]),
    domain: 'any',
    fn: (v, b, a) =>
      matmul(v, b)
        .sum()
        .add(matmul(a, v).mul(matmul(a, v)).sum()),
  },
  {
    name: 'matmul batched, broadcasting batch dims',
    primitives: ['matmul'],
    shapes: fc
      .tuple(
        dim,
        dim,
        dim,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(3),
      )
      .map(([m, k, n, b1, b2, form]) =>
        form === 0
          ? [
              [b1, m, k],
              [k, n],
            ]
          : form === 1
            ? [
                [m, k],
                [b2, k, n],
              ]
            : form === 2
              ? [
                  [b1, 1, m, k],
                  [b2, k, n],
                ]
              : [
                  [b1, m, k],
                  [b1, k, n],
                ],
      ),
    domain: 'any',
    fn: (a, b) => matmul(a, b),
  },
  {
    name: 'matmul with batch dims expanded',
    primitives: ['matmul', 'expand'],
    shapes: fc.tuple(dim, dim, dim).map(([m, k, n]) => [
      [2, 1, m, k],
      [3, k, n],
    ]),
    domain: 'any',
    fn: (a, b) => matmul(a, b),
  },
  {
    name: 'linear (fused x·Wᵀ + b)',
    primitives: ['linear', 'matmul', 'sum'],
    shapes: fc.tuple(dim, dim, dim).map(([m, k, n]) => [[m, k], [n, k], [n]]),
    domain: 'any',
    fn: (x, w, b) => linear(x, w, b),
  },
  ...(['relu', 'tanh', 'sigmoid'] as const).map((activation): OpCase => ({
    name: `linearActivation ${activation} (fused ${activation}(x·Wᵀ + b))`,
    primitives: ['linearActivation', 'matmul', 'sum', `${activation}Grad`],
    shapes: fc.tuple(dim, dim, dim).map(([m, k, n]) => [[m, k], [n, k], [n]]),
    domain: 'any',
    fn: (x, w, b) => linearActivation(x, w, b, activation),
  })),
  {
    name: 'matmul of transposes (all transpose flags)',
    primitives: ['matmul', 'permute'],
    shapes: fc.tuple(dim, dim, dim).map(([m, k, n]) => [
      [k, m],
      [n, k],
    ]),
    domain: 'any',
    fn: (a, b) => matmul(a.t(), b.t()),
  },
];
