/**
 * Scales and ticks: "nice" tick values in steps of 1, 2 or 5 times a power of ten for linear axes,
 * and decades (with 2 and 5 between them when the range is short) for logarithmic axes.
 *
 * @module
 */
import { checkInteger, checkObject, fail, formatValue } from '../../tensor/check.js';

/** A linear or logarithmic (base 10) axis. */
export type ScaleType = 'linear' | 'log';

/** An axis: its domain (the data values at both ends), the tick values and their labels. */
export interface Axis {
  type: ScaleType;
  /** The values at the two ends of the axis. */
  domain: [number, number];
  /** Labelled tick values, ascending. */
  ticks: number[];
  /** The label of each tick. */
  labels: string[];
  /** Unlabelled grid lines (the 2…9 between decades of a log axis). */
  minor: number[];
}

/**
 * The nice step (1, 2 or 5 times a power of ten) that cuts `span` into about `count` pieces.
 *
 * @example
 * import { niceStep } from 'nabla/viz';
 * niceStep(10, 5); // => 2
 */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * power;
}

/** Rounds away floating-point noise such as 0.30000000000000004. */
function clean(v: number): number {
  return Number.parseFloat(v.toPrecision(12));
}

/** The number of decimals that a step needs (0.25 → 2, 5 → 0). */
function decimalsOf(step: number): number {
  for (let d = 0; d < 12; d++) {
    if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-9 * 10 ** d) return d;
  }
  return 12;
}

/**
 * A linear axis over [min, max] with about `count` ticks, its ends widened to whole steps unless
 * `exact` (then the ends stay and only the ticks inside are shown).
 *
 * @example
 * import { linearAxis } from 'nabla/viz';
 * linearAxis(0.13, 0.92, 5).ticks; // => [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function linearAxis(
  min: number,
  max: number,
  count: number,
  options: { exact?: boolean; integer?: boolean; format?: (v: number) => string } = {},
): Axis {
  if (!(max > min)) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  let step = niceStep(max - min, count);
  if (options.integer === true) step = Math.max(1, Math.round(step));
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const domain: [number, number] = options.exact === true ? [min, max] : [clean(lo), clean(hi)];
  const ticks: number[] = [];
  const first = Math.ceil(domain[0] / step - 1e-9);
  const last = Math.floor(domain[1] / step + 1e-9);
  for (let k = first; k <= last; k++) ticks.push(clean(k * step));
  const decimals = decimalsOf(step);
  const format = options.format ?? ((v: number) => formatLinear(v, decimals));
  return { type: 'linear', domain, ticks, labels: ticks.map(format), minor: [] };
}

/** A tick label of a linear axis: fixed decimals, or exponent form for very large/small values. */
function formatLinear(v: number, decimals: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || decimals > 6)
    return v
      .toExponential(Math.max(0, Math.min(3, decimals - Math.floor(Math.log10(a)))))
      .replace('e+', 'e');
  return v.toFixed(decimals);
}

/**
 * A tick label of a power of ten or a 2/5 multiple of one: `0.01`, `1000`, and `1e-5` or `2e6`
 * beyond four digits.
 *
 * @example
 * formatLog(1e-5); // => '1e-5'
 */
export function formatLog(v: number): string {
  const e = Math.floor(Math.log10(v) + 1e-9);
  const m = Math.round(v / 10 ** e);
  if (e >= -4 && e <= 4)
    return clean(v)
      .toString()
      .replace(/^(-?)0\./, '$10.');
  return `${m === 1 ? '1' : m}e${e}`;
}

/**
 * A base-10 logarithmic axis over [min, max] (both > 0). Labelled ticks at the decades (every
 * second or third one when there are many); when the range spans few decades, at 1, 2 and 5 times
 * each power of ten; on a range shorter than that, at every multiple. The ends are widened to
 * whole decades unless `exact`.
 *
 * @example
 * import { logAxis } from 'nabla/viz';
 * logAxis(0.003, 2).ticks; // => [0.001, 0.01, 0.1, 1, 10]
 */
export function logAxis(
  min: number,
  max: number,
  maxTicks = 8,
  options: { exact?: boolean } = {},
): Axis {
  const ctx = { where: 'logAxis' };
  if (typeof min !== 'number') fail(ctx, 'min', 'a number > 0', min, TypeError);
  if (typeof max !== 'number') fail(ctx, 'max', 'a number > 0', max, TypeError);
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) {
    throw new RangeError(
      `logAxis: a log axis needs finite values > 0, got [${formatValue(min)}, ${formatValue(max)}]`,
    );
  }
  checkInteger(ctx, 'maxTicks', maxTicks, 1);
  checkObject(ctx, 'options', options);
  if (!(max > min)) [min, max] = [min / 2, max * 2];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  let hi = Math.ceil(Math.log10(max) - 1e-9);
  if (hi === lo) hi = lo + 1;
  const domain: [number, number] =
    options.exact === true ? [min, max] : [clean(10 ** lo), clean(10 ** hi)];
  const inside = (v: number): boolean => v >= domain[0] * (1 - 1e-9) && v <= domain[1] * (1 + 1e-9);
  const values = (multiples: number[], every: number): number[] => {
    const out: number[] = [];
    for (let e = lo; e <= hi; e++) {
      for (const m of multiples) {
        const v = clean(m * 10 ** e);
        if ((m !== 1 || e % every === 0) && (m === 1 || every === 1) && inside(v)) out.push(v);
      }
    }
    return out;
  };
  const all = values([1, 2, 3, 4, 5, 6, 7, 8, 9], 1);
  const decades = values([1], 1);
  let ticks: number[];
  if (decades.length >= 3 || values([1, 2, 5], 1).length > maxTicks) {
    let every = 1;
    while (values([1], every).length > maxTicks) every += every === 1 ? 1 : every === 2 ? 1 : 2;
    ticks = values([1], every);
  } else {
    ticks = values([1, 2, 5], 1);
    if (ticks.length < 2) ticks = all.length <= maxTicks ? all : all.filter((_, i) => i % 2 === 0);
  }
  const minor = decades.length <= 12 ? all.filter((v) => !ticks.includes(v)) : [];
  return { type: 'log', domain, ticks, labels: ticks.map(formatLog), minor };
}

/** Maps a data value to a pixel between `from` and `to` (NaN for values a log axis cannot show). */
export function scaleOf(axis: Axis, from: number, to: number): (v: number) => number {
  if (axis.type === 'log') {
    const a = Math.log10(axis.domain[0]);
    const b = Math.log10(axis.domain[1]);
    return (v) => (v > 0 ? from + ((Math.log10(v) - a) / (b - a)) * (to - from) : Number.NaN);
  }
  const [a, b] = axis.domain;
  return (v) => from + ((v - a) / (b - a)) * (to - from);
}
