/**
 * `lineChart`: lines over a linear or logarithmic axis, as an SVG string. The chart core the
 * training plots are built on.
 *
 * @module
 */
import { checkObject } from '../../tensor/check.js';
import { escapeXml } from '../xml.js';
import { frame, type Frame, type LegendEntry } from './frame.js';
import { type Axis, linearAxis, logAxis, type ScaleType } from './scale.js';
import { num, PALETTE } from './svg.js';

/** One line of a chart. */
export interface Series {
  /** The name in the legend. */
  name: string;
  /** The x values (default 1, 2, …, n). */
  x?: ArrayLike<number>;
  /** The y values; NaN, ±Infinity (and values ≤ 0 on a log axis) leave a gap in the line. */
  y: ArrayLike<number>;
  /** `#rrggbb` (default: the next colour of the palette). */
  color?: string;
  /** Line width in pixels (default 2). */
  width?: number;
  /** An SVG dash pattern such as `'6 3'`. */
  dash?: string;
  /** Line opacity (default 1). */
  opacity?: number;
  /** Dots at the data points (default: when there are at most 40 points). */
  markers?: boolean;
  /** Show in the legend (default true). */
  legend?: boolean;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  series: Series[];
  /** The y axis: linear (default) or logarithmic, base 10. */
  scale?: ScaleType;
  /** The x axis: linear (default) or logarithmic. */
  xScale?: ScaleType;
  /** Pixels (default 640). */
  width?: number;
  /** Pixels (default 400). */
  height?: number;
  /** Fixed y range instead of the data's (linear axes). */
  yDomain?: [number, number];
  /** Fixed x range instead of the data's (linear axes). */
  xDomain?: [number, number];
  /** Only whole numbers as x ticks (epochs, steps; default true when no series gives x values). */
  xInteger?: boolean;
  /** Formats the y tick labels (e.g. as percentages). */
  yFormat?: (v: number) => string;
  /** A line of small text under the title. */
  subtitle?: string;
}

/** The usable (finite, and > 0 on a log axis) range of some values, or null if none. */
function extent(values: Iterable<number>, scale: ScaleType): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (scale === 'log' && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** An axis builder for the frame. */
function axisFor(
  scale: ScaleType,
  range: [number, number] | null,
  fixed: [number, number] | undefined,
  options: { integer?: boolean; format?: (v: number) => string; exact?: boolean },
): (pixels: number, maxTicks: number) => Axis {
  return (_pixels, maxTicks) => {
    if (scale === 'log') {
      if (fixed !== undefined) return logAxis(fixed[0], fixed[1], maxTicks, { exact: true });
      const [lo, hi] = range ?? [1, 10];
      // A little room (4% of the decades shown) above and below the data.
      const pad = 10 ** (0.04 * Math.max(1, Math.log10(hi / lo)));
      return logAxis(lo / pad, hi * pad, maxTicks, { exact: true });
    }
    const [lo, hi] = fixed ?? range ?? [0, 1];
    return linearAxis(lo, hi, Math.max(2, maxTicks - 1), {
      ...options,
      exact: fixed !== undefined || (options.exact === true && range !== null && hi > lo),
    });
  };
}

function checkSeries(series: unknown): asserts series is Series[] {
  if (!Array.isArray(series)) throw new TypeError('lineChart: series must be an array');
  series.forEach((s: Partial<Series> | null, i) => {
    if (s === null || typeof s !== 'object' || typeof s.name !== 'string') {
      throw new TypeError(`lineChart: series[${i}] needs a name (a string)`);
    }
    if (s.y === undefined || s.y === null || typeof s.y.length !== 'number') {
      throw new TypeError(`lineChart: series "${s.name}" needs y values (an array of numbers)`);
    }
    if (s.x !== undefined && s.x.length !== s.y.length) {
      throw new RangeError(
        `lineChart: series "${s.name}" has ${s.x.length} x values but ${s.y.length} y values`,
      );
    }
  });
}

/** A series with its defaults filled in: x values, a colour, and a dash beyond the palette. */
interface DrawnSeries extends Series {
  x: number[];
  y: number[];
  color: string;
}

/** Whether a point can be drawn: both coordinates finite, and > 0 on a log axis. */
type Drawable = (x: number, y: number) => boolean;

/** The series with their defaults: x = 1, 2, …, n; the palette's colours, dashed after the first ten. */
function withDefaults(series: Series[]): DrawnSeries[] {
  return series.map((s, i) => ({
    ...s,
    x: s.x ? Array.from(s.x) : Array.from({ length: s.y.length }, (_, j) => j + 1),
    y: Array.from(s.y),
    color: s.color ?? PALETTE[i % PALETTE.length],
    dash: s.dash ?? (i >= PALETTE.length ? '6 3' : undefined),
  }));
}

/** The x and y values of the drawable points of all series, for the axes' ranges. */
function drawnValues(series: DrawnSeries[], drawable: Drawable): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    s.y.forEach((y, j) => {
      if (drawable(s.x[j], y)) {
        xs.push(s.x[j]);
        ys.push(y);
      }
    });
  }
  return { xs, ys };
}

/** The legend: a line sample for each series that shows in it. */
function legendOf(series: DrawnSeries[]): LegendEntry[] {
  return series
    .filter((s) => s.legend !== false)
    .map((s) => ({
      name: s.name,
      color: s.color,
      width: s.width,
      dash: s.dash,
      opacity: s.opacity,
    }));
}

/**
 * One series as a path broken at every point that cannot be drawn, and its markers (a point
 * between two gaps, a line of length zero, shows as a dot even without markers).
 */
function seriesSvg(s: DrawnSeries, f: Frame, drawable: Drawable): string[] {
  const d: string[] = [];
  const dots: string[] = [];
  let run: [number, number][] = [];
  const valid = s.y.filter((y, j) => drawable(s.x[j], y)).length;
  const markers = s.markers ?? valid <= 40;
  const flush = (): void => {
    if (run.length === 1 && !markers)
      dots.push(`<circle cx="${num(run[0][0])}" cy="${num(run[0][1])}" r="2.5"/>`);
    if (run.length > 0) {
      d.push(`M${run.map(([px, py]) => `${num(px)} ${num(py)}`).join('L')}`);
    }
    run = [];
  };
  s.y.forEach((y, j) => {
    if (!drawable(s.x[j], y)) return flush();
    const px = f.sx(s.x[j]);
    const py = f.sy(y);
    run.push([px, py]);
    if (markers) dots.push(`<circle cx="${num(px)}" cy="${num(py)}" r="2.5"/>`);
  });
  flush();
  const name = escapeXml(s.name);
  const attrs = [
    `class="series"`,
    `data-name="${name}"`,
    `d="${d.join('')}"`,
    `fill="none"`,
    `stroke="${s.color}"`,
    `stroke-width="${s.width ?? 2}"`,
    `stroke-linejoin="round"`,
    `stroke-linecap="round"`,
  ];
  if (s.dash) attrs.push(`stroke-dasharray="${s.dash}"`);
  if (s.opacity !== undefined) attrs.push(`stroke-opacity="${s.opacity}"`);
  const parts = [`<path ${attrs.join(' ')}/>`];
  if (dots.length > 0) {
    parts.push(
      `<g class="markers" data-name="${name}" fill="${s.color}"${s.opacity !== undefined ? ` fill-opacity="${s.opacity}"` : ''}>${dots.join('')}</g>`,
    );
  }
  return parts;
}

/**
 * Draws lines as an SVG string (no DOM needed, so it works in Node and browsers): nice ticks (1-2-5
 * steps, or decades on a log axis), axis labels, a legend, distinct colours, and a gap wherever a
 * value is NaN or infinite (or ≤ 0 on a log axis). All text is escaped for XML.
 *
 * @example
 * import { lineChart } from 'nabla/viz';
 * const svg = lineChart({
 *   title: 'Loss',
 *   xLabel: 'epoch',
 *   yLabel: 'loss',
 *   series: [{ name: 'training', y: [1, 0.5, 0.3, 0.2] }],
 *   scale: 'log',
 * });
 */
export function lineChart(options: LineChartOptions): string {
  checkObject({ where: 'lineChart' }, 'options', options);
  checkSeries(options.series);
  const yScale = options.scale ?? 'linear';
  const xScale = options.xScale ?? 'linear';
  const series = withDefaults(options.series);
  // A point counts for the ranges only when both of its coordinates can be drawn.
  const drawable: Drawable = (x, y) =>
    Number.isFinite(x) &&
    Number.isFinite(y) &&
    (xScale !== 'log' || x > 0) &&
    (yScale !== 'log' || y > 0);
  const { xs, ys } = drawnValues(series, drawable);
  const f = frame({
    width: options.width ?? 640,
    height: options.height ?? 400,
    title: options.title,
    subtitle: options.subtitle,
    xLabel: options.xLabel,
    yLabel: options.yLabel,
    legend: legendOf(series),
    idSeed: series.map((s) => s.name).join('|'),
    xAxis: axisFor(xScale, extent(xs, xScale), options.xDomain, {
      integer: options.xInteger ?? options.series.every((s) => s.x === undefined),
      exact: true,
    }),
    yAxis: axisFor(yScale, extent(ys, yScale), options.yDomain, { format: options.yFormat }),
  });
  return f.render(series.flatMap((s) => seriesSvg(s, f, drawable)).join('\n'));
}
