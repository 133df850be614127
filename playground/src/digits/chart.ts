/**
 * The digits page's loss chart, drawn by nabla's `lineChart` as the 2-D page's (loss-chart.ts):
 * the training loss of the mini-batches as they come, and the test loss at the end of each epoch.
 *
 * @module
 */
import { lineChart } from 'nabla/viz';
import { MIN_TEXT, textScale } from '../views/text-scale.js';
import type { EpochResult, LossPoint } from './protocol.js';

/** Keep at most this many points of the training curve: beyond, every other one is dropped. */
const MAX_POINTS = 600;

/** Adds `points` to the curve `into`, halving it when it grows past {@link MAX_POINTS}. */
export function keepCurve(into: LossPoint[], points: readonly LossPoint[]): LossPoint[] {
  const all = [...into, ...points];
  return all.length <= MAX_POINTS ? all : all.filter((_, i) => i % 2 === 1 || i === all.length - 1);
}

/** The smallest text lineChart draws, in its own units (loss-chart.ts scales it the same way). */
const CHART_TEXT = 12;

export function renderDigitsChart(
  root: HTMLElement,
  curve: readonly LossPoint[],
  epochs: readonly EpochResult[],
  width: number,
  large: boolean,
): void {
  const zoom = (MIN_TEXT / CHART_TEXT) * textScale({ large });
  const drawn = Math.round(width / zoom);
  root.innerHTML = lineChart({
    width: drawn,
    height: Math.round(drawn * 0.55),
    xLabel: 'mini-batch steps',
    yLabel: 'loss',
    xInteger: true,
    series: [
      {
        name: 'training',
        x: curve.map((p) => p.step),
        y: curve.map((p) => p.loss),
        markers: false,
      },
      {
        name: 'test (each epoch)',
        x: epochs.map((e) => e.step),
        y: epochs.map((e) => e.testLoss),
        dash: '5 3',
        markers: true,
      },
    ],
    ...(curve.length < 2 ? { xDomain: [0, 1], yDomain: [0, 1] } : {}),
  });
}
