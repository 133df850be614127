/**
 * The decision boundary of a classifier on 2-D data: the predicted class over a grid as a heat map
 * (paler where the model is less sure), the data points over it coloured by their true class.
 *
 * @module
 */
import { noGrad } from '../../autograd/mode.js';
import type { Module } from '../../nn/module.js';
import { checkChoice, fail, kindOf } from '../../tensor/check.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkModule, checkTensor } from '../../train/arguments.js';
import { frame, type Frame } from './frame.js';
import { linearAxis } from './scale.js';
import { classColor, classPointColor, num, toHex } from './svg.js';
import type { PlotOptions } from './training.js';

/** Options of {@link plotDecisionBoundary}. */
export interface PlotDecisionBoundaryOptions extends PlotOptions {
  /** Grid cells along each axis (default 100). */
  resolution?: number;
  /** Margin around the data, as a fraction of its range (default 0.1). */
  padding?: number;
  /** Class names for the legend (default 'class 0', 'class 1', …). */
  classes?: string[];
  /** What the model outputs (default logits): softmax (or, for one output, sigmoid) turns logits into probabilities. */
  outputs?: 'logits' | 'probabilities';
  /** x and y axis labels (default 'x₁', 'x₂'). */
  xLabel?: string;
  yLabel?: string;
}

/** The data of {@link plotDecisionBoundary}: points `x` [n, 2] and int32 class labels `y` [n]. */
export interface BoundaryData {
  x: Tensor;
  y: Tensor;
}

/** Shading levels of confidence: fewer levels give longer runs of equal cells (smaller files). */
const LEVELS = 10;

/** What {@link decisionGrid} finds at each point: the predicted class and how sure the model is. */
export interface DecisionGrid {
  /** The predicted class of each point (argmax of the probabilities). */
  classes: Int32Array;
  /** The confidence of each point, scaled to 0 (a toss-up between the classes) … 1 (certain). */
  confidence: Float64Array;
  /** The number of classes (2 for a model with one output, read as the logit of class 1). */
  k: number;
}

/**
 * Runs a classifier on a batch of points (in eval mode, without gradients, leaving its mode as it
 * was) and reads each row of its output as class probabilities: softmax of the logits (for one
 * output, sigmoid of the logit of class 1), or the probabilities as given. For each point it gives
 * the predicted class and the confidence p_max rescaled so that 1/k (a toss-up among k classes) is
 * 0 and 1 is 1. {@link plotDecisionBoundary} colours its cells from these with {@link classColor};
 * a canvas painted the same way shows the same picture.
 *
 * @param model a classifier taking `points` ([n, features]) to [n, classes] (or [n, 1], [n])
 * @param points the inputs, one row per point (the features the model reads, not only 2-D points)
 * @param outputs what the model gives: 'logits' (default) or 'probabilities'
 *
 * @example
 * import { classColor, decisionGrid } from 'nabla/viz';
 * const model = mlp([2, 8, 3]);
 * const grid = decisionGrid(model, tensor([[0, 0], [1, 1]]));
 * grid.classes; // Int32Array [class of (0, 0), class of (1, 1)]
 * const [r, g, b] = classColor(grid.classes[0], grid.confidence[0]);
 */
export function decisionGrid(
  model: Module,
  points: Tensor,
  outputs: 'logits' | 'probabilities' = 'logits',
): DecisionGrid {
  const ctx = { where: 'decisionGrid' };
  checkModule(ctx.where, 'model', model);
  checkTensor(ctx.where, 'points', points);
  if (points.ndim === 0)
    throw new RangeError('decisionGrid: points must have one row per point, got a 0-d tensor');
  checkChoice(ctx, 'outputs', outputs, ['logits', 'probabilities']);
  const wasTraining = model.training;
  model.eval();
  let out: Tensor;
  try {
    out = noGrad(() => model.call(points));
  } finally {
    model.train(wasTraining);
  }
  const m = points.shape[0];
  const k = out.shape.length === 1 ? 1 : out.shape[out.shape.length - 1];
  if (
    out.size !== m * k ||
    out.shape.length > 2 ||
    (out.shape.length === 2 && out.shape[0] !== m)
  ) {
    throw new RangeError(
      `decisionGrid: the model should give [n, classes] for inputs [${points.shape.join(', ')}], got [${out.shape.join(', ')}]`,
    );
  }
  const data = out.data;
  const classes = new Int32Array(m);
  const confidence = new Float64Array(m);
  const probs = new Float64Array(Math.max(2, k));
  for (let i = 0; i < m; i++) {
    if (k === 1) {
      const v = Number(data[i]);
      const p = outputs === 'logits' ? 1 / (1 + Math.exp(-v)) : v;
      probs[0] = 1 - p;
      probs[1] = p;
    } else {
      let best = -Infinity;
      for (let c = 0; c < k; c++) best = Math.max(best, Number(data[i * k + c]));
      let total = 0;
      for (let c = 0; c < k; c++) {
        const v = Number(data[i * k + c]);
        probs[c] = outputs === 'logits' ? Math.exp(v - best) : v;
        total += probs[c];
      }
      for (let c = 0; c < k; c++) probs[c] /= total;
    }
    const n = Math.max(2, k);
    let arg = 0;
    for (let c = 1; c < n; c++) if (probs[c] > probs[arg]) arg = c;
    classes[i] = arg;
    const t = (probs[arg] - 1 / n) / (1 - 1 / n);
    confidence[i] = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  }
  return { classes, confidence, k: Math.max(2, k) };
}

/** A rectangle of the data plane: [x from, x to, y from, y to]. */
type Region = [number, number, number, number];

/** Checks the model and the data: points [n, 2] and n class labels (int32, or a column [n, 1]). */
function checkInputs(model: Module, data: BoundaryData): { x: Tensor; y: Tensor } {
  if (model === null || typeof model !== 'object' || typeof model.call !== 'function') {
    throw new TypeError('plotDecisionBoundary: expected a Module');
  }
  const { x, y } = data ?? {};
  if (!(x instanceof Tensor) || x.shape.length !== 2 || x.shape[1] !== 2) {
    throw new RangeError(
      `plotDecisionBoundary: data.x must be a tensor of shape [n, 2], got ${x instanceof Tensor ? `[${x.shape.join(', ')}]` : kindOf(x)}`,
    );
  }
  const n = x.shape[0];
  if (
    !(y instanceof Tensor) ||
    y.size !== n ||
    (y.dtype !== 'int32' && !(y.shape.length === 2 && y.shape[1] === 1))
  ) {
    throw new RangeError(
      `plotDecisionBoundary: data.y must be ${n} int32 class labels, got ${y instanceof Tensor ? `${y.dtype} [${y.shape.join(', ')}]` : kindOf(y)}`,
    );
  }
  return { x, y };
}

/** The grid's resolution (default 100) and the padding (default 0.1), checked. */
function gridOptions(options: PlotDecisionBoundaryOptions): {
  resolution: number;
  padding: number;
} {
  const resolution = options.resolution ?? 100;
  const ctx = { where: 'plotDecisionBoundary' };
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 1000) {
    fail(ctx, 'resolution', 'an integer in [2, 1000]', resolution);
  }
  const padding = options.padding ?? 0.1;
  if (!(padding >= 0) || !Number.isFinite(padding)) fail(ctx, 'padding', 'a number ≥ 0', padding);
  return { resolution, padding };
}

/** The finite points' range with `padding` (a fraction of the longer side) on every side; [−1, 1]² without any. */
function paddedRegion(xd: Tensor['data'], n: number, padding: number): Region {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    const a = Number(xd[2 * i]);
    const b = Number(xd[2 * i + 1]);
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    [x0, x1, y0, y1] = [Math.min(x0, a), Math.max(x1, a), Math.min(y0, b), Math.max(y1, b)];
  }
  if (!(x0 <= x1)) [x0, x1, y0, y1] = [-1, 1, -1, 1];
  const span = Math.max(x1 - x0, y1 - y0, 1e-6);
  return [x0 - padding * span, x1 + padding * span, y0 - padding * span, y1 + padding * span];
}

/** The region widened along its shorter side so that it has the plot area's `aspect` (height / width). */
function matchAspect([x0, x1, y0, y1]: Region, aspect: number): Region {
  const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
  if ((y1 - y0) / (x1 - x0) < aspect) {
    const h = (x1 - x0) * aspect;
    return [x0, x1, cy - h / 2, cy + h / 2];
  }
  const w = (y1 - y0) / aspect;
  return [cx - w / 2, cx + w / 2, y0, y1];
}

/** The centres of a `resolution × resolution` grid over the region, row 0 at the top, as [cells, 2]. */
function gridPoints([x0, x1, y0, y1]: Region, resolution: number, dtype: Tensor['dtype']): Tensor {
  const grid = new (dtype === 'float64' ? Float64Array : Float32Array)(resolution * resolution * 2);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      const i = r * resolution + c;
      grid[2 * i] = x0 + ((c + 0.5) / resolution) * (x1 - x0);
      grid[2 * i + 1] = y1 - ((r + 0.5) / resolution) * (y1 - y0);
    }
  }
  return new Tensor(grid, [resolution * resolution, 2]);
}

/** The heat map: each run of equal cells in a row as one rectangle, coloured by class and confidence. */
function heatmapCells(pred: DecisionGrid, f: Frame, resolution: number): string[] {
  const cells: string[] = [];
  const cellW = f.plotWidth / resolution;
  const cellH = f.plotHeight / resolution;
  const fillOf = (i: number): string => {
    const level = Math.round(pred.confidence[i] * (LEVELS - 1)) / (LEVELS - 1);
    return toHex(classColor(pred.classes[i], level));
  };
  for (let r = 0; r < resolution; r++) {
    let start = 0;
    let fill = fillOf(r * resolution);
    for (let c = 1; c <= resolution; c++) {
      const next = c < resolution ? fillOf(r * resolution + c) : '';
      if (next === fill) continue;
      // Cells overlap their neighbours by a fraction of a pixel so that no seams show.
      cells.push(
        `<rect x="${num(f.left + start * cellW)}" y="${num(f.top + r * cellH)}" width="${num((c - start) * cellW + 0.5)}" height="${num(cellH + 0.5)}" fill="${fill}" data-class="${pred.classes[r * resolution + start]}"/>`,
      );
      start = c;
      fill = next;
    }
  }
  return cells;
}

/** The data points with finite coordinates, coloured by their true class. */
function dataDots(xd: Tensor['data'], labels: number[], f: Frame): string[] {
  const dots: string[] = [];
  for (let i = 0; i < labels.length; i++) {
    const a = Number(xd[2 * i]);
    const b = Number(xd[2 * i + 1]);
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    dots.push(
      `<circle cx="${num(f.sx(a))}" cy="${num(f.sy(b))}" r="3.5" fill="${classPointColor(labels[i])}" data-class="${labels[i]}"/>`,
    );
  }
  return dots;
}

/** The frame of the picture for `k` classes over `region`: titles, exact axes, a legend of dots. */
function boundaryFrame(
  options: PlotDecisionBoundaryOptions,
  n: number,
  k: number,
  region: Region,
): Frame {
  return frame({
    width: options.width ?? 600,
    height: options.height ?? 520,
    title: options.title ?? 'Decision boundary',
    subtitle: 'background: predicted class (paler = less sure) · dots: data, by true class',
    xLabel: options.xLabel ?? 'x₁',
    yLabel: options.yLabel ?? 'x₂',
    legend: Array.from({ length: k }, (_, c) => ({
      name: options.classes?.[c] ?? `class ${c}`,
      color: classPointColor(c),
      kind: 'dot',
    })),
    idSeed: `boundary|${n}|${k}`,
    xAxis: (_p, maxTicks) =>
      linearAxis(region[0], region[1], Math.max(2, maxTicks - 1), { exact: true }),
    yAxis: (_p, maxTicks) =>
      linearAxis(region[2], region[3], Math.max(2, maxTicks - 1), { exact: true }),
  });
}

/**
 * Draws the decision regions of a classifier of 2-D points as SVG: the model runs (in eval mode,
 * without gradients) on a `resolution × resolution` grid covering the data; each cell takes the
 * colour of the predicted class, paler where the predicted probability is lower. The data points
 * are drawn over it in the colour of their true class, so misclassified points stand out.
 *
 * @example
 * import { plotDecisionBoundary } from 'nabla/viz';
 * const data = datasets.spiral({ classes: 3 });
 * const model = mlp([2, 32, 32, 3], { activation: 'tanh' });
 * fit(model, data, { epochs: 300, batchSize: 'full', lr: 0.02 });
 * const svg = plotDecisionBoundary(model, data, { classes: ['red arm', 'green arm', 'blue arm'] });
 */
export function plotDecisionBoundary(
  model: Module,
  data: BoundaryData,
  options: PlotDecisionBoundaryOptions = {},
): string {
  const { x, y } = checkInputs(model, data);
  const { resolution, padding } = gridOptions(options);
  const n = x.shape[0];
  const xd = x.data;
  const labels = Array.from(y.data, (v) => Math.round(Number(v)));
  const k0 = Math.max(...labels, 0) + 1;
  // A first layout tells the plot area's shape; the region is widened to match it, so that one
  // unit is as long on both axes.
  const padded = paddedRegion(xd, n, padding);
  const trial = boundaryFrame(options, n, Math.max(k0, options.classes?.length ?? 0), padded);
  const region = matchAspect(padded, trial.plotHeight / trial.plotWidth);
  const points = gridPoints(region, resolution, x.dtype);
  const pred = decisionGrid(model, points, options.outputs ?? 'logits');
  const k = Math.max(k0, pred.k, options.classes?.length ?? 0);
  const f = boundaryFrame(options, n, k, region);
  const content = [
    `<g class="heatmap" shape-rendering="crispEdges">${heatmapCells(pred, f, resolution).join('')}</g>`,
    `<g class="points" stroke="#222" stroke-width="0.7">${dataDots(xd, labels, f).join('')}</g>`,
  ].join('\n');
  return f.render(content);
}
