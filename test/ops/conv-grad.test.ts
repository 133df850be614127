import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conv1d,
  conv2d,
  convTranspose2d,
  fold,
  gradcheck,
  gradients,
  scalar,
  tensor,
  unfold,
  type Tensor,
} from '../../src/index.js';
import { derivatives } from '../../src/ops/registry.js';
import {
  convConfigs,
  transposeConfigs,
  values,
  type ConvConfig,
  type ConvTransposeConfig,
} from './conv-reference.js';

/**
 * Gradients of the convolutions over random window configurations, float64: first order, and
 * second order (the rules are written in the convolution primitives, which differentiate again).
 */

const f64 = (data: Float64Array, shape: readonly number[]): Tensor =>
  tensor(data, { shape: shape.slice() });
const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Tensors of the given shapes with deterministic values. */
const inputs = (shapes: number[][], seed: number): Tensor[] =>
  shapes.map((s, i) => f64(values(count(s), seed + 7 * i), s));

/** h(xs) = Σᵢ ⟨∂⟨u, f(xs)⟩/∂xᵢ, vᵢ⟩: gradcheck of h checks the second derivatives of f. */
function secondOrder(f: (...xs: Tensor[]) => Tensor, seed: number): (...xs: Tensor[]) => Tensor {
  return (...xs) => {
    const out = f(...xs);
    const u = f64(values(out.size, seed + 1), out.shape);
    const gs = gradients(out.mul(u).sum(), xs, { createGraph: true, allowUnused: true });
    return gs.reduce(
      (acc, g, i) => acc.add(g.mul(f64(values(g.size, seed + 2 + i), g.shape)).sum()),
      scalar(0, { dtype: 'float64' }),
    );
  };
}

/** Checks f at xs to first and, when `second`, second order. */
function check(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], seed: number, second: boolean) {
  const first = gradcheck(f, xs);
  expect(first.passed, `first order: ${JSON.stringify(first)}`).toBe(true);
  if (!second) return;
  const report = gradcheck(secondOrder(f, seed), xs, { atol: 1e-4, rtol: 1e-3 });
  expect(report.passed, `second order: ${JSON.stringify(report)}`).toBe(true);
}

function conv2dCase(cfg: ConvConfig): { shapes: number[][]; f: (...xs: Tensor[]) => Tensor } {
  const { n, c, o, h, w, kh, kw, groups } = cfg;
  const shapes = [[n, c, h, w], [o, c / groups, kh, kw], ...(cfg.bias ? [[o]] : [])];
  const opts = { stride: cfg.stride, padding: cfg.padding, dilation: cfg.dilation, groups };
  return { shapes, f: (x, wt, b) => conv2d(x, wt, b ?? null, opts) };
}

function transposeCase(cfg: ConvTransposeConfig) {
  const { n, c, o, h, w, kh, kw, groups } = cfg;
  const shapes = [[n, c, h, w], [c, o / groups, kh, kw], ...(cfg.bias ? [[o]] : [])];
  const { stride, padding, outputPadding, dilation } = cfg;
  const options = { stride, padding, outputPadding, dilation, groups };
  return {
    shapes,
    f: (x: Tensor, wt: Tensor, b?: Tensor) => convTranspose2d(x, wt, b ?? null, options),
  };
}

const runs = (first: number, second: number) => ({ first, second });
const RUNS = runs(16, 6);

describe('gradients of the convolutions (float64, random windows)', () => {
  it('conv2d: first and second order', () => {
    let i = 0;
    fc.assert(
      fc.property(convConfigs(1), fc.nat(1000), (cfg, seed) => {
        const { shapes, f } = conv2dCase(cfg);
        check(f, inputs(shapes, seed), seed, i++ < RUNS.second);
      }),
      { seed: 21, numRuns: RUNS.first },
    );
  });

  it('conv1d: first and second order', () => {
    let i = 0;
    fc.assert(
      fc.property(convConfigs(2), fc.nat(1000), (cfg, seed) => {
        const { n, c, o, w, kw, groups } = cfg;
        const shapes = [[n, c, w], [o, c / groups, kw], ...(cfg.bias ? [[o]] : [])];
        const opts = {
          stride: cfg.stride[1],
          padding: cfg.padding === 'same' ? ('same' as const) : cfg.padding[1],
          dilation: cfg.dilation[1],
          groups,
        };
        const f = (x: Tensor, wt: Tensor, b?: Tensor) => conv1d(x, wt, b ?? null, opts);
        check(f, inputs(shapes, seed), seed, i++ < RUNS.second);
      }),
      { seed: 22, numRuns: RUNS.first },
    );
  });

  it('convTranspose2d: first and second order', () => {
    let i = 0;
    fc.assert(
      fc.property(transposeConfigs(2), fc.nat(1000), (cfg, seed) => {
        const { shapes, f } = transposeCase(cfg);
        check(f, inputs(shapes, seed), seed, i++ < RUNS.second);
      }),
      { seed: 23, numRuns: RUNS.first },
    );
  });

  it('unfold and fold: first and second order', () => {
    let i = 0;
    fc.assert(
      fc.property(convConfigs(1), fc.nat(1000), (cfg, seed) => {
        if (cfg.padding === 'same') return;
        const { n, c, h, w, kh, kw } = cfg;
        const opts = { stride: cfg.stride, padding: cfg.padding, dilation: cfg.dilation };
        const u = (x: Tensor) => unfold(x, [kh, kw], opts);
        const [x] = inputs([[n, c, h, w]], seed);
        const cols = u(x);
        const second = i++ < RUNS.second;
        check(u, [x], seed, second);
        check(
          (y) => fold(y, [h, w], [kh, kw], opts),
          inputs([cols.shape.slice()], seed),
          seed,
          second,
        );
      }),
      { seed: 24, numRuns: RUNS.first },
    );
  });

  it('gradients over a batch whose columns are made in chunks equal the sum of per-sample ones', () => {
    // 36 column rows × 1600 positions a sample: 4 samples a chunk (2^18 elements), so 6 make 2 chunks
    const [n, c, h, w] = [6, 4, 40, 40];
    const x = f64(values(n * c * h * w, 1), [n, c, h, w]).requiresGrad_(true);
    const wt = f64(values(3 * c * 9, 2), [3, c, 3, 3]).requiresGrad_(true);
    const out = conv2d(x, wt, null, { padding: 1 });
    const u = f64(values(out.size, 3), out.shape);
    const [gx, gw] = gradients(out.mul(u).sum(), [x, wt]);
    const sum = new Float64Array(gw.size);
    let worst = 0;
    for (let s = 0; s < n; s++) {
      const xs = x.detach().narrow(0, s, 1).requiresGrad_(true);
      const os = conv2d(xs, wt, null, { padding: 1 });
      const [gxs, gws] = gradients(os.mul(u.narrow(0, s, 1)).sum(), [xs, wt]);
      gws.data.forEach((v, i) => (sum[i] += v));
      const part = gx.narrow(0, s, 1).data;
      gxs.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(part[i] - v))));
    }
    gw.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - sum[i]) / (1 + Math.abs(v)))));
    expect(worst).toBeLessThan(1e-11);
  });
});

describe('explanations of the convolution primitives', () => {
  it('conv2d: the input gradient is the full correlation with the flipped kernel', () => {
    const at = (
      op: 'conv2d' | 'convTranspose2d' | 'conv2dWeight' | 'im2col' | 'col2im',
      i: number,
    ) =>
      derivatives[op]!({
        self: 'y',
        a: ['x', 'W', 'b'],
        i,
        x: ['x', 'W', 'b'][i],
        wrt: `∂y/∂${['x', 'W', 'b'][i]}`,
        other: 'W',
        attrs: { g: { sh: 2, sw: 1, ph: 1, pw: 0, dh: 1, dw: 2 } },
        num: String,
      });
    expect(at('conv2d', 0).formula).toBe('∂y[o, u, v]/∂x[c, u·2 − 1 + i, v + j·2] = W[o, c, i, j]');
    expect(at('conv2d', 0).rule).toContain('full correlation of upstream with the flipped kernel');
    expect(at('conv2d', 1).rule).toBe('the correlation of x with upstream, summed over the batch');
    expect(at('conv2d', 2).rule).toBe('Σ upstream over n, u and v');
    expect(at('convTranspose2d', 0).rule).toContain('conv2d(upstream, W)');
    expect(at('conv2dWeight', 1).rule).toBe('conv2d(x, upstream)');
    expect(at('im2col', 0).rule).toContain('col2im(upstream)');
    expect(at('col2im', 0).rule).toContain('im2col(upstream)');
  });
});
