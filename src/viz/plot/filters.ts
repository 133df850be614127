/**
 * Pictures of a convolutional network: its first layer's filters and the feature maps they make,
 * each a small heat map in the diverging colours (orange negative, white 0, blue positive).
 *
 * @module
 */
import { fail } from '../../tensor/check.js';
import { Tensor } from '../../tensor/tensor.js';
import { escapeXml } from '../xml.js';
import { divergingColor, num, toHex } from './svg.js';

/** Options of {@link plotFilters} and {@link plotFeatureMaps}. */
export interface PlotGridOptions {
  /** The title above the grid. */
  title?: string;
  /** Width of one tile in pixels (default: 72 for filters, 96 for feature maps). */
  tile?: number;
  /** Tiles per row (default: up to 8). */
  columns?: number;
  /** Labels under the tiles (default: "filter 0", … or "map 0", …). */
  labels?: string[];
}

/** One tile: a `rows`×`cols` grid of values starting at `offset` of `data`, scaled by `scale`. */
interface Tile {
  data: ArrayLike<number>;
  offset: number;
  rows: number;
  cols: number;
  scale: number;
  label: string;
}

const FONT = 'font-family="sans-serif"';

function tileSvg(t: Tile, x: number, y: number, size: number): string {
  const cell = size / Math.max(t.rows, t.cols);
  const rects: string[] = [];
  for (let i = 0; i < t.rows; i++) {
    for (let j = 0; j < t.cols; j++) {
      const v = t.data[t.offset + i * t.cols + j] / t.scale;
      const fill = toHex(divergingColor(v));
      rects.push(
        `<rect x="${num(x + j * cell)}" y="${num(y + i * cell)}" width="${num(cell + 0.3)}" height="${num(cell + 0.3)}" fill="${fill}"/>`,
      );
    }
  }
  const frame = `<rect x="${num(x)}" y="${num(y)}" width="${num(cell * t.cols)}" height="${num(cell * t.rows)}" fill="none" stroke="#888" stroke-width="1"/>`;
  const label = `<text x="${num(x + size / 2)}" y="${num(y + size + 16)}" text-anchor="middle" font-size="14" ${FONT} fill="#333">${escapeXml(t.label)}</text>`;
  return rects.join('') + frame + label;
}

function gridSvg(tiles: Tile[], title: string, size: number, columns: number): string {
  const gap = 14;
  const cols = Math.min(columns, tiles.length);
  const rows = Math.ceil(tiles.length / cols);
  const top = 40;
  const width = gap + cols * (size + gap);
  const height = top + rows * (size + 22 + gap) + 24;
  const body = tiles.map((t, k) =>
    tileSvg(
      t,
      gap + (k % cols) * (size + gap),
      top + Math.floor(k / cols) * (size + 22 + gap),
      size,
    ),
  );
  const note = `orange < 0 < blue; each tile scaled by its largest |value|`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${gap}" y="26" font-size="18" font-weight="bold" ${FONT} fill="#222">${escapeXml(title)}</text>`,
    ...body,
    `<text x="${gap}" y="${height - 8}" font-size="14" ${FONT} fill="#555">${escapeXml(note)}</text>`,
    '</svg>',
  ].join('\n');
}

function largest(data: ArrayLike<number>, offset: number, length: number): number {
  let m = 0;
  for (let i = 0; i < length; i++) {
    const v = Math.abs(data[offset + i]);
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m === 0 ? 1 : m;
}

function checkOptions(where: string, options: unknown): PlotGridOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    fail({ where }, 'options', 'an object such as { title: "…" }', options, TypeError);
  }
  return options as PlotGridOptions;
}

function tilesOf(
  data: ArrayLike<number>,
  count: number,
  rows: number,
  cols: number,
  labels: string[],
): Tile[] {
  const size = rows * cols;
  return Array.from({ length: count }, (_, k) => ({
    data,
    offset: k * size,
    rows,
    cols,
    scale: largest(data, k * size, size),
    label: labels[k] ?? '',
  }));
}

/**
 * The filters of a convolution's weight [out, in, kh, kw] as a grid of heat maps, one per output
 * channel (input channels side by side when there are several, e.g. the three colours of CIFAR).
 *
 * @example
 * import { plotFilters } from 'nabla/viz';
 * const conv = new Conv2d(1, 6, 5);
 * const svg = plotFilters(conv.weight); // write it to a .svg file to see it
 * svg.startsWith('<svg'); // => true
 */
export function plotFilters(weight: Tensor, options: PlotGridOptions = {}): string {
  const o = checkOptions('plotFilters', options);
  if (!(weight instanceof Tensor) || weight.ndim !== 4) {
    fail(
      { where: 'plotFilters' },
      'weight',
      'a convolution weight [out, in, kh, kw]',
      weight,
      TypeError,
    );
  }
  const [out, inC, kh, kw] = weight.shape;
  const data = weight.to('float64').data;
  // Each filter's input channels laid out left to right: a tile kh × (in·kw).
  const wide = new Float64Array(data.length);
  for (let f = 0; f < out; f++)
    for (let c = 0; c < inC; c++)
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++)
          wide[f * inC * kh * kw + i * inC * kw + c * kw + j] =
            data[((f * inC + c) * kh + i) * kw + j];
  const labels = o.labels ?? Array.from({ length: out }, (_, k) => `filter ${k}`);
  const tiles = tilesOf(wide, out, kh, inC * kw, labels);
  return gridSvg(
    tiles,
    o.title ?? `First-layer filters (${out} × ${inC}×${kh}×${kw})`,
    o.tile ?? 72,
    o.columns ?? 8,
  );
}

/**
 * Feature maps [channels, h, w] (one example's output of a convolution) as a grid of heat maps.
 *
 * @example
 * import { plotFeatureMaps } from 'nabla/viz';
 * const conv = new Conv2d(1, 6, 5);
 * const image = rand([1, 1, 28, 28]);
 * const maps = conv.call(image).select(0, 0); // [6, 24, 24]
 * const svg = plotFeatureMaps(maps, { title: 'conv1 on an image' });
 * svg.startsWith('<svg'); // => true
 */
export function plotFeatureMaps(maps: Tensor, options: PlotGridOptions = {}): string {
  const o = checkOptions('plotFeatureMaps', options);
  if (!(maps instanceof Tensor) || maps.ndim !== 3) {
    fail({ where: 'plotFeatureMaps' }, 'maps', 'feature maps [channels, h, w]', maps, TypeError);
  }
  const [c, h, w] = maps.shape;
  const labels = o.labels ?? Array.from({ length: c }, (_, k) => `map ${k}`);
  const tiles = tilesOf(maps.to('float64').data, c, h, w, labels);
  return gridSvg(tiles, o.title ?? `Feature maps (${c} × ${h}×${w})`, o.tile ?? 96, o.columns ?? 8);
}
