/**
 * The pixels and image files of grids, without the DOM (the tests and the training worker run
 * them): the colour of each cell, RGBA pixels for a canvas, and a BMP image as a data URL.
 */
import { classColor, divergingColor, type DecisionGrid } from 'nabla/viz';

/** A colour as [r, g, b] in 0…255, as the library's `classColor` and `divergingColor` give. */
export type Rgb = [number, number, number];

/** The colour of each decision cell: its class's colour, paler where less sure (or flat when `discretize`). */
export function decisionColor(grid: DecisionGrid, discretize = false): (i: number) => Rgb {
  return (i) => classColor(grid.classes[i], discretize ? 1 : grid.confidence[i]);
}

/** The colour of each value divided by `scale`: orange negative, white 0, blue positive. */
export function valueColor(values: ArrayLike<number>, scale: number): (i: number) => Rgb {
  const s = scale > 0 ? scale : 1;
  return (i) => divergingColor(values[i] / s);
}

/**
 * The RGBA pixels of a `resolution × resolution` grid (cell i = row·resolution + column, row 0 at
 * the top), each cell coloured by `color(i)`.
 */
export function gridPixels(
  resolution: number,
  color: (i: number) => Rgb,
): Uint8ClampedArray<ArrayBuffer> {
  const px = new Uint8ClampedArray(resolution * resolution * 4);
  for (let i = 0; i < resolution * resolution; i++) {
    const [r, g, b] = color(i);
    px[4 * i] = r;
    px[4 * i + 1] = g;
    px[4 * i + 2] = b;
    px[4 * i + 3] = 255;
  }
  return px;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_CODES = Uint8Array.from(BASE64, (c) => c.charCodeAt(0));
const ascii = new TextDecoder('latin1');

/** Base64 of bytes (whose length is a multiple of 3). */
function base64(bytes: Uint8Array): string {
  const out = new Uint8Array((bytes.length / 3) * 4);
  for (let i = 0, o = 0; i < bytes.length; i += 3, o += 4) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o] = BASE64_CODES[v >> 18];
    out[o + 1] = BASE64_CODES[(v >> 12) & 63];
    out[o + 2] = BASE64_CODES[(v >> 6) & 63];
    out[o + 3] = BASE64_CODES[v & 63];
  }
  return ascii.decode(out);
}

/**
 * A data URL of a BMP image (24-bit, top row first), `width × height` pixels coloured by
 * `color(i)` for pixel i = row·width + column. Encoding it is plain arithmetic — no canvas and no
 * compression — so tens of small pictures cost about a millisecond, and browsers decode it at once.
 */
export function bmpDataUrl(width: number, height: number, color: (i: number) => Rgb): string {
  const row = Math.ceil((width * 3) / 4) * 4;
  // 54 bytes of headers, the rows, and padding to a multiple of 3 for base64 without '='.
  const data = row * height;
  const size = 54 + data;
  const bytes = new Uint8Array(Math.ceil(size / 3) * 3);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x42; // 'B'
  bytes[1] = 0x4d; // 'M'
  view.setUint32(2, size, true);
  view.setUint32(10, 54, true); // where the pixels start
  view.setUint32(14, 40, true); // BITMAPINFOHEADER
  view.setInt32(18, width, true);
  view.setInt32(22, -height, true); // negative: rows from the top down
  view.setUint16(26, 1, true); // planes
  view.setUint16(28, 24, true); // bits per pixel
  view.setUint32(34, data, true);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = color(y * width + x);
      const o = 54 + y * row + 3 * x;
      bytes[o] = b;
      bytes[o + 1] = g;
      bytes[o + 2] = r;
    }
  }
  return `data:image/bmp;base64,${base64(bytes)}`;
}
