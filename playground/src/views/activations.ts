/**
 * The numbers behind the network view and the boundary, without the DOM (the tests run them in
 * Node): the grid of the plane, each neuron layer's outputs in one forward pass, every neuron's
 * output over the grid, and the decision regions. Each runs the network once, layer by layer, in
 * eval mode and without gradients, and leaves the model's mode as it was. The warped space is in
 * warp-math.ts, the pixels and image files of grids in pixels.ts.
 */
import { Linear, Sequential, evalMode, noGrad, tensor, type Module, type Tensor } from 'nabla';
import { decisionGrid, type DecisionGrid } from 'nabla/viz';
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
export const layersOf = (model: Module): readonly Module[] =>
  model instanceof Sequential ? model.layers : [model];

/** Sizes of the network's neuron layers: inputs, then each Linear layer's outputs. */
export function neuronLayerSizes(model: Module): number[] {
  const linears = layersOf(model).filter((l): l is Linear => l instanceof Linear);
  if (linears.length === 0) throw new TypeError('activations: the model has no Linear layer');
  return [linears[0].inFeatures, ...linears.map((l) => l.outFeatures)];
}

/** Runs `fn` with the model in eval mode and without gradients, then restores its mode. */
export function evaluating<T>(model: Module, fn: () => T): T {
  return evalMode(model, () => noGrad(fn));
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
