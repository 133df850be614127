import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { arange, Generator, ones, scaledDotProductAttention, tensor } from '../../src/index.js';

/*
 * Expected values: torch 1.13 in float64, by PyTorch's reference formula of
 * scaled_dot_product_attention (docs of torch 2), for q = sin(0.3·arange(24)) [2, 3, 4],
 * k = cos(0.7·arange(40) + 1) [2, 5, 4], v = 0.2·arange(30) − 1 [2, 5, 3].
 */
const q0 = (): Tensor => arange(24, { dtype: 'float64' }).mul(0.3).sin().reshape([2, 3, 4]);
const k0 = (): Tensor => arange(40, { dtype: 'float64' }).mul(0.7).add(1).cos().reshape([2, 5, 4]);
const v0 = (): Tensor => arange(30, { dtype: 'float64' }).mul(0.2).sub(1).reshape([2, 5, 3]);

const close = (t: Tensor, want: readonly number[]): void => {
  expect(t.size).toBe(want.length);
  Array.from(t.data).forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
};

describe('scaledDotProductAttention', () => {
  it('matches PyTorch with a boolean mask (nonzero = attend), values and gradients', () => {
    const [q, k, v] = [q0(), k0(), v0()].map((t) => t.requiresGrad_(true));
    const mask = tensor(
      [
        [1, 0, 1, 1, 0],
        [0, 1, 1, 0, 1],
        [1, 1, 0, 0, 0],
      ],
      { dtype: 'int32' },
    );
    const out = scaledDotProductAttention(q, k, v, { attnMask: mask });
    close(
      out,
      [
        0.18502906864417484, 0.38502906864417474, 0.5850290686441748, 0.7193165382043035,
        0.9193165382043034, 1.1193165382043035, -0.7782482993625318, -0.5782482993625317,
        -0.3782482993625318, 2.723260009334211, 2.9232600093342116, 3.1232600093342118,
        3.5543827355793534, 3.7543827355793535, 3.9543827355793533, 2.344968030881515,
        2.5449680308815146, 2.7449680308815148,
      ],
    );
    out.square().sum().backward();
    close(
      q.grad!,
      [
        -0.47584370073310917, -0.19861379482298555, 0.17202728221853916, 0.461761240432253,
        1.1253669414921599, 0.9071180206956506, 0.26223732065591454, -0.5059776888594635,
        0.3228452959834335, 0.019873949694059413, -0.2924444256754607, -0.4672216180796103,
        1.5871479730054443, 1.3656011704792106, 0.5017907993697106, -0.5980196253808832,
        1.5892199472760735, 0.5920872093968211, -0.6835133946796037, -1.637646969046815,
        1.4079381358809488, 2.171271179518595, 1.9134214603805964, 0.7556597303905574,
      ],
    );
    close(
      v.grad!.narrow(0, 0, 1),
      [
        -0.8957372612176687, -0.551154115090257, -0.20657096896284555, -0.26956332968365626,
        -0.03673254536964349, 0.19609823894436934, 0.48029284933896077, 0.7124206420173542,
        0.9445484346957479, 0.1617659240507164, 0.336620529584947, 0.5114751351191777,
        0.7754364324835408, 0.9910401038294919, 1.2066437751754435,
      ],
    );
    close(
      k.grad!.narrow(0, 0, 1).flatten().narrow(0, 0, 4),
      [0.1638060705477153, 0.010183588082670891, -0.14434856397651508, -0.2859864887219644],
    );
  });

  it('adds a float mask (broadcast over the batch) and takes a scale', () => {
    const mask = arange(10, { dtype: 'float64' }).mul(0.5).reshape([2, 1, 5]);
    close(
      scaledDotProductAttention(q0(), k0(), v0(), { attnMask: mask, scale: 0.3 }),
      [
        0.7893443813213339, 0.9893443813213338, 1.1893443813213338, 0.9363772875968104,
        1.1363772875968101, 1.3363772875968103, 0.8223573838115222, 1.022357383811522,
        1.2223573838115223, 3.7890840348558337, 3.989084034855834, 4.189084034855833,
        3.703289290053925, 3.903289290053925, 4.103289290053925, 3.6792854502738788,
        3.8792854502738785, 4.079285450273878,
      ],
    );
  });

  it('is causal (top-left aligned when L < S), and refuses a mask with isCausal', () => {
    close(
      scaledDotProductAttention(q0(), k0(), v0(), { isCausal: true }),
      [
        -1.0, -0.8, -0.6, -0.5915199522530374, -0.3915199522530375, -0.1915199522530375,
        -0.32840770443136746, -0.12840770443136748, 0.07159229556863253, 2.0, 2.2,
        2.4000000000000004, 2.051271761889991, 2.251271761889991, 2.4512717618899913,
        2.5523582281570936, 2.7523582281570937, 2.9523582281570935,
      ],
    );
    expect(() =>
      scaledDotProductAttention(q0(), k0(), v0(), { isCausal: true, attnMask: ones([3, 5]) }),
    ).toThrow('pass either attnMask or isCausal, not both');
  });

  it('gives NaN for a query whose keys are all masked, as PyTorch', () => {
    const mask = tensor(
      [
        [0, 0, 0, 0, 0],
        [1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1],
      ],
      { dtype: 'int32' },
    );
    const out = scaledDotProductAttention(q0(), k0(), v0(), { attnMask: mask });
    expect(Number.isNaN(out.data[0])).toBe(true);
    expect(Number.isNaN(out.data[3])).toBe(false);
  });

  it('drops weights with dropoutP, reproducibly from a generator, scaling the kept ones', () => {
    const run = (): Tensor =>
      scaledDotProductAttention(q0(), k0(), ones([2, 5, 1], { dtype: 'float64' }), {
        dropoutP: 0.5,
        generator: new Generator(4),
      });
    const a = run();
    close(a, Array.from(run().data));
    // Each output is a sum of weights (values are ones), each weight kept ×2 or dropped.
    expect(Array.from(a.data).some((x) => Math.abs(x - 1) > 1e-9)).toBe(true);
    expect(() => scaledDotProductAttention(q0(), k0(), v0(), { dropoutP: 2 })).toThrow(
      'dropoutP must be a probability in [0, 1]',
    );
  });

  it('refuses mismatched shapes, naming them', () => {
    expect(() => scaledDotProductAttention(q0(), k0().narrow(2, 0, 3), v0())).toThrow(
      'scaledDotProductAttention: query and key must share their last dimension (E), got [2,3,4] and [2,5,3]',
    );
    expect(() => scaledDotProductAttention(q0(), k0(), v0().narrow(1, 0, 4))).toThrow(
      'key and value must have as many positions (S)',
    );
  });
});
