import { describe, expect, it } from 'vitest';
import {
  CosineEmbeddingLoss,
  cosineEmbeddingLoss,
  crossEntropy,
  HuberLoss,
  huberLoss,
  KLDivLoss,
  klDiv,
  L1Loss,
  l1Loss,
  nllLoss,
  SmoothL1Loss,
  smoothL1Loss,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { expectValues, type Nested } from '../helpers.js';

// The losses of issue 15 and cross-entropy on [N, C, d1, …] inputs, against the values torch
// 1.13 gives for the same inputs (written here as literals).

const f64 = (v: Nested, shape?: number[]): Tensor => tensor(v, { dtype: 'float64', shape });
const labels = (v: Nested): Tensor => tensor(v, { dtype: 'int32' });
const a = (): Tensor => f64([0.5, -1.2, 2.0, 0.1]);
const b = (): Tensor => f64([0.4, 0.3, -0.5, 0.1]);
const X = (): Tensor =>
  f64([
    [0.5, -1.2, 2.0],
    [1.5, 0.3, -0.7],
  ]);

describe('regression and distribution losses', () => {
  it('l1, smooth L1 (beta), Huber (delta), as torch', () => {
    expectValues(l1Loss(a(), b()), 1.025, 1e-12);
    expectValues(smoothL1Loss(a(), b(), { beta: 0.5 }), 0.8775, 1e-12);
    expectValues(
      smoothL1Loss(a(), b(), { beta: 0.5, reduction: 'none' }),
      [0.01, 1.25, 2.25, 0],
      1e-12,
    );
    expectValues(smoothL1Loss(a(), b(), { beta: 0 }), 1.025, 1e-12);
    expectValues(huberLoss(a(), b(), { delta: 2, reduction: 'sum' }), 4.13, 1e-12);
    expectValues(new L1Loss().forward(a(), b()), 1.025, 1e-12);
    expectValues(new SmoothL1Loss({ beta: 0.5 }).forward(a(), b()), 0.8775, 1e-12);
    expectValues(new HuberLoss({ delta: 2, reduction: 'sum' }).forward(a(), b()), 4.13, 1e-12);
    expect(() => huberLoss(a(), b(), { delta: 0 })).toThrow(/huberLoss: delta must be a positive/);
  });

  it('klDiv with each reduction and logTarget, as torch', () => {
    const lp = X().logSoftmax(1);
    const t = f64([
      [0.2, 0.8, 0],
      [0.5, 0.25, 0.25],
    ]);
    expectValues(klDiv(lp, t), 0.4581797032358678, 1e-12);
    expectValues(klDiv(lp, t, { reduction: 'batchmean' }), 1.3745391097076034, 1e-12);
    expectValues(new KLDivLoss({ reduction: 'sum' }).forward(lp, t), 2.749078219415207, 1e-12);
    const logT = f64([
      [1, 2, 3],
      [0, 0, 1],
    ]).logSoftmax(1);
    const kl = klDiv(lp, logT, { reduction: 'batchmean', logTarget: true });
    expectValues(kl, 0.6057209927717007, 1e-12);
  });

  it('cosineEmbeddingLoss with a margin: value and gradient, as torch', () => {
    const x1 = X().requiresGrad_(true);
    const x2 = f64([
      [1, 0, 1],
      [0, 2, 1],
    ]);
    const loss = cosineEmbeddingLoss(x1, x2, labels([1, -1]), { margin: -0.5 });
    expectValues(loss, 0.36616472636087494, 1e-12);
    loss.backward();
    expectValues(
      x1.grad!,
      [
        [-0.1156563752317619, -0.07814619948090261, -0.017973625880633642],
        [0.0070452532334498545, 0.2672499393222917, 0.12963265949552427],
      ],
      1e-10,
    );
    const module = new CosineEmbeddingLoss({ margin: -0.5 });
    expectValues(module.forward(X(), x2, labels([1, -1])), 0.36616472636087494, 1e-12);
  });
});

/** torch.randn(2, 3, 2, 2) with seed 0, in float64. */
const K_LOGITS = [
  -2.310411800234176, -0.3732508612577643, -1.0608166785462863, 0.9995093547811761,
  -0.8840250045832653, -1.2755469302148053, -0.623224579866079, -0.8664416019125772,
  0.23871805816817063, 0.7335283685272841, -1.3218818291421377, 1.3148113651971234,
  -1.4874956356507338, -0.7135753396468577, 0.519998663178938, -0.9528856397032842,
  0.6748575435940039, 1.0468653769814655, 0.15429517864658948, -0.7498915228391941,
  -0.7233897004977882, 0.08636989238234997, -1.746404903728242, 1.041012457033509,
];
const kLogits = (): Tensor => f64(K_LOGITS, [2, 3, 2, 2]);
const kLabels = (): Tensor =>
  labels([
    [
      [0, 1],
      [2, -100],
    ],
    [
      [1, 1],
      [0, 2],
    ],
  ]);

describe('cross-entropy and NLL on [N, C, d1, …] (segmentation)', () => {
  it('per position and reduced, with weights, an ignored label and smoothing, as torch', () => {
    const none = crossEntropy(kLogits(), kLabels(), { reduction: 'none' });
    expectValues(
      none,
      [
        [
          [2.888124377645449, 2.3907494581832425],
          [1.4607900515676278, 0],
        ],
        [
          [0.30901560573270564, 0.4412647664650178],
          [0.5863372096003329, 0.2646485150346519],
        ],
      ],
      1e-12,
    );
    const x = kLogits().requiresGrad_(true);
    const weight = f64([1, 2, 0.5]);
    const loss = crossEntropy(x, kLabels(), { weight, labelSmoothing: 0.1 });
    expectValues(loss, 1.1880099165606688, 1e-12);
    loss.backward();
    const want = [
      -0.09741386374921215, 0.04436661339854789, 0.015265594023226435, 0, 0.018781145977689206,
      -0.18790829767841877, 0.0219755216602497, 0, 0.07863271777152296, 0.14354168427987088,
      -0.03724111568347612, 0, 0.014285098829052337, 0.019853055273689392, -0.04085547234314804,
      0.0028760680198641254, -0.05105653526114251, -0.07042486345255221, 0.03619094276098072,
      0.0006532423564513593, 0.036771436432090195, 0.05057180817886283, 0.004664529582167321,
      -0.0035293103763154882,
    ];
    expectValues(x.grad!.reshape([24]), want, 1e-10);
    expectValues(nllLoss(kLogits(), kLabels(), { reduction: 'sum' }), 1.6251065188032026, 1e-12);
  });

  it('class-probability targets [N, C, d1, …], with smoothing, as torch', () => {
    const p = f64(
      Array.from({ length: 24 }, (_, i) => i * 0.3),
      [2, 3, 2, 2],
    ).softmax(1);
    expectValues(crossEntropy(kLogits(), p), 1.2261632849913005, 1e-12);
    expectValues(crossEntropy(kLogits(), p, { labelSmoothing: 0.2 }), 1.2659681195243027, 1e-12);
  });

  it('names the expected target shape', () => {
    expect(() => crossEntropy(kLogits(), labels([[0, 1]]))).toThrow(
      /crossEntropy: for an input of shape \[2,3,2,2\] \(\[N, C, d1, …\]\) the target must have shape \[2,2,2\] \(labels\)/,
    );
  });
});

describe('every label ignored', () => {
  it('the mean is NaN (as torch) but the gradients are 0, not NaN', () => {
    const x = f64([
      [1, 2, 3],
      [0, 1, 0],
    ]).requiresGrad_(true);
    const ignored = labels([-100, -100]);
    for (const loss of [
      () => crossEntropy(x, ignored),
      () => crossEntropy(x, ignored, { labelSmoothing: 0.1 }),
      () => nllLoss(x.logSoftmax(1), ignored),
      () =>
        crossEntropy(
          kLogits().mul(x.sum()),
          labels([
            [
              [-100, -100],
              [-100, -100],
            ],
          ])
            .reshape([1, 2, 2])
            .expand([2, 2, 2]),
        ),
    ]) {
      x.grad = null;
      const value = loss();
      expect(Number.isNaN(value.item())).toBe(true);
      value.backward();
      expectValues(x.grad!, [
        [0, 0, 0],
        [0, 0, 0],
      ]);
    }
  });
});
