import { describe, expect, it } from 'vitest';
import { explainConv, explainConvText } from '../../src/viz.js';

describe('explainConv', () => {
  it('computes the forward pass of the 4×4 ⋆ 2×2 example', () => {
    const e = explainConv();
    // y[i][j] = x[i][j] + 2·x[i][j+1] − x[i+1][j] with x[i][j] = 4i + j + 1: y = 8i + 2j.
    expect(e.output).toEqual([
      [0, 2, 4],
      [8, 10, 12],
      [16, 18, 20],
    ]);
    expect(e.sums[0]).toBe('y₀₀ = 1·1 + 2·2 + 5·(−1) + 6·0 = 0');
  });

  it('gives ∂L/∂x as the full correlation of δ with the flipped kernel, and ∂L/∂K as x ⋆ δ', () => {
    const e = explainConv();
    // Hand check of two entries: ∂L/∂x₀₀ = δ₀₀·K₀₀ = 1; ∂L/∂x₁₁ = Σ δ over the windows covering x₁₁.
    expect(e.inputGrad[0][0]).toBe(1);
    // windows (0,0) K11=0, (0,1) K10=−1·δ01=0, (1,0) K01=2·δ10=4, (1,1) K00=1·δ11=1
    expect(e.inputGrad[1][1]).toBe(0 + 0 + 4 + 1);
    // ∂L/∂K₀₀ = Σ x[i][j]·δ[i][j] over the 3×3 top-left block.
    const x = e.input;
    const d = e.delta;
    let k00 = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) k00 += x[i][j] * d[i][j];
    expect(e.kernelGrad[0][0]).toBe(k00);
    expect(e.autogradDifference).toBe(0);
  });

  it('takes other numbers, and checks them', () => {
    const e = explainConv({
      input: [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
      kernel: [
        [0, 1],
        [1, 0],
      ],
    });
    expect(e.output).toEqual([
      [6, 8],
      [12, 14],
    ]);
    expect(e.delta).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(e.autogradDifference).toBeLessThan(1e-12);
    expect(() => explainConv({ kernel: [[1, 2, 3]] })).toThrow(
      /explainConv: kernel must be a square matrix/,
    );
    expect(() =>
      explainConv({
        input: [[1]],
        kernel: [
          [1, 2],
          [3, 4],
        ],
      }),
    ).toThrow(/explainConv: kernel must be at most 1×1/);
    expect(() => explainConv({ delta: [[1]] })).toThrow(/explainConv: delta must be a 3×3 matrix/);
  });

  it('prints the lesson in words', () => {
    const text = explainConvText(explainConv());
    expect(text).toContain(
      'full correlation of δ (padded by 1 zero on each side) with K flipped 180°',
    );
    expect(text).toContain('∂L/∂K = correlation of x with δ');
    expect(text).toContain('Autograd (conv2d, float64) agrees: largest difference 0.0e+0');
  });
});
