/**
 * What the output panel shows besides what the boundary view draws (boundary.ts): in regression
 * over the plane, each point in its target's colour over the heat map of ŷ; for a regression
 * curve, the fitted curve again above the points; and, while a neuron of the network view is
 * pointed at or focused, that neuron's own output over the plane, large (as the TensorFlow
 * Playground does). Each paints the boundary view's canvas, in its coordinates.
 */
import { classPointColor, divergingColor } from 'nabla/viz';
import type { BoundaryView } from '../boundary.js';
import { EXTENT, type Split } from '../data.js';
import {
  curveXs,
  shownPicture,
  SHOWN_RESOLUTION,
  type Pictures,
  type ShownNeuron,
} from '../pictures.js';
import { REGRESSION_SCALE } from '../surface.js';
import type { Settings } from '../settings.js';
import { paintPixels } from './heatmap.js';
import type { Rgb } from './pixels.js';
import { textScale } from './text-scale.js';

const css = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;
const NO_POINTS: Split = { train: { points: [], labels: [] }, test: { points: [], labels: [] } };

export type { ShownNeuron };

export class OutputViews {
  /** The text scale the boundary view last laid its margins out for. */
  private laidOutFor = NaN;
  /** The regression points in their targets' colours, drawn once per data set and size. */
  private valueLayer: { data: Split; scale: number; canvas: HTMLCanvasElement } | undefined;

  constructor(private readonly boundary: BoundaryView) {}

  /** The plot's rectangle on the canvas (CSS pixels). */
  private plot(): { x: number; y: number; w: number; h: number } {
    const a = this.boundary.toPixel(-EXTENT, EXTENT);
    const b = this.boundary.toPixel(EXTENT, -EXTENT);
    return { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y };
  }

  private context(): CanvasRenderingContext2D {
    const ctx = this.boundary.canvas.getContext('2d');
    if (ctx === null) throw new Error('output view: the browser gave no 2-D canvas context');
    return ctx;
  }

  /**
   * After the boundary view's drawing, in regression: the curve again, above the points (with a
   * white halo, so the points do not hide it), or the points in their targets' colours.
   */
  drawRegression(pictures: Pictures, s: Settings, data: Split, inspected?: [number, number]): void {
    this.laidOutFor = textScale(s);
    if (pictures.curve !== undefined) this.curveOnTop(pictures.curve, s);
    else this.valuePoints(s, data, inspected);
  }

  private curveOnTop(y: Float32Array, s: Settings): void {
    const xs = curveXs();
    const ctx = this.context();
    const p = this.plot();
    ctx.save();
    ctx.beginPath();
    ctx.rect(p.x, p.y, p.w, p.h);
    ctx.clip();
    ctx.beginPath();
    for (let i = 0; i < xs.length; i++) {
      const q = this.boundary.toPixel(xs[i], y[i]);
      if (i === 0) ctx.moveTo(q.x, q.y);
      else ctx.lineTo(q.x, q.y);
    }
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 5.5 * textScale(s);
    ctx.stroke();
    ctx.strokeStyle = '#4e79a7';
    ctx.lineWidth = 2.5 * textScale(s);
    ctx.stroke();
    ctx.restore();
  }

  /** The regression points in their targets' colours, over the boundary view's grey ones. */
  private valuePoints(s: Settings, data: Split, inspected?: [number, number]): void {
    const scale = textScale(s);
    const cached = this.valueLayer;
    let layer = cached?.canvas;
    if (cached?.data !== data || cached.scale !== scale) {
      layer = document.createElement('canvas');
      const main = this.boundary.canvas;
      layer.width = main.width;
      layer.height = main.height;
      const ctx = layer.getContext('2d')!;
      const dpr = main.width / Number.parseFloat(main.style.width);
      ctx.scale(dpr, dpr);
      this.points(ctx, scale, data, valuePoint);
      this.valueLayer = { data, scale, canvas: layer };
    }
    const ctx = this.context();
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(layer!, 0, 0);
    ctx.restore();
    if (inspected !== undefined) this.ring(ctx, scale, inspected);
  }

  /**
   * One neuron's output over the plane, large, from its finished pixels (pictures.ts: the
   * training worker draws them for the neuron the page asked for). No forward pass here: returns
   * false, drawing nothing, when the pictures do not have this neuron yet.
   */
  drawNeuron(
    pictures: Pictures,
    s: Settings,
    data: Split,
    neuron: ShownNeuron,
    inspected?: [number, number],
  ): boolean {
    const pixels = shownPicture(pictures, neuron);
    if (pixels === undefined) return false;
    const scale = textScale(s);
    if (scale !== this.laidOutFor) {
      // The boundary view lays its margins out for the text size when it draws.
      this.boundary.draw(pictures, s, NO_POINTS);
      this.laidOutFor = scale;
    }
    const ctx = this.context();
    const canvas = this.boundary.canvas;
    const [w, h] = [Number.parseFloat(canvas.style.width), Number.parseFloat(canvas.style.height)];
    const p = this.plot();
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    paintPixels(ctx, SHOWN_RESOLUTION, pixels, [p.x, p.y, p.w, p.h]);
    this.boundary.axes(ctx, scale);
    this.points(ctx, scale, data, s.mode === 'classification' ? classPointColor : valuePoint);
    if (inspected !== undefined) this.ring(ctx, scale, inspected);
    return true;
  }

  /** Test points hollow, training points filled, in `color(label)`, clipped to the plot. */
  private points(
    ctx: CanvasRenderingContext2D,
    scale: number,
    data: Split,
    color: (label: number) => string,
  ): void {
    const p = this.plot();
    ctx.save();
    ctx.beginPath();
    ctx.rect(p.x, p.y, p.w, p.h);
    ctx.clip();
    const r = 3.6 * Math.sqrt(scale);
    const drawSet = (set: Split['train'], filled: boolean): void => {
      for (let i = 0; i < set.labels.length; i++) {
        const q = this.boundary.toPixel(set.points[2 * i], set.points[2 * i + 1]);
        ctx.beginPath();
        ctx.arc(q.x, q.y, r, 0, 2 * Math.PI);
        const c = color(set.labels[i]);
        ctx.fillStyle = filled ? c : '#fff';
        ctx.fill();
        ctx.strokeStyle = filled ? '#333' : c;
        ctx.lineWidth = filled ? 0.8 : 1.6 * scale;
        ctx.stroke();
      }
    };
    drawSet(data.test, false);
    drawSet(data.train, true);
    ctx.restore();
  }

  /** The ring around the inspected point. */
  private ring(ctx: CanvasRenderingContext2D, scale: number, [x, y]: [number, number]): void {
    const q = this.boundary.toPixel(x, y);
    ctx.beginPath();
    ctx.arc(q.x, q.y, 8 * scale, 0, 2 * Math.PI);
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 2 * scale;
    ctx.stroke();
  }
}

/** A regression point's colour: its target on the diverging scale of the heat map. */
const valuePoint = (y: number): string => css(divergingColor(y / REGRESSION_SCALE));
