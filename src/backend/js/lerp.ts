/**
 * a + w·(b − a), rounded as PyTorch's `lerp` computes it (from the nearer end), so that running
 * averages written `avg.lerp_(x, 1 − β)` there give the same numbers here.
 */
export function lerp(a: number, b: number, w: number): number {
  return w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
}
