/**
 * The numbers behind the network and warped-space views, without the DOM (the tests run them in
 * Node): every neuron's output over a grid of the plane, the input grid's lines mapped through
 * the network up to a layer, and the pixels and image files of grids. Each runs the network once, layer by layer, in eval mode and without
 * gradients, and leaves the model's mode as it was.
 */
import {
  Linear,
  Sequential,
  decisionGrid,
  noGrad,
  tensor,
  type DecisionGrid,
  type Module,
  type Tensor,
} from 'nabla';
import { EXTENT } from '../data.js';
import { featureRows } from '../features.js';
import type { Settings } from '../settings.js';
import { inputFeatures } from '../trainer.js';

/**
 * The centres of a `resolution × resolution` grid over [−extent, extent]², as interleaved
 * coordinates [x₁, x₂, …]: row 0 at the top (x₂ largest), each row from left to right, so that
 * point r·resolution + c is pixel (c, r) of an image of the plane.
 */
export function planeGrid(resolution: number, extent = EXTENT): Float32Array {
  const out = new Float32Array(resolution * resolution * 2);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      const i = r * resolution + c;
      out[2 * i] = -extent + ((c + 0.5) / resolution) * 2 * extent;
      out[2 * i + 1] = extent - ((r + 0.5) / resolution) * 2 * extent;
    }
  }
  return out;
}

/** The layers of a model (a Sequential's, or the model itself). */
const layersOf = (model: Module): readonly Module[] =>
  model instanceof Sequential ? model.layers : [model];

/** Sizes of the network's neuron layers: inputs, then each Linear layer's outputs. */
export function neuronLayerSizes(model: Module): number[] {
  const linears = layersOf(model).filter((l): l is Linear => l instanceof Linear);
  if (linears.length === 0) throw new TypeError('activations: the model has no Linear layer');
  return [linears[0].inFeatures, ...linears.map((l) => l.outFeatures)];
}

/** Runs `fn` with the model in eval mode and without gradients, then restores its mode. */
function evaluating<T>(model: Module, fn: () => T): T {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(fn);
  } finally {
    model.train(wasTraining);
  }
}

/**
 * One forward pass, layer by layer, keeping what each neuron layer gives: the inputs, then each
 * Linear layer's output after the activation (and dropout, off in eval mode) that follows it — for
 * the last Linear layer, its raw output (the logits). Each entry is [n × size] row-major.
 */
export function layerActivations(model: Module, inputs: Tensor): Float32Array[] {
  return evaluating(model, () => forward(layersOf(model), inputs));
}

function forward(layers: readonly Module[], inputs: Tensor): Float32Array[] {
  const outs: Tensor[] = [];
  let o = inputs;
  for (const layer of layers) {
    o = layer.call(o);
    if (layer instanceof Linear || outs.length === 0) outs.push(o);
    else outs[outs.length - 1] = o;
  }
  return [inputs, ...outs].map((t) => Float32Array.from(t.data as ArrayLike<number>));
}

/** Every neuron's output over a grid of the plane (see {@link neuronGrids}). */
export interface NeuronGrids {
  resolution: number;
  /** Neurons per layer: inputs, hidden layers, outputs. */
  sizes: number[];
  /**
   * `values[l][i]` holds neuron i of layer l at the grid's points (as {@link planeGrid} orders
   * them: row 0 at the top). Layer 0 are the input features; the hidden layers are after their
   * activation; the outputs are class probabilities (softmax) in classification, the prediction in
   * regression.
   */
  values: Float32Array[][];
}

/**
 * Every neuron's output at each point of a `resolution × resolution` grid over [−extent, extent]²,
 * from one forward pass of the whole grid. In regression the network reads x₁ only, so each
 * neuron's picture varies along x₁ alone.
 */
export function neuronGrids(
  model: Module,
  settings: Settings,
  resolution = 24,
  extent = EXTENT,
): NeuronGrids {
  const features = inputFeatures(settings);
  const m = resolution * resolution;
  const x = tensor(featureRows(planeGrid(resolution, extent), features)).reshape([
    m,
    features.length,
  ]);
  const acts = layerActivations(model, x);
  const sizes = neuronLayerSizes(model);
  if (acts.length !== sizes.length)
    throw new RangeError(`neuronGrids: expected ${sizes.length} layers, got ${acts.length}`);
  const last = sizes.length - 1;
  if (settings.mode === 'classification') softmaxRows(acts[last], sizes[last]);
  const values = acts.map((a, l) => {
    const k = sizes[l];
    return Array.from({ length: k }, (_, i) => {
      const v = new Float32Array(m);
      for (let p = 0; p < m; p++) v[p] = a[p * k + i];
      return v;
    });
  });
  return { resolution, sizes, values };
}

/** Softmax of each row of a [n × k] array, in place. */
function softmaxRows(a: Float32Array, k: number): void {
  for (let r = 0; r < a.length; r += k) {
    let best = -Infinity;
    for (let c = 0; c < k; c++) best = Math.max(best, a[r + c]);
    let total = 0;
    for (let c = 0; c < k; c++) {
      a[r + c] = Math.exp(a[r + c] - best);
      total += a[r + c];
    }
    for (let c = 0; c < k; c++) a[r + c] /= total;
  }
}

/**
 * The decision regions over the plane: `decisionGrid` (the library's, as `plotDecisionBoundary`
 * uses it) of the network at each point of a `resolution × resolution` grid over
 * [−extent, extent]², row 0 at the top. Paint it with `paintGrid(ctx, resolution,
 * decisionColor(grid), rect)` from heatmap.ts for the same colours as the library's plot.
 */
export function boundaryGrid(
  model: Module,
  settings: Settings,
  resolution: number,
  extent = EXTENT,
): DecisionGrid {
  const features = inputFeatures(settings);
  const x = tensor(featureRows(planeGrid(resolution, extent), features)).reshape([
    resolution * resolution,
    features.length,
  ]);
  return decisionGrid(model, x);
}

/**
 * The scale a neuron's picture is drawn at: its largest |value|, but at least 1, so that tanh and
 * sigmoid neurons keep the fixed range [−1, 1] (a nearly constant neuron looks pale) and ReLU
 * neurons, unbounded, fit their own range.
 */
export function neuronScale(values: ArrayLike<number>): number {
  let m = 1;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m) m = a;
  }
  return m;
}

/** Options of {@link warp}. */
export interface WarpOptions {
  /** Lines of the input grid in each direction (default 15). */
  lines?: number;
  /** Points along each line (default 40). */
  samples?: number;
  /** The grid covers [−extent, extent]² (default the plane the views draw). */
  extent?: number;
}

/** The input grid and the data after the network's first layers (see {@link warp}). */
export interface Warp {
  /**
   * The mapped lines: first the horizontal ones (x₂ fixed, from x₂ = −extent up), then the
   * vertical ones (x₁ fixed, from x₁ = −extent right); each [u, v, u, v, …] with u, v the two
   * chosen neurons' values along the line.
   */
  lines: Float32Array[];
  /** Indices in `lines` of the input plane's axes (x₂ = 0 and x₁ = 0), when the grid has them. */
  axes: number[];
  /** The data points mapped, [u, v, …]. */
  points: Float32Array;
  /**
   * The range to draw, [u₀, u₁, v₀, v₁]: of the mapped data and of the grid's samples near the data
   * (all of the grid when there are no data), padded by 5 %.
   */
  bounds: [number, number, number, number];
}

/**
 * The warped space: a grid of horizontal and vertical lines over the input plane (and the data
 * points) mapped through the network up to neuron layer `layer` — hidden layer `layer` after its
 * activation for 1 … hidden layers, or the output logits for one more — read as the values
 * (u, v) of the two chosen neurons (0-based indices in that layer). One forward pass maps all.
 */
export function warp(
  model: Module,
  settings: Settings,
  points: ArrayLike<number>,
  layer: number,
  neurons: [number, number],
  options: WarpOptions = {},
): Warp {
  const sizes = neuronLayerSizes(model);
  checkLayer(sizes, layer, neurons);
  const lines = options.lines ?? 15;
  const samples = options.samples ?? 40;
  const extent = options.extent ?? EXTENT;
  if (!Number.isInteger(lines) || lines < 2 || !Number.isInteger(samples) || samples < 2)
    throw new RangeError(
      `warp: lines and samples must be integers ≥ 2, got ${lines} and ${samples}`,
    );
  const n = points.length >> 1;
  const lineCount = 2 * lines * samples;
  const all = new Float32Array(2 * (lineCount + n));
  const at = (i: number): number => -extent + (2 * extent * i) / (lines - 1);
  const along = (j: number): number => -extent + (2 * extent * j) / (samples - 1);
  let p = 0;
  for (let i = 0; i < lines; i++)
    for (let j = 0; j < samples; j++) [all[p++], all[p++]] = [along(j), at(i)];
  for (let i = 0; i < lines; i++)
    for (let j = 0; j < samples; j++) [all[p++], all[p++]] = [at(i), along(j)];
  for (let i = 0; i < 2 * n; i++) all[p++] = points[i];

  const features = inputFeatures(settings);
  const x = tensor(featureRows(all, features)).reshape([lineCount + n, features.length]);
  const acts = layerActivations(model, x)[layer];
  const k = sizes[layer];
  const [a, b] = neurons;
  const mapped = new Float32Array(2 * (lineCount + n));
  for (let i = 0; i < lineCount + n; i++) {
    mapped[2 * i] = acts[i * k + a];
    mapped[2 * i + 1] = acts[i * k + b];
  }
  const out: Float32Array[] = [];
  for (let l = 0; l < 2 * lines; l++)
    out.push(mapped.slice(2 * l * samples, 2 * (l + 1) * samples));
  const axes: number[] = [];
  const middle = (lines - 1) / 2;
  if (Number.isInteger(middle)) axes.push(middle, lines + middle);
  return {
    lines: out,
    axes,
    points: mapped.slice(2 * lineCount),
    bounds: boundsOf(mapped, nearData(all, lineCount, n)),
  };
}

/**
 * Which of the mapped points set the view's range: the data, and the grid's samples near the data
 * (within its bounding box, widened by 15 %), or everything when there is no data. The grid's far
 * corners, where there are no data, can go far out (a ReLU grows without bound) and would shrink
 * the data to a dot.
 */
function nearData(all: Float32Array, lineCount: number, n: number): Uint8Array {
  const keep = new Uint8Array(lineCount + n).fill(1);
  if (n === 0) return keep;
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = lineCount; i < lineCount + n; i++) {
    [x0, x1] = [Math.min(x0, all[2 * i]), Math.max(x1, all[2 * i])];
    [y0, y1] = [Math.min(y0, all[2 * i + 1]), Math.max(y1, all[2 * i + 1])];
  }
  const margin = 0.15 * Math.max(x1 - x0, y1 - y0, 0.2);
  for (let i = 0; i < lineCount; i++) {
    const [x, y] = [all[2 * i], all[2 * i + 1]];
    keep[i] = x >= x0 - margin && x <= x1 + margin && y >= y0 - margin && y <= y1 + margin ? 1 : 0;
  }
  return keep;
}

function checkLayer(sizes: number[], layer: number, neurons: [number, number]): void {
  if (!Number.isInteger(layer) || layer < 1 || layer >= sizes.length)
    throw new RangeError(
      `warp: layer must be a hidden layer 1 … ${sizes.length - 2} (or ${sizes.length - 1}, the outputs), got ${layer}`,
    );
  for (const i of neurons)
    if (!Number.isInteger(i) || i < 0 || i >= sizes[layer])
      throw new RangeError(
        `warp: layer ${layer} has neurons 0 … ${sizes[layer] - 1}, got ${neurons.join(', ')}`,
      );
}

/** The range of the kept interleaved points, padded by 5 % (at least ±0.5 around one value). */
function boundsOf(uv: Float32Array, keep: Uint8Array): [number, number, number, number] {
  let [u0, u1, v0, v1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < uv.length; i += 2) {
    if (keep[i >> 1] === 0) continue;
    const [u, v] = [uv[i], uv[i + 1]];
    if (!Number.isFinite(u) || !Number.isFinite(v)) continue;
    [u0, u1, v0, v1] = [Math.min(u0, u), Math.max(u1, u), Math.min(v0, v), Math.max(v1, v)];
  }
  if (!(u0 <= u1)) [u0, u1, v0, v1] = [-1, 1, -1, 1];
  const pad = (lo: number, hi: number): [number, number] => {
    const d = hi - lo < 1e-6 ? 0.5 : (hi - lo) * 0.05;
    return [lo - d, hi + d];
  };
  return [...pad(u0, u1), ...pad(v0, v1)];
}

/**
 * The class the network predicts at each point of the warped plane, when that plane is the whole
 * of the layer's space (the layer has exactly two neurons, both shown): the rest of the network
 * runs on a `resolution × resolution` grid over `bounds` (row 0 at the top, v largest). Undefined
 * when the layer has more neurons than the two shown, or in regression.
 */
export function warpedDecision(
  model: Module,
  settings: Settings,
  layer: number,
  neurons: [number, number],
  bounds: [number, number, number, number],
  resolution = 48,
): DecisionGrid | undefined {
  const sizes = neuronLayerSizes(model);
  checkLayer(sizes, layer, neurons);
  if (settings.mode !== 'classification' || sizes[layer] !== 2 || neurons[0] === neurons[1])
    return undefined;
  const layers = layersOf(model);
  // The layers after neuron layer `layer`: from the Linear layer after its `layer`-th one.
  let seen = 0;
  let start = layers.length;
  for (let i = 0; i < layers.length; i++) {
    if (layers[i] instanceof Linear && seen++ === layer) {
      start = i;
      break;
    }
  }
  const [u0, u1, v0, v1] = bounds;
  const grid = new Float32Array(resolution * resolution * 2);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      const i = r * resolution + c;
      const u = u0 + ((c + 0.5) / resolution) * (u1 - u0);
      const v = v1 - ((r + 0.5) / resolution) * (v1 - v0);
      // Neuron neurons[0] is u and neurons[1] is v, whichever order they have in the layer.
      grid[2 * i + neurons[0]] = u;
      grid[2 * i + neurons[1]] = v;
    }
  }
  const points = tensor(grid).reshape([resolution * resolution, 2]);
  return evaluating(model, () => {
    if (start === layers.length) return decisionGrid(identity(), points);
    const tail = new Sequential(...layers.slice(start));
    tail.eval();
    return decisionGrid(tail, points);
  });
}

/** The output layer itself (the logits are the warped plane): a model that returns its input. */
function identity(): Module {
  const net = new Sequential();
  net.eval();
  return net;
}

/** A colour as [r, g, b] in 0…255, as the library's `classColor` and `divergingColor` give. */
export type Rgb = [number, number, number];

/**
 * The RGBA pixels of a `resolution × resolution` grid (cell i = row·resolution + column, row 0 at
 * the top), each cell coloured by `color(i)`.
 */
export function gridPixels(
  resolution: number,
  color: (i: number) => Rgb,
): Uint8ClampedArray<ArrayBuffer> {
  const px = new Uint8ClampedArray(resolution * resolution * 4);
  for (let i = 0; i < resolution * resolution; i++) {
    const [r, g, b] = color(i);
    px[4 * i] = r;
    px[4 * i + 1] = g;
    px[4 * i + 2] = b;
    px[4 * i + 3] = 255;
  }
  return px;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_CODES = Uint8Array.from(BASE64, (c) => c.charCodeAt(0));
const ascii = new TextDecoder('latin1');

/** Base64 of bytes (whose length is a multiple of 3). */
function base64(bytes: Uint8Array): string {
  const out = new Uint8Array((bytes.length / 3) * 4);
  for (let i = 0, o = 0; i < bytes.length; i += 3, o += 4) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o] = BASE64_CODES[v >> 18];
    out[o + 1] = BASE64_CODES[(v >> 12) & 63];
    out[o + 2] = BASE64_CODES[(v >> 6) & 63];
    out[o + 3] = BASE64_CODES[v & 63];
  }
  return ascii.decode(out);
}

/**
 * A data URL of a BMP image (24-bit, top row first), `width × height` pixels coloured by
 * `color(i)` for pixel i = row·width + column. Encoding it is plain arithmetic — no canvas and no
 * compression — so tens of small pictures cost about a millisecond, and browsers decode it at once.
 */
export function bmpDataUrl(width: number, height: number, color: (i: number) => Rgb): string {
  const row = Math.ceil((width * 3) / 4) * 4;
  // 54 bytes of headers, the rows, and padding to a multiple of 3 for base64 without '='.
  const data = row * height;
  const size = 54 + data;
  const bytes = new Uint8Array(Math.ceil(size / 3) * 3);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x42; // 'B'
  bytes[1] = 0x4d; // 'M'
  view.setUint32(2, size, true);
  view.setUint32(10, 54, true); // where the pixels start
  view.setUint32(14, 40, true); // BITMAPINFOHEADER
  view.setInt32(18, width, true);
  view.setInt32(22, -height, true); // negative: rows from the top down
  view.setUint16(26, 1, true); // planes
  view.setUint16(28, 24, true); // bits per pixel
  view.setUint32(34, data, true);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = color(y * width + x);
      const o = 54 + y * row + 3 * x;
      bytes[o] = b;
      bytes[o + 1] = g;
      bytes[o + 2] = r;
    }
  }
  return `data:image/bmp;base64,${base64(bytes)}`;
}
