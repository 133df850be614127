/**
 * The frame every chart shares: title, axes with ticks and grid, axis labels, legend, and a
 * clipped plot area. Lays them out so that no two labels overlap: as many ticks as fit, margins
 * from the widest tick label, the legend in rows above the plot (or, when it would need more than
 * two rows, in a column to its right). The SVG of a laid-out frame is `frame-svg.ts`; the legend
 * is `legend.ts`.
 *
 * @module
 */
import { fail } from '../../tensor/check.js';
import { renderFrame, type PlotArea } from './frame-svg.js';
import { layoutLegend, type LegendEntry } from './legend.js';
import { type Axis, scaleOf } from './scale.js';
import { hashId, textWidth } from './svg.js';
import { LABEL, TICK } from './text.js';

export type { LegendEntry } from './legend.js';

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
export interface Frame extends PlotArea {
  /** The whole SVG with `content` drawn inside the (clipped) plot area. */
  render(content: string): string;
}

/** Refuses a width or height outside [120, 10000] pixels. */
function checkSize(what: string, v: number): void {
  if (!Number.isFinite(v) || v < 120 || v > 10000) {
    fail({ where: 'plot' }, what, 'a number of pixels in [120, 10000]', v);
  }
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

/** The x axis with as many ticks as fit a plot `plotWidth` pixels wide without their labels touching. */
function fittingXAxis(o: FrameOptions, plotWidth: number): Axis {
  let maxTicks = Math.max(2, Math.floor(plotWidth / 60));
  let x = o.xAxis(plotWidth, maxTicks);
  while (maxTicks > 2 && !xLabelsFit(x, plotWidth)) {
    maxTicks -= 1;
    x = o.xAxis(plotWidth, maxTicks);
  }
  return x;
}

/** Lays out a chart frame. */
export function frame(o: FrameOptions): Frame {
  checkSize('width', o.width);
  checkSize('height', o.height);
  const { width, height } = o;
  const titleSize = o.title ? Math.min(16, Math.max(10, (width - 20) / (o.title.length * 0.6))) : 0;
  const titleBottom = (o.title ? titleSize + 18 : 14) + (o.subtitle ? 16 : 0);
  const subtitleY = titleBottom - 8;
  const legend = layoutLegend(o.legend ?? [], width);

  const top = titleBottom + (legend.inRows ? legend.rows.length * 18 + 6 : 0);
  const bottom = TICK + 12 + (o.xLabel ? LABEL + 12 : 0) + 6;
  const plotHeight = Math.max(40, height - top - bottom);
  const y = o.yAxis(plotHeight, Math.max(2, Math.floor(plotHeight / 45)));
  const yTickWidth = Math.max(...y.labels.map((l) => textWidth(l, TICK)), 0);
  const left = 10 + (o.yLabel ? LABEL + 10 : 0) + yTickWidth + 8;
  const rightPad = 22;
  const plotWidth = Math.max(40, width - left - legend.width - rightPad);

  const x = fittingXAxis(o, plotWidth);
  const sx = scaleOf(x, left, left + plotWidth);
  const sy = scaleOf(y, top + plotHeight, top);
  const clipId = `plot-${hashId(`${o.title ?? ''}|${o.idSeed ?? ''}|${width}x${height}`)}`;
  const geometry = {
    options: o,
    titleSize,
    titleBottom,
    subtitleY,
    legend,
    x,
    y,
    sx,
    sy,
    left,
    top,
    plotWidth,
    plotHeight,
    clipId,
  };
  const render = (content: string): string => renderFrame(geometry, content);
  return { x, y, sx, sy, left, top, plotWidth, plotHeight, render };
}
