/**
 * The few pieces of SVG text the charts are made of: compact numbers, colours (the XML escaping
 * is `viz/xml.ts`).
 * Browser-safe (no DOM, no `node:`): every chart is a plain string.
 *
 * @module
 */
import { fail } from '../../tensor/check.js';

/** A coordinate with at most two decimals, without trailing zeros (keeps files small). */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/**
 * Distinct colours for series and classes: Tableau 10, readable on white and distinguishable by
 * most colour-blind readers. Series beyond ten reuse the colours with dashes.
 */
export const PALETTE: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#9c755f',
  '#ff9da7',
  '#bab0ac',
];

/** Parses `#rrggbb` into [r, g, b] in 0…255. */
export function parseHex(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (m === null)
    throw new RangeError(`plot: colours must be #rrggbb, got ${JSON.stringify(color)}`);
  const v = parseInt(m[1], 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** `#rrggbb` for [r, g, b] in 0…255. */
export function toHex(rgb: readonly [number, number, number]): string {
  return `#${rgb
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Mixes a colour with white: amount 1 is the colour, 0 is white. */
export function tint(color: string, amount: number): string {
  const [r, g, b] = parseHex(color);
  return toHex([255 + (r - 255) * amount, 255 + (g - 255) * amount, 255 + (b - 255) * amount]);
}

/** An approximate rendered width of text in the sans-serif font (average glyph ≈ 0.58 em). */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.58;
}

/** A short, stable hash of a string (for ids that must differ between charts on one page). */
export function hashId(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

/** The palette parsed once, for code that paints many pixels. */
const PALETTE_RGB: readonly (readonly [number, number, number])[] = PALETTE.map(parseHex);

/**
 * The colour of class `k` for its data points: the palette's `k`-th colour (cycling after ten),
 * as `#rrggbb`. {@link plotDecisionBoundary} draws its dots in it.
 *
 * @example
 * import { classPointColor } from 'nabla/viz';
 * classPointColor(0); // => '#4e79a7' (blue)
 * classPointColor(1); // => '#f28e2b' (orange)
 */
export function classPointColor(k: number): string {
  checkClass('classPointColor', k);
  return PALETTE[((Math.round(k) % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** Refuses a class that is not a finite number (it picks a palette colour). */
function checkClass(where: string, k: unknown): void {
  if (typeof k !== 'number' || !Number.isFinite(k))
    fail({ where }, 'k', 'a class number (an integer)', k, TypeError);
}

/**
 * The background colour of a decision region, as [r, g, b] in 0…255: class `k`'s palette colour
 * mixed with white, paler where the model is less sure. `confidence` runs from 0 (a toss-up
 * between the classes) to 1 (certain); it is clamped to [0, 1]. These are exactly the colours of
 * {@link plotDecisionBoundary}'s cells (which round `confidence` to ten levels first), so a canvas
 * painted with them matches the SVG.
 *
 * @example
 * import { classColor } from 'nabla/viz';
 * classColor(0, 1); // => [145, 172, 200]: class 0's blue at 62 %
 * classColor(1, 0); // => [253, 241, 230]: class 1's orange at 12 %, nearly white
 */
export function classColor(k: number, confidence: number): [number, number, number] {
  checkClass('classColor', k);
  if (typeof confidence !== 'number')
    fail({ where: 'classColor' }, 'confidence', 'a number in [0, 1]', confidence, TypeError);
  const c = Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : 0;
  const amount = 0.12 + 0.5 * c;
  const i = ((Math.round(k) % PALETTE.length) + PALETTE.length) % PALETTE.length;
  const [r, g, b] = PALETTE_RGB[i];
  return [
    Math.round(255 + (r - 255) * amount),
    Math.round(255 + (g - 255) * amount),
    Math.round(255 + (b - 255) * amount),
  ];
}

/**
 * A diverging colour for a value in [−1, 1], as [r, g, b] in 0…255: orange (#e66101) at −1, white
 * at 0, blue (#2166ac) at +1, linear in between; values outside are clamped and NaN is white.
 * `neuronDiagram` fills neurons with it (the activation divided by the largest one), and the
 * playground paints each neuron's output over the plane with it.
 *
 * @example
 * import { divergingColor } from 'nabla/viz';
 * divergingColor(1); // => [33, 102, 172]
 * divergingColor(0); // => [255, 255, 255]
 * divergingColor(-0.5); // => [243, 176, 128]
 */
export function divergingColor(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const a = Math.abs(t);
  const [r, g, b] = t >= 0 ? [33, 102, 172] : [230, 97, 1];
  return [
    Math.round(255 + (r - 255) * a),
    Math.round(255 + (g - 255) * a),
    Math.round(255 + (b - 255) * a),
  ];
}
