/**
 * Painting grids of values into canvases, in the library's own colours: `classColor` for decision
 * regions (as `plotDecisionBoundary` draws them) and `divergingColor` for a neuron's output (as
 * `neuronDiagram` fills its neurons). The views of the network, the warped space and the boundary
 * share these, so that one colour means one thing everywhere on the page.
 */
import { classColor, divergingColor, type DecisionGrid } from 'nabla';
import { bmpDataUrl, gridPixels, type Rgb } from './pixels.js';

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

/** The colour of each decision cell: its class's colour, paler where less sure (or flat when `discretize`). */
export function decisionColor(grid: DecisionGrid, discretize = false): (i: number) => Rgb {
  return (i) => classColor(grid.classes[i], discretize ? 1 : grid.confidence[i]);
}

/** The colour of each value divided by `scale`: orange negative, white 0, blue positive. */
export function valueColor(values: ArrayLike<number>, scale: number): (i: number) => Rgb {
  const s = scale > 0 ? scale : 1;
  return (i) => divergingColor(values[i] / s);
}

/** A small canvas for one grid, reused between calls (each picture is drawn from it at once). */
let scratch: HTMLCanvasElement | undefined;

function gridCanvas(resolution: number, color: (i: number) => Rgb): HTMLCanvasElement {
  scratch ??= document.createElement('canvas');
  if (scratch.width !== resolution) scratch.width = resolution;
  if (scratch.height !== resolution) scratch.height = resolution;
  const ctx = scratch.getContext('2d');
  if (ctx === null) throw new Error('heatmap: the browser gave no 2-D canvas context');
  ctx.putImageData(new ImageData(gridPixels(resolution, color), resolution), 0, 0);
  return scratch;
}

/**
 * Paints a grid into the rectangle (x, y, w, h) of a context, smoothly scaled up — e.g. the
 * decision regions of a 50 × 50 grid over a 400-pixel plot.
 */
export function paintGrid(
  ctx: CanvasRenderingContext2D,
  resolution: number,
  color: (i: number) => Rgb,
  [x, y, w, h]: [number, number, number, number],
): void {
  const source = gridCanvas(resolution, color);
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, resolution, resolution, x, y, w, h);
  ctx.restore();
}

/**
 * A data URL of a grid, one pixel a cell (a BMP, see {@link bmpDataUrl}): the small pictures
 * inside the neurons of the network view, which the browser scales up smoothly.
 */
export function gridDataUrl(resolution: number, color: (i: number) => Rgb): string {
  return bmpDataUrl(resolution, resolution, color);
}
