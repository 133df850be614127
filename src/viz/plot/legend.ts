/**
 * The legend of a chart: in rows above the plot when two rows hold it, else in a column to its
 * right; each entry a line sample, a dot or a filled square, then its name.
 *
 * @module
 */
import { escapeXml } from '../xml.js';
import { num, textWidth } from './svg.js';
import { fit, LEGEND } from './text.js';

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

/** Where a legend's entries go. */
export interface LegendLayout {
  entries: LegendEntry[];
  /** The names as shown (cut to fit the rows or the column). */
  names: string[];
  /** The entries of each row, by index (as if in rows, even when in a column). */
  rows: number[][];
  /** In rows above the plot (else in a column to its right, or no legend at all). */
  inRows: boolean;
  /** The width the column takes from the plot (0 in rows or without a legend). */
  width: number;
}

/** Where to put the legend: the chart's width, the top of the rows, and the column's corner. */
export interface LegendPlace {
  chartWidth: number;
  rowsTop: number;
  columnLeft: number;
  columnTop: number;
}

/** The width of one item in a row: sample, name and the gap after it. */
function itemWidth(name: string): number {
  return 30 + textWidth(name, LEGEND) + 18;
}

/** The names, in order, in rows that fit a chart `width` pixels wide. */
function rowsOf(names: string[], width: number): number[][] {
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
}

/** Lays out a legend for a chart `width` pixels wide: in rows when two rows hold it, else in a column. */
export function layoutLegend(entries: LegendEntry[], width: number): LegendLayout {
  const rowNames = entries.map((e) => fit(e.name, LEGEND, width - 80));
  const rows = rowsOf(rowNames, width);
  const inRows = entries.length > 0 && rows.length <= 2;
  const columnNames = entries.map((e) => fit(e.name, LEGEND, width * 0.4 - 40));
  const names = inRows ? rowNames : columnNames;
  const columnWidth =
    entries.length === 0 || inRows ? 0 : Math.max(...names.map((n) => textWidth(n, LEGEND))) + 46;
  return { entries, names, rows, inRows, width: columnWidth };
}

/** The left end and the middle height of entry `i`: centred in its row, or down the column. */
function placeOf(layout: LegendLayout, place: LegendPlace, i: number): [number, number] {
  if (!layout.inRows) return [place.columnLeft, place.columnTop + 8 + i * 20];
  const { rows, names } = layout;
  const r = rows.findIndex((row) => row.includes(i));
  const before = rows[r].slice(0, rows[r].indexOf(i));
  const rowWidth = rows[r].reduce((w, j) => w + itemWidth(names[j]), 0) - 18;
  const x0 = Math.max(10, (place.chartWidth - rowWidth) / 2);
  return [x0 + before.reduce((w, j) => w + itemWidth(names[j]), 0), place.rowsTop + 8 + r * 18];
}

/** The sample of an entry at (lx, cy): a dot, a filled square, or a piece of line. */
function sampleSvg(e: LegendEntry, lx: number, cy: number): string {
  return e.kind === 'dot'
    ? `<circle cx="${num(lx + 12)}" cy="${num(cy)}" r="4.5" fill="${e.color}" stroke="#333" stroke-width="0.8"/>`
    : e.kind === 'swatch'
      ? `<rect x="${num(lx + 4)}" y="${num(cy - 7)}" width="16" height="14" fill="${e.color}" stroke="#888" stroke-width="0.5"/>`
      : `<line x1="${num(lx)}" x2="${num(lx + 24)}" y1="${num(cy)}" y2="${num(cy)}" stroke="${e.color}" stroke-width="${e.width ?? 2}"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}${e.opacity !== undefined ? ` stroke-opacity="${e.opacity}"` : ''}/>`;
}

/** The legend as one `<g class="legend">` of items, each a sample and its name. */
export function legendSvg(layout: LegendLayout, place: LegendPlace): string {
  const items = layout.entries.map((e, i) => {
    const [lx, cy] = placeOf(layout, place, i);
    return `<g class="legend-item">${sampleSvg(e, lx, cy)}<text x="${num(lx + 30)}" y="${num(cy + LEGEND * 0.35)}" font-size="${LEGEND}" fill="#222">${escapeXml(layout.names[i])}</text></g>`;
  });
  return `<g class="legend">${items.join('')}</g>`;
}
