import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, ones, tensor, unfold, type Tensor } from '../../src/index.js';
import { convConfigs, values, type ConvConfig } from './conv-reference.js';

/** unfold (im2col) and fold (col2im) against their definitions, PyTorch's. */

const f64 = (data: Float64Array | number[], shape: number[]): Tensor =>
  tensor(data, { shape, dtype: 'float64' });

/** unfold by its definition: row (c·kh + i)·kw + j, column l = oy·ow + ox holds x[c, oy·s − p + i·d, ox·s − p + j·d]. */
function naiveUnfold(x: Float64Array, cfg: ConvConfig, padding: [number, number]) {
  const { n, c, h, w, kh, kw, stride: s, dilation: d } = cfg;
  const oh = Math.floor((h + 2 * padding[0] - d[0] * (kh - 1) - 1) / s[0]) + 1;
  const ow = Math.floor((w + 2 * padding[1] - d[1] * (kw - 1) - 1) / s[1]) + 1;
  const rows = c * kh * kw;
  const out = new Float64Array(n * rows * oh * ow);
  for (let b = 0; b < n; b++)
    for (let ci = 0; ci < c; ci++)
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++)
          for (let oy = 0; oy < oh; oy++)
            for (let ox = 0; ox < ow; ox++) {
              const iy = oy * s[0] - padding[0] + i * d[0];
              const ix = ox * s[1] - padding[1] + j * d[1];
              const row = (ci * kh + i) * kw + j;
              const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
              out[(b * rows + row) * oh * ow + oy * ow + ox] = inside
                ? x[((b * c + ci) * h + iy) * w + ix]
                : 0;
            }
  return { data: out, shape: [n, rows, oh * ow] };
}

describe('unfold', () => {
  it('hand-checked: the 2×2 windows of a 3×3 image', () => {
    const x = f64([0, 1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 3, 3]);
    const cols = unfold(x, 2);
    expect(cols.shape).toEqual([1, 4, 4]);
    // one row per tap, one column per window
    expect(Array.from(cols.data)).toEqual([0, 1, 3, 4, 1, 2, 4, 5, 3, 4, 6, 7, 4, 5, 7, 8]);
    // unbatched, with padding 1 and stride 2: the windows at (−1, −1), (−1, 1), (1, −1), (1, 1)
    const padded = unfold(f64([0, 1, 2, 3, 4, 5, 6, 7, 8], [1, 3, 3]), 2, {
      padding: 1,
      stride: 2,
    });
    expect(padded.shape).toEqual([4, 4]);
    expect(Array.from(padded.data)).toEqual([0, 0, 0, 4, 0, 0, 3, 5, 0, 1, 0, 7, 0, 2, 6, 8]);
  });

  it('equals its definition on random windows', () => {
    fc.assert(
      fc.property(convConfigs(), fc.nat(1000), (cfg, seed) => {
        if (cfg.padding === 'same') return;
        const x = values(cfg.n * cfg.c * cfg.h * cfg.w, seed);
        const opts = { stride: cfg.stride, padding: cfg.padding, dilation: cfg.dilation };
        const cols = unfold(f64(x, [cfg.n, cfg.c, cfg.h, cfg.w]), [cfg.kh, cfg.kw], opts);
        const expected = naiveUnfold(x, cfg, cfg.padding);
        expect(cols.shape).toEqual(expected.shape);
        expect(Array.from(cols.data)).toEqual(Array.from(expected.data));
      }),
      { seed: 31, numRuns: 100 },
    );
  });
});

describe('fold', () => {
  it('hand-checked: folding ones counts how many windows cover each position', () => {
    const counts = fold(ones([1, 4, 4], { dtype: 'float64' }), [3, 3], 2);
    expect(counts.shape).toEqual([1, 1, 3, 3]);
    expect(Array.from(counts.data)).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
    // unbatched [C·kh·kw, L] gives [C, H, W]; non-overlapping windows give the image back
    const x = f64(values(2 * 16, 4), [2, 4, 4]);
    const back = fold(unfold(x, 2, { stride: 2 }), [4, 4], 2, { stride: 2 });
    expect(back.shape).toEqual([2, 4, 4]);
    expect(Array.from(back.data)).toEqual(Array.from(x.data));
  });

  it('is the adjoint of unfold: ⟨unfold(x), y⟩ = ⟨x, fold(y)⟩', () => {
    fc.assert(
      fc.property(convConfigs(), fc.nat(1000), (cfg, seed) => {
        if (cfg.padding === 'same') return;
        const opts = { stride: cfg.stride, padding: cfg.padding, dilation: cfg.dilation };
        const x = f64(values(cfg.n * cfg.c * cfg.h * cfg.w, seed), [cfg.n, cfg.c, cfg.h, cfg.w]);
        const cols = unfold(x, [cfg.kh, cfg.kw], opts);
        const y = f64(values(cols.size, seed + 1), cols.shape.slice());
        const folded = fold(y, [cfg.h, cfg.w], [cfg.kh, cfg.kw], opts);
        expect(folded.shape).toEqual(x.shape);
        const lhs = cols.mul(y).sum().item();
        const rhs = x.mul(folded).sum().item();
        expect(Math.abs(lhs - rhs)).toBeLessThan(1e-10 * (1 + Math.abs(lhs)));
      }),
      { seed: 32, numRuns: 100 },
    );
  });
});
