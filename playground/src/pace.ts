/**
 * What the run buttons say, without the page: what one press of Step trains — one mini-batch or
 * one epoch, in the run's numbers — and why Play is off when the speed is "one step per click".
 */
import { epochsPerSecond } from './choices.js';
import type { Settings } from './settings.js';

/** The mini-batch size of the settings for `points` training points. */
function batchOf(s: Settings, points: number): number {
  return s.batchSize === 'full' ? points : Math.max(1, Math.min(s.batchSize, points));
}

/** The Step button's text and tooltip for the settings and the number of training points. */
export function stepButton(s: Settings, points: number): { text: string; title: string } {
  const batch = batchOf(s, points);
  const batches = Math.max(1, Math.ceil(points / batch));
  if (s.stepBy === 'epoch')
    return {
      text: 'Step: 1 epoch',
      title:
        batches === 1
          ? `Train one epoch: one step of gradient descent on all ${points} training points`
          : `Train one epoch: ${batches} mini-batches of ${batch}, one pass over the ${points} training points (the rest of it, if one is under way)`,
    };
  return {
    text: 'Step: 1 batch',
    title:
      batches === 1
        ? `Train one mini-batch: here all ${points} training points, one step of gradient descent`
        : `Train one mini-batch of ${batch} of the ${points} training points: one step of gradient descent (${batches} make an epoch)`,
  };
}

/** Play's tooltip: how it trains, or why it cannot at the speed "one step per click". */
export function playTitle(s: Settings): string {
  return epochsPerSecond(s.speed) === 0
    ? 'The speed is “one step per click”: press Step, or choose a speed to play'
    : 'Train continuously (space)';
}
