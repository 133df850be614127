import { afterEach, describe, expect, it } from 'vitest';
import {
  Adam,
  clipGradNorm,
  crossEntropy,
  emptyCache,
  manualSeed,
  memoryStats,
  mlp,
  randint,
  randn,
  SGD,
  type Module,
  type Optimizer,
  type Tensor,
} from '../../src/index.js';

// Clearing a gradient nothing outside the library holds (zeroGrad, a second backward adding into
// it) gives its storage to the caching allocator; a gradient read through `.grad` is never reused.

afterEach(() => emptyCache());

/** The bytes of the gradients the cache takes (arrays over 64 bytes: not the last bias's 40). */
const GRAD_BYTES = (784 * 64 + 64 + 64 * 10) * 4;

function setup(make: (m: Module) => Optimizer): { model: Module; opt: Optimizer } {
  manualSeed(5);
  const model = mlp([784, 64, 10], { activation: 'relu' });
  return { model, opt: make(model) };
}

function step(model: Module, opt: Optimizer, x: Tensor, y: Tensor): void {
  opt.zeroGrad();
  crossEntropy(model.forward(x), y).backward();
  clipGradNorm(model.parameters(), 10);
  opt.step();
}

/** The parameters after `steps` steps, and the bytes the cache served again meanwhile. */
function train(
  make: (m: Module) => Optimizer,
  steps: number,
  peek: boolean,
): { weights: Float32Array[]; reused: number } {
  const { model, opt } = setup(make);
  manualSeed(6);
  const x = randn([32, 784]);
  const y = randint(0, 10, [32]);
  emptyCache();
  const before = memoryStats().reusedBytes;
  for (let i = 0; i < steps; i++) {
    step(model, opt, x, y);
    // Reading `.grad` hands the gradient out: it must then never be reused.
    if (peek) for (const p of model.parameters()) void p.grad;
  }
  const weights = model.parameters().map((p) => (p.data as Float32Array).slice());
  return { weights, reused: memoryStats().reusedBytes - before };
}

describe("cleared gradients' storage", () => {
  it.each([
    [
      'SGD with momentum',
      (m: Module): Optimizer => new SGD(m.parameters(), { lr: 0.05, momentum: 0.9 }),
    ],
    ['Adam', (m: Module): Optimizer => new Adam(m.parameters(), { lr: 1e-3 })],
  ])(
    'is reused by the next step (%s), with the same weights as when the gradients are read',
    (_, make) => {
      const reused = train(make, 5, false);
      const read = train(make, 5, true);
      expect(reused.weights).toEqual(read.weights);
      // Four steps after the first each take every parameter's gradient from the cache.
      expect(reused.reused - read.reused).toBeGreaterThanOrEqual(4 * GRAD_BYTES);
    },
  );

  it('never reuses a gradient the user read: its values stay as they were', () => {
    const { model, opt } = setup((m) => new SGD(m.parameters(), { lr: 0.1 }));
    manualSeed(7);
    const x = randn([16, 784]);
    const y = randint(0, 10, [16]);
    step(model, opt, x, y);
    const held = model.parameters()[0].grad!;
    const copy = held.data.slice();
    for (let i = 0; i < 3; i++) step(model, opt, randn([16, 784]), y);
    expect(held.data).toEqual(copy);
    expect(model.parameters()[0].grad!.data).not.toEqual(copy);
  });

  it('never reuses a gradient the user set, nor one replaced by a second backward once read', () => {
    const { model } = setup((m) => new SGD(m.parameters(), { lr: 0.1 }));
    const w = model.parameters()[0];
    const mine = randn(w.shape);
    const copy = mine.data.slice();
    w.grad = mine;
    model.zeroGrad();
    const x = randn([8, 784]);
    const y = randint(0, 10, [8]);
    crossEntropy(model.forward(x), y).backward();
    const first = w.grad!;
    const firstCopy = first.data.slice();
    crossEntropy(model.forward(x), y).backward(); // adds into .grad: a new tensor
    crossEntropy(model.forward(x), y).backward();
    expect(mine.data).toEqual(copy);
    expect(first.data).toEqual(firstCopy);
    const total = w.grad!.data;
    for (let i = 0; i < 8; i++) expect(total[i]).toBeCloseTo(3 * firstCopy[i], 5);
  });
});
