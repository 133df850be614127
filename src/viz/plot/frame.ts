/**
 * The frame every chart shares: title, axes with ticks and grid, axis labels, legend, and a
 * clipped plot area. Lays them out so that no two labels overlap: as many ticks as fit, margins
 * from the widest tick label, the legend in rows above the plot (or, when it would need more than
 * two rows, in a column to its right).
 *
 * @module
 */
import { type Axis, scaleOf } from './scale.js';
import { escapeXml, hashId, num, textWidth } from './svg.js';

/** One entry of a legend: a line sample, a dot, or a filled square. */
export interface LegendEntry {
  name: string;
  color: string;
  kind?: 'line' | 'dot' | 'swatch';
  /** Line width of a line sample (default 2). */
  width?: number;
  dash?: string;
  opacity?: number;
}

/** What a frame needs. */
export interface FrameOptions {
  width: number;
  height: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Makes the x axis for a plot this many pixels wide and at most this many ticks. */
  xAxis: (pixels: number, maxTicks: number) => Axis;
  /** Makes the y axis for a plot this many pixels high and at most this many ticks. */
  yAxis: (pixels: number, maxTicks: number) => Axis;
  legend?: LegendEntry[];
  /** A line of small text under the title (e.g. what the x axis counts). */
  subtitle?: string;
  /** Extra stable text for the clip-path id. */
  idSeed?: string;
}

/** A laid-out frame: the pixel scales, the plot area, and `render(content)` to finish the SVG. */
export interface Frame {
  x: Axis;
  y: Axis;
  sx: (v: number) => number;
  sy: (v: number) => number;
  left: number;
  top: number;
  plotWidth: number;
  plotHeight: number;
  /** The whole SVG with `content` drawn inside the (clipped) plot area. */
  render(content: string): string;
}

const FONT = 'DejaVu Sans, Verdana, Arial, Helvetica, sans-serif';
const TICK = 12;
const LABEL = 13;
const LEGEND = 12;
/** The clip region reaches this far beyond the axes, so that dots at the ends are drawn whole. */
const CLIP_PAD = 4;

function checkSize(what: string, v: number): void {
  if (!Number.isFinite(v) || v < 120 || v > 10000) {
    throw new RangeError(`plot: ${what} must be a number of pixels in [120, 10000], got ${v}`);
  }
}

/** Cuts text to fit `pixels`, ending with … when cut. */
function fit(text: string, fontSize: number, pixels: number): string {
  if (textWidth(text, fontSize) <= pixels) return text;
  const n = Math.max(1, Math.floor(pixels / (fontSize * 0.58)) - 1);
  return `${text.slice(0, n)}…`;
}

/** Whether the labels of an x axis, centred on their ticks, keep a gap between them. */
function xLabelsFit(axis: Axis, pixels: number): boolean {
  const s = scaleOf(axis, 0, pixels);
  let end = -Infinity;
  for (let i = 0; i < axis.ticks.length; i++) {
    const c = s(axis.ticks[i]);
    const w = textWidth(axis.labels[i], TICK);
    if (c - w / 2 < end + 10) return false;
    end = c + w / 2;
  }
  return true;
}

/** Lays out a chart frame. */
export function frame(o: FrameOptions): Frame {
  checkSize('width', o.width);
  checkSize('height', o.height);
  const { width, height } = o;
  const titleSize = o.title ? Math.min(16, Math.max(10, (width - 20) / (o.title.length * 0.6))) : 0;
  const titleBottom = (o.title ? titleSize + 18 : 14) + (o.subtitle ? 16 : 0);
  const subtitleY = titleBottom - 8;
  const legend = o.legend ?? [];

  // The legend: in rows above the plot when two rows hold it, else in a column to the right.
  const itemWidth = (name: string): number => 30 + textWidth(name, LEGEND) + 18;
  const rowsOf = (names: string[]): number[][] => {
    const rows: number[][] = [];
    let used = Infinity;
    names.forEach((name, i) => {
      const w = itemWidth(name);
      if (used + w > width - 20) {
        rows.push([]);
        used = 0;
      }
      rows[rows.length - 1].push(i);
      used += w;
    });
    return rows;
  };
  const rowNames = legend.map((e) => fit(e.name, LEGEND, width - 80));
  const rows = rowsOf(rowNames);
  const inRows = legend.length > 0 && rows.length <= 2;
  const columnNames = legend.map((e) => fit(e.name, LEGEND, width * 0.4 - 40));
  const legendNames = inRows ? rowNames : columnNames;
  const legendWidth =
    legend.length === 0 || inRows
      ? 0
      : Math.max(...legendNames.map((n) => textWidth(n, LEGEND))) + 46;

  const top = titleBottom + (inRows ? rows.length * 18 + 6 : 0);
  const bottom = TICK + 12 + (o.xLabel ? LABEL + 12 : 0) + 6;
  const plotHeight = Math.max(40, height - top - bottom);
  const y = o.yAxis(plotHeight, Math.max(2, Math.floor(plotHeight / 45)));
  const yTickWidth = Math.max(...y.labels.map((l) => textWidth(l, TICK)), 0);
  const left = 10 + (o.yLabel ? LABEL + 10 : 0) + yTickWidth + 8;
  const rightPad = 22;
  const plotWidth = Math.max(40, width - left - legendWidth - rightPad);

  let maxTicks = Math.max(2, Math.floor(plotWidth / 60));
  let x = o.xAxis(plotWidth, maxTicks);
  while (maxTicks > 2 && !xLabelsFit(x, plotWidth)) {
    maxTicks -= 1;
    x = o.xAxis(plotWidth, maxTicks);
  }
  const sx = scaleOf(x, left, left + plotWidth);
  const sy = scaleOf(y, top + plotHeight, top);
  const clipId = `plot-${hashId(`${o.title ?? ''}|${o.idSeed ?? ''}|${width}x${height}`)}`;

  const render = (content: string): string => {
    const out: string[] = [];
    out.push(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    );
    if (o.title) out.push(`<title>${escapeXml(o.title)}</title>`);
    out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
    out.push(
      `<defs><clipPath id="${clipId}"><rect x="${num(left - CLIP_PAD)}" y="${num(top - CLIP_PAD)}" width="${num(plotWidth + 2 * CLIP_PAD)}" height="${num(plotHeight + 2 * CLIP_PAD)}"/></clipPath></defs>`,
    );
    if (o.title) {
      out.push(
        `<text class="title" x="${num(width / 2)}" y="${num(titleSize + 8)}" text-anchor="middle" font-size="${num(titleSize)}" font-weight="bold" fill="#222">${escapeXml(o.title)}</text>`,
      );
    }
    if (o.subtitle) {
      out.push(
        `<text class="subtitle" x="${num(width / 2)}" y="${num(subtitleY)}" text-anchor="middle" font-size="11" fill="#555">${escapeXml(o.subtitle)}</text>`,
      );
    }
    // grid
    const grid: string[] = [];
    for (const v of y.minor) {
      grid.push(
        `<line x1="${num(left)}" x2="${num(left + plotWidth)}" y1="${num(sy(v))}" y2="${num(sy(v))}" stroke="#f0f0f0"/>`,
      );
    }
    for (const v of x.minor) {
      grid.push(
        `<line x1="${num(sx(v))}" x2="${num(sx(v))}" y1="${num(top)}" y2="${num(top + plotHeight)}" stroke="#f0f0f0"/>`,
      );
    }
    for (const v of y.ticks) {
      grid.push(
        `<line x1="${num(left)}" x2="${num(left + plotWidth)}" y1="${num(sy(v))}" y2="${num(sy(v))}" stroke="#dddddd"/>`,
      );
    }
    for (const v of x.ticks) {
      grid.push(
        `<line x1="${num(sx(v))}" x2="${num(sx(v))}" y1="${num(top)}" y2="${num(top + plotHeight)}" stroke="#dddddd"/>`,
      );
    }
    out.push(`<g class="grid">${grid.join('')}</g>`);
    out.push(`<g clip-path="url(#${clipId})">${content}</g>`);
    // axes
    out.push(
      `<rect class="plot-area" x="${num(left)}" y="${num(top)}" width="${num(plotWidth)}" height="${num(plotHeight)}" fill="none" stroke="#444"/>`,
    );
    const xt = x.ticks.map(
      (v, i) =>
        `<line x1="${num(sx(v))}" x2="${num(sx(v))}" y1="${num(top + plotHeight)}" y2="${num(top + plotHeight + 4)}" stroke="#444"/><text class="tick" x="${num(sx(v))}" y="${num(top + plotHeight + 6 + TICK)}" text-anchor="middle" font-size="${TICK}" fill="#333">${escapeXml(x.labels[i])}</text>`,
    );
    out.push(`<g class="axis x-axis">${xt.join('')}</g>`);
    const yt = y.ticks.map(
      (v, i) =>
        `<line x1="${num(left - 4)}" x2="${num(left)}" y1="${num(sy(v))}" y2="${num(sy(v))}" stroke="#444"/><text class="tick" x="${num(left - 7)}" y="${num(sy(v) + TICK * 0.35)}" text-anchor="end" font-size="${TICK}" fill="#333">${escapeXml(y.labels[i])}</text>`,
    );
    out.push(`<g class="axis y-axis">${yt.join('')}</g>`);
    if (o.xLabel) {
      out.push(
        `<text class="x-label" x="${num(left + plotWidth / 2)}" y="${num(top + plotHeight + TICK + 14 + LABEL)}" text-anchor="middle" font-size="${LABEL}" fill="#222">${escapeXml(o.xLabel)}</text>`,
      );
    }
    if (o.yLabel) {
      const cy = top + plotHeight / 2;
      out.push(
        `<text class="y-label" x="${num(10 + LABEL)}" y="${num(cy)}" transform="rotate(-90 ${num(10 + LABEL)} ${num(cy)})" text-anchor="middle" font-size="${LABEL}" fill="#222">${escapeXml(fit(o.yLabel, LABEL, plotHeight))}</text>`,
      );
    }
    if (legend.length > 0) {
      const place = (i: number): [number, number] => {
        if (!inRows) return [left + plotWidth + 14, top + 8 + i * 20];
        const r = rows.findIndex((row) => row.includes(i));
        const before = rows[r].slice(0, rows[r].indexOf(i));
        const rowWidth = rows[r].reduce((w, j) => w + itemWidth(legendNames[j]), 0) - 18;
        const x0 = Math.max(10, (width - rowWidth) / 2);
        return [
          x0 + before.reduce((w, j) => w + itemWidth(legendNames[j]), 0),
          titleBottom + 8 + r * 18,
        ];
      };
      const items = legend.map((e, i) => {
        const [lx, cy] = place(i);
        const sample =
          e.kind === 'dot'
            ? `<circle cx="${num(lx + 12)}" cy="${num(cy)}" r="4.5" fill="${e.color}" stroke="#333" stroke-width="0.8"/>`
            : e.kind === 'swatch'
              ? `<rect x="${num(lx + 4)}" y="${num(cy - 7)}" width="16" height="14" fill="${e.color}" stroke="#888" stroke-width="0.5"/>`
              : `<line x1="${num(lx)}" x2="${num(lx + 24)}" y1="${num(cy)}" y2="${num(cy)}" stroke="${e.color}" stroke-width="${e.width ?? 2}"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}${e.opacity !== undefined ? ` stroke-opacity="${e.opacity}"` : ''}/>`;
        return `<g class="legend-item">${sample}<text x="${num(lx + 30)}" y="${num(cy + LEGEND * 0.35)}" font-size="${LEGEND}" fill="#222">${escapeXml(legendNames[i])}</text></g>`;
      });
      out.push(`<g class="legend">${items.join('')}</g>`);
    }
    out.push('</svg>');
    return out.join('\n');
  };

  return { x, y, sx, sy, left, top, plotWidth, plotHeight, render };
}
