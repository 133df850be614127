/**
 * Regression over the plane (TensorFlow Playground's plane and multi-Gaussian sets): the network's
 * prediction ŷ(x₁, x₂) over a grid of the plane as pixels in the diverging colours — orange −1,
 * white 0, blue +1 — the picture the output panel shows. No DOM: the training worker makes it.
 */
import { tensor, type Module } from 'nabla';
import { divergingColor } from 'nabla/viz';
import { featureRows } from './features.js';
import type { Settings } from './settings.js';
import { inputFeatures } from './trainer.js';
import { evaluating, planeGrid } from './views/activations.js';
import { gridPixels } from './views/pixels.js';

/** The range of values the regression colours span: ŷ and y from −1 (orange) to +1 (blue). */
export const REGRESSION_SCALE = 1;

/** ŷ at each point of a `resolution²` grid of the plane (row 0 on top), in eval mode. */
export function predictionGrid(model: Module, s: Settings, resolution: number): Float32Array {
  const features = inputFeatures(s);
  const n = resolution * resolution;
  const x = tensor(featureRows(planeGrid(resolution), features)).reshape([n, features.length]);
  const y = evaluating(model, () => model.call(x));
  return Float32Array.from(y.data as ArrayLike<number>);
}

/** The RGBA pixels of ŷ over the plane, `resolution²`, for the boundary view to paint. */
export function predictionPixels(
  model: Module,
  s: Settings,
  resolution: number,
): Uint8ClampedArray<ArrayBuffer> {
  const y = predictionGrid(model, s, resolution);
  return gridPixels(resolution, (i) => divergingColor(y[i] / REGRESSION_SCALE));
}
