/**
 * The SVG of a laid-out chart frame: the title and subtitle, the grid, the clipped plot area, the
 * axes with their ticks and labels, and the legend.
 *
 * @module
 */
import { escapeXml } from '../xml.js';
import type { FrameOptions } from './frame.js';
import { legendSvg, type LegendLayout } from './legend.js';
import type { Axis } from './scale.js';
import { num } from './svg.js';
import { fit, FONT, LABEL, TICK } from './text.js';

/** The clip region reaches this far beyond the axes, so that dots at the ends are drawn whole. */
const CLIP_PAD = 4;

/** The plot area of a laid-out frame: its axes, their pixel scales, and its place in pixels. */
export interface PlotArea {
  x: Axis;
  y: Axis;
  sx: (v: number) => number;
  sy: (v: number) => number;
  left: number;
  top: number;
  plotWidth: number;
  plotHeight: number;
}

/** Where everything of a frame goes, as `frame` laid it out. */
export interface FrameGeometry extends PlotArea {
  options: FrameOptions;
  titleSize: number;
  /** The bottom of the title and subtitle, where the legend's rows start. */
  titleBottom: number;
  subtitleY: number;
  legend: LegendLayout;
  clipId: string;
}

/** The opening of the SVG: its element, the title, the white background, the clip path and the headings. */
function headerSvg(g: FrameGeometry): string[] {
  const { width, height, title, subtitle } = g.options;
  const { left, top, plotWidth, plotHeight } = g;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
  );
  if (title) out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(
    `<defs><clipPath id="${g.clipId}"><rect x="${num(left - CLIP_PAD)}" y="${num(top - CLIP_PAD)}" width="${num(plotWidth + 2 * CLIP_PAD)}" height="${num(plotHeight + 2 * CLIP_PAD)}"/></clipPath></defs>`,
  );
  if (title) {
    out.push(
      `<text class="title" x="${num(width / 2)}" y="${num(g.titleSize + 8)}" text-anchor="middle" font-size="${num(g.titleSize)}" font-weight="bold" fill="#222">${escapeXml(title)}</text>`,
    );
  }
  if (subtitle) {
    out.push(
      `<text class="subtitle" x="${num(width / 2)}" y="${num(g.subtitleY)}" text-anchor="middle" font-size="11" fill="#555">${escapeXml(subtitle)}</text>`,
    );
  }
  return out;
}

/** The grid: pale lines at the minor ticks, then darker ones at the major ticks. */
function gridSvg(g: FrameGeometry): string {
  const { x, y, sx, sy, left, top, plotWidth, plotHeight } = g;
  const horizontal = (v: number, stroke: string): string =>
    `<line x1="${num(left)}" x2="${num(left + plotWidth)}" y1="${num(sy(v))}" y2="${num(sy(v))}" stroke="${stroke}"/>`;
  const vertical = (v: number, stroke: string): string =>
    `<line x1="${num(sx(v))}" x2="${num(sx(v))}" y1="${num(top)}" y2="${num(top + plotHeight)}" stroke="${stroke}"/>`;
  const grid = [
    ...y.minor.map((v) => horizontal(v, '#f0f0f0')),
    ...x.minor.map((v) => vertical(v, '#f0f0f0')),
    ...y.ticks.map((v) => horizontal(v, '#dddddd')),
    ...x.ticks.map((v) => vertical(v, '#dddddd')),
  ];
  return `<g class="grid">${grid.join('')}</g>`;
}

/** The plot area's border, the ticks and their labels on both axes, and the axis labels. */
function axesSvg(g: FrameGeometry): string[] {
  const { x, y, sx, sy, left, top, plotWidth, plotHeight } = g;
  const out: string[] = [];
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
  const { xLabel, yLabel } = g.options;
  if (xLabel) {
    out.push(
      `<text class="x-label" x="${num(left + plotWidth / 2)}" y="${num(top + plotHeight + TICK + 14 + LABEL)}" text-anchor="middle" font-size="${LABEL}" fill="#222">${escapeXml(xLabel)}</text>`,
    );
  }
  if (yLabel) {
    const cy = top + plotHeight / 2;
    out.push(
      `<text class="y-label" x="${num(10 + LABEL)}" y="${num(cy)}" transform="rotate(-90 ${num(10 + LABEL)} ${num(cy)})" text-anchor="middle" font-size="${LABEL}" fill="#222">${escapeXml(fit(yLabel, LABEL, plotHeight))}</text>`,
    );
  }
  return out;
}

/** The whole SVG of a frame with `content` drawn inside the (clipped) plot area. */
export function renderFrame(g: FrameGeometry, content: string): string {
  const out = [
    ...headerSvg(g),
    gridSvg(g),
    `<g clip-path="url(#${g.clipId})">${content}</g>`,
    ...axesSvg(g),
  ];
  if (g.legend.entries.length > 0) {
    out.push(
      legendSvg(g.legend, {
        chartWidth: g.options.width,
        rowsTop: g.titleBottom,
        columnLeft: g.left + g.plotWidth + 14,
        columnTop: g.top,
      }),
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
