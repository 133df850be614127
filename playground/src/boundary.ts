/**
 * The output view: the decision boundary as a heat map over the input plane, with the data over
 * it — in the colours of nabla's own `plotDecisionBoundary` — or, in regression, the data and the
 * fitted curve. Painted into a canvas at screen rate.
 */
import { noGrad, tensor, type Module } from 'nabla';
import { EXTENT, type Split } from './data.js';
import { featureRows } from './features.js';
import { classColor, pointColor } from './colors.js';
import type { Settings } from './settings.js';
import { inputFeatures } from './trainer.js';

/** Grid cells along each axis of the heat map. */
const RESOLUTION = 60;
const MARGIN = { left: 28, bottom: 24, top: 6, right: 6 };

export class BoundaryView {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly cells: HTMLCanvasElement;
  private gridInputs: { key: string; rows: Float32Array } | undefined;

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
    this.cells = document.createElement('canvas');
    this.cells.width = RESOLUTION;
    this.cells.height = RESOLUTION;
  }

  /** CSS-pixel size of the plotting area. */
  private get plot(): { x: number; y: number; w: number; h: number } {
    const w = Number.parseFloat(this.canvas.style.width);
    const h = Number.parseFloat(this.canvas.style.height);
    return {
      x: MARGIN.left,
      y: MARGIN.top,
      w: w - MARGIN.left - MARGIN.right,
      h: h - MARGIN.top - MARGIN.bottom,
    };
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

  /** Network inputs for the grid's cell centres (cached per feature set). */
  private inputs(s: Settings): Float32Array {
    const features = inputFeatures(s);
    const key = `${s.mode}:${features.join(',')}`;
    if (this.gridInputs?.key !== key) {
      const pts = new Float32Array(RESOLUTION * RESOLUTION * 2);
      for (let r = 0; r < RESOLUTION; r++)
        for (let c = 0; c < RESOLUTION; c++) {
          const i = r * RESOLUTION + c;
          pts[2 * i] = -EXTENT + ((c + 0.5) / RESOLUTION) * 2 * EXTENT;
          pts[2 * i + 1] = EXTENT - ((r + 0.5) / RESOLUTION) * 2 * EXTENT;
        }
      this.gridInputs = { key, rows: featureRows(pts, features) };
    }
    return this.gridInputs.rows;
  }

  draw(model: Module, s: Settings, data: Split, inspected?: [number, number]): void {
    const ctx = this.ctx;
    const p = this.plot;
    const w = Number.parseFloat(this.canvas.style.width);
    const h = Number.parseFloat(this.canvas.style.height);
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    if (s.mode === 'classification') this.heatMap(model, s);
    else this.curve(model, s);
    this.axes();
    // Training points filled, test points hollow.
    const drawSet = (set: Split['train'], filled: boolean): void => {
      for (let i = 0; i < set.labels.length; i++) {
        const q = this.toPixel(set.points[2 * i], set.points[2 * i + 1]);
        ctx.beginPath();
        ctx.arc(q.x, q.y, 3.6, 0, 2 * Math.PI);
        const color = s.mode === 'regression' ? '#333333' : pointColor(set.labels[i]);
        if (filled) {
          ctx.fillStyle = color;
          ctx.fill();
          ctx.strokeStyle = '#ffffff';
          ctx.lineWidth = 1;
        } else {
          ctx.strokeStyle = color;
          ctx.lineWidth = 1.6;
        }
        ctx.stroke();
      }
    };
    ctx.save();
    ctx.beginPath();
    ctx.rect(p.x, p.y, p.w, p.h);
    ctx.clip();
    drawSet(data.test, false);
    drawSet(data.train, true);
    if (inspected !== undefined) {
      const q = this.toPixel(inspected[0], inspected[1]);
      ctx.beginPath();
      ctx.arc(q.x, q.y, 8, 0, 2 * Math.PI);
      ctx.strokeStyle = '#111';
      ctx.lineWidth = 2;
      ctx.stroke();
    }
    ctx.restore();
  }

  private heatMap(model: Module, s: Settings): void {
    const rows = this.inputs(s);
    const k = inputFeatures(s).length;
    const out = noGrad(() =>
      model.call(tensor(rows).reshape([RESOLUTION * RESOLUTION, k])).softmax(-1),
    ).data;
    const classes = out.length / (RESOLUTION * RESOLUTION);
    const cells = this.cells.getContext('2d')!;
    const image = cells.createImageData(RESOLUTION, RESOLUTION);
    for (let i = 0; i < RESOLUTION * RESOLUTION; i++) {
      let arg = 0;
      for (let c = 1; c < classes; c++) if (out[i * classes + c] > out[i * classes + arg]) arg = c;
      const confidence = s.discretize
        ? 1
        : Math.max(0, (out[i * classes + arg] - 1 / classes) / (1 - 1 / classes));
      const [r, g, b] = classColor(arg, confidence);
      image.data[4 * i] = r;
      image.data[4 * i + 1] = g;
      image.data[4 * i + 2] = b;
      image.data[4 * i + 3] = 255;
    }
    cells.putImageData(image, 0, 0);
    const p = this.plot;
    this.ctx.imageSmoothingEnabled = !s.discretize;
    this.ctx.drawImage(this.cells, p.x, p.y, p.w, p.h);
  }

  private curve(model: Module, s: Settings): void {
    const n = 200;
    const pts = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) pts[2 * i] = -EXTENT + (i / (n - 1)) * 2 * EXTENT;
    const features = inputFeatures(s);
    const y = noGrad(() =>
      model.call(tensor(featureRows(pts, features)).reshape([n, features.length])),
    ).data;
    const ctx = this.ctx;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const q = this.toPixel(pts[2 * i], y[i]);
      if (i === 0) ctx.moveTo(q.x, q.y);
      else ctx.lineTo(q.x, q.y);
    }
    ctx.strokeStyle = '#4e79a7';
    ctx.lineWidth = 2.5;
    ctx.stroke();
  }

  private axes(): void {
    const ctx = this.ctx;
    const p = this.plot;
    ctx.strokeStyle = '#888';
    ctx.lineWidth = 1;
    ctx.strokeRect(p.x, p.y, p.w, p.h);
    ctx.fillStyle = '#444';
    ctx.font = '11px system-ui, sans-serif';
    for (const t of [-1, 0, 1]) {
      const q = this.toPixel(t, t);
      ctx.textAlign = 'center';
      ctx.fillText(String(t), q.x, p.y + p.h + 12);
      ctx.textAlign = 'right';
      ctx.fillText(String(t), p.x - 4, q.y + 4);
    }
  }
}
