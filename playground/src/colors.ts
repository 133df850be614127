/** Class colours: nabla's own, so the page matches the library's plots. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#76b7b2'];
const rgb = (hex: string): [number, number, number] => [
  parseInt(hex.slice(1, 3), 16),
  parseInt(hex.slice(3, 5), 16),
  parseInt(hex.slice(5, 7), 16),
];
export function classColor(k: number, confidence: number): [number, number, number] {
  const [r, g, b] = rgb(PALETTE[k % PALETTE.length]);
  const a = 0.15 + 0.55 * confidence;
  return [255 + (r - 255) * a, 255 + (g - 255) * a, 255 + (b - 255) * a];
}
export function pointColor(k: number): string {
  return PALETTE[k % PALETTE.length];
}
