import { describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { Generator, matmul, randn, scalar, tensor } from '../src/index.js';

/** The worked examples of the lecture material, with their numbers. */

describe('f = (x + y)·z', () => {
  it('at x = −2, y = 5, z = −4: ∂f/∂x = ∂f/∂y = −4, ∂f/∂z = 3', () => {
    const x = scalar(-2, { requiresGrad: true });
    const y = scalar(5, { requiresGrad: true });
    const z = scalar(-4, { requiresGrad: true });
    const q = x.add(y);
    const f = q.mul(z);
    expect(q.item()).toBe(3);
    expect(f.item()).toBe(-12);
    f.backward();
    expect(x.grad!.item()).toBe(-4);
    expect(y.grad!.item()).toBe(-4);
    expect(z.grad!.item()).toBe(3);
  });
});

describe('the sigmoid neuron f(w, x) = 1 / (1 + e^−(w0·x0 + w1·x1 + w2))', () => {
  const sigma = 1 / (1 + Math.exp(-1)); // the dot product is 2·(−1) + (−3)·(−2) − 3 = 1
  const local = sigma * (1 - sigma); // ≈ 0.1966
  const expectGrads = (w: Tensor, x: Tensor): void => {
    const gw = Array.from(w.grad!.data);
    const gx = Array.from(x.grad!.data);
    [-1 * local, -2 * local, local].forEach((g, i) => expect(gw[i]).toBeCloseTo(g, 6));
    [2 * local, -3 * local].forEach((g, i) => expect(gx[i]).toBeCloseTo(g, 6));
    // The lecture's rounded numbers
    expect(gw.map((v) => Math.round(v * 100) / 100)).toEqual([-0.2, -0.39, 0.2]);
    expect(gx.map((v) => Math.round(v * 100) / 100)).toEqual([0.39, -0.59]);
  };

  it('as the circuit of the lecture: ·, +, ·(−1), exp, +1, 1/x', () => {
    const w = tensor([2, -3, -3], { requiresGrad: true, dtype: 'float64' });
    const x = tensor([-1, -2], { requiresGrad: true, dtype: 'float64' });
    const dot = w
      .get(0)
      .mul(x.get(0))
      .add(w.get(1).mul(x.get(1)))
      .add(w.get(2));
    const f = dot.mul(-1).exp().add(1).reciprocal();
    expect(dot.item()).toBe(1);
    expect(f.item()).toBeCloseTo(0.7311, 4);
    f.backward();
    expectGrads(w, x);
  });

  it('with the sigmoid gate, whose local gradient is σ(1 − σ)', () => {
    const w = tensor([2, -3, -3], { requiresGrad: true, dtype: 'float64' });
    const x = tensor([-1, -2], { requiresGrad: true, dtype: 'float64' });
    const f = w.slice(':2').mul(x).sum().add(w.get(2)).sigmoid();
    expect(f.item()).toBeCloseTo(sigma, 12);
    f.backward();
    expectGrads(w, x);
  });
});

describe('a 2-layer tanh network with squared error: the matrix recursion equals autograd', () => {
  // Hand-written backpropagation on plain arrays, column-vector convention of the lecture:
  //   s⁽ˡ⁾ = W⁽ˡ⁾ o⁽ˡ⁻¹⁾ + b⁽ˡ⁾,  o⁽ˡ⁾ = tanh(s⁽ˡ⁾),  e = Σ (o⁽ᴸ⁾ − y)²
  //   δ⁽ᴸ⁾ = 2(o − y)(1 − o²),  δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) ⊙ (1 − o⁽ˡ⁾ ⊙ o⁽ˡ⁾),  G⁽ˡ⁾ = δ⁽ˡ⁾ o⁽ˡ⁻¹⁾ᵀ,  ∂e/∂b⁽ˡ⁾ = δ⁽ˡ⁾
  type Matrix = number[][];
  const matVec = (W: Matrix, v: number[]): number[] =>
    W.map((row) => row.reduce((s, w, j) => s + w * v[j], 0));
  const transposeVec = (W: Matrix, v: number[]): number[] =>
    W[0].map((_, j) => W.reduce((s, row, i) => s + row[j] * v[i], 0));
  const outer = (a: number[], b: number[]): Matrix => a.map((ai) => b.map((bj) => ai * bj));

  function handBackprop(
    Ws: Matrix[],
    bs: number[][],
    x: number[],
    y: number[],
  ): { G: Matrix[]; gb: number[][]; e: number } {
    const o: number[][] = [x];
    for (let l = 0; l < Ws.length; l++) {
      o.push(matVec(Ws[l], o[l]).map((s, i) => Math.tanh(s + bs[l][i])));
    }
    const L = Ws.length;
    const out = o[L];
    const e = out.reduce((s, v, i) => s + (v - y[i]) ** 2, 0);
    const delta: number[][] = new Array(L);
    delta[L - 1] = out.map((v, i) => 2 * (v - y[i]) * (1 - v * v));
    for (let l = L - 2; l >= 0; l--) {
      delta[l] = transposeVec(Ws[l + 1], delta[l + 1]).map(
        (d, i) => d * (1 - o[l + 1][i] * o[l + 1][i]),
      );
    }
    return { G: delta.map((d, l) => outer(d, o[l])), gb: delta, e };
  }

  for (const [name, sizes] of [
    ['3 → 4 → 2', [3, 4, 2]],
    ['2 → 5 → 3 → 1', [2, 5, 3, 1]],
  ] as const) {
    it(`${name}: G⁽ˡ⁾ and ∂e/∂b⁽ˡ⁾ from the recursion match autograd for every layer`, () => {
      const gen = new Generator(2026);
      const Ws = sizes
        .slice(1)
        .map((n, l) =>
          randn([n, sizes[l]], { dtype: 'float64', generator: gen, requiresGrad: true }),
        );
      const bs = sizes
        .slice(1)
        .map((n) => randn([n, 1], { dtype: 'float64', generator: gen, requiresGrad: true }));
      const x = randn([sizes[0], 1], { dtype: 'float64', generator: gen });
      const y = randn([sizes[sizes.length - 1], 1], { dtype: 'float64', generator: gen });

      // autograd, in matrix form
      let o = x;
      for (let l = 0; l < Ws.length; l++) o = matmul(Ws[l], o).add(bs[l]).tanh();
      const e = o.sub(y).square().sum();
      e.backward();

      const hand = handBackprop(
        Ws.map((W) => W.toArray() as Matrix),
        bs.map((b) => Array.from(b.data)),
        Array.from(x.data),
        Array.from(y.data),
      );
      expect(e.item()).toBeCloseTo(hand.e, 12);
      Ws.forEach((W, l) => {
        const auto = W.grad!.toArray() as Matrix;
        hand.G[l].forEach((row, i) => row.forEach((g, j) => expect(auto[i][j]).toBeCloseTo(g, 12)));
        Array.from(bs[l].grad!.data).forEach((g, i) => expect(g).toBeCloseTo(hand.gb[l][i], 12));
      });
    });
  }
});
