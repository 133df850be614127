/**
 * A drawing made into the input MNIST's digits are: the ink's bounding box scaled (keeping its
 * aspect ratio, averaging the pixels each new pixel covers) to fit a 20 × 20 box, its darkest pixel
 * set to 1, then placed in a 28 × 28 image so that its centre of mass is at the image's centre —
 * how LeCun, Cortes and Burges made MNIST from NIST's digits. Pure: the tests give it known inks.
 *
 * @module
 */

/** The side of the network's input image, and of the box the ink is scaled to fit. */
export const SIDE = 28;
export const BOX = 20;

/** The ink's bounding box: columns [x0, x1), rows [y0, y1); undefined when there is no ink. */
export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function inkBounds(
  ink: ArrayLike<number>,
  width: number,
  height: number,
): Bounds | undefined {
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!(ink[y * width + x] > 0)) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x + 1);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y + 1);
    }
  }
  return x1 > x0 ? { x0, y0, x1, y1 } : undefined;
}

/**
 * The weights of a box filter from `n` source pixels to `m` pixels: output pixel j averages the
 * source interval [j·n/m, (j+1)·n/m), each source pixel weighted by how much of it falls there.
 */
function boxWeights(n: number, m: number): { from: number; w: number[] }[] {
  const f = n / m;
  return Array.from({ length: m }, (_, j) => {
    const a = j * f;
    const b = (j + 1) * f;
    const from = Math.floor(a);
    const w: number[] = [];
    for (let s = from; s < Math.min(n, Math.ceil(b)); s++)
      w.push((Math.min(b, s + 1) - Math.max(a, s)) / f);
    return { from, w };
  });
}

/** The ink inside `b`, averaged down to `tw` × `th` pixels (separably: rows, then columns). */
function shrink(
  ink: ArrayLike<number>,
  width: number,
  b: Bounds,
  tw: number,
  th: number,
): Float32Array {
  const bw = b.x1 - b.x0;
  const bh = b.y1 - b.y0;
  const cols = boxWeights(bw, tw);
  const rows = boxWeights(bh, th);
  const across = new Float32Array(bh * tw);
  for (let y = 0; y < bh; y++) {
    const line = (b.y0 + y) * width + b.x0;
    cols.forEach(({ from, w }, j) => {
      let v = 0;
      for (let k = 0; k < w.length; k++) v += w[k] * ink[line + from + k];
      across[y * tw + j] = v;
    });
  }
  const out = new Float32Array(th * tw);
  rows.forEach(({ from, w }, i) => {
    for (let j = 0; j < tw; j++) {
      let v = 0;
      for (let k = 0; k < w.length; k++) v += w[k] * across[(from + k) * tw + j];
      out[i * tw + j] = v;
    }
  });
  return out;
}

/** The centre of mass (column, row) of a `w`-wide image, in pixel indices. */
function centreOfMass(img: Float32Array, w: number): [number, number] {
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let k = 0; k < img.length; k++) {
    mass += img[k];
    cx += img[k] * (k % w);
    cy += img[k] * Math.floor(k / w);
  }
  return [cx / mass, cy / mass];
}

/**
 * The 28 × 28 input (row by row, values in [0, 1]) for a drawing whose ink (0 none … 1 full) is
 * given row by row, `width` × `height`. All zeros when there is no ink.
 */
export function centreDigit(ink: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(SIDE * SIDE);
  const b = inkBounds(ink, width, height);
  if (b === undefined) return out;
  const scale = BOX / Math.max(b.x1 - b.x0, b.y1 - b.y0);
  const tw = Math.max(1, Math.round((b.x1 - b.x0) * scale));
  const th = Math.max(1, Math.round((b.y1 - b.y0) * scale));
  const small = shrink(ink, width, b, tw, th);
  let max = 0;
  for (const v of small) max = Math.max(max, v);
  const [cx, cy] = centreOfMass(small, tw);
  // The centre of a 28-pixel row in pixel indices is 13.5.
  const ox = Math.round((SIDE - 1) / 2 - cx);
  const oy = Math.round((SIDE - 1) / 2 - cy);
  for (let i = 0; i < th; i++) {
    const y = i + oy;
    if (y < 0 || y >= SIDE) continue;
    for (let j = 0; j < tw; j++) {
      const x = j + ox;
      if (x >= 0 && x < SIDE) out[y * SIDE + x] = Math.min(1, small[i * tw + j] / max);
    }
  }
  return out;
}
