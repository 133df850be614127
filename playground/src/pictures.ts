/**
 * The heat maps of the page as finished pixels, without the DOM: the decision regions of the
 * boundary view (or the fitted curve, in regression), every neuron's small picture in the
 * network view, and the neuron the output panel shows large while it is pointed at. The training worker makes them after the slices that trained and hands them to
 * the page with its snapshot, so the page's frame loop only copies pixels; the page makes them
 * itself only when it has none for its current weights and settings (a change while paused).
 */
import { noGrad, tensor, type Module } from 'nabla';
import { classColor } from 'nabla/viz';
import type { Rgb } from './views/pixels.js';
import { EXTENT } from './data.js';
import { featureRows } from './features.js';
import type { Settings } from './settings.js';
import { isCurve } from './rules.js';
import { predictionPixels, REGRESSION_SCALE } from './surface.js';
import { inputFeatures } from './trainer.js';
import { boundaryGrid, neuronGrids, neuronScale } from './views/activations.js';
import { decisionColor, gridPixels, valueColor } from './views/pixels.js';

/** Grid cells along each axis of the boundary's heat map. */
export const BOUNDARY_RESOLUTION = 50;
/** Cells of each neuron's picture along each axis. */
export const NEURON_RESOLUTION = 24;
/** Points of the regression curve, evenly spaced over [−EXTENT, EXTENT]. */
export const CURVE_POINTS = 200;
/** Cells along each axis of the large picture of the neuron the output panel shows. */
export const SHOWN_RESOLUTION = 50;

/** A neuron of the network view: layer 0 the inputs. */
export interface ShownNeuron {
  layer: number;
  index: number;
}

export interface Pictures {
  /** The settings they were drawn for, as far as the pictures depend on them. */
  mode: Settings['mode'];
  discretize: boolean;
  /**
   * Classification: the RGBA pixels of the decision regions, BOUNDARY_RESOLUTION² (row 0 on top);
   * regression over the plane: ŷ in the diverging colours (surface.ts).
   */
  regions?: Uint8ClampedArray<ArrayBuffer>;
  /** A regression curve: the prediction ŷ at CURVE_POINTS evenly spaced x₁. */
  curve?: Float32Array<ArrayBuffer>;
  /** `neurons[l][i]`: neuron i of layer l (0: the inputs) as RGBA pixels, NEURON_RESOLUTION². */
  neurons: Uint8ClampedArray<ArrayBuffer>[][];
  /** The neuron the output panel shows (asked for with the pictures), RGBA, SHOWN_RESOLUTION². */
  shown?: ShownNeuron & { pixels: Uint8ClampedArray<ArrayBuffer> };
}

/** The x₁ of the regression curve's points. */
export function curveXs(): Float32Array<ArrayBuffer> {
  const n = CURVE_POINTS;
  const xs = new Float32Array(n);
  for (let i = 0; i < n; i++) xs[i] = -EXTENT + (i / (n - 1)) * 2 * EXTENT;
  return xs;
}

/** The regression curve: ŷ at {@link curveXs}. */
function curve(model: Module, s: Settings): Float32Array<ArrayBuffer> {
  const xs = curveXs();
  const pts = new Float32Array(2 * xs.length);
  for (let i = 0; i < xs.length; i++) pts[2 * i] = xs[i];
  const features = inputFeatures(s);
  const y = noGrad(() =>
    model.call(tensor(featureRows(pts, features)).reshape([xs.length, features.length])),
  ).data;
  return Float32Array.from(y as ArrayLike<number>);
}

/** Each neuron's picture: hidden neurons and inputs diverging around 0, class outputs in their colour. */
export function neuronImages(model: Module, s: Settings): Uint8ClampedArray<ArrayBuffer>[][] {
  const grids = neuronGrids(model, s, NEURON_RESOLUTION);
  const last = grids.sizes.length - 1;
  const classification = s.mode === 'classification';
  return grids.values.map((layer, l) =>
    layer.map((values, i) =>
      gridPixels(
        NEURON_RESOLUTION,
        l === last && classification
          ? (p) => classColor(i, values[p])
          : valueColor(values, neuronScale(values)),
      ),
    ),
  );
}

/**
 * One neuron's output over the plane, large (SHOWN_RESOLUTION²): inputs and hidden neurons in the
 * diverging colours at their own scale (as in the network view), a class output as its
 * probability in its colour, the regression output at the regression scale. Undefined when the
 * network has no such neuron.
 */
export function shownPixels(
  model: Module,
  s: Settings,
  neuron: ShownNeuron,
): Uint8ClampedArray<ArrayBuffer> | undefined {
  const grids = neuronGrids(model, s, SHOWN_RESOLUTION);
  const values = grids.values[neuron.layer]?.[neuron.index];
  if (values === undefined) return undefined;
  const last = grids.values.length - 1;
  const color =
    neuron.layer !== last
      ? valueColor(values, neuronScale(values))
      : s.mode === 'classification'
        ? (i: number): Rgb => classColor(neuron.index, values[i])
        : valueColor(values, REGRESSION_SCALE);
  return gridPixels(SHOWN_RESOLUTION, color);
}

/**
 * All the heat maps of the page for a model: two forward passes over grids of the plane, one over
 * the curve, and with `shown` one more for that neuron's large picture.
 */
export function drawPictures(model: Module, s: Settings, shown?: ShownNeuron): Pictures {
  const classification = s.mode === 'classification';
  const pictures: Pictures = {
    mode: s.mode,
    discretize: s.discretize,
    neurons: neuronImages(model, s),
  };
  const pixels = shown && shownPixels(model, s, shown);
  if (pixels !== undefined) pictures.shown = { ...shown!, pixels };
  if (classification) {
    const grid = boundaryGrid(model, s, BOUNDARY_RESOLUTION);
    pictures.regions = gridPixels(BOUNDARY_RESOLUTION, decisionColor(grid, s.discretize));
  } else if (isCurve(s)) {
    pictures.curve = curve(model, s);
  } else {
    pictures.regions = predictionPixels(model, s, BOUNDARY_RESOLUTION);
  }
  return pictures;
}

/** The large picture of `neuron` among the pictures, if they have it. */
export function shownPicture(
  p: Pictures,
  neuron: ShownNeuron,
): Uint8ClampedArray<ArrayBuffer> | undefined {
  const s = p.shown;
  return s !== undefined && s.layer === neuron.layer && s.index === neuron.index
    ? s.pixels
    : undefined;
}

/** Whether pictures fit the settings the page draws with now. */
export function picturesFit(p: Pictures | undefined, s: Settings): p is Pictures {
  return (
    p !== undefined &&
    p.mode === s.mode &&
    (s.mode !== 'classification' || p.discretize === s.discretize) &&
    (s.mode !== 'regression' || (p.curve !== undefined) === isCurve(s))
  );
}

/** The buffers of pictures that a postMessage can hand over instead of copying. */
export function transferables(p: Pictures): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  if (p.regions !== undefined) out.push(p.regions.buffer);
  if (p.curve !== undefined) out.push(p.curve.buffer);
  if (p.shown !== undefined) out.push(p.shown.pixels.buffer);
  for (const layer of p.neurons) for (const pixels of layer) out.push(pixels.buffer);
  return out;
}
