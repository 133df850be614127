/**
 * The digits page's drawing → network input (playground/src/digits/centre.ts): the ink's box
 * scaled to fit 20 × 20, its centre of mass moved to the centre of 28 × 28, as MNIST was made.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centreDigit, inkBounds, SIDE } from '../../playground/src/digits/centre.js';

/** A `width` × `height` ink image, 0 but `value(x, y)` inside columns [x0, x1) and rows [y0, y1). */
function inkOf(
  width: number,
  height: number,
  [x0, y0, x1, y1]: [number, number, number, number],
  value: (x: number, y: number) => number = () => 1,
): Float32Array {
  const ink = new Float32Array(width * height);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * width + x] = value(x, y);
  return ink;
}

/** The 28 × 28 image with `value(col)` in rows [r0, r1) and columns [c0, c1), zero elsewhere. */
function expected(
  [c0, r0, c1, r1]: [number, number, number, number],
  value: (col: number) => number = () => 1,
): number[] {
  const out = new Array<number>(SIDE * SIDE).fill(0);
  for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[r * SIDE + c] = value(c);
  return out;
}

const rounded = (a: Float32Array): number[] => Array.from(a, (v) => Math.round(v * 1e5) / 1e5);

describe('centreDigit', () => {
  it('scales a tall bar to 10 × 20 and centres it: rows 4–23, columns 9–18', () => {
    // 40 × 80 of ink: the longer side becomes 20, so each new pixel averages 4 × 4 old ones.
    const out = centreDigit(inkOf(100, 100, [10, 20, 50, 100]), 100, 100);
    // centre of mass (4.5, 9.5) in the 10 × 20 box → moved by (9, 4) to (13.5, 13.5)
    expect(rounded(out)).toEqual(expected([9, 4, 19, 24]));
  });

  it('keeps grey levels, and centres the mass, not the box', () => {
    // 40 × 20 of ink, the left half 1 and the right half 0.5: 20 × 10 after scaling by 1/2.
    const ink = inkOf(60, 40, [10, 10, 50, 30], (x) => (x < 30 ? 1 : 0.5));
    const out = centreDigit(ink, 60, 40);
    // centre of mass: x = (0+…+9 + 0.5·(10+…+19)) / 15 = 7.83 → shift round(13.5 − 7.83) = 6;
    // y = 4.5 → shift 9. The box sits at columns 6–25: heavier on the left of the centre.
    expect(rounded(out)).toEqual(expected([6, 9, 26, 19], (c) => (c < 16 ? 1 : 0.5)));
  });

  it('averages the pixels each new pixel covers, weighting partial ones', () => {
    // 30 × 30 of ink in columns 1, 1, 0, 0, 1, 1, …, 1, 1: each new pixel covers 1.5 old columns.
    const ink = inkOf(30, 30, [0, 0, 30, 30], (x) => (x % 4 < 2 ? 1 : 0));
    const out = centreDigit(ink, 30, 30);
    // New column j covers old [1.5j, 1.5j + 1.5): [0, 1.5) → 1, [1.5, 3) → 0.5/1.5, [3, 4.5) →
    // 0.5/1.5, [4.5, 6) → 1, [6, 7.5) → 0, [7.5, 9) → 1/1.5; symmetric, so columns 4–23, rows 4–23.
    const row = Array.from(
      out.subarray(14 * SIDE + 4, 14 * SIDE + 10),
      (v) => Math.round(v * 1e4) / 1e4,
    );
    expect(row).toEqual([1, 0.3333, 0.3333, 1, 0, 0.6667]);
    expect(inkBounds(out, SIDE, SIDE)).toEqual({ x0: 4, y0: 4, x1: 24, y1: 24 });
  });

  it('gives the same input wherever on the pad the digit is drawn', () => {
    const a = centreDigit(
      inkOf(120, 120, [5, 7, 35, 67], (x, y) => ((x + y) % 3) / 2),
      120,
      120,
    );
    const b = centreDigit(
      inkOf(120, 120, [70, 50, 100, 110], (x, y) => ((x + y + 1) % 3) / 2),
      120,
      120,
    );
    expect(rounded(b)).toEqual(rounded(a));
  });

  it('gives zeros for an empty pad', () => {
    expect(inkBounds(new Float32Array(50), 10, 5)).toBeUndefined();
    expect(centreDigit(new Float32Array(400), 20, 20).every((v) => v === 0)).toBe(true);
  });

  it('fits any box in 20 × 20 with its centre of mass within half a pixel of the centre (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        (x0, y0, w, h) => {
          const box: [number, number, number, number] = [
            x0,
            y0,
            Math.min(100, x0 + w),
            Math.min(100, y0 + h),
          ];
          const out = centreDigit(inkOf(100, 100, box), 100, 100);
          const b = inkBounds(out, SIDE, SIDE)!;
          expect(Math.max(b.x1 - b.x0, b.y1 - b.y0)).toBe(20);
          expect(Math.max(...out)).toBe(1);
          let m = 0;
          let cx = 0;
          let cy = 0;
          out.forEach((v, k) => {
            m += v;
            cx += v * (k % SIDE);
            cy += v * Math.floor(k / SIDE);
          });
          expect(Math.abs(cx / m - 13.5)).toBeLessThanOrEqual(0.5 + 1e-9);
          expect(Math.abs(cy / m - 13.5)).toBeLessThanOrEqual(0.5 + 1e-9);
        },
      ),
      { seed: 16, numRuns: 200 },
    );
  });
});
