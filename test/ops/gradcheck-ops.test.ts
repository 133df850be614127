import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import {
  gradcheck,
  gradients,
  primitives,
  scalar,
  tensor,
  type PrimitiveName,
} from '../../src/index.js';
import { makeInputs, opCases, type OpCase } from './op-table.js';

/** Every differentiable op, checked against float64 central differences over random shapes. */

const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 });

function failure(
  c: OpCase,
  shapes: number[][],
  seed: number,
  report: ReturnType<typeof gradcheck>,
): string {
  return `${c.name} at shapes ${JSON.stringify(shapes)}, seed ${seed}: ${JSON.stringify(report)}`;
}

/** Deterministic weights for an output, so that second-order checks see a generic direction. */
function weights(shape: readonly number[], seed: number): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sin(seed + 1.7 * i) + 0.3;
  return tensor(data, { shape });
}

/** h(x) = Σᵢ ⟨∂⟨w, f(x)⟩/∂xᵢ, vᵢ⟩: its gradient is a Hessian-vector product of f, so gradcheck on h checks second derivatives. */
function secondOrder(c: OpCase, seed: number): (...xs: Tensor[]) => Tensor {
  return (...xs) => {
    const out = c.fn(...xs);
    if (!out.requiresGrad) return scalar(0, { dtype: 'float64' });
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

describe('gradcheck of every differentiable op', () => {
  for (const c of opCases) {
    it(`${c.name}: first derivatives`, () => {
      fc.assert(
        fc.property(c.shapes, seeds, (shapes, seed) => {
          const report = gradcheck(c.fn, makeInputs(shapes, c.domain, seed), c.tolerance);
          if (!report.passed) throw new Error(failure(c, shapes, seed, report));
        }),
        { seed: 42, numRuns: 40 },
      );
    });
    if (c.secondOrder === false || c.tolerance !== undefined) continue;
    it(`${c.name}: second derivatives (rules written in tensor ops differentiate again)`, () => {
      fc.assert(
        fc.property(c.shapes, seeds, (shapes, seed) => {
          const report = gradcheck(secondOrder(c, seed), makeInputs(shapes, c.domain, seed), {
            atol: 1e-4,
            rtol: 1e-3,
          });
          if (!report.passed) throw new Error(failure(c, shapes, seed, report));
        }),
        { seed: 7, numRuns: 12 },
      );
    });
  }
});

/** The ops a computation ran, forward and (recorded) backward. */
function opsRun(c: OpCase, shapes: number[][]): Set<string> {
  const xs = makeInputs(shapes, c.domain, 1).map((x) => x.requiresGrad_(true));
  const out = c.fn(...xs);
  const roots = [out];
  if (out.requiresGrad) {
    const w = weights(out.shape, 3).requiresGrad_(true);
    roots.push(...gradients(out.mul(w).sum(), xs, { createGraph: true, allowUnused: true }));
  }
  const seen = new Set<string>();
  const visited = new Set<Tensor>();
  const stack = [...roots];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (visited.has(t)) continue;
    visited.add(t);
    if (t.gradFn) {
      seen.add(t.gradFn.op);
      stack.push(...t.gradFn.inputs);
    }
  }
  return seen;
}

const nonDifferentiable: Record<string, (x: Tensor) => Tensor> = {
  argmax: (x) => x.argmax(),
  argmin: (x) => x.argmin(-1),
  eq: (x) => x.eq(0.5),
  ne: (x) => x.ne(0.5),
  lt: (x) => x.lt(0.5),
  le: (x) => x.le(0.5),
  gt: (x) => x.gt(0.5),
  ge: (x) => x.ge(0.5),
  isfinite: (x) => x.isfinite(),
  isnan: (x) => x.isnan(),
  isinf: (x) => x.isinf(),
  clone: (x) => x.clone(),
  scatterMultiply: (x) =>
    x.scatter(0, tensor([0, 2], { dtype: 'int32' }), 2, { reduce: 'multiply' }),
  logicalAnd: (x) => x.logicalAnd(1),
  logicalOr: (x) => x.logicalOr(0),
  logicalXor: (x) => x.logicalXor(1),
  floorDivide: (x) => x.floorDivide(0.5),
  truncDivide: (x) => x.div(0.5, { roundingMode: 'trunc' }),
};

/** Not differentiable because they take no floating-point tensor at all (which this proves). */
const integerOnly: Record<string, (x: Tensor) => Tensor> = {
  bitwiseAnd: (x) => x.bitwiseAnd(1),
  bitwiseOr: (x) => x.bitwiseOr(1),
  bitwiseXor: (x) => x.bitwiseXor(1),
  bitwiseLeftShift: (x) => x.bitwiseLeftShift(1),
  bitwiseRightShift: (x) => x.bitwiseRightShift(1),
};

describe('the op table is complete and honest', () => {
  it('every differentiable primitive has a gradcheck entry, every other one a not-differentiable test', () => {
    const covered = new Set(opCases.flatMap((c) => c.primitives));
    for (const [name, rule] of Object.entries(primitives)) {
      const untested = [...Object.keys(nonDifferentiable), ...Object.keys(integerOnly)];
      if (rule.vjp === null) expect(untested, name).toContain(name);
      else expect([...covered], `primitive ${name} has no gradcheck entry`).toContain(name);
    }
  });

  it.each(opCases.map((c) => [c.name, c] as const))(
    '%s runs the primitives it claims',
    (_name, c) => {
      const shapes = fc.sample(c.shapes, { seed: 5, numRuns: 1 })[0];
      const seen = opsRun(c, shapes);
      for (const p of c.primitives) {
        const rule = primitives[p as PrimitiveName];
        // Non-differentiable primitives (comparisons inside masks) leave no graph node.
        if (rule.vjp !== null) expect([...seen], `${c.name} claims ${p}`).toContain(p);
      }
    },
  );

  it.each(Object.entries(integerOnly))('%s refuses float tensors', (name, f) => {
    const x = tensor([0.25, 0.75, 1.5], { requiresGrad: true });
    expect(() => f(x)).toThrow(new RegExp(`${name}: needs integer or bool tensors, got float32`));
  });

  it.each(Object.entries(nonDifferentiable))(
    '%s is not differentiable: backward through it names it',
    (name, f) => {
      const x = tensor([0.25, 0.75, 1.5], { requiresGrad: true });
      const y = f(x);
      expect(y.requiresGrad).toBe(false);
      expect(() => y.to('float32').sum().backward()).toThrow(
        new RegExp(`does not require a gradient: it was computed by ${name}`),
      );
    },
  );
});
