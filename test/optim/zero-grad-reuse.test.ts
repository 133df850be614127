import { afterEach, describe, expect, it } from 'vitest';
import {
  emptyCache,
  manualSeed,
  memoryStats,
  mlp,
  randn,
  SGD,
  type Tensor,
} from '../../src/index.js';

// zeroGrad gives a gradient's storage to the caching allocator only when nothing but its
// parameter can hold it: one read through `grad` (or set by the user) is never reused.

afterEach(() => emptyCache());

function setup(): { w: Tensor; x: Tensor; opt: SGD } {
  manualSeed(1);
  const w = randn([32, 32], { requiresGrad: true });
  return { w, x: randn([8, 32]), opt: new SGD([w], { lr: 0.1 }) };
}

const loss = (x: Tensor, w: Tensor): Tensor => x.matmul(w).tanh().sum();

describe('zeroGrad and the caching allocator', () => {
  it('releases a gradient nobody read, and the next backward pass reuses it', () => {
    const { w, x, opt } = setup();
    loss(x, w).backward();
    opt.step();
    const before = memoryStats();
    opt.zeroGrad();
    expect(memoryStats().releasedBytes - before.releasedBytes).toBe(32 * 32 * 4);
    loss(x, w).backward();
    expect(memoryStats().reusedBytes - before.reusedBytes).toBeGreaterThanOrEqual(32 * 32 * 4);
  });

  it('never reuses a gradient read through grad, or set by the user', () => {
    const { w, x, opt } = setup();
    loss(x, w).backward();
    const g = w.grad!;
    const copy = g.data.slice();
    opt.zeroGrad();
    expect(w.grad).toBeNull();
    for (let i = 0; i < 3; i++) {
      loss(x, w).backward();
      opt.step();
      opt.zeroGrad(); // the gradients of these steps are released: never g
    }
    expect(g.data).toEqual(copy);
    const mine = randn([32, 32]);
    const mineCopy = mine.data.slice();
    w.grad = mine;
    opt.zeroGrad();
    loss(x, w).backward();
    expect(mine.data).toEqual(mineCopy);
  });

  it('trains to the same bits whether or not the gradients are read', () => {
    const run = (read: boolean): Float32Array => {
      manualSeed(2);
      const model = mlp([4, 16, 3], { activation: 'tanh' });
      const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const x = randn([10, 4]);
      for (let i = 0; i < 5; i++) {
        opt.zeroGrad();
        model.call(x).square().mean().backward();
        if (read) for (const p of model.parameters()) expect(p.grad).not.toBeNull();
        opt.step();
      }
      return Float32Array.from(model.parameters().flatMap((p) => Array.from(p.data)));
    };
    expect(run(false)).toEqual(run(true));
  });
});
