import type { Feature } from './choices.js';

/** The value of one input feature at the point (x₁, x₂). */
export function featureValue(f: Feature, x: number, y: number): number {
  switch (f) {
    case 'x':
      return x;
    case 'y':
      return y;
    case 'x2':
      return x * x;
    case 'y2':
      return y * y;
    case 'xy':
      return x * y;
    case 'sinx':
      return Math.sin(x);
    case 'siny':
      return Math.sin(y);
  }
}

/**
 * The network's inputs for points given as interleaved coordinates [x₁, x₂, x₁, x₂, …]: one row of
 * the chosen features per point, row-major, ready for `tensor(data, [n, features.length])`.
 */
export function featureRows(points: ArrayLike<number>, features: readonly Feature[]): Float32Array {
  const n = points.length / 2;
  const k = features.length;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    for (let j = 0; j < k; j++) out[i * k + j] = featureValue(features[j], x, y);
  }
  return out;
}
