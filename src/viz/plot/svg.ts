/**
 * The few pieces of SVG text the charts are made of: XML escaping, compact numbers, colours.
 * Browser-safe (no DOM, no `node:`): every chart is a plain string.
 *
 * @module
 */

/**
 * Escapes text for XML element content and attribute values (`& < > " '`).
 *
 * @example
 * escapeXml('a < b & "c"'); // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

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
