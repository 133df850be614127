/** The training and test loss curves, drawn by nabla's own `lineChart`. */
import { lineChart } from 'nabla';
import type { LossPoint } from './protocol.js';

/** At most this many points per curve are drawn; older ones are thinned evenly. */
const MAX_POINTS = 400;

function thin(points: LossPoint[]): LossPoint[] {
  if (points.length <= MAX_POINTS) return points;
  const every = points.length / MAX_POINTS;
  const out: LossPoint[] = [];
  for (let i = 0; i < MAX_POINTS; i++) out.push(points[Math.floor(i * every)]);
  out.push(points[points.length - 1]);
  return out;
}

export function renderLossChart(root: HTMLElement, history: LossPoint[], width: number): void {
  const points = thin(history);
  const x = points.map((p) => p.step);
  root.innerHTML = lineChart({
    width,
    height: Math.round(width * 0.55),
    xLabel: 'mini-batch steps',
    yLabel: 'loss',
    xInteger: true,
    series: [
      { name: 'training', x, y: points.map((p) => p.train), markers: false },
      { name: 'test', x, y: points.map((p) => p.test), dash: '5 3', markers: false },
    ],
    ...(points.length < 2 ? { xDomain: [0, 1], yDomain: [0, 1] } : {}),
  });
}
