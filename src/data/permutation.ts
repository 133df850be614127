import type { Generator } from '../tensor/random.js';

/**
 * A uniformly random permutation of 0…n-1 by the Fisher–Yates shuffle: for i from n-1 down to 1,
 * swap element i with element `generator.uniformInt(i + 1)`. It makes exactly n-1 draws, so the
 * same generator state always gives the same permutation.
 *
 * @internal Shared by `randomSplit`, `DataLoader` and the data generators.
 */
export function permutation(n: number, generator: Generator): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  shuffleInPlace(p, generator);
  return p;
}

/** Shuffles `values` in place by Fisher–Yates with `generator.uniformInt`. @internal */
export function shuffleInPlace(values: Int32Array | number[], generator: Generator): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = generator.uniformInt(i + 1);
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
}
