/**
 * Painting grids of values into canvases, in the library's own colours: `classColor` for decision
 * regions (as `plotDecisionBoundary` draws them) and `divergingColor` for a neuron's output (as
 * `neuronDiagram` fills its neurons). The views of the network, the warped space and the boundary
 * share these, so that one colour means one thing everywhere on the page.
 */
import { gridPixels, type Rgb } from './pixels.js';

// The colours of cells (DOM-free, so the training worker and Node share them).
export { decisionColor, valueColor } from './pixels.js';

/**
 * Sizes a canvas to `width × height` CSS pixels, backed by as many device pixels as the screen
 * has (devicePixelRatio), and returns its context scaled so that one unit is one CSS pixel.
 */
export function fitCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D {
  const ratio = Math.max(1, Math.min(3, globalThis.devicePixelRatio || 1));
  const [w, h] = [Math.round(width * ratio), Math.round(height * ratio)];
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('heatmap: the browser gave no 2-D canvas context');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** A small canvas for one grid, reused between calls (each picture is drawn from it at once). */
let scratch: HTMLCanvasElement | undefined;

function gridCanvas(resolution: number, pixels: Uint8ClampedArray<ArrayBuffer>): HTMLCanvasElement {
  scratch ??= document.createElement('canvas');
  if (scratch.width !== resolution) scratch.width = resolution;
  if (scratch.height !== resolution) scratch.height = resolution;
  const ctx = scratch.getContext('2d');
  if (ctx === null) throw new Error('heatmap: the browser gave no 2-D canvas context');
  ctx.putImageData(new ImageData(pixels, resolution), 0, 0);
  return scratch;
}

/**
 * Paints a grid's RGBA pixels (`resolution²`, as `gridPixels` makes them) into the rectangle
 * (x, y, w, h) of a context, smoothly scaled up — e.g. the decision regions of a 50 × 50 grid,
 * drawn in the training worker, over a 400-pixel plot.
 */
export function paintPixels(
  ctx: CanvasRenderingContext2D,
  resolution: number,
  pixels: Uint8ClampedArray<ArrayBuffer>,
  [x, y, w, h]: [number, number, number, number],
): void {
  const source = gridCanvas(resolution, pixels);
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, resolution, resolution, x, y, w, h);
  ctx.restore();
}

/** Paints a grid coloured by `color(i)` as {@link paintPixels} does. */
export function paintGrid(
  ctx: CanvasRenderingContext2D,
  resolution: number,
  color: (i: number) => Rgb,
  rect: [number, number, number, number],
): void {
  paintPixels(ctx, resolution, gridPixels(resolution, color), rect);
}
