import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index.js';
import { clipGradNorm, clipGradValue } from '../../src/optim/index.js';

/** Two float64 parameters with gradients [3, 4] and [[12]], and one without a gradient. */
function params(): Tensor[] {
  const a = tensor([0, 0], { dtype: 'float64', requiresGrad: true });
  const b = tensor([[0]], { dtype: 'float64', requiresGrad: true });
  const c = tensor([0], { dtype: 'float64', requiresGrad: true });
  a.grad = tensor([3, 4], { dtype: 'float64' });
  b.grad = tensor([[-12]], { dtype: 'float64' });
  return [a, b, c];
}

const grads = (ps: Tensor[]): number[] =>
  ps.flatMap((p) => (p.grad === null ? [] : Array.from(p.grad.data)));

describe('clipGradNorm', () => {
  it('returns the total 2-norm and scales every gradient by maxNorm / (norm + 1e-6)', () => {
    const ps = params();
    const norm = clipGradNorm(ps, 6.5);
    expect(norm).toBe(13); // √(9 + 16 + 144)
    const coef = 6.5 / (13 + 1e-6);
    expect(grads(ps)).toEqual([3 * coef, 4 * coef, -12 * coef]);
    expect(ps[2].grad).toBeNull();
    const after = Math.hypot(...grads(ps));
    expect(after).toBeLessThan(6.5);
    expect(after).toBeCloseTo(6.5, 6);
  });

  it('leaves gradients alone when their norm is within maxNorm', () => {
    const ps = params();
    expect(clipGradNorm(ps, 20)).toBe(13);
    expect(grads(ps)).toEqual([3, 4, -12]);
    expect(clipGradNorm(ps, Infinity)).toBe(13);
  });

  it('supports the infinity norm and other p-norms', () => {
    let ps = params();
    expect(clipGradNorm(ps, 6, Infinity)).toBe(12);
    expect(grads(ps)).toEqual([3, 4, -12].map((g) => g * (6 / (12 + 1e-6))));
    ps = params();
    expect(clipGradNorm(ps, 100, 1)).toBe(19);
    ps = params();
    expect(clipGradNorm(ps, 100, 3)).toBeCloseTo((27 + 64 + 1728) ** (1 / 3), 12);
  });

  it('accepts a single tensor; with no gradients the norm is 0', () => {
    const ps = params();
    expect(clipGradNorm(ps[0], 1)).toBe(5);
    expect(grads([ps[0]])).toEqual([3 / (5 + 1e-6), 4 / (5 + 1e-6)]);
    expect(clipGradNorm([ps[2]], 1)).toBe(0);
  });

  it('works on float32 gradients in place', () => {
    const w = tensor([0, 0], { requiresGrad: true });
    w.grad = tensor([30, 40]);
    const g = w.grad;
    expect(clipGradNorm([w], 1)).toBe(50);
    expect(w.grad).toBe(g);
    expect(Array.from(g.data)).toEqual([30, 40].map((v) => Math.fround(v * (1 / (50 + 1e-6)))));
  });

  it('non-finite norms: NaN spreads as in PyTorch, or an error on request', () => {
    const w = tensor([0, 0], { dtype: 'float64', requiresGrad: true });
    w.grad = tensor([NaN, 1], { dtype: 'float64' });
    expect(() => clipGradNorm([w], 1, 2, true)).toThrow(
      'clipGradNorm: the total norm of order 2 of the gradients is NaN',
    );
    expect(Number.isNaN(clipGradNorm([w], 1))).toBe(true);
    expect(grads([w]).every(Number.isNaN)).toBe(true);
  });

  it('refuses bad arguments', () => {
    expect(() => clipGradNorm(params(), -1)).toThrow(
      'clipGradNorm: maxNorm must be a number >= 0, got -1',
    );
    expect(() => clipGradNorm(params(), 1, 0)).toThrow(
      'clipGradNorm: normType must be a positive number or Infinity, got 0',
    );
    expect(() => clipGradNorm([1] as unknown as Tensor[], 1)).toThrow(
      'clipGradNorm: parameter 0 is not a Tensor, got 1',
    );
  });
});

describe('clipGradValue', () => {
  it('limits every gradient element to [−clipValue, clipValue]', () => {
    const ps = params();
    clipGradValue(ps, 3.5);
    expect(grads(ps)).toEqual([3, 3.5, -3.5]);
    expect(ps[2].grad).toBeNull();
  });

  it('keeps NaN and refuses a negative clipValue', () => {
    const w = tensor([0, 0], { dtype: 'float64', requiresGrad: true });
    w.grad = tensor([NaN, -7], { dtype: 'float64' });
    clipGradValue(w, 2);
    expect(grads([w])).toEqual([NaN, -2]);
    expect(() => clipGradValue([w], -1)).toThrow(
      'clipGradValue: clipValue must be a number >= 0, got -1',
    );
  });
});
