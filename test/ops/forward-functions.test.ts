import { describe, expect, it } from 'vitest';
import { log1p, maximum, minimum, softplus, tensor } from '../../src/index.js';
import { expectValues } from '../helpers.js';
import { expectTyped, f64, int } from './forward-helpers.js';

// Forward values of the element-wise functions: unary functions, activations, clamp, maximum and
// minimum.

describe('unary functions', () => {
  it('exp, log, sqrt', () => {
    expectValues(tensor([0, 1, -1]).exp(), [1, Math.E, 1 / Math.E]);
    expectValues(tensor([1, Math.E, 0, -1]).log(), [0, 1, -Infinity, NaN]);
    expectValues(tensor([0, 4, 2, -1]).sqrt(), [0, 2, Math.SQRT2, NaN]);
    expectValues(f64([1e-300]).log(), [Math.log(1e-300)], 1e-12);
  });

  it('log1p keeps the digits of small x that log(1 + x) loses', () => {
    const small = f64([1e-10, -1e-12, 1e-300]).log1p();
    // ln(1 + x) = x − x²/2 + …: for these x the result is x to double precision.
    expect(Array.from(small.data)).toEqual([1e-10 - 5e-21, -1e-12 - 5e-25, 1e-300]);
    expectValues(tensor([0, 1, Math.E - 1, -1, -2]).log1p(), [0, Math.LN2, 1, -Infinity, NaN]);
    expect(log1p(int([0, 1])).dtype).toBe('float32');
  });

  it('softplus as PyTorch: (1/β)·log(1 + e^(βx)), x itself where βx > threshold', () => {
    // torch.nn.functional.softplus(torch.tensor([0., 1., -30., 19., 21.], dtype=torch.float64))
    const y = softplus(f64([0, 1, -30, 19, 21]));
    const want = [Math.LN2, 1.3132616875182228, 9.357622968839737e-14, 19.000000005602796, 21];
    y.data.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-15 * want[i]));
    // beta = 2, threshold = 1: 0.5·log(1 + e^0.8) at 0.4, x itself at 0.6 (βx = 1.2 > 1)
    expectValues(
      f64([0.4, 0.6, -1]).softplus({ beta: 2, threshold: 1 }),
      [0.5 * Math.log(1 + Math.exp(0.8)), 0.6, 0.5 * Math.log(1 + Math.exp(-2))],
      1e-15,
    );
    // No overflow without the switch, and large negative x underflows gracefully.
    expectValues(f64([1000, -1000]).softplus({ threshold: Infinity }), [1000, 0]);
    expect(softplus(int([0])).dtype).toBe('float32');
    expect(() => softplus(f64([1]), { beta: 0 })).toThrow(/^softplus: beta must be a positive/);
  });

  it('abs, sign (NaN stays NaN), neg', () => {
    expectValues(tensor([-2, 0, 3.5]).abs(), [2, 0, 3.5]);
    expectValues(tensor([-2, 0, 3.5, NaN]).sign(), [-1, 0, 1, NaN]);
  });

  it('sin and cos', () => {
    const t = f64([0, Math.PI / 2, Math.PI, -Math.PI / 6]);
    expectValues(t.sin(), [0, 1, 0, -0.5], 1e-12);
    expectValues(t.cos(), [1, 0, -1, Math.sqrt(3) / 2], 1e-12);
  });

  it('tanh and sigmoid, exact values', () => {
    expectValues(tensor([0, 1, -1, 100, -100]).tanh(), [0, Math.tanh(1), -Math.tanh(1), 1, -1]);
    expectValues(tensor([0, 2, -2]).sigmoid(), [
      0.5,
      1 / (1 + Math.exp(-2)),
      1 / (1 + Math.exp(2)),
    ]);
  });

  it('sigmoid stays finite and in [0, 1] at large |x|', () => {
    for (const t of [
      tensor([100, -100, 1000, -1000, 1e30, -1e30]),
      f64([100, -100, 1000, -1000]),
    ]) {
      const s = t.sigmoid();
      expect(Array.from(s.data).every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
      expect(s.data[0]).toBe(1);
      expect(s.data[1]).toBeLessThan(1e-40);
    }
    expect(f64([-100]).sigmoid().data[0]).toBeCloseTo(Math.exp(-100), 50);
  });

  it('square, reciprocal', () => {
    expectValues(tensor([-3, 0.5, 2]).square(), [9, 0.25, 4]);
    expectValues(tensor([1, 2, 4, -0.5]).reciprocal(), [1, 0.5, 0.25, -2]);
    expectValues(tensor([0]).reciprocal(), [Infinity]);
    expect(int([2, 4]).reciprocal().dtype).toBe('float32');
    expectValues(int([2, 4]).reciprocal(), [0.5, 0.25]);
  });
});

describe('activations', () => {
  const x = tensor([-2, -0.5, 0, 0.5, 2]);

  it('relu', () => {
    expectValues(x.relu(), [0, 0, 0, 0.5, 2]);
  });

  it('leakyRelu (default slope 0.01, or given)', () => {
    expectValues(x.leakyRelu(), [-0.02, -0.005, 0, 0.5, 2]);
    expectValues(x.leakyRelu(0.2), [-0.4, -0.1, 0, 0.5, 2]);
  });

  it('step is 1 only where x > 0 (step(0) = 0)', () => {
    expectValues(x.step(), [0, 0, 0, 1, 1]);
    expectValues(tensor([-0]).step(), [0]);
  });
});

describe('clamp, maximum, minimum', () => {
  it('clamp limits to [min, max], either bound optional; NaN passes through', () => {
    const x = tensor([-2, 0.5, 2, NaN]);
    expectValues(x.clamp(-1, 1), [-1, 0.5, 1, NaN]);
    expectValues(x.clamp(0), [0, 0.5, 2, NaN]);
    expectValues(x.clamp(null, 1), [-2, 0.5, 1, NaN]);
    expectValues(x.clamp(undefined, 0), [-2, 0, 0, NaN]);
    expectTyped(int([-5, 3, 9]).clamp(0, 5), 'int32', [0, 3, 5]);
  });

  it('maximum and minimum, with tensors, numbers and broadcasting', () => {
    const a = tensor([1, 5, 3]);
    const b = tensor([4, 2, 3]);
    expectValues(a.maximum(b), [4, 5, 3]);
    expectValues(a.minimum(b), [1, 2, 3]);
    expectValues(maximum(tensor([-1, 0, 2]), 0), [0, 0, 2]);
    expectValues(minimum(1, tensor([-1, 0, 2])), [-1, 0, 1]);
    expectValues(tensor([[1], [4]]).maximum(tensor([2, 3])), [
      [2, 3],
      [4, 4],
    ]);
  });

  it('maximum and minimum propagate NaN from either side', () => {
    expectValues(tensor([NaN, 1]).maximum(tensor([1, NaN])), [NaN, NaN]);
    expectValues(tensor([NaN, 1]).minimum(tensor([1, NaN])), [NaN, NaN]);
  });
});
