/**
 * The warped-space view: how a hidden layer bends the input plane. A grid of lines over the plane
 * and the data points go through the network up to the layer; the view plots two of its neurons'
 * values against each other, so a learner sees the classes pulled apart until a straight line
 * separates them (the output layer is linear in the last hidden layer's values). When the layer has
 * just the two neurons shown, the background shows the class the rest of the network predicts
 * there, in the decision boundary's colours.
 */
import { classPointColor, divergingColor, linearAxis } from 'nabla/viz';
import type { Settings } from '../settings.js';
import { fitCanvas, paintPixels } from './heatmap.js';
import {
  clampChoice,
  WARP_DECISION_RESOLUTION,
  type WarpChoice,
  type WarpPicture,
} from './warp-math.js';
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
 * Its numbers come finished from the training worker ({@link WarpPicture}, warp-math.ts): the page
 * hands each one to `receive`, tells the worker the learner's choice (`onChange`, and `choice`),
 * and `render` draws the newest picture of that choice — lines, dots and pixels, no forward pass.
 * Choices out of range of a new network are clamped.
 *
 * @example
 * const view = new WarpView(document.querySelector('#warp')!);
 * view.onChange = (choice) => worker.postMessage({ type: 'warp', ...choice });
 * view.receive(picture); // from the worker's snapshot
 * view.render(settings); // hidden layer 1, neurons 1 and 2 at first
 */
export class WarpView {
  readonly root: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly layerSelect: HTMLSelectElement;
  readonly xSelect: HTMLSelectElement;
  readonly ySelect: HTMLSelectElement;
  /** The key of the curves, points and background (HTML, under the canvas). */
  readonly legend: HTMLElement;
  /** Called when the learner picks another layer or neuron: ask the worker for its picture. */
  onChange?: (choice: WarpChoice) => void;
  /** The learner's choice as picked (clamped to each picture's network when drawn). */
  private request: WarpChoice = { layer: 1, neurons: [0, 1] };
  private shape = '';
  private picture?: WarpPicture;
  /** What the canvas shows now: the picture, the text scale and the side it was drawn at. */
  private drawn?: { picture: WarpPicture; scale: number; side: number };

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
      this.request = {
        layer: Number(this.layerSelect.value),
        neurons: [Number(this.xSelect.value), Number(this.ySelect.value)],
      };
      this.onChange?.(this.choice);
    };
    for (const s of [this.layerSelect, this.xSelect, this.ySelect])
      s.addEventListener('change', changed);
  }

  /** The layer and neurons the learner picked. */
  get choice(): WarpChoice {
    return { layer: this.request.layer, neurons: [...this.request.neurons] };
  }

  /** A new picture from the worker; `render` draws it. */
  receive(picture: WarpPicture): void {
    this.picture = picture;
  }

  /**
   * Draws the newest picture when it shows the learner's choice and differs from what the canvas
   * shows (a new picture, text scale or size). Returns whether it drew.
   */
  render(settings: Settings): boolean {
    const picture = this.picture;
    if (picture === undefined) return false;
    const choice = clampChoice(picture.sizes, this.request);
    this.syncControls(picture.sizes, choice);
    if (choice.layer !== picture.layer || choice.neurons.some((n, i) => n !== picture.neurons[i]))
      return false;
    const side = Math.max(240, Math.min(520, Math.round(this.root.clientWidth) || 360));
    const scale = textScale(settings);
    const d = this.drawn;
    if (d?.picture === picture && d.scale === scale && d.side === side) return false;
    this.draw(picture, side, scale);
    this.drawn = { picture, scale, side };
    return true;
  }

  /** The options of the selects, rebuilt when the network's shape changes; set to the choice. */
  private syncControls(sizes: number[], { layer, neurons }: WarpChoice): void {
    const hidden = sizes.length - 2;
    const k = sizes[layer];
    const shape = `${sizes.join('-')}|${layer}`;
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
    // Only what changed: setting a select's value costs the page a style pass, every frame.
    const set = (select: HTMLSelectElement, value: number): void => {
      if (select.value !== String(value)) select.value = String(value);
    };
    set(this.layerSelect, layer);
    set(this.xSelect, neurons[0]);
    set(this.ySelect, neurons[1]);
  }

  /** Draws a picture: its background, grid lines, points and axes. */
  private draw(w: WarpPicture, side: number, scale: number): void {
    const plot = plotArea(fitCanvas(this.canvas, side, side), side, w.bounds, margins(scale));
    plot.scale = scale;
    const { ctx, pw, ph } = plot;
    const MARGIN = plot.margin;
    ctx.clearRect(0, 0, side, side);
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, side, side);
    if (w.decision !== undefined)
      paintPixels(ctx, WARP_DECISION_RESOLUTION, w.decision, [MARGIN.left, MARGIN.top, pw, ph]);

    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, pw, ph);
    ctx.clip();
    drawGridLines(plot, w);
    const classification = w.mode === 'classification';
    this.drawLegend(w.sizes, classification, w.decision !== undefined);
    drawPoints(plot, w.points, w.labels, classification);
    ctx.restore();

    const names = w.neurons.map((i) => axisName(w.sizes, w.layer, i, classification));
    drawAxes(plot, w.bounds, names[0], names[1]);
    this.canvas.setAttribute(
      'aria-label',
      `The input plane's grid and the data mapped to ${names[0]} (across) and ${names[1]} (up)`,
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
function drawGridLines({ ctx, sx, sy, scale }: Plot, w: WarpPicture): void {
  const stride = 2 * w.samples;
  const count = w.lines.length / stride;
  for (let l = 0; l < count; l++) {
    const axis = w.axes.includes(l);
    const alpha = axis ? 0.9 : 0.45;
    ctx.strokeStyle = l < count / 2 ? ROW_COLOR(alpha) : COLUMN_COLOR(alpha);
    ctx.lineWidth = (axis ? 1.6 : 0.8) * scale;
    ctx.beginPath();
    for (let j = l * stride; j < (l + 1) * stride; j += 2) {
      const [x, y] = [sx(w.lines[j]), sy(w.lines[j + 1])];
      if (j === l * stride) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
}

/** The data, by class (regression: by target, in the diverging colours), one path per colour. */
function drawPoints(
  { ctx, sx, sy, scale }: Plot,
  points: Float32Array,
  labels: ArrayLike<number>,
  classification: boolean,
): void {
  const byColor = new Map<string, number[]>();
  const n = Math.min(labels.length, points.length >> 1);
  for (let i = 0; i < n; i++) {
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
