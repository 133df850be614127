/**
 * The numbers behind the warped-space view, without the DOM (the tests run them in Node): the
 * input grid's lines and the data mapped through the network up to a layer, and the decision
 * regions of the rest of the network over the warped plane. Each runs the network in eval mode
 * and without gradients, and leaves the model's mode as it was. The training worker runs them
 * ({@link warpPicture}) and hands the page finished geometry, which views/warp.ts only draws.
 */
import { Linear, Sequential, tensor, type Module } from 'nabla';
import { decisionGrid, type DecisionGrid } from 'nabla/viz';
import { EXTENT, type PointSet } from '../data.js';
import { featureRows } from '../features.js';
import type { Settings } from '../settings.js';
import { inputFeatures } from '../trainer.js';
import { evaluating, layerActivations, layersOf, neuronLayerSizes } from './activations.js';
import { decisionColor, gridPixels } from './pixels.js';

/** Cells along each axis of the warped plane's decision regions. */
export const WARP_DECISION_RESOLUTION = 48;

/** Which neurons the view plots: neuron layer `layer` (1-based) and two of its neurons (0-based). */
export interface WarpChoice {
  layer: number;
  neurons: [number, number];
}

/**
 * A choice brought into range of a network of neuron layers `sizes` (inputs … outputs): the layer
 * to 1 … hidden layers + 1 (the outputs), the neurons to that layer's.
 */
export function clampChoice(sizes: readonly number[], { layer, neurons }: WarpChoice): WarpChoice {
  const l = Math.min(Math.max(1, Math.round(layer) || 1), sizes.length - 1);
  const clamp = (i: number): number => Math.min(Math.max(0, Math.round(i) || 0), sizes[l] - 1);
  return { layer: l, neurons: [clamp(neurons[0]), clamp(neurons[1])] };
}

/**
 * The warped-space view's picture, finished in the worker: typed arrays the page draws as they
 * are (and a postMessage hands over without copying, {@link warpTransferables}).
 */
export interface WarpPicture extends WarpChoice {
  /** Neurons per layer of the network drawn (inputs … outputs), for the view's selects. */
  sizes: number[];
  mode: Settings['mode'];
  /** The grid's mapped lines, each `samples` points [u, v, …] in a row (as {@link Warp.lines}). */
  lines: Float32Array<ArrayBuffer>;
  samples: number;
  axes: number[];
  /** The data points mapped, [u, v, …], and their labels (classes, or targets in regression). */
  points: Float32Array<ArrayBuffer>;
  labels: Float32Array<ArrayBuffer>;
  bounds: [number, number, number, number];
  /** The class predicted over the warped plane (see {@link warpedDecision}), RGBA pixels. */
  decision?: Uint8ClampedArray<ArrayBuffer>;
}

/** The warped space of `choice` (clamped to the network) for the data, as the page draws it. */
export function warpPicture(
  model: Module,
  settings: Settings,
  data: PointSet,
  choice: WarpChoice,
): WarpPicture {
  const sizes = neuronLayerSizes(model);
  const { layer, neurons } = clampChoice(sizes, choice);
  const w = warp(model, settings, data.points, layer, neurons);
  const samples = w.lines[0].length / 2;
  const lines = new Float32Array(w.lines.length * 2 * samples);
  w.lines.forEach((line, l) => lines.set(line, l * 2 * samples));
  const grid = warpedDecision(model, settings, layer, neurons, w.bounds, WARP_DECISION_RESOLUTION);
  const decision =
    grid && gridPixels(WARP_DECISION_RESOLUTION, decisionColor(grid, settings.discretize));
  return {
    layer,
    neurons,
    sizes,
    mode: settings.mode,
    lines,
    samples,
    axes: w.axes,
    points: new Float32Array(w.points),
    labels: Float32Array.from(data.labels),
    bounds: w.bounds,
    decision,
  };
}

/** The buffers of a warp picture that a postMessage can hand over instead of copying. */
export function warpTransferables(p: WarpPicture): ArrayBuffer[] {
  const out = [p.lines.buffer, p.points.buffer, p.labels.buffer];
  if (p.decision !== undefined) out.push(p.decision.buffer);
  return out;
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
