/**
 * The text of a chart's frame: its font, its sizes, and cutting a label to fit.
 *
 * @module
 */
import { textWidth } from './svg.js';

/** The font family of every chart. */
export const FONT = 'DejaVu Sans, Verdana, Arial, Helvetica, sans-serif';
/** The font size of tick labels. */
export const TICK = 12;
/** The font size of axis labels. */
export const LABEL = 13;
/** The font size of legend names. */
export const LEGEND = 12;

/** Cuts text to fit `pixels`, ending with … when cut. */
export function fit(text: string, fontSize: number, pixels: number): string {
  if (textWidth(text, fontSize) <= pixels) return text;
  const n = Math.max(1, Math.floor(pixels / (fontSize * 0.58)) - 1);
  return `${text.slice(0, n)}…`;
}
