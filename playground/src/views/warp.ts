/**
 * The warped-space view: how a hidden layer bends the input plane. A grid of lines over the plane
 * and the data points go through the network up to the layer; the view plots two of its neurons'
 * values against each other, so a learner sees the classes pulled apart until a straight line
 * separates them (the output layer is linear in the last hidden layer's values). When the layer has
 * just the two neurons shown, the background shows the class the rest of the network predicts
 * there, in the decision boundary's colours.
 */
import { classPointColor, divergingColor, linearAxis, type Module } from 'nabla';
import type { PointSet } from '../data.js';
import type { Settings } from '../settings.js';
import { neuronLayerSizes } from './activations.js';
import { decisionColor, fitCanvas, paintGrid } from './heatmap.js';
import { warp, warpedDecision, type Warp } from './warp-math.js';
import { el } from './dom.js';
import { canvasFont, MIN_TEXT, textScale } from './text-scale.js';

/** The margins around the plot: room for tick labels and axis names at the scale's text size. */
const margins = (scale: number): Margin => ({
  left: Math.round(20 + 2.4 * MIN_TEXT * scale),
  right: 10,
  top: 10,
  bottom: Math.round(14 + 2.4 * MIN_TEXT * scale),
});
interface Margin {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * The warped-space view with its own controls: a select of the layer (each hidden layer, and the
 * output layer's logits) and two selects of the neurons on the x and y axes, above a square canvas.
 * The page calls `render` with the latest model (e.g. ten times a second while training); the
 * controls re-draw the last model at once. `layer` and `neurons`, when given to `render`, set the
 * controls (layer 1-based: 1 … hidden layers, one more for the outputs; neurons 0-based); when
 * left out, the controls' choice stands. Choices out of range of a new network are clamped.
 *
 * @example
 * const view = new WarpView(document.querySelector('#warp')!);
 * view.render(model, settings, split.train); // hidden layer 1, neurons 1 and 2 at first
 */
export class WarpView {
  readonly root: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly layerSelect: HTMLSelectElement;
  readonly xSelect: HTMLSelectElement;
  readonly ySelect: HTMLSelectElement;
  /** The key of the curves, points and background (HTML, under the canvas). */
  readonly legend: HTMLElement;
  /** Called when the learner picks another layer or neuron (after the view re-draws). */
  onChange?: (layer: number, neurons: [number, number]) => void;
  private layer = 1;
  private neurons: [number, number] = [0, 1];
  private shape = '';
  private last?: { model: Module; settings: Settings; data: PointSet };

  constructor(root: HTMLElement) {
    this.root = root;
    root.classList.add('nabla-warp');
    root.innerHTML = '';
    const controls = document.createElement('div');
    controls.className = 'nabla-warp-controls';
    const labelled = (text: string, select: HTMLSelectElement): HTMLLabelElement => {
      const label = document.createElement('label');
      label.append(`${text} `, select);
      return label;
    };
    this.layerSelect = document.createElement('select');
    this.xSelect = document.createElement('select');
    this.ySelect = document.createElement('select');
    this.layerSelect.name = 'warp-layer';
    this.xSelect.name = 'warp-x';
    this.ySelect.name = 'warp-y';
    controls.append(
      labelled('layer', this.layerSelect),
      labelled('x axis', this.xSelect),
      labelled('y axis', this.ySelect),
    );
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('role', 'img');
    this.legend = document.createElement('div');
    this.legend.className = 'nabla-warp-legend legend-entries';
    root.append(controls, this.canvas, this.legend);
    const changed = (): void => {
      this.layer = Number(this.layerSelect.value);
      this.neurons = [Number(this.xSelect.value), Number(this.ySelect.value)];
      if (this.last !== undefined) this.draw();
      this.onChange?.(this.layer, [...this.neurons]);
    };
    for (const s of [this.layerSelect, this.xSelect, this.ySelect])
      s.addEventListener('change', changed);
  }

  /** Draws the warped space of `layer` (or the chosen one) for the model and the data. */
  render(
    model: Module,
    settings: Settings,
    data: PointSet,
    layer?: number,
    neurons?: [number, number],
  ): void {
    if (layer !== undefined) this.layer = layer;
    if (neurons !== undefined) this.neurons = [...neurons];
    this.last = { model, settings, data };
    this.draw();
  }

  /** The options of the selects, rebuilt when the network's shape changes; the choice clamped. */
  private syncControls(sizes: number[]): void {
    const hidden = sizes.length - 2;
    this.layer = Math.min(Math.max(1, Math.round(this.layer)), hidden + 1);
    const k = sizes[this.layer];
    const clamp = (i: number): number => Math.min(Math.max(0, Math.round(i)), k - 1);
    this.neurons = [clamp(this.neurons[0]), clamp(this.neurons[1])];
    const shape = `${sizes.join('-')}|${this.layer}`;
    if (shape !== this.shape) {
      this.shape = shape;
      const option = (value: number, text: string): HTMLOptionElement =>
        new Option(text, String(value));
      this.layerSelect.replaceChildren(
        ...Array.from({ length: hidden + 1 }, (_, l) =>
          option(l + 1, l < hidden ? `hidden layer ${l + 1}` : 'output layer (logits)'),
        ),
      );
      for (const s of [this.xSelect, this.ySelect])
        s.replaceChildren(
          ...Array.from({ length: k }, (_, i) => option(i, `neuron ${i + 1} of ${k}`)),
        );
    }
    this.layerSelect.value = String(this.layer);
    this.xSelect.value = String(this.neurons[0]);
    this.ySelect.value = String(this.neurons[1]);
  }

  /** Draws the last model's warped space, under the controls' choice of layer and neurons. */
  private draw(): void {
    const { model, settings, data } = this.last!;
    const sizes = neuronLayerSizes(model);
    this.syncControls(sizes);
    const w = warp(model, settings, data.points, this.layer, this.neurons);
    const side = Math.max(240, Math.min(520, Math.round(this.root.clientWidth) || 360));
    const scale = textScale(settings);
    const plot = plotArea(fitCanvas(this.canvas, side, side), side, w.bounds, margins(scale));
    plot.scale = scale;
    const { ctx, pw, ph } = plot;
    const MARGIN = plot.margin;
    ctx.clearRect(0, 0, side, side);
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, side, side);

    const decision = warpedDecision(model, settings, this.layer, this.neurons, w.bounds);
    if (decision !== undefined)
      paintGrid(ctx, 48, decisionColor(decision, settings.discretize), [
        MARGIN.left,
        MARGIN.top,
        pw,
        ph,
      ]);

    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, pw, ph);
    ctx.clip();
    drawGridLines(plot, w);
    const classification = settings.mode === 'classification';
    this.drawLegend(sizes, classification, decision !== undefined);
    drawPoints(plot, w.points, data.labels, classification);
    ctx.restore();

    const [xName, yName] = this.neurons.map((i) => axisName(sizes, this.layer, i, classification));
    drawAxes(plot, w.bounds, xName, yName);
    this.canvas.setAttribute(
      'aria-label',
      `The input plane's grid and the data mapped to ${xName} (across) and ${yName} (up)`,
    );
  }

  /** The key: an entry for each kind of curve, for the points and for the background. */
  private drawLegend(sizes: number[], classification: boolean, background: boolean): void {
    const key = `${sizes.length}|${classification}|${background}`;
    if (this.legend.dataset.key === key) return;
    this.legend.dataset.key = key;
    const line = (color: string, width: number): HTMLElement =>
      el('span', { class: 'line-sample', style: `border-top:${width}px solid ${color}` });
    const entry = (name: string, ...children: (HTMLElement | string)[]): HTMLElement =>
      el('span', { class: 'legend-entry', 'data-entry': name }, ...children);
    const entries = [
      entry('rows', line(ROW_COLOR(0.8), 2), 'grid line x₂ = const'),
      entry('columns', line(COLUMN_COLOR(0.8), 2), 'grid line x₁ = const'),
      entry('axes', line(ROW_COLOR(1), 4), 'the axes x₁ = 0, x₂ = 0'),
      entry(
        'points',
        el('span', {
          class: 'dot',
          style: classification ? '' : 'background:#888;border-color:#222',
        }),
        classification ? 'data, in its class’s colour' : 'data, coloured by its target',
      ),
    ];
    if (background)
      entries.push(
        entry('background', el('span', { class: 'swatch' }), 'the class predicted there'),
      );
    this.legend.replaceChildren(...entries);
  }
}

/** The colour of the grid's horizontal lines (x₂ fixed) and of its vertical ones (x₁ fixed). */
const ROW_COLOR = (alpha: number): string => `rgba(70,90,130,${alpha})`;
const COLUMN_COLOR = (alpha: number): string => `rgba(70,120,80,${alpha})`;

/** The canvas of a warped-space plot: its side, the size inside the margins, and the maps to pixels. */
interface Plot {
  ctx: CanvasRenderingContext2D;
  side: number;
  margin: Margin;
  /** The text and line scale (projector mode: larger). */
  scale: number;
  pw: number;
  ph: number;
  sx(u: number): number;
  sy(v: number): number;
}

/** The plot on a square canvas of `side` pixels, mapping `bounds` [u₀, u₁, v₀, v₁] inside the margins. */
function plotArea(
  ctx: CanvasRenderingContext2D,
  side: number,
  [u0, u1, v0, v1]: [number, number, number, number],
  MARGIN: Margin,
): Plot {
  const [pw, ph] = [side - MARGIN.left - MARGIN.right, side - MARGIN.top - MARGIN.bottom];
  return {
    ctx,
    side,
    margin: MARGIN,
    scale: 1,
    pw,
    ph,
    sx: (u) => MARGIN.left + ((u - u0) / (u1 - u0)) * pw,
    sy: (v) => MARGIN.top + ((v1 - v) / (v1 - v0)) * ph,
  };
}

/**
 * The grid's lines: horizontal ones (x₂ fixed) blue-grey, vertical ones (x₁ fixed) green-grey,
 * the axes x₁ = 0 and x₂ = 0 darker.
 */
function drawGridLines({ ctx, sx, sy, scale }: Plot, w: Warp): void {
  const half = w.lines.length / 2;
  w.lines.forEach((line, l) => {
    const axis = w.axes.includes(l);
    const alpha = axis ? 0.9 : 0.45;
    ctx.strokeStyle = l < half ? ROW_COLOR(alpha) : COLUMN_COLOR(alpha);
    ctx.lineWidth = (axis ? 1.6 : 0.8) * scale;
    ctx.beginPath();
    for (let j = 0; j < line.length; j += 2) {
      const [x, y] = [sx(line[j]), sy(line[j + 1])];
      if (j === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  });
}

/** The data, by class (regression: by target, in the diverging colours), one path per colour. */
function drawPoints(
  { ctx, sx, sy, scale }: Plot,
  points: Float32Array,
  labels: readonly number[],
  classification: boolean,
): void {
  const byColor = new Map<string, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const color = classification
      ? classPointColor(label)
      : `rgb(${divergingColor(label).join(',')})`;
    let list = byColor.get(color);
    if (list === undefined) byColor.set(color, (list = []));
    list.push(i);
  }
  ctx.lineWidth = 0.7 * scale;
  ctx.strokeStyle = '#222';
  const r = 3 * Math.sqrt(scale);
  for (const [color, list] of byColor) {
    ctx.beginPath();
    for (const i of list) {
      const [x, y] = [sx(points[2 * i]), sy(points[2 * i + 1])];
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
    ctx.fillStyle = color;
    ctx.fill();
    ctx.stroke();
  }
}

/** The frame, the ticks of `bounds` and the axes' names. */
function drawAxes(
  { ctx, side, pw, ph, sx, sy, margin: MARGIN, scale }: Plot,
  [u0, u1, v0, v1]: [number, number, number, number],
  xName: string,
  yName: string,
): void {
  ctx.strokeStyle = '#888';
  ctx.lineWidth = 1;
  ctx.strokeRect(MARGIN.left, MARGIN.top, pw, ph);
  ctx.fillStyle = '#333';
  ctx.font = canvasFont(MIN_TEXT, scale);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const xAxis = linearAxis(u0, u1, Math.max(3, Math.floor(pw / (60 * scale))), { exact: true });
  xAxis.ticks.forEach((t, i) => {
    ctx.fillRect(sx(t) - 0.5, MARGIN.top + ph, 1, 4);
    ctx.fillText(xAxis.labels[i], sx(t), MARGIN.top + ph + 6);
  });
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const yAxis = linearAxis(v0, v1, Math.max(3, Math.floor(ph / (50 * scale))), { exact: true });
  yAxis.ticks.forEach((t, i) => {
    ctx.fillRect(MARGIN.left - 4, sy(t) - 0.5, 4, 1);
    ctx.fillText(yAxis.labels[i], MARGIN.left - 6, sy(t));
  });
  ctx.font = canvasFont(MIN_TEXT + 1, scale);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(xName, MARGIN.left + pw / 2, side - 4);
  ctx.save();
  ctx.translate(4 + (MIN_TEXT * scale) / 2, MARGIN.top + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(yName, 0, 0);
  ctx.restore();
}

/** "neuron 3 of hidden layer 1"; for the output layer "logit of class 1" (or "output ŷ"). */
export function axisName(
  sizes: number[],
  layer: number,
  neuron: number,
  classification = true,
): string {
  if (layer < sizes.length - 1) return `neuron ${neuron + 1} of hidden layer ${layer}`;
  return classification ? `output: logit of class ${neuron}` : 'output ŷ';
}
