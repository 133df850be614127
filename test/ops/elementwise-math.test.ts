import { describe, expect, it } from 'vitest';
import {
  acos,
  acosh,
  asin,
  asinh,
  atan,
  atan2,
  atanh,
  ceil,
  copysign,
  cosh,
  exp2,
  expm1,
  floor,
  frac,
  grad,
  hypot,
  isinf,
  isnan,
  lerp,
  log10,
  log2,
  logaddexp,
  nanToNum,
  round,
  rsqrt,
  sinh,
  tan,
  tensor,
  trunc,
  xlogy,
  type Tensor,
} from '../../src/index.js';
import { expectValues } from '../helpers.js';
import { expectTyped, f64, int } from './forward-helpers.js';

// Forward values and edge cases of the element-wise math functions, against PyTorch 1.13
// (float64 unless said otherwise; the values printed by torch are written as literals).

const x = f64([-2.5, -0.75, 0, 0.3, 1.7]);
const p = f64([0.2, 0.9, 1, 2.5, 10]);

describe('element-wise math as PyTorch', () => {
  it.each([
    [
      'tan',
      tan,
      x,
      [0.7470222972386603, -0.9315964599440725, 0, 0.30933624960962325, -7.696602139459161],
    ],
    [
      'atan',
      atan,
      x,
      [-1.1902899496825317, -0.6435011087932844, 0, 0.2914567944778671, 1.039072259536091],
    ],
    [
      'sinh',
      sinh,
      x,
      [-6.0502044810397875, -0.82231673193583, 0, 0.3045202934471426, 2.6456319338372323],
    ],
    [
      'cosh',
      cosh,
      x,
      [6.132289479663686, 1.2946832846768448, 1, 1.0453385141288605, 2.828315457889967],
    ],
    [
      'asinh',
      asinh,
      x,
      [-1.6472311463710958, -0.6931471805599453, 0, 0.29567304756342244, 1.3008204268406467],
    ],
    [
      'expm1',
      expm1,
      x,
      [-0.9179150013761012, -0.5276334472589853, 0, 0.3498588075760031, 4.4739473917272],
    ],
    [
      'exp2',
      exp2,
      x,
      [0.1767766952966369, 0.5946035575013605, 1, 1.2311444133449163, 3.249009585424942],
    ],
    ['asin', asin, p, [0.2013579207903308, 1.1197695149986342, 1.5707963267948966, NaN, NaN]],
    ['acos', acos, p, [1.369438406004566, 0.45102681179626236, 0, NaN, NaN]],
    ['atanh', atanh, p, [0.2027325540540822, 1.4722194895832204, Infinity, NaN, NaN]],
    ['acosh', acosh, p, [NaN, NaN, 0, 1.566799236972411, 2.993222846126381]],
    [
      'rsqrt',
      rsqrt,
      p,
      [2.23606797749979, 1.0540925533894598, 1, 0.6324555320336759, 0.31622776601683794],
    ],
    [
      'log2',
      log2,
      p,
      [-2.321928094887362, -0.15200309344504995, 0, 1.3219280948873624, 3.321928094887362],
    ],
    ['log10', log10, p, [-0.6989700043360187, -0.045757490560675115, 0, 0.3979400086720376, 1]],
  ] as const)('%s', (_name, f: (t: Tensor) => Tensor, input, want) => {
    expectValues(f(input), [...want], 1e-14);
  });

  it('rounds as PyTorch: trunc, floor, ceil, round halves to even, frac with the sign of x', () => {
    const y = f64([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -1.7, 1.7]);
    expectTyped(trunc(y), 'float64', [-2, -1, -0, 0, 1, 2, -1, 1]);
    expectTyped(floor(y), 'float64', [-3, -2, -1, 0, 1, 2, -2, 1]);
    expectTyped(ceil(y), 'float64', [-2, -1, -0, 1, 2, 3, -1, 2]);
    expectTyped(round(y), 'float64', [-2, -2, -0, 0, 2, 2, -2, 2]);
    expectValues(frac(y), [-0.5, -0.5, -0.5, 0.5, 0.5, 0.5, -0.7, 0.7], 1e-15);
    expect(Object.is(round(f64([-0.4])).data[0], -0)).toBe(true);
    expectTyped(round(f64([2 ** 52 + 1, 0.49999999999999994])), 'float64', [2 ** 52 + 1, 0]);
    expectTyped(frac(f64([Infinity, NaN])), 'float64', [NaN, NaN]);
    // torch.round(x, decimals=±2) in float64 and float32
    expectValues(
      round(f64([1.2345, 123.5, 0.125, 2.675]), { decimals: 2 }),
      [1.23, 123.5, 0.12, 2.68],
      1e-15,
    );
    expectTyped(
      round(tensor([1234.5, 1250, 1350]), { decimals: -2 }),
      'float32',
      [1200, 1200, 1400],
    );
    expectTyped(round(int([3, -4])), 'int32', [3, -4]);
    expectTyped(floor(int([3, -4])), 'int32', [3, -4]);
    expect(() => round(int([1]), { decimals: 1 })).toThrow(
      /round: decimals needs a floating-point tensor/,
    );
    expect(() => round(x, { decimals: 0.5 })).toThrow(
      /round: decimals must be an integer, got 0.5/,
    );
  });

  it('gives float32 for int32 input, as PyTorch promotes', () => {
    expect(tan(int([1])).dtype).toBe('float32');
    expect(atan2(int([1]), int([1])).dtype).toBe('float32');
    expect(copysign(int([1]), int([-1])).dtype).toBe('float32');
    expect(xlogy(int([1]), int([2])).dtype).toBe('float32');
  });

  it('binary math broadcasts as PyTorch', () => {
    const a = f64([[1, -2, 0.5]]);
    const b = f64([[3], [-0.5]]);
    expectValues(
      atan2(a, b).flatten(),
      [
        0.3217505543966422, -0.5880026035475675, 0.16514867741462683, 2.0344439357957027,
        -1.8157749899217608, 2.356194490192345,
      ],
      1e-14,
    );
    expectValues(
      hypot(a, b).flatten(),
      [
        3.1622776601683795, 3.605551275463989, 3.0413812651491097, 1.118033988749895,
        2.0615528128088303, 0.7071067811865476,
      ],
      1e-14,
    );
    expectTyped(copysign(a, b).flatten(), 'float64', [1, 2, 0.5, -1, -2, -0.5]);
    expectValues(
      logaddexp(a, b).flatten(),
      [
        3.1269280110429727, 3.006715348489118, 3.0788897342925496, 1.2014132779827524,
        -0.29858672201724756, 0.8132616875182228,
      ],
      1e-14,
    );
    expectValues(
      xlogy(a.abs(), b.abs()).flatten(),
      [
        1.0986122886681098, 2.1972245773362196, 0.5493061443340549, -0.6931471805599453,
        -1.3862943611198906, -0.34657359027997264,
      ],
      1e-14,
    );
    expectValues(
      lerp(a, b, f64([0.2, 0.5, 0.9])).flatten(),
      [1.4, 0.5, 2.75, 0.7, -1.25, -0.4],
      1e-15,
    );
  });

  it('takes the edge cases as PyTorch', () => {
    expectTyped(copysign(f64([0, 3, 2]), f64([-1, 0, -0])), 'float64', [-0, 3, -2]);
    expectTyped(
      logaddexp(f64([-Infinity, Infinity, 1000]), f64([-Infinity, Infinity, 1000])),
      'float64',
      [-Infinity, Infinity, 1000 + Math.LN2],
    );
    expectTyped(xlogy(f64([0, 0, 0, 1]), f64([0, Infinity, NaN, NaN])), 'float64', [
      0,
      0,
      NaN,
      NaN,
    ]);
    expectTyped(hypot(f64([1e200]), f64([1e200])), 'float64', [1e200 * Math.SQRT2]);
    expectTyped(rsqrt(f64([-0, 0, -1])), 'float64', [-Infinity, Infinity, NaN]);
    expectTyped(lerp(tensor([1]), tensor([3]), 1), 'float32', [3]);
  });

  it('isnan and isinf give the comparisons dtype, integers never NaN or infinite', () => {
    const v = tensor([1, NaN, Infinity, -Infinity]);
    expectTyped(isnan(v), 'bool', [0, 1, 0, 0]);
    expectTyped(isinf(v), 'bool', [0, 0, 1, 1]);
    expectTyped(v.isnan(), 'bool', [0, 1, 0, 0]);
    expectTyped(isnan(int([1, 2])), 'bool', [0, 0]);
    expectTyped(isinf(int([1, 2])), 'bool', [0, 0]);
  });

  it('nanToNum replaces as PyTorch, with the dtype extremes by default; the gradient is 0 there', () => {
    const v = [NaN, Infinity, -Infinity, 1];
    expectTyped(
      nanToNum(tensor(v)),
      'float32',
      [0, 3.4028234663852886e38, -3.4028234663852886e38, 1],
    );
    expectTyped(nanToNum(f64(v)), 'float64', [0, Number.MAX_VALUE, -Number.MAX_VALUE, 1]);
    expectTyped(f64(v).nanToNum({ nan: 1, posinf: 2, neginf: 3 }), 'float64', [1, 2, 3, 1]);
    const g = grad((t: Tensor) => nanToNum(t, { nan: 1, posinf: 2, neginf: 3 }).sum())(f64(v));
    expectTyped(g, 'float64', [0, 0, 0, 1]);
    expectTyped(nanToNum(int([5])), 'int32', [5]);
    expect(() => nanToNum(f64(v), { nan: 'x' as never })).toThrow(/nanToNum: nan must be a number/);
  });
});

describe('element-wise gradients at the edges, as PyTorch', () => {
  /** The gradient of sum(f(a, b)) with respect to both. */
  const grads2 = (f: (a: Tensor, b: Tensor) => Tensor, a: number[], b: number[]): number[][] =>
    grad((u: Tensor, v: Tensor) => f(u, v).sum(), { argnums: [0, 1] })(f64(a), f64(b)).map((g) =>
      Array.from(g.data),
    );

  it('copysign: ∂/∂a = ±1, 0 where a = 0; ∂/∂b = 0', () => {
    expect(grads2(copysign, [0, -1, 2, 3], [-1, 1, -0, 0])).toEqual([
      [0, -1, -1, 1],
      [0, 0, 0, 0],
    ]);
  });

  it('xlogy: ∂/∂x = 0 where x = 0 (NaN if y is), ∂/∂y = x/y (NaN at 0/0)', () => {
    expect(grads2(xlogy, [0, 0, 1, 0], [0, 1, 2, NaN])).toEqual([
      [0, 0, Math.LN2, NaN],
      [NaN, 0, 0.5, NaN],
    ]);
  });

  it('hypot and atan2: NaN at (0, 0), as PyTorch', () => {
    expect(grads2(hypot, [0, 3], [0, 4])).toEqual([
      [NaN, 0.6],
      [NaN, 0.8],
    ]);
    expect(grads2(atan2, [0, 1], [0, 1])).toEqual([
      [NaN, 0.5],
      [NaN, -0.5],
    ]);
  });

  it('logaddexp: σ(a − b), ½ each at a tie, even at 1000', () => {
    expect(grads2(logaddexp, [0, 1000], [0, 1000])).toEqual([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
  });

  it('rounding has gradient 0, frac 1; the inverse functions are infinite at their edges', () => {
    const g = (f: (t: Tensor) => Tensor, v: number[]) =>
      Array.from(grad((t: Tensor) => f(t).sum())(f64(v)).data);
    expect(g(round, [1.5, 0.2])).toEqual([0, 0]);
    expect(g(floor, [1.5])).toEqual([0]);
    expect(g(frac, [1.5, -1.5, 0])).toEqual([1, 1, 1]);
    expect(g(asin, [1])).toEqual([Infinity]);
    expect(g(acosh, [1])).toEqual([Infinity]);
    expect(g(rsqrt, [0, 4])).toEqual([-Infinity, -0.0625]);
    expect(g(log2, [0])).toEqual([Infinity]);
    expect(g(exp2, [3])[0]).toBeCloseTo(5.545177444479562, 14);
  });
});
