/**
 * The numbers behind the playground's network and warped-space views, checked by hand on a 2-2-2
 * tanh network whose weights are set here.
 */
import { describe, expect, it } from 'vitest';
import type { Linear, Sequential } from '../../src/index.js';
import { Generator, mlp, tensor } from '../../src/index.js';
import { divergingColor } from '../../src/viz.js';
import { buildModel } from '../../playground/src/model.js';
import { DEFAULT_SETTINGS, type Settings } from '../../playground/src/settings.js';
import {
  boundaryGrid,
  layerActivations,
  neuronGrids,
  neuronLayerSizes,
  neuronScale,
  planeGrid,
} from '../../playground/src/views/activations.js';
import { bmpDataUrl, gridPixels } from '../../playground/src/views/pixels.js';
import { warp, warpedDecision } from '../../playground/src/views/warp-math.js';

const settings = (over: Partial<Settings> = {}): Settings => ({
  ...structuredClone(DEFAULT_SETTINGS),
  ...over,
});

// Hidden layer: h = tanh(W p + b); outputs: logits o = V h + c.
const W = [
  [1, -2],
  [0.5, 1],
];
const b = [0.1, -0.3];
const V = [
  [2, 0],
  [-1, 3],
];
const c = [0, 0.5];

function handSet(s: Settings): Sequential {
  const model = buildModel(s, new Generator(1)) as Sequential;
  const [l1, , l2] = model.layers as [Linear, unknown, Linear];
  l1.weight.data.set(W.flat());
  l1.bias!.data.set(b);
  l2.weight.data.set(V.flat());
  l2.bias!.data.set(c);
  return model;
}

const hidden = (x: number, y: number): [number, number] => [
  Math.tanh(W[0][0] * x + W[0][1] * y + b[0]),
  Math.tanh(W[1][0] * x + W[1][1] * y + b[1]),
];
const logits = ([h0, h1]: [number, number]): [number, number] => [
  V[0][0] * h0 + V[0][1] * h1 + c[0],
  V[1][0] * h0 + V[1][1] * h1 + c[1],
];

describe('the playground views: activations', () => {
  const s = settings({ hidden: [2], activation: 'tanh' });

  it('lays the grid out as an image of the plane: row 0 at the top', () => {
    const g = planeGrid(4, 2);
    // cell centres at ±0.5, ±1.5
    expect(Array.from(g.slice(0, 8))).toEqual([-1.5, 1.5, -0.5, 1.5, 0.5, 1.5, 1.5, 1.5]);
    expect(Array.from(g.slice(-2))).toEqual([1.5, -1.5]);
  });

  it('gives every neuron of a hand-set 2-2-2 network over the grid, from one pass', () => {
    const model = handSet(s);
    model.train();
    const grids = neuronGrids(model, s, 3, 1.5);
    expect(model.training).toBe(true);
    expect(grids.sizes).toEqual([2, 2, 2]);
    const pts = planeGrid(3, 1.5);
    for (let p = 0; p < 9; p++) {
      const [x, y] = [pts[2 * p], pts[2 * p + 1]];
      expect(grids.values[0][0][p]).toBeCloseTo(x, 6);
      expect(grids.values[0][1][p]).toBeCloseTo(y, 6);
      const h = hidden(x, y);
      expect(grids.values[1][0][p]).toBeCloseTo(h[0], 5);
      expect(grids.values[1][1][p]).toBeCloseTo(h[1], 5);
      // outputs: the softmax of the logits, the probability of each class
      const [o0, o1] = logits(h);
      const p1 = 1 / (1 + Math.exp(o0 - o1));
      expect(grids.values[2][1][p]).toBeCloseTo(p1, 5);
      expect(grids.values[2][0][p]).toBeCloseTo(1 - p1, 5);
    }
    // the top-left cell is (−1, 1)
    expect(grids.values[1][0][0]).toBeCloseTo(Math.tanh(-1 - 2 + 0.1), 5);
  });

  it('computes the chosen features as the inputs, and the raw output in regression', () => {
    const r = settings({ mode: 'regression', features: ['x', 'x2', 'y'], hidden: [3] });
    const model = buildModel(r, new Generator(2));
    const grids = neuronGrids(model, r, 2, 1);
    expect(grids.sizes).toEqual([2, 3, 1]); // y is not an input in regression
    expect(Array.from(grids.values[0][1])).toEqual([0.25, 0.25, 0.25, 0.25]);
    const x = tensor([
      [-0.5, 0.25],
      [0.5, 0.25],
    ]);
    const out = model.call(x).data;
    expect(grids.values[2][0][0]).toBeCloseTo(out[0], 5);
    expect(grids.values[2][0][1]).toBeCloseTo(out[1], 5);
    expect(grids.values[2][0][2]).toBeCloseTo(out[0], 5); // the bottom row: same x₁
  });

  it('keeps the activation of each hidden layer, and the logits last', () => {
    const model = handSet(s);
    const acts = layerActivations(model, tensor([[0.3, -0.7]]));
    expect(acts).toHaveLength(3);
    const h = hidden(0.3, -0.7);
    expect(acts[1][0]).toBeCloseTo(h[0], 5);
    expect(acts[2][1]).toBeCloseTo(logits(h)[1], 5);
    expect(neuronLayerSizes(mlp([3, 4, 5, 2]))).toEqual([3, 4, 5, 2]);
  });

  it('scales a neuron to [−1, 1] or its own larger range', () => {
    expect(neuronScale([0.2, -0.5])).toBe(1);
    expect(neuronScale([0.2, -2.5, 1])).toBe(2.5);
  });
});

describe('the playground views: warped space', () => {
  const s = settings({ hidden: [2], activation: 'tanh' });

  it('maps the input grid and the data to tanh(W·p + b) of the chosen neurons', () => {
    const model = handSet(s);
    const data = [0.3, -0.7, -1.2, 0.4];
    const w = warp(model, s, data, 1, [0, 1], { lines: 3, samples: 5, extent: 1 });
    expect(w.lines).toHaveLength(6);
    expect(w.axes).toEqual([1, 4]);
    // horizontal line 0: x₂ = −1, x₁ from −1 to 1; vertical line 3 + 2: x₁ = 1
    const along = [-1, -0.5, 0, 0.5, 1];
    along.forEach((t, j) => {
      const [u, v] = hidden(t, -1);
      expect(w.lines[0][2 * j]).toBeCloseTo(u, 5);
      expect(w.lines[0][2 * j + 1]).toBeCloseTo(v, 5);
      const [u2, v2] = hidden(1, t);
      expect(w.lines[5][2 * j]).toBeCloseTo(u2, 5);
      expect(w.lines[5][2 * j + 1]).toBeCloseTo(v2, 5);
    });
    const [pu, pv] = hidden(-1.2, 0.4);
    expect(w.points[2]).toBeCloseTo(pu, 5);
    expect(w.points[3]).toBeCloseTo(pv, 5);
    // swapped axes, and the output layer's logits
    const swapped = warp(model, s, data, 1, [1, 0], { lines: 3, samples: 5, extent: 1 });
    expect(swapped.points[0]).toBeCloseTo(hidden(0.3, -0.7)[1], 5);
    const out = warp(model, s, data, 2, [0, 1], { lines: 3, samples: 5, extent: 1 });
    const [o0, o1] = logits(hidden(0.3, -0.7));
    expect(out.points[0]).toBeCloseTo(o0, 5);
    expect(out.points[1]).toBeCloseTo(o1, 5);
    // bounds: the data and the grid near it — the data's box x₁ ∈ [−1.2, 0.3], x₂ ∈ [−0.7, 0.4]
    // widened by 0.15 · 1.5 — padded by 5 %
    const near: [number, number][] = [
      [0.3, -0.7],
      [-1.2, 0.4],
    ];
    for (const x of [-1, -0.5, 0, 0.5]) near.push([x, 0]); // on the line x₂ = 0
    for (const x of [-1, 0]) for (const y of [-0.5, 0, 0.5]) near.push([x, y]); // x₁ = −1, 0
    const us = near.map(([x, y]) => hidden(x, y)[0]);
    const vs = near.map(([x, y]) => hidden(x, y)[1]);
    const pad = (v: number[]): [number, number] => {
      const span = Math.max(...v) - Math.min(...v);
      return [Math.min(...v) - 0.05 * span, Math.max(...v) + 0.05 * span];
    };
    expect(w.bounds[0]).toBeCloseTo(pad(us)[0], 5);
    expect(w.bounds[1]).toBeCloseTo(pad(us)[1], 5);
    expect(w.bounds[2]).toBeCloseTo(pad(vs)[0], 5);
    expect(w.bounds[3]).toBeCloseTo(pad(vs)[1], 5);
    // without data, the whole grid
    const all = warp(model, s, [], 1, [0, 1], { lines: 3, samples: 5, extent: 1 });
    const every = all.lines.flatMap((l) => Array.from(l).filter((_, i) => i % 2 === 0));
    expect(all.bounds[0]).toBeCloseTo(pad(every)[0], 5);
  });

  it('refuses a layer or neuron the network does not have', () => {
    const model = handSet(s);
    expect(() => warp(model, s, [], 0, [0, 1])).toThrow(/layer must be a hidden layer 1 … 1/);
    expect(() => warp(model, s, [], 3, [0, 1])).toThrow(/got 3/);
    expect(() => warp(model, s, [], 1, [0, 2])).toThrow(/layer 1 has neurons 0 … 1, got 0, 2/);
  });

  it('shows the rest of the network’s decision over a two-neuron layer', () => {
    const model = handSet(s);
    const bounds: [number, number, number, number] = [-1, 1, -1, 1];
    const d = warpedDecision(model, s, 1, [0, 1], bounds, 2)!;
    // cells (u, v) = (−0.5, 0.5), (0.5, 0.5), (−0.5, −0.5), (0.5, −0.5): class = argmax V·h + c
    const cells: [number, number][] = [
      [-0.5, 0.5],
      [0.5, 0.5],
      [-0.5, -0.5],
      [0.5, -0.5],
    ];
    expect(Array.from(d.classes)).toEqual(
      cells.map((h) => {
        const [o0, o1] = logits(h);
        return o1 > o0 ? 1 : 0;
      }),
    );
    // with the axes swapped, neuron 1 runs across
    const swapped = warpedDecision(model, s, 1, [1, 0], bounds, 2)!;
    expect(Array.from(swapped.classes)).toEqual(
      cells.map(([u, v]) => {
        const [o0, o1] = logits([v, u]);
        return o1 > o0 ? 1 : 0;
      }),
    );
    // at the output layer the plane is the logits themselves
    const out = warpedDecision(model, s, 2, [0, 1], bounds, 2)!;
    expect(Array.from(out.classes)).toEqual([1, 0, 0, 0]); // class 1 where v > u
    // more neurons than the two shown: no decision to draw
    const wide = settings({ hidden: [3] });
    expect(warpedDecision(buildModel(wide, new Generator(1)), wide, 1, [0, 1], bounds)).toBe(
      undefined,
    );
  });
});

describe('the playground views: pictures of grids', () => {
  it('encodes a grid as a BMP data URL, top row first, with padded rows', () => {
    const colors: [number, number, number][] = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [10, 20, 30],
    ];
    const url = bmpDataUrl(2, 2, (i) => colors[i]);
    expect(url.startsWith('data:image/bmp;base64,')).toBe(true);
    const bytes = Buffer.from(url.slice('data:image/bmp;base64,'.length), 'base64');
    expect(bytes.toString('latin1', 0, 2)).toBe('BM');
    const size = 54 + 2 * 8; // rows of 2 · 3 bytes padded to 8
    expect(bytes.readUInt32LE(2)).toBe(size);
    expect(bytes.readUInt32LE(10)).toBe(54);
    expect(bytes.readInt32LE(18)).toBe(2);
    expect(bytes.readInt32LE(22)).toBe(-2); // top-down
    expect(bytes.readUInt16LE(28)).toBe(24);
    // pixels as blue, green, red
    expect(Array.from(bytes.subarray(54, 60))).toEqual([0, 0, 255, 0, 255, 0]);
    expect(Array.from(bytes.subarray(62, 68))).toEqual([255, 0, 0, 30, 20, 10]);
    // the same colours as the library's, through gridPixels
    const px = gridPixels(2, (i) => divergingColor(i - 1.5));
    expect(Array.from(px.subarray(0, 4))).toEqual([...divergingColor(-1.5), 255]);
  });
});

describe('the playground views: the boundary', () => {
  it('classifies the plane with the library’s decisionGrid, row 0 at the top', () => {
    const s = settings({ hidden: [2], activation: 'tanh' });
    const model = handSet(s);
    const g = boundaryGrid(model, s, 3, 1.5);
    const pts = planeGrid(3, 1.5);
    expect(g.k).toBe(2);
    for (let p = 0; p < 9; p++) {
      const [o0, o1] = logits(hidden(pts[2 * p], pts[2 * p + 1]));
      expect(g.classes[p]).toBe(o1 > o0 ? 1 : 0);
      const p1 = 1 / (1 + Math.exp(o0 - o1));
      expect(g.confidence[p]).toBeCloseTo(2 * Math.max(p1, 1 - p1) - 1, 5);
    }
  });
});
