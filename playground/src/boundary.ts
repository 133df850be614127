/**
 * The output view: the decision boundary as a heat map over the input plane, with the data over
 * it — in the colours of nabla's own `plotDecisionBoundary` — or, in regression, the data and the
 * fitted curve. Painted into a canvas at screen rate from finished pictures (pictures.ts: the
 * training worker draws the heat map, this view only copies its pixels).
 */
import { classPointColor } from 'nabla/viz';
import { EXTENT, type Split } from './data.js';
import { BOUNDARY_RESOLUTION, curveXs, type Pictures } from './pictures.js';
import { paintPixels } from './views/heatmap.js';
import type { Settings } from './settings.js';
import { canvasFont, MIN_TEXT, textScale } from './views/text-scale.js';

/** The margins around the plot, room for tick labels of `MIN_TEXT × scale` pixels. */
const margin = (scale: number): { left: number; bottom: number; top: number; right: number } => ({
  left: Math.round(16 + 1.4 * MIN_TEXT * scale),
  bottom: Math.round(10 + 1.3 * MIN_TEXT * scale),
  top: 8,
  right: 8,
});

export class BoundaryView {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private points:
    { data: Split; mode: Settings['mode']; scale: number; canvas: HTMLCanvasElement } | undefined;
  /** The text and line scale of the last drawing (projector mode: larger). */
  private scale = 1;

  constructor(canvas: HTMLCanvasElement) {
    this.canvas = canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.width;
    const h = canvas.height;
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    this.ctx = canvas.getContext('2d')!;
    this.ctx.scale(dpr, dpr);
  }

  /** CSS-pixel size of the plotting area. */
  private get plot(): { x: number; y: number; w: number; h: number } {
    const w = Number.parseFloat(this.canvas.style.width);
    const h = Number.parseFloat(this.canvas.style.height);
    const m = margin(this.scale);
    return { x: m.left, y: m.top, w: w - m.left - m.right, h: h - m.top - m.bottom };
  }

  /**
   * The canvas (CSS pixel) position under a position of the window (a mouse event's clientX,
   * clientY), also where a narrow screen shows the canvas smaller than its size.
   */
  clientToCanvas(clientX: number, clientY: number): [number, number] {
    const rect = this.canvas.getBoundingClientRect();
    const w = Number.parseFloat(this.canvas.style.width);
    const h = Number.parseFloat(this.canvas.style.height);
    return [
      ((clientX - rect.left) * w) / (rect.width || w),
      ((clientY - rect.top) * h) / (rect.height || h),
    ];
  }

  /** Canvas (CSS pixel) position of a point of the plane. */
  toPixel(x: number, y: number): { x: number; y: number } {
    const p = this.plot;
    return {
      x: p.x + ((x + EXTENT) / (2 * EXTENT)) * p.w,
      y: p.y + ((EXTENT - y) / (2 * EXTENT)) * p.h,
    };
  }

  /** The point of the plane under a canvas (CSS pixel) position, or undefined outside the plot. */
  fromPixel(px: number, py: number): [number, number] | undefined {
    const p = this.plot;
    const u = (px - p.x) / p.w;
    const v = (py - p.y) / p.h;
    if (u < 0 || u > 1 || v < 0 || v > 1) return undefined;
    return [-EXTENT + u * 2 * EXTENT, EXTENT - v * 2 * EXTENT];
  }

  /**
   * Draws finished pictures (the worker's heat map, or the regression curve; pictures.ts) with
   * the data over it: no forward pass here.
   */
  draw(pictures: Pictures, s: Settings, data: Split, inspected?: [number, number]): void {
    const ctx = this.ctx;
    const p = this.plot;
    const w = Number.parseFloat(this.canvas.style.width);
    const h = Number.parseFloat(this.canvas.style.height);
    this.scale = textScale(s);
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    if (pictures.regions !== undefined) {
      paintPixels(ctx, BOUNDARY_RESOLUTION, pictures.regions, [p.x, p.y, p.w, p.h]);
    } else if (pictures.curve !== undefined) this.curve(pictures.curve);
    this.axes();
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.pointsLayer(s, data), 0, 0);
    ctx.restore();
    ctx.save();
    ctx.beginPath();
    ctx.rect(p.x, p.y, p.w, p.h);
    ctx.clip();
    if (inspected !== undefined) {
      const q = this.toPixel(inspected[0], inspected[1]);
      ctx.beginPath();
      ctx.arc(q.x, q.y, 8 * this.scale, 0, 2 * Math.PI);
      ctx.strokeStyle = '#111';
      ctx.lineWidth = 2 * this.scale;
      ctx.stroke();
    }
    ctx.restore();
  }

  /**
   * The data points, drawn once per data set into a layer of their own (a thousand circles cost
   * more than the heat map): training points filled, test points hollow.
   */
  private pointsLayer(s: Settings, data: Split): HTMLCanvasElement {
    const scale = this.scale;
    const cached = this.points;
    if (cached?.data === data && cached.mode === s.mode && cached.scale === scale)
      return cached.canvas;
    const canvas = document.createElement('canvas');
    canvas.width = this.canvas.width;
    canvas.height = this.canvas.height;
    const ctx = canvas.getContext('2d')!;
    const dpr = this.canvas.width / Number.parseFloat(this.canvas.style.width);
    ctx.scale(dpr, dpr);
    const p = this.plot;
    ctx.beginPath();
    ctx.rect(p.x, p.y, p.w, p.h);
    ctx.clip();
    const drawSet = (set: Split['train'], filled: boolean): void => {
      for (let i = 0; i < set.labels.length; i++) {
        const q = this.toPixel(set.points[2 * i], set.points[2 * i + 1]);
        ctx.beginPath();
        ctx.arc(q.x, q.y, 3.6 * Math.sqrt(scale), 0, 2 * Math.PI);
        const color = s.mode === 'regression' ? '#333333' : classPointColor(set.labels[i]);
        if (filled) {
          ctx.fillStyle = color;
          ctx.fill();
          ctx.strokeStyle = '#ffffff';
          ctx.lineWidth = 1;
        } else {
          ctx.strokeStyle = color;
          ctx.lineWidth = 1.6 * scale;
        }
        ctx.stroke();
      }
    };
    drawSet(data.test, false);
    drawSet(data.train, true);
    this.points = { data, mode: s.mode, scale, canvas };
    return canvas;
  }

  /** The fitted curve: ŷ at the points of `curveXs()`. */
  private curve(y: Float32Array): void {
    const xs = curveXs();
    const n = xs.length;
    const ctx = this.ctx;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const q = this.toPixel(xs[i], y[i]);
      if (i === 0) ctx.moveTo(q.x, q.y);
      else ctx.lineTo(q.x, q.y);
    }
    ctx.strokeStyle = '#4e79a7';
    ctx.lineWidth = 2.5 * this.scale;
    ctx.stroke();
  }

  /** The plot's frame and its tick labels −1, 0, 1 (also drawn under other pictures of the plane). */
  axes(ctx = this.ctx, scale = this.scale): void {
    const p = this.plot;
    ctx.strokeStyle = '#888';
    ctx.lineWidth = 1;
    ctx.strokeRect(p.x, p.y, p.w, p.h);
    ctx.fillStyle = '#333';
    ctx.font = canvasFont(MIN_TEXT, scale);
    for (const t of [-1, 0, 1]) {
      const q = this.toPixel(t, t);
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      ctx.fillText(String(t), q.x, p.y + p.h + 4);
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText(String(t), p.x - 5, q.y);
    }
    ctx.textBaseline = 'alphabetic';
  }
}
