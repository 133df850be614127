import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { grad, gradients, matmul, randn, scalar, tensor, valueAndGrad } from '../../src/index.js';

const values = (t: Tensor): number[] => Array.from(t.data);

describe('higher-order gradients', () => {
  it('grad(grad(f)) of x³ is 6x', () => {
    const f = (x: Tensor): Tensor => x.pow(3);
    const d1 = grad(f);
    const d2 = grad(d1);
    const d3 = grad(d2);
    for (const x of [-1.5, 0, 2]) {
      expect(d1(scalar(x, { dtype: 'float64' })).item()).toBeCloseTo(3 * x * x, 10);
      expect(d2(scalar(x, { dtype: 'float64' })).item()).toBeCloseTo(6 * x, 10);
      expect(d3(scalar(x, { dtype: 'float64' })).item()).toBeCloseTo(6, 10);
    }
  });

  it('second derivatives of tanh, sigmoid, exp·sin', () => {
    const x = 0.7;
    const t = Math.tanh(x);
    expect(grad(grad((v: Tensor) => v.tanh()))(scalar(x, { dtype: 'float64' })).item()).toBeCloseTo(
      -2 * t * (1 - t * t),
      10,
    );
    const s = 1 / (1 + Math.exp(-x));
    expect(
      grad(grad((v: Tensor) => v.sigmoid()))(scalar(x, { dtype: 'float64' })).item(),
    ).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 10);
    // (eˣ sin x)'' = 2 eˣ cos x
    expect(
      grad(grad((v: Tensor) => v.exp().mul(v.sin())))(scalar(x, { dtype: 'float64' })).item(),
    ).toBeCloseTo(2 * Math.exp(x) * Math.cos(x), 10);
  });

  it('backward({ createGraph: true }) makes .grad differentiable', () => {
    const x = scalar(2, { requiresGrad: true, dtype: 'float64' });
    x.pow(4).backward({ createGraph: true });
    const g = x.grad!;
    expect(g.item()).toBe(32); // 4x³
    expect(g.requiresGrad).toBe(true);
    const [g2] = gradients(g, [x]);
    expect(g2.item()).toBe(48); // 12x²
  });

  it('Hessian-vector products match the explicit Hessian', () => {
    // f(x) = Σ (A x)² ⋅ ½ + Σ x⁴: H = AᵀA + diag(12 x²)
    const A = randn([3, 3], { dtype: 'float64' });
    const f = (x: Tensor): Tensor => matmul(A, x).square().sum().mul(0.5).add(x.pow(4).sum());
    const x = tensor([0.5, -1, 2], { dtype: 'float64' });
    const v = tensor([1, 2, -1], { dtype: 'float64' });
    const hvp = grad((y: Tensor) => grad(f)(y).mul(v).sum())(x);
    const a = A.toArray() as number[][];
    const xs = [0.5, -1, 2];
    const vs = [1, 2, -1];
    const expected = xs.map((xi, i) => {
      let s = 12 * xi * xi * vs[i];
      for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) s += a[k][i] * a[k][j] * vs[j];
      return s;
    });
    values(hvp).forEach((h, i) => expect(h).toBeCloseTo(expected[i], 8));
  });

  it('grad over several arguments with argnums, and valueAndGrad', () => {
    const f = (x: Tensor, y: Tensor): Tensor => x.mul(y).add(y.square()).sum();
    const x = tensor([1, 2]);
    const y = tensor([3, 4]);
    expect(values(grad(f)(x, y))).toEqual([3, 4]);
    const [gx, gy] = grad(f, { argnums: [0, 1] })(x, y);
    expect(values(gx)).toEqual([3, 4]);
    expect(values(gy)).toEqual([7, 10]);
    const [value, dy] = valueAndGrad(f, { argnums: 1 })(x, y);
    expect(value.item()).toBe(3 + 8 + 9 + 16);
    expect(values(dy)).toEqual([7, 10]);
    expect(value.requiresGrad).toBe(false);
    // The arguments are not changed: no .grad, no requiresGrad.
    expect(x.grad).toBeNull();
    expect(x.requiresGrad).toBe(false);
  });

  it('mixed partial derivatives: ∂²(x²y³)/∂x∂y = 6xy²', () => {
    const f = (x: Tensor, y: Tensor): Tensor => x.square().mul(y.pow(3));
    const dxdy = grad((x: Tensor, y: Tensor) => grad(f, { argnums: 0 })(x, y), { argnums: 1 });
    expect(
      dxdy(scalar(2, { dtype: 'float64' }), scalar(3, { dtype: 'float64' })).item(),
    ).toBeCloseTo(6 * 2 * 9, 10);
  });

  it('a function that does not depend on its argument has a zero gradient', () => {
    expect(grad((_x: Tensor) => scalar(3))(scalar(1)).item()).toBe(0);
    expect(grad(grad((x: Tensor) => x.mul(5)))(scalar(1)).item()).toBe(0);
  });

  it('grad explains what it needs', () => {
    expect(() => grad((x: Tensor) => x.mul(2))(tensor([1, 2]))).toThrow(
      /grad: the function must return a tensor with one element \(a scalar\), got shape \[2\]/,
    );
    expect(() => grad((x: Tensor) => x.sum(), { argnums: 3 })(tensor([1]))).toThrow(
      /argnums 3 is out of range/,
    );
    expect(() => grad((x: Tensor) => x.sum())(tensor([1], { dtype: 'int32' }))).toThrow(/int32/);
  });
});
