import { describe, expect, it } from 'vitest';
import {
  crossEntropy,
  emptyCache,
  manualSeed,
  memoryStats,
  noGrad,
  nllLoss,
  randn,
  tensor,
  type Tensor,
} from '../../src/index.js';

// The fused softmax cross-entropy (ops/cross-entropy.ts) against the loss composed of
// log-softmax, gather and a sum, which nllLoss still computes.

function labels(n: number, c: number): Tensor {
  return tensor(
    Array.from({ length: n }, (_, i) => (i * 7 + 3) % c),
    { dtype: 'int32' },
  );
}

function lossAndGrad(fn: (x: Tensor) => Tensor, x0: Tensor): [number, number[]] {
  const x = x0.detach().requiresGrad_();
  const loss = fn(x);
  loss.backward();
  return [loss.item(), Array.from(x.grad!.data)];
}

describe('fused cross-entropy', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [n, c] of [
      [1, 1],
      [3, 5],
      [128, 10],
      [16, 1000],
    ]) {
      it(`gives the composed loss and gradient (${dtype}, [${n}, ${c}])`, () => {
        manualSeed(n * c);
        const x = randn([n, c], { dtype }).mul(3);
        const y = labels(n, c);
        const tol = dtype === 'float32' ? 1e-5 : 1e-12;
        for (const reduction of ['mean', 'sum'] as const) {
          const [fused, gFused] = lossAndGrad((v) => crossEntropy(v, y, { reduction }), x);
          const [composed, gComposed] = lossAndGrad(
            (v) => nllLoss(v.logSoftmax(1), y, { reduction }),
            x,
          );
          expect(Math.abs(fused - composed)).toBeLessThanOrEqual(tol * Math.max(1, composed));
          gFused.forEach((g, k) => expect(Math.abs(g - gComposed[k])).toBeLessThanOrEqual(tol));
        }
      });
    }
  }

  it('sums the gradients of backward passes over a retained graph', () => {
    const x = tensor([[1, 2, 3]], { requiresGrad: true, dtype: 'float64' });
    const loss = crossEntropy(x, tensor([2], { dtype: 'int32' }));
    loss.backward({ retainGraph: true });
    const once = Array.from(x.grad!.data);
    loss.backward();
    Array.from(x.grad!.data).forEach((g, k) => expect(g).toBeCloseTo(2 * once[k], 14));
    // softmax([1, 2, 3]) − [0, 0, 1]
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0] + e[1] + e[2];
    expect(once[0]).toBeCloseTo(e[0] / s, 14);
    expect(once[2]).toBeCloseTo(e[2] / s - 1, 14);
  });

  it('leaves the uncommon cases to the composed loss, with its checks', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [0, 0, 0],
      ],
      { requiresGrad: true },
    );
    // An ignored label: the mean is over the other sample only.
    const ignored = crossEntropy(x, tensor([2, -100], { dtype: 'int32' }));
    expect(ignored.gradFn?.name).not.toBe('SoftmaxCrossEntropyBackward');
    expect(ignored.item()).toBeCloseTo(
      -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3))),
      6,
    );
    expect(() => crossEntropy(x, tensor([3, 0], { dtype: 'int32' }))).toThrow(
      'crossEntropy: label 3 at index 0 is out of range for 3 classes (expected 0 to 2)',
    );
    expect(() =>
      crossEntropy(x, tensor([0, 1], { dtype: 'int32' }), { reduction: 'max' as 'sum' }),
    ).toThrow("crossEntropy: reduction must be 'mean', 'sum' or 'none'");
    expect(crossEntropy(x, tensor([0, 1], { dtype: 'int32' })).gradFn?.name).toBe(
      'SoftmaxCrossEntropyBackward',
    );
  });

  it('recycles its log-probabilities when no node keeps them', () => {
    const x = randn([64, 1000]);
    const y = labels(64, 1000);
    emptyCache();
    const before = memoryStats().releasedBytes;
    noGrad(() => crossEntropy(x, y));
    expect(memoryStats().releasedBytes - before).toBe(64 * 1000 * 4);
    const w = x.detach().requiresGrad_();
    const loss = crossEntropy(w, y);
    loss.backward();
    expect(memoryStats().releasedBytes - before).toBeGreaterThanOrEqual(2 * 64 * 1000 * 4);
  });
});
