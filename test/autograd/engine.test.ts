import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import {
  detectAnomaly,
  grad,
  gradients,
  noGrad,
  enableGrad,
  isGradEnabled,
  setGradEnabled,
  valueAndGrad,
  ones,
  onesLike,
  randn,
  scalar,
  tensor,
  zeros,
} from '../../src/index.js';

const values = (t: Tensor | null): number[] => Array.from(t!.data);

describe('backward', () => {
  it('sums the gradients of a value used on several paths', () => {
    const x = scalar(3, { requiresGrad: true });
    // f = x·x + x·x·x + x: f' = 2x + 3x² + 1 = 34 at x = 3
    const f = x.mul(x).add(x.mul(x).mul(x)).add(x);
    f.backward();
    expect(x.grad!.item()).toBe(34);
  });

  it('accumulates .grad across calls until it is cleared', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(3).sum().backward();
    x.mul(3).sum().backward();
    expect(values(x.grad)).toEqual([6, 6]);
    x.grad = null;
    x.mul(3).sum().backward();
    expect(values(x.grad)).toEqual([3, 3]);
  });

  it('undoes broadcasting: each gradient has its input shape', () => {
    const a = randn([2, 3, 4], { requiresGrad: true });
    const b = randn([3, 1], { requiresGrad: true });
    const c = scalar(2, { requiresGrad: true });
    a.mul(b).add(c).sum().backward();
    expect(a.grad!.shape).toEqual([2, 3, 4]);
    expect(b.grad!.shape).toEqual([3, 1]);
    expect(c.grad!.shape).toEqual([]);
    expect(c.grad!.item()).toBe(24);
    // ∂/∂b[i] = Σ over the broadcast copies of a[·, i, ·]
    const expected = [0, 1, 2].map((i) => {
      let s = 0;
      for (let n = 0; n < 2; n++) for (let k = 0; k < 4; k++) s += a.data[n * 12 + i * 4 + k];
      return s;
    });
    values(b.grad).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
  });

  it('casts gradients back to the dtype of their input', () => {
    const x = tensor([1, 2], { requiresGrad: true }); // float32
    const y = tensor([3, 4], { dtype: 'float64', requiresGrad: true });
    const z = x.mul(y).sum(); // float64
    expect(z.dtype).toBe('float64');
    z.backward();
    expect(x.grad!.dtype).toBe('float32');
    expect(values(x.grad)).toEqual([3, 4]);
    expect(y.grad!.dtype).toBe('float64');
  });

  it('takes an explicit upstream gradient for a non-scalar', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x);
    y.backward(tensor([1, 0.5, 0]));
    expect(values(x.grad)).toEqual([2, 2, 0]);
    const x2 = tensor([1, 2], { requiresGrad: true });
    x2.exp().backward(onesLike(x2));
    values(x2.grad).forEach((v, i) => expect(v).toBeCloseTo(Math.exp(i + 1), 4));
  });

  it('refuses a non-scalar without a gradient, naming the shape', () => {
    const x = tensor([[1, 2]], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(
      /backward: called without a gradient on a tensor of shape \[1,2\]/,
    );
  });

  it('refuses a gradient of the wrong shape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward(ones([3]))).toThrow(
      /gradient has shape \[3\] but the tensor has shape \[2\]/,
    );
  });

  it('refuses a tensor that requires no gradient, saying why', () => {
    expect(() => tensor([1, 2]).sum().backward()).toThrow(
      /does not require a gradient: none of the tensors it was computed from has requiresGrad set/,
    );
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(() => y.sum().backward()).toThrow(
      /computed by mul, computed while gradients were off \(noGrad\)/,
    );
  });

  it('frees the graph unless retainGraph, and says so on a second pass', () => {
    const x = scalar(2, { requiresGrad: true });
    const y = x.mul(x).exp();
    y.backward({ retainGraph: true });
    y.backward();
    expect(x.grad!.item()).toBeCloseTo(2 * (2 * 2 * Math.exp(4)), 1); // two passes of d/dx e^(x²) = 2x·e^(x²)
    expect(() => y.backward()).toThrow(
      /graph a second time, but it was freed by an earlier backward\(\) \(at ExpBackward\).*retainGraph: true/,
    );
    expect(y.gradFn!.freed).toBe(true);
  });

  it('backpropagates through a chain of 1,000,000 operations without overflowing the stack', () => {
    const x = scalar(0.5, { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 1_000_000; i++) y = i % 2 === 0 ? y.mul(1) : y.add(1e-7);
    y.backward();
    expect(x.grad!.item()).toBe(1);
  });

  it('handles a wide fan-out and deep diamond graphs', () => {
    const x = scalar(1, { requiresGrad: true });
    // 200 stacked diamonds: y = (y·1 + y·1)/2 keeps the value and the derivative at 1 each level
    let y = x;
    for (let i = 0; i < 200; i++) y = y.mul(1).add(y.mul(1)).div(2);
    y.backward();
    expect(x.grad!.item()).toBeCloseTo(1, 6);
  });

  it('keeps gradients of non-leaves only with retainGrad', () => {
    const x = scalar(2, { requiresGrad: true });
    const h = x.mul(3).retainGrad();
    const g = h.mul(h);
    g.backward();
    expect(h.grad!.item()).toBe(12);
    expect(g.grad).toBeNull();
    expect(x.grad!.item()).toBe(36);
  });

  it('stored gradients do not alias other tensors', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    a.add(b).sum().backward();
    expect(a.grad).not.toBe(b.grad);
    a.grad!.data[0] = 100;
    expect(b.grad!.data[0]).toBe(1);
  });

  it('zero-size tensors backpropagate zeros of their shape', () => {
    const x = zeros([0, 3], { requiresGrad: true });
    x.sum().backward();
    expect(x.grad!.shape).toEqual([0, 3]);
  });
});

describe('noGrad, detach', () => {
  it('noGrad records nothing and restores the mode, also after a throw', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(isGradEnabled()).toBe(true);
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    expect(noGrad(() => enableGrad(() => x.mul(2))).requiresGrad).toBe(true);
  });

  it('noGrad refuses async functions', () => {
    expect(() => noGrad(async () => 1)).toThrow(/noGrad: the function returned a Promise/);
    expect(isGradEnabled()).toBe(true);
  });

  it('detach cuts the graph and shares the data', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.data).toBe(x.data);
    const y = x.mul(d).sum();
    y.backward();
    expect(values(x.grad)).toEqual([1, 2]);
  });

  it('requiresGrad can only be set on leaves', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => {
      x.mul(2).requiresGrad = false;
    }).toThrow(/can only be set on leaf tensors; this tensor was computed by MulBackward/);
  });
});

describe('gradients (torch.autograd.grad)', () => {
  it('returns gradients without touching .grad', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const [g] = gradients(x.pow(2).sum(), [x]);
    expect(values(g)).toEqual([2, 4, 6]);
    expect(x.grad).toBeNull();
  });

  it('reports unused inputs unless allowUnused', () => {
    const x = scalar(1, { requiresGrad: true });
    const y = scalar(2, { requiresGrad: true });
    expect(() => gradients(x.mul(2), [x, y])).toThrow(/input 1 .* was not used/);
    const [, gy] = gradients(x.mul(2), [x, y], { allowUnused: true });
    expect(gy.item()).toBe(0);
  });

  it('works with respect to intermediate tensors', () => {
    const x = scalar(2, { requiresGrad: true });
    const h = x.mul(3);
    const [gh] = gradients(h.mul(h), [h]);
    expect(gh.item()).toBe(12);
  });
});

describe('autograd entry points refuse arguments of the wrong sort by name', () => {
  it('noGrad, enableGrad, detectAnomaly, grad and gradients', () => {
    expect(() => noGrad(42 as never)).toThrow(/^noGrad: fn must be a function, got 42$/);
    expect(() => enableGrad(null as never)).toThrow(
      /^enableGrad: fn must be a function, got null$/,
    );
    expect(() => detectAnomaly('x' as never)).toThrow(
      /^detectAnomaly: fn must be a function, got "x"$/,
    );
    expect(() => grad(42 as never)).toThrow(/^grad: f must be a function, got 42$/);
    expect(() => valueAndGrad((x: Tensor) => x, { argnums: -1 as never })).toThrow(
      /^valueAndGrad: argnums must be an integer >= 0 or an array of them, got -1$/,
    );
    const x = tensor([1], { requiresGrad: true });
    expect(() => gradients(x.sum(), 42 as never)).toThrow(
      /^gradients: inputs must be a Tensor or an array of Tensors, got 42$/,
    );
  });

  it('setGradEnabled refuses a non-boolean and keeps the mode', () => {
    expect(() => setGradEnabled(1 as never)).toThrow(
      /^setGradEnabled: enabled must be true or false, got 1$/,
    );
    expect(isGradEnabled()).toBe(true);
  });
});
