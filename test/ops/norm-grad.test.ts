import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchNorm,
  gradcheck,
  gradients,
  groupNorm,
  layerNorm,
  scalar,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { batchShapes, groupShapes, groupsOf, layerShapes, normCases } from './norm-cases.js';
import { makeInputs, type OpCase } from './op-table.js';

/**
 * Gradients of batchNorm, layerNorm and groupNorm against float64 central differences over random
 * shapes: first order (the fused backward kernel, used when the gradient is not recorded) and
 * second order (the derivative written in tensor operations, used under createGraph), and the
 * two derivatives against each other.
 */

const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 });

type NormCase = Pick<OpCase, 'name' | 'shapes' | 'fn'>;

const cases: NormCase[] = [
  ...normCases,
  {
    name: 'batchNorm (training, no affine)',
    shapes: batchShapes.map((s) => [s[0]]),
    fn: (x) => batchNorm(x, null, null, { training: true, eps: 1e-3 }),
  },
  {
    name: 'batchNorm (training, weight only)',
    shapes: batchShapes.map((s) => [s[0], s[1]]),
    fn: (x, w) => batchNorm(x, null, null, { weight: w, training: true }),
  },
  {
    name: 'batchNorm (evaluation, running statistics)',
    shapes: batchShapes,
    fn: (x, w, b) => {
      const c = x.shape[1];
      const rm = tensor(
        Array.from({ length: c }, (_, i) => 0.1 * i),
        { dtype: 'float64' },
      );
      const rv = tensor(
        Array.from({ length: c }, (_, i) => 1 + 0.5 * i),
        { dtype: 'float64' },
      );
      return batchNorm(x, rm, rv, { weight: w, bias: b });
    },
  },
  {
    name: 'layerNorm (no affine)',
    shapes: layerShapes.map((s) => [s[0], s[1]]),
    fn: (x, ns) => layerNorm(x, ns.shape),
  },
  {
    name: 'groupNorm (no affine)',
    shapes: groupShapes.map((s) => [s[0]]),
    fn: (x) => groupNorm(x, groupsOf(x)),
  },
];

/** Deterministic weights for an output, so that second-order checks see a generic direction. */
function weights(shape: readonly number[], seed: number): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = Float64Array.from({ length: n }, (_, i) => Math.sin(seed + 1.7 * i) + 0.3);
  return tensor(data, { shape });
}

/** Σᵢ ⟨∂⟨w, f(x)⟩/∂xᵢ, vᵢ⟩, whose gradient is a Hessian-vector product of f. */
function secondOrder(fn: NormCase['fn'], seed: number): (...xs: Tensor[]) => Tensor {
  return (...xs) => {
    const out = fn(...xs);
    const gs = gradients(out.mul(weights(out.shape, seed)).sum(), xs, {
      createGraph: true,
      allowUnused: true,
    });
    return gs.reduce(
      (acc, g, i) => acc.add(g.mul(weights(xs[i].shape, seed + i + 1)).sum()),
      scalar(0, { dtype: 'float64' }),
    );
  };
}

describe('gradcheck of the normalizations', () => {
  for (const c of cases) {
    it(`${c.name}: first derivatives`, () => {
      fc.assert(
        fc.property(c.shapes, seeds, (shapes, seed) => {
          const report = gradcheck(c.fn, makeInputs(shapes, 'any', seed));
          if (!report.passed)
            throw new Error(`${JSON.stringify(shapes)}, seed ${seed}: ${JSON.stringify(report)}`);
        }),
        { seed: 42, numRuns: 25 },
      );
    });
    it(`${c.name}: second derivatives`, () => {
      fc.assert(
        fc.property(c.shapes, seeds, (shapes, seed) => {
          const report = gradcheck(secondOrder(c.fn, seed), makeInputs(shapes, 'any', seed), {
            atol: 1e-4,
            rtol: 1e-3,
          });
          if (!report.passed)
            throw new Error(`${JSON.stringify(shapes)}, seed ${seed}: ${JSON.stringify(report)}`);
        }),
        { seed: 7, numRuns: 10 },
      );
    });
  }
});

describe('the two derivatives agree', () => {
  it('the backward kernel and the tensor-operation rule give the same gradients', () => {
    for (const c of cases) {
      const shapes = fc.sample(c.shapes, { seed: 3, numRuns: 1 })[0];
      const xs = makeInputs(shapes, 'any', 11).map((x) => x.requiresGrad_(true));
      const loss = () =>
        c
          .fn(...xs)
          .mul(weights(xs[0].shape, 5))
          .sum();
      const byKernel = gradients(loss(), xs, { allowUnused: true });
      const byOps = gradients(loss(), xs, { createGraph: true, allowUnused: true });
      for (let i = 0; i < xs.length; i++) {
        const a = Array.from(byKernel[i].data);
        const b = Array.from(byOps[i].data);
        for (let j = 0; j < a.length; j++)
          expect(Math.abs(a[j] - b[j]), `${c.name}, input ${i}`).toBeLessThan(1e-10);
      }
    }
  });

  it('the input gradient of a batch norm sums to zero per channel, as the closed form says', () => {
    const [x] = makeInputs([[4, 2, 3]], 'any', 2).map((t) => t.requiresGrad_(true));
    batchNorm(x, null, null, { training: true })
      .mul(weights([4, 2, 3], 1))
      .sum()
      .backward();
    const perChannel = x.grad!.sum([0, 2]).toArray() as number[];
    for (const v of perChannel) expect(Math.abs(v)).toBeLessThan(1e-12);
  });

  it('float32 gradients follow the float64 ones', () => {
    const [x, w] = makeInputs([[3, 2, 5], [2]], 'any', 4);
    const grads = (dtype: 'float32' | 'float64') => {
      const xd = x.to(dtype).requiresGrad_(true);
      const wd = w.to(dtype).requiresGrad_(true);
      const y = batchNorm(xd, null, null, { weight: wd, training: true });
      return gradients(y.mul(weights([3, 2, 5], 9).to(dtype)).sum(), [xd, wd]);
    };
    const [x32, w32] = grads('float32');
    const [x64, w64] = grads('float64');
    expect(x32.dtype).toBe('float32');
    for (const [a, b] of [
      [x32, x64],
      [w32, w64],
    ]) {
      const da = Array.from(a.data);
      const db = Array.from(b.data);
      for (let i = 0; i < da.length; i++) expect(Math.abs(da[i] - db[i])).toBeLessThan(1e-4);
    }
  });
});
