/**
 * How large the views draw their text and lines: body text at least 14 px at the default, and
 * projector mode (`large=1` in the URL) scales text, lines and dots up for a lecture hall.
 */

/** The smallest text a view draws, in CSS pixels, at the default size. */
export const MIN_TEXT = 14;

/** The factor projector mode grows the views' text and lines by. */
export const LARGE_SCALE = 1.4;

/** The factor on text and lines: 1, or {@link LARGE_SCALE} in projector mode. */
export const textScale = (s: { large: boolean }): number => (s.large ? LARGE_SCALE : 1);

/** A font of `px` pixels (times the scale) for a canvas. */
export const canvasFont = (px: number, scale: number, weight = ''): string =>
  `${weight} ${Math.round(px * scale * 10) / 10}px system-ui, Helvetica, Arial, sans-serif`.trim();
