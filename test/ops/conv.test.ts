import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conv1d, conv2d, convTranspose2d, tensor, type Tensor } from '../../src/index.js';
import {
  convConfigs,
  naiveConv2d,
  naiveConvTranspose2d,
  transposeConfigs,
  values,
  type ConvConfig,
  type ConvTransposeConfig,
  type Plain,
} from './conv-reference.js';

/** conv1d, conv2d and convTranspose2d against hand-computed values and a direct (loop) convolution. */

const t = (data: number[], shape: number[]): Tensor => tensor(data, { shape, dtype: 'float64' });
const f64 = (data: Float64Array, shape: readonly number[]): Tensor =>
  tensor(data, { shape: shape.slice() });

function expectClose(actual: Tensor, expected: Plain, tol = 1e-12): void {
  expect(actual.shape).toEqual(expected.shape);
  const got = actual.data;
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - expected.data[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

/** The inputs of a configuration: x, weight and bias (or null), deterministic in `seed`. */
function operands(cfg: ConvConfig | ConvTransposeConfig, transposed: boolean, seed: number) {
  const { n, c, o, h, w, kh, kw, groups } = cfg;
  const wShape = transposed ? [c, o / groups, kh, kw] : [o, c / groups, kh, kw];
  const x = values(n * c * h * w, seed);
  const wt = values(
    wShape.reduce((a, b) => a * b, 1),
    seed + 1,
  );
  const b = cfg.bias ? values(o, seed + 2) : null;
  return { x, wt, b, xShape: [n, c, h, w], wShape };
}

describe('conv2d', () => {
  it('hand-checked: a 2×2 kernel [[1, 0], [0, -1]] over 1…9 is x[i, j] − x[i+1, j+1] = −4', () => {
    const x = t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
    const w = t([1, 0, 0, -1], [1, 1, 2, 2]);
    const y = conv2d(x, w);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(Array.from(y.data)).toEqual([-4, -4, -4, -4]);
    // padding 1 and a bias of 10: the corners see one tap each
    const p = conv2d(x, w, t([10], [1]), { padding: 1 });
    expect(p.shape).toEqual([1, 1, 4, 4]);
    expect(Array.from(p.data)).toEqual([9, 8, 7, 10, 6, 6, 6, 13, 3, 6, 6, 16, 10, 17, 18, 19]);
  });

  it('hand-checked: stride 2, dilation 2 and two groups', () => {
    const x = t(
      Array.from({ length: 2 * 25 }, (_, i) => i),
      [1, 2, 5, 5],
    );
    // group 0 sums the 4 dilated corners of channel 0, group 1 takes channel 1's center tap ×2
    const w = t([1, 1, 1, 1, 0, 0, 0, 2], [2, 1, 2, 2]);
    const y = conv2d(x, w, null, { stride: 2, dilation: 2, groups: 2 });
    expect(y.shape).toEqual([1, 2, 2, 2]);
    // window at (0,0) reads x[0,0], x[0,2], x[2,0], x[2,2] = 0 + 2 + 10 + 12
    expect(Array.from(y.data)).toEqual([24, 32, 64, 72, 2 * 37, 2 * 39, 2 * 47, 2 * 49]);
  });

  it('equals the direct convolution on random shapes (stride, padding, same, dilation, groups)', () => {
    fc.assert(
      fc.property(convConfigs(), fc.nat(1000), (cfg, seed) => {
        const { x, wt, b, xShape, wShape } = operands(cfg, false, seed);
        const y = conv2d(f64(x, xShape), f64(wt, wShape), b && f64(b, [cfg.o]), {
          stride: cfg.stride,
          padding: cfg.padding,
          dilation: cfg.dilation,
          groups: cfg.groups,
        });
        expectClose(y, naiveConv2d(x, wt, b, cfg));
      }),
      { seed: 14, numRuns: 120 },
    );
  });

  it("'same' with an even kernel pads the extra zero on the bottom and right, as PyTorch", () => {
    const x = t([1, 2, 3, 4], [1, 1, 2, 2]);
    const w = t([1, 10, 100, 1000], [1, 1, 2, 2]);
    const y = conv2d(x, w, null, { padding: 'same' });
    expect(Array.from(y.data)).toEqual([1 + 20 + 300 + 4000, 2 + 400, 3 + 40, 4]);
    expect(Array.from(conv2d(x, w, null, { padding: 'valid' }).data)).toEqual([4321]);
  });

  it('takes an unbatched [C, H, W] input and float32', () => {
    const cfg: ConvConfig = {
      ...{ n: 1, c: 2, o: 3, h: 5, w: 4, kh: 3, kw: 2, groups: 1, bias: true },
      ...{ stride: [2, 1], padding: [1, 0], dilation: [1, 1] },
    };
    const { x, wt, b, wShape } = operands(cfg, false, 3);
    const expected = naiveConv2d(x, wt, b, cfg);
    const opts = { stride: [2, 1] as const, padding: [1, 0] as const };
    const y = conv2d(f64(x, [2, 5, 4]), f64(wt, wShape), f64(b!, [3]), opts);
    expectClose(y, { data: expected.data, shape: expected.shape.slice(1) });
    const y32 = conv2d(
      tensor(Float32Array.from(x), { shape: [1, 2, 5, 4] }),
      tensor(Float32Array.from(wt), { shape: wShape }),
      tensor(Float32Array.from(b!), { shape: [3] }),
      opts,
    );
    expect(y32.dtype).toBe('float32');
    expectClose(y32, expected, 1e-5);
  });

  it('a 1×1 kernel (the input is its own columns) and a large batch (columns made in chunks)', () => {
    const point: ConvConfig = {
      ...{ n: 3, c: 4, o: 6, h: 3, w: 5, kh: 1, kw: 1, groups: 2, bias: true },
      ...{ stride: [1, 1], padding: [0, 0], dilation: [1, 1] },
    };
    const big: ConvConfig = {
      // 36 column rows × 1600 positions a sample: 4 samples a chunk, so 6 samples make 2 chunks
      ...{ n: 6, c: 4, o: 2, h: 40, w: 40, kh: 3, kw: 3, groups: 2, bias: false },
      ...{ stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
    };
    for (const cfg of [point, big]) {
      const { x, wt, b, xShape, wShape } = operands(cfg, false, 9);
      const y = conv2d(f64(x, xShape), f64(wt, wShape), b && f64(b, [cfg.o]), {
        groups: cfg.groups,
        padding: cfg.padding as [number, number],
      });
      expectClose(y, naiveConv2d(x, wt, b, cfg), 1e-11);
    }
  });
});

describe('conv1d', () => {
  it("hand-checked: [1, 0, −1] with padding 'same' is x[t−1] − x[t+1]", () => {
    const y = conv1d(t([1, 2, 3, 4, 5], [1, 1, 5]), t([1, 0, -1], [1, 1, 3]), null, {
      padding: 'same',
    });
    expect(y.shape).toEqual([1, 1, 5]);
    expect(Array.from(y.data)).toEqual([-2, -2, -2, -2, 4]);
    // an even kernel: the extra zero goes on the right
    const even = conv1d(t([1, 2, 3], [1, 3]), t([1, 10], [1, 1, 2]), null, { padding: 'same' });
    expect(even.shape).toEqual([1, 3]);
    expect(Array.from(even.data)).toEqual([21, 32, 3]);
  });

  it('equals conv2d on height-1 images for random shapes', () => {
    fc.assert(
      fc.property(convConfigs(), fc.nat(1000), (c2, seed) => {
        const cfg: ConvConfig = {
          ...c2,
          h: 1,
          kh: 1,
          stride: [1, c2.stride[1]],
          padding: c2.padding === 'same' ? 'same' : [0, c2.padding[1]],
          dilation: [1, c2.dilation[1]],
        };
        const { x, wt, b } = operands(cfg, false, seed);
        const y = conv1d(
          f64(x, [cfg.n, cfg.c, cfg.w]),
          f64(wt, [cfg.o, cfg.c / cfg.groups, cfg.kw]),
          b && f64(b, [cfg.o]),
          {
            stride: cfg.stride[1],
            padding: cfg.padding === 'same' ? 'same' : cfg.padding[1],
            dilation: cfg.dilation[1],
            groups: cfg.groups,
          },
        );
        const expected = naiveConv2d(x, wt, b, cfg);
        expectClose(y, { data: expected.data, shape: [cfg.n, cfg.o, expected.shape[3]] });
      }),
      { seed: 15, numRuns: 60 },
    );
  });
});

describe('convTranspose2d', () => {
  it('hand-checked: stride 2 with a kernel of ones spreads each value over its own 2×2 block', () => {
    const y = convTranspose2d(t([1, 2, 3, 4], [1, 1, 2, 2]), t([1, 1, 1, 1], [1, 1, 2, 2]), null, {
      stride: 2,
    });
    expect(y.shape).toEqual([1, 1, 4, 4]);
    expect(Array.from(y.data)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    // stride 1: overlapping windows add up; padding 1 then crops the border
    const s1 = convTranspose2d(t([1, 2, 3, 4], [1, 2, 2]), t([1, 1, 1, 1], [1, 1, 2, 2]));
    expect(Array.from(s1.data)).toEqual([1, 3, 2, 4, 10, 6, 3, 7, 4]);
    const cropped = convTranspose2d(
      t([1, 2, 3, 4], [1, 2, 2]),
      t([1, 1, 1, 1], [1, 1, 2, 2]),
      null,
      {
        padding: 1,
        outputPadding: 0,
      },
    );
    expect(cropped.shape).toEqual([1, 1, 1]);
    expect(Array.from(cropped.data)).toEqual([10]);
  });

  it('equals the direct transposed convolution on random shapes (outputPadding, groups, dilation)', () => {
    fc.assert(
      fc.property(transposeConfigs(), fc.nat(1000), (cfg, seed) => {
        const { x, wt, b, xShape, wShape } = operands(cfg, true, seed);
        const y = convTranspose2d(f64(x, xShape), f64(wt, wShape), b && f64(b, [cfg.o]), {
          stride: cfg.stride,
          padding: cfg.padding,
          outputPadding: cfg.outputPadding,
          dilation: cfg.dilation,
          groups: cfg.groups,
        });
        expectClose(y, naiveConvTranspose2d(x, wt, b, cfg));
      }),
      { seed: 16, numRuns: 120 },
    );
  });

  it('is the adjoint of conv2d: ⟨conv2d(x, W), y⟩ = ⟨x, convTranspose2d(y, W)⟩', () => {
    fc.assert(
      fc.property(convConfigs(), fc.nat(1000), (cfg, seed) => {
        const pad = cfg.padding;
        if (pad === 'same') return;
        const { x, wt, xShape, wShape } = operands(cfg, false, seed);
        const opts = { stride: cfg.stride, padding: pad, dilation: cfg.dilation };
        const X = f64(x, xShape);
        const W = f64(wt, wShape);
        const out = conv2d(X, W, null, { ...opts, groups: cfg.groups });
        const Y = f64(values(out.size, seed + 5), out.shape);
        // the output padding that gives back x's size
        const outputPadding = [0, 1].map(
          (d) =>
            xShape[2 + d] -
            ((out.shape[2 + d] - 1) * cfg.stride[d] -
              2 * pad[d] +
              cfg.dilation[d] * ((d === 0 ? cfg.kh : cfg.kw) - 1) +
              1),
        ) as [number, number];
        if (outputPadding.some((p, d) => p >= Math.max(cfg.stride[d], cfg.dilation[d]))) return;
        const back = convTranspose2d(Y, W, null, { ...opts, outputPadding, groups: cfg.groups });
        expect(back.shape).toEqual(xShape);
        const lhs = out.mul(Y).sum().item();
        const rhs = X.mul(back).sum().item();
        expect(Math.abs(lhs - rhs)).toBeLessThan(1e-10 * (1 + Math.abs(lhs)));
      }),
      { seed: 17, numRuns: 80 },
    );
  });
});
