import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropyWithLogits,
  clamp,
  grad,
  pow,
  softplus,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { expectValues } from '../helpers.js';

// Gradients at the edges where nabla once differed from PyTorch (issue 15); the expected values
// are PyTorch 1.13's.

const f64 = (v: number[]): Tensor => tensor(v, { dtype: 'float64' });

describe('gradients at the edges, as PyTorch', () => {
  it('binaryCrossEntropyWithLogits at a logit of exactly 0 gives (σ(0) − t)/n', () => {
    const target = f64([1, 0]);
    const g = grad((x: Tensor) => binaryCrossEntropyWithLogits(x, target))(f64([0, 0]));
    expectValues(g, [-0.25, 0.25], 1e-15);
    // with pos_weight 3: torch gives [-0.75, 0.25]
    const w = grad((x: Tensor) => binaryCrossEntropyWithLogits(x, target, { posWeight: 3 }))(
      f64([0, 0]),
    );
    expectValues(w, [-0.75, 0.25], 1e-15);
  });

  it('binaryCrossEntropyWithLogits stays finite for large |x|', () => {
    const target = f64([1, 0, 1, 0]);
    const x = f64([800, 800, -800, -800]);
    const loss = binaryCrossEntropyWithLogits(x, target);
    expect(loss.item()).toBe(400);
    expectValues(
      grad((t: Tensor) => binaryCrossEntropyWithLogits(t, target))(x),
      [0, 0.25, -0.25, 0],
    );
  });

  it('softplus has the derivative σ(0) = ½ at 0', () => {
    expectValues(grad((x: Tensor) => softplus(x).sum())(f64([0])), [0.5], 1e-15);
  });

  it('pow(x, y) with a tensor exponent at x = 0', () => {
    // torch.pow(x, y) for x = [0, 0, 0, 2, 0, 0], y = [0, -1, 2, 0, -0.5, 0.5]
    const x = f64([0, 0, 0, 2, 0, 0]);
    const y = f64([0, -1, 2, 0, -0.5, 0.5]);
    const [gx, gy] = grad((a: Tensor, b: Tensor) => pow(a, b).sum(), { argnums: [0, 1] })(x, y);
    expect(Array.from(gx.data)).toEqual([0, -Infinity, 0, 0, -Infinity, Infinity]);
    expect(Array.from(gy.data)).toEqual([0, -Infinity, 0, Math.LN2, -Infinity, 0]);
  });

  it('clamp with min > max sets every element to max, with gradient 0', () => {
    const x = f64([0, 1.5, 3, NaN]);
    expect(Array.from(clamp(x, 2, 1).data)).toEqual([1, 1, 1, NaN]);
    expect(Array.from(x.clamp(2, 1).data)).toEqual([1, 1, 1, NaN]);
    const g = grad((t: Tensor) => clamp(t, 2, 1).sum())(f64([0, 1.5, 3]));
    expect(Array.from(g.data)).toEqual([0, 0, 0]);
  });
});
