/** The training and test loss curves, drawn by nabla's own `lineChart`. */
import { lineChart } from 'nabla/viz';
import type { LossPoint } from './protocol.js';
import { MIN_TEXT, textScale } from './views/text-scale.js';

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

/** The smallest text lineChart draws (its tick labels and legend), in its own units. */
const CHART_TEXT = 12;

/**
 * Draws the curves, with their legend, into `root`, `width` CSS pixels wide, the vertical axis
 * named `yLabel` (regression: "MSE", the mean squared error): the chart is drawn
 * narrower and scaled up to the width, so that its smallest text shows at {@link MIN_TEXT} px (or
 * larger, with thicker lines, in projector mode).
 */
export function renderLossChart(
  root: HTMLElement,
  history: LossPoint[],
  width: number,
  large = false,
  yLabel = 'loss',
): void {
  const points = thin(history);
  const x = points.map((p) => p.step);
  const zoom = (MIN_TEXT / CHART_TEXT) * textScale({ large });
  const drawn = Math.round(width / zoom);
  root.innerHTML = lineChart({
    width: drawn,
    height: Math.round(drawn * 0.6),
    xLabel: 'mini-batch steps',
    yLabel,
    xInteger: true,
    series: [
      { name: 'training', x, y: points.map((p) => p.train), markers: false },
      { name: 'test', x, y: points.map((p) => p.test), dash: '5 3', markers: false },
    ],
    ...(points.length < 2 ? { xDomain: [0, 1], yDomain: [0, 1] } : {}),
  });
}
