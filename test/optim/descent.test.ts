import { describe, expect, it } from 'vitest';
import { Generator, randn, tensor, type Tensor } from '../../src/index.js';
import { Parameter } from '../../src/nn/parameter.js';
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  RMSprop,
  SGD,
  type Optimizer,
} from '../../src/optim/index.js';

/** An elongated bowl, f(x, y) = (x − 1)² + 10·(y + 2)², smallest (0) at (1, −2). */
const target = tensor([1, -2], { dtype: 'float64' });
const scale = tensor([1, 10], { dtype: 'float64' });
const bowl = (w: Tensor): Tensor => w.sub(target).square().mul(scale).sum();

/** Rosenbrock's valley, f(x, y) = (1 − x)² + 100·(y − x²)², smallest (0) at (1, 1). */
function rosenbrock(w: Tensor): Tensor {
  const x = w.get(0);
  const y = w.get(1);
  return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
}

/** Runs `steps` of zeroGrad / backward / step from (−1.5, 2); returns the losses and the end point. */
function descend(
  make: (p: Tensor[]) => Optimizer,
  f: (w: Tensor) => Tensor,
  steps: number,
): { losses: number[]; w: number[] } {
  const w = tensor([-1.5, 2], { dtype: 'float64', requiresGrad: true });
  const opt = make([w]);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = f(w);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  losses.push(f(w).item());
  return { losses, w: Array.from(w.data) };
}

describe('descent with autograd', () => {
  it.each([
    ['SGD', (p: Tensor[]) => new SGD(p, { lr: 0.04 }), 300, 1e-12],
    ['SGD momentum', (p: Tensor[]) => new SGD(p, { lr: 0.02, momentum: 0.9 }), 300, 1e-10],
    [
      'SGD nesterov',
      (p: Tensor[]) => new SGD(p, { lr: 0.02, momentum: 0.9, nesterov: true }),
      300,
      1e-12,
    ],
    ['Adagrad', (p: Tensor[]) => new Adagrad(p, { lr: 0.5 }), 300, 1e-9],
    ['RMSprop', (p: Tensor[]) => new RMSprop(p, { lr: 0.01 }), 1000, 1e-12],
    [
      'RMSprop centered momentum',
      (p: Tensor[]) => new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.5 }),
      1000,
      1e-6,
    ],
    ['Adam', (p: Tensor[]) => new Adam(p, { lr: 0.05 }), 300, 1e-8],
    ['Adam amsgrad', (p: Tensor[]) => new Adam(p, { lr: 0.05, amsgrad: true }), 300, 1e-6],
    ['AdamW', (p: Tensor[]) => new AdamW(p, { lr: 0.05 }), 1000, 5e-3],
  ])('%s reaches the bottom of a bowl', (_name, make, steps, tol) => {
    const { losses, w } = descend(make, bowl, steps);
    expect(losses[0]).toBeCloseTo(2.5 ** 2 + 10 * 4 ** 2, 10);
    expect(losses[losses.length - 1]).toBeLessThan(tol);
    expect(w[0]).toBeCloseTo(1, 1);
    expect(w[1]).toBeCloseTo(-2, 1);
    // it stays down: every loss of the second half is below a thousandth of the first
    expect(Math.max(...losses.slice(steps / 2))).toBeLessThan(losses[0] * 1e-3);
  });

  it.each([
    ['Adam', (p: Tensor[]) => new Adam(p, { lr: 0.02 }), 3000],
    ['SGD momentum', (p: Tensor[]) => new SGD(p, { lr: 0.001, momentum: 0.9 }), 3000],
  ])('%s finds the minimum of Rosenbrock’s valley', (_name, make, steps) => {
    const { losses, w } = descend(make, rosenbrock, steps);
    expect(losses[0]).toBeCloseTo(2.5 ** 2 + 100 * 0.25 ** 2, 10);
    expect(losses[losses.length - 1]).toBeLessThan(1e-8);
    expect(w[0]).toBeCloseTo(1, 3);
    expect(w[1]).toBeCloseTo(1, 3);
  });

  it('fits a float32 least-squares problem with Parameters and a schedule', () => {
    const x = randn([64, 3], { generator: new Generator(7) });
    const trueW = tensor([[2], [-1], [0.5]]);
    const y = x.matmul(trueW);
    const w = new Parameter(tensor([[0], [0], [0]]));
    const opt = new Adam([w], { lr: 0.1 });
    const sched = new CosineAnnealingLR(opt, { tMax: 300 });
    let first = 0;
    let last = 0;
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      const loss = x.matmul(w).sub(y).square().mean();
      loss.backward();
      opt.step();
      sched.step();
      if (i === 0) first = loss.item();
      last = loss.item();
    }
    expect(w.dtype).toBe('float32');
    expect(last).toBeLessThan(first * 1e-6);
    Array.from(w.data).forEach((v, i) => expect(v).toBeCloseTo([2, -1, 0.5][i], 3));
  });
});
