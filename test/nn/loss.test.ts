import { describe, expect, it } from 'vitest';
import {
  BCELoss,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  CrossEntropyLoss,
  crossEntropy,
  gradcheck,
  mseLoss,
  nllLoss,
  randn,
  rand,
  tensor,
  type Tensor,
} from '../../src/index.js';

const labels = (v: number[]): Tensor => tensor(v, { dtype: 'int32' });
const f64 = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'float64' });

describe('losses: values', () => {
  it('mseLoss with each reduction', () => {
    expect(mseLoss(tensor([1, 2, 3]), tensor([1, 4, 0])).item()).toBeCloseTo(13 / 3, 6);
    expect(mseLoss(tensor([1, 2, 3]), tensor([1, 4, 0]), { reduction: 'sum' }).item()).toBe(13);
    expect(
      Array.from(mseLoss(tensor([1, 2, 3]), tensor([1, 4, 0]), { reduction: 'none' }).data),
    ).toEqual([0, 4, 9]);
    expect(() => mseLoss(tensor([[1], [2]]), tensor([1, 2]))).toThrow(
      /mseLoss: input shape \[2,1\] and target shape \[2\] differ/,
    );
  });

  it('crossEntropy = −log softmax at the label, stable for large logits', () => {
    expect(crossEntropy(f64([[2, 0, 0]]), labels([0])).item()).toBeCloseTo(
      Math.log(1 + 2 * Math.exp(-2)),
      12,
    );
    expect(crossEntropy(f64([[1000, 0, -1000]]), labels([1])).item()).toBeCloseTo(1000, 9);
    // mean over the batch
    const logits = f64([
      [1, 2, 3],
      [3, 1, 0],
    ]);
    const per = [
      Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1,
      Math.log(Math.exp(3) + Math.exp(1) + 1) - 3,
    ];
    expect(crossEntropy(logits, labels([0, 0])).item()).toBeCloseTo((per[0] + per[1]) / 2, 12);
    expect(Array.from(crossEntropy(logits, labels([0, 0]), { reduction: 'none' }).data)).toEqual(
      per.map((v) => expect.closeTo(v, 12)),
    );
    // unbatched
    expect(crossEntropy(f64([2, 0, 0]), labels([0]).reshape([])).item()).toBeCloseTo(
      Math.log(1 + 2 * Math.exp(-2)),
      12,
    );
  });

  it('crossEntropy with label smoothing, class weights, ignored labels and probability targets', () => {
    const lp = [2, 0, 0].map((v) => v - Math.log(Math.exp(2) + 2));
    const smooth = 0.9 * -lp[0] + (0.1 * -(lp[0] + lp[1] + lp[2])) / 3;
    expect(crossEntropy(f64([[2, 0, 0]]), labels([0]), { labelSmoothing: 0.1 }).item()).toBeCloseTo(
      smooth,
      12,
    );
    const logits = f64([
      [1, 2, 3],
      [3, 1, 0],
    ]);
    const l0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
    const l1 = Math.log(Math.exp(3) + Math.exp(1) + 1) - 1;
    expect(crossEntropy(logits, labels([0, 1]), { weight: f64([2, 1, 1]) }).item()).toBeCloseTo(
      (2 * l0 + l1) / 3,
      12,
    );
    expect(crossEntropy(logits, labels([0, -100])).item()).toBeCloseTo(l0, 12);
    expect(
      crossEntropy(
        logits,
        f64([
          [1, 0, 0],
          [0, 1, 0],
        ]),
      ).item(),
    ).toBeCloseTo((l0 + l1) / 2, 12);
  });

  it('crossEntropy refuses labels out of range, naming the label and the class count', () => {
    expect(() => crossEntropy(randn([4, 10]), labels([0, 3, 12, 1]))).toThrow(
      /crossEntropy: label 12 at index 2 is out of range for 10 classes/,
    );
    expect(() => crossEntropy(randn([4, 10]), labels([0, 1]))).toThrow(/expected 4 labels/);
    expect(() => crossEntropy(randn([4, 10]), tensor([0, 1, 2, 3]))).toThrow(
      /class labels must be an int32 tensor/,
    );
  });

  it('nllLoss picks −log p of the label', () => {
    expect(
      nllLoss(
        f64([
          [-0.1, -2.3],
          [-1.2, -0.4],
        ]),
        labels([1, 0]),
      ).item(),
    ).toBeCloseTo((2.3 + 1.2) / 2, 12);
  });

  it('binaryCrossEntropy clamps its logs at −100 as PyTorch', () => {
    const p = 0.8;
    expect(binaryCrossEntropy(f64([p]), f64([1])).item()).toBeCloseTo(-Math.log(p), 12);
    expect(binaryCrossEntropy(f64([0]), f64([1])).item()).toBe(100);
    expect(Math.abs(binaryCrossEntropy(f64([1]), f64([1])).item())).toBe(0);
    expect(() => binaryCrossEntropy(tensor([1.5]), tensor([1]))).toThrow(
      /must be probabilities in \[0, 1\]/,
    );
    expect(new BCELoss({ reduction: 'sum' }).call(f64([0.5, 0.5]), f64([1, 0])).item()).toBeCloseTo(
      2 * Math.log(2),
      12,
    );
  });

  it('binaryCrossEntropyWithLogits is stable at large logits and supports posWeight', () => {
    const sig = (x: number): number => 1 / (1 + Math.exp(-x));
    expect(binaryCrossEntropyWithLogits(f64([0.3]), f64([1])).item()).toBeCloseTo(
      -Math.log(sig(0.3)),
      12,
    );
    expect(binaryCrossEntropyWithLogits(f64([-800]), f64([1])).item()).toBeCloseTo(800, 9);
    expect(Math.abs(binaryCrossEntropyWithLogits(f64([800]), f64([1])).item())).toBe(0);
    expect(binaryCrossEntropyWithLogits(f64([0.3]), f64([1]), { posWeight: 3 }).item()).toBeCloseTo(
      -3 * Math.log(sig(0.3)),
      12,
    );
    expect(binaryCrossEntropyWithLogits(f64([0.3]), f64([0]), { posWeight: 3 }).item()).toBeCloseTo(
      -Math.log(1 - sig(0.3)),
      12,
    );
  });
});

describe('losses: gradients', () => {
  const cases: [string, (x: Tensor, t: Tensor) => Tensor, () => Tensor[]][] = [
    ['mseLoss', (x, t) => mseLoss(x, t), () => [randn([4, 3]), randn([4, 3])]],
    [
      'binaryCrossEntropy',
      (x, t) => binaryCrossEntropy(x, t),
      () => [rand([5], { low: 0.05, high: 0.95 }), rand([5])],
    ],
    [
      'binaryCrossEntropyWithLogits',
      (x, t) => binaryCrossEntropyWithLogits(x, t, { posWeight: 2 }),
      () => [randn([5]), rand([5])],
    ],
    ['crossEntropy', (x, t) => crossEntropy(x, t), () => [randn([4, 5]), labels([0, 4, 2, 2])]],
    [
      'crossEntropy smoothed',
      (x, t) => crossEntropy(x, t, { labelSmoothing: 0.2 }),
      () => [randn([4, 5]), labels([0, 4, 2, 2])],
    ],
    [
      'crossEntropy sum',
      (x, t) => new CrossEntropyLoss({ reduction: 'sum' }).call(x, t),
      () => [randn([3, 2]), labels([1, 0, 1])],
    ],
  ];
  it.each(cases)('%s passes gradcheck', (_name, f, inputs) => {
    for (let trial = 0; trial < 3; trial++) {
      const report = gradcheck(f, inputs());
      expect(report.passed, JSON.stringify(report)).toBe(true);
    }
  });

  it('the gradient of softmax cross-entropy is softmax − onehot (over the batch)', () => {
    const x = f64([[1, 2, 3]]).requiresGrad_();
    crossEntropy(x, labels([2])).backward();
    const e = [1, 2, 3].map(Math.exp);
    const z = e[0] + e[1] + e[2];
    Array.from(x.grad!.data).forEach((g, i) =>
      expect(g).toBeCloseTo(e[i] / z - (i === 2 ? 1 : 0), 12),
    );
  });
});

describe('losses: an unknown reduction is an error on every path', () => {
  const bad = { reduction: 'avg' } as unknown as { reduction: 'mean' };
  const logits = f64([
    [1, 2, 3],
    [0, 1, 0],
  ]);
  it('for class labels, weights and class-probability targets alike', () => {
    const message = /crossEntropy: reduction must be 'mean', 'sum' or 'none', got "avg"/;
    expect(() => crossEntropy(logits, labels([0, 2]), bad)).toThrow(message);
    expect(() => crossEntropy(logits, labels([0, 2]), { ...bad, labelSmoothing: 0.1 })).toThrow(
      message,
    );
    const probabilities = f64([
      [0.2, 0.3, 0.5],
      [1, 0, 0],
    ]);
    expect(() => crossEntropy(logits, probabilities, bad)).toThrow(message);
  });
  it('for the element-wise losses', () => {
    expect(() => mseLoss(f64([1]), f64([2]), bad)).toThrow(/mseLoss: reduction must be/);
  });
});
