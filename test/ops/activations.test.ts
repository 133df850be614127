import { describe, expect, it } from 'vitest';
import {
  celu,
  elu,
  glu,
  grad,
  hardsigmoid,
  hardswish,
  hardtanh,
  logsigmoid,
  mish,
  prelu,
  relu6,
  selu,
  silu,
  softmin,
  softplus,
  softsign,
  type Tensor,
} from '../../src/index.js';
import { expectValues } from '../helpers.js';
import { f64, int } from './forward-helpers.js';

// The activations against PyTorch 1.13 (torch.nn.functional, float64): values, and the derivative
// at each kink, which PyTorch decides one way or the other.

const x = f64([-2.5, -0.75, 0, 0.3, 1.7]);
const z = f64([-4, -3, -1.5, 0, 2, 3, 4, 7]);
const g = f64([
  [1, -2, 0.5, 3],
  [0, 1, -1, 2],
]);

/** d/dx of sum(f(x)) at each value. */
const slope = (f: (t: Tensor) => Tensor, v: number[]): number[] =>
  Array.from(grad((t: Tensor) => f(t).sum())(f64(v)).data);

describe('activation values as PyTorch', () => {
  it.each([
    ['elu', (t: Tensor) => elu(t), x, [-0.9179150013761012, -0.5276334472589853, 0, 0.3, 1.7]],
    [
      'elu α = 0.5',
      (t: Tensor) => elu(t, 0.5),
      x,
      [-0.4589575006880506, -0.26381672362949266, 0, 0.3, 1.7],
    ],
    [
      'celu α = 2',
      (t: Tensor) => celu(t, 2),
      x,
      [-1.4269904062796197, -0.6254214424180555, 0, 0.3, 1.7],
    ],
    [
      'selu',
      selu,
      x,
      [-1.6137857588732423, -0.9276320158350512, 0, 0.31521029620664415, 1.7861916785043168],
    ],
    [
      'silu',
      silu,
      x,
      [-0.18964545005310887, -0.24061597561845527, 0, 0.1723327550434977, 1.437409049357991],
    ],
    [
      'mish',
      mish,
      x,
      [-0.19681620390653337, -0.27649471450546514, 0, 0.20800137234811503, 1.6207680739755408],
    ],
    [
      'softsign',
      softsign,
      x,
      [-0.7142857142857143, -0.42857142857142855, 0, 0.23076923076923075, 0.6296296296296295],
    ],
    [
      'logsigmoid',
      logsigmoid,
      x,
      [
        -2.5788897342925496, -1.1368710061148999, -0.6931471805599453, -0.5543552444685271,
        -0.16778602938626594,
      ],
    ],
    [
      'softplus β = 2, threshold 1',
      (t: Tensor) => softplus(t, { beta: 2, threshold: 1 }),
      x,
      [0.003357674244559034, 0.1007066389913762, 0.34657359027997264, 0.5187439752429428, 1.7],
    ],
    ['hardsigmoid', hardsigmoid, z, [0, 0, 0.25, 0.5, 0.8333333333333334, 1, 1, 1]],
    ['hardswish', hardswish, z, [0, 0, -0.375, 0, 1.6666666666666667, 3, 4, 7]],
    ['relu6', relu6, z, [0, 0, 0, 0, 2, 3, 4, 6]],
    ['hardtanh(−2, 3)', (t: Tensor) => hardtanh(t, -2, 3), z, [-2, -2, -1.5, 0, 2, 3, 3, 3]],
    [
      'glu',
      (t: Tensor) => glu(t).flatten(),
      g,
      [0.6224593312018546, -1.9051482536448667, 0, 0.8807970779778823],
    ],
    [
      'glu along 0',
      (t: Tensor) => glu(t, 0).flatten(),
      g,
      [0.5, -1.4621171572600098, 0.13447071068499755, 2.642391233933647],
    ],
    [
      'softmin',
      (t: Tensor) => softmin(t).flatten(),
      g,
      [
        0.04372618170936281, 0.8782638372334198, 0.07209228587072534, 0.0059176951864922086,
        0.23688281808991016, 0.08714431874203257, 0.6439142598879724, 0.03205860328008499,
      ],
    ],
    [
      'softmin along 0',
      (t: Tensor) => softmin(t, 0).flatten(),
      g,
      [
        0.2689414213699951, 0.9525741268224334, 0.18242552380635632, 0.2689414213699951,
        0.7310585786300049, 0.04742587317756679, 0.8175744761936437, 0.7310585786300049,
      ],
    ],
  ] as const)('%s', (_name, f: (t: Tensor) => Tensor, input, want) => {
    expectValues(f(input), [...want], 1e-14);
  });

  it('stays finite far out, where e^x overflows', () => {
    expectValues(logsigmoid(f64([-800, 800])), [-800, 0]);
    expectValues(elu(f64([-800, 800])), [-1, 800]);
    expectValues(mish(f64([-800, 800])), [-0, 800]);
    expectValues(f64(slope(elu, [800, -800])), [1, 0]);
    expectValues(f64(slope(logsigmoid, [-800, 800])), [1, 0]);
    expect(slope(mish, [800])).toEqual([1]);
  });

  it('takes int32 input as float32 where PyTorch computes in floating point', () => {
    expect(elu(int([1])).dtype).toBe('float32');
    expect(silu(int([1])).dtype).toBe('float32');
    expect(hardtanh(int([-5, 0, 5])).toArray()).toEqual([-1, 0, 1]);
  });
});

describe('activation derivatives at the kinks, as PyTorch', () => {
  // torch.autograd on [-3, 0, 3, 6], each function's defaults unless named
  it.each([
    ['elu', (t: Tensor) => elu(t), [0.049787068367863944, 1, 1, 1]],
    ['elu α = 0.7 (α at 0)', (t: Tensor) => elu(t, 0.7), [0.7 * Math.exp(-3), 0.7, 1, 1]],
    ['celu α = 2', (t: Tensor) => celu(t, 2), [0.22313016014842982, 1, 1, 1]],
    [
      'selu',
      selu,
      [0.08753061208026487, 1.7580993408473766, 1.0507009873554805, 1.0507009873554805],
    ],
    ['silu', silu, [-0.08810410601516962, 0.5, 1.0881041060151693, 1.0123264325915249]],
    ['mish', mish, [-0.09339311453232084, 0.6, 1.0211069109294435, 1.00013414050621]],
    ['softsign', softsign, [0.0625, 1, 0.0625, 0.020408163265306117]],
    [
      'logsigmoid',
      logsigmoid,
      [0.9525741268224333, 0.5, 0.04742587317756679, 0.0024726231566347748],
    ],
    [
      'softplus',
      (t: Tensor) => softplus(t),
      [0.04742587317756679, 0.5, 0.9525741268224333, 0.9975273768433652],
    ],
    // PyTorch's 1/6 is a float32 constant (0.1666666716337204); ours is the float64 one.
    ['hardsigmoid', hardsigmoid, [0, 1 / 6, 0, 0]],
    ['hardswish', hardswish, [-0.5, 0.5, 1.5, 1]],
    ['relu6', relu6, [0, 0, 1, 0]],
    ['hardtanh(−3, 3)', (t: Tensor) => hardtanh(t, -3, 3), [0, 1, 0, 0]],
  ] as const)('%s', (_name, f: (t: Tensor) => Tensor, want) => {
    expectValues(f64(slope(f, [-3, 0, 3, 6])), [...want], 1e-14);
  });

  it('softplus: σ(βx) at the threshold, 1 beyond it', () => {
    expectValues(f64(slope((t) => softplus(t), [20, 21])), [0.9999999979388464, 1], 1e-15);
  });

  it('hardtanh with minVal > maxVal gives maxVal everywhere, gradient 0, as PyTorch', () => {
    expect(hardtanh(f64([0, 1, 2]), 1, 0).toArray()).toEqual([0, 0, 0]);
    expect(slope((t) => hardtanh(t, 1, 0), [0, 1, 2])).toEqual([0, 0, 0]);
  });
});

describe('prelu', () => {
  it('one slope, or one per channel (dimension 1), as PyTorch; the slope at 0', () => {
    const w1 = f64([0.1]);
    expectValues(prelu(f64([-1, -2, -3]), w1), [-0.1, -0.2, -0.3]);
    const input = f64([
      [
        [-1, -2],
        [-3, -4],
      ],
    ]);
    expectValues(
      prelu(input, f64([0.1, 0.2])),
      [
        [
          [-0.1, -0.2],
          [-0.6, -0.8],
        ],
      ],
      1e-15,
    );
    const [gx, gw] = grad((a: Tensor, w: Tensor) => prelu(a, w).sum(), { argnums: [0, 1] })(
      input,
      f64([0.1, 0.2]),
    );
    expectValues(gx, [
      [
        [0.1, 0.1],
        [0.2, 0.2],
      ],
    ]);
    expectValues(gw, [-3, -7]);
    expect(slope((t) => prelu(t, f64([0.25])), [0, -1, 2])).toEqual([0.25, 0.25, 1]);
    expectValues(prelu(f64(-1), w1), -0.1);
  });

  it('refuses a weight that fits no channel count', () => {
    expect(() => prelu(f64([[-1, -2, -3]]), f64([0.1, 0.2]))).toThrow(
      /prelu: the weight of shape \[2\] must hold 1 slope or one per channel \(dimension 1\) of the input of shape \[1,3\]/,
    );
  });
});

describe('argument errors name the function', () => {
  it('glu, celu, elu', () => {
    expect(() => glu(f64([1, 2, 3]))).toThrow(
      /glu: dimension -1 must have an even size to be halved, got 3/,
    );
    expect(() => glu(f64(1))).toThrow(/glu: the input must have at least one dimension/);
    expect(() => celu(x, 0)).toThrow(/celu: alpha must be a finite number other than 0, got 0/);
    expect(() => elu(x, NaN)).toThrow(/elu: alpha must be a finite number, got NaN/);
  });
});
