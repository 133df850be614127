/**
 * The header's counters (epoch, step, losses, test accuracy, steps/s), from the worker's newest
 * snapshot; each also keeps its number in `data-value`, for the tests.
 *
 * @module
 */
import { $ } from './page.js';
import type { FromWorker } from './protocol.js';

const percent = (share: number): string => `${(100 * share).toFixed(1)}%`;

function setCounter(id: string, value: number, text: string): void {
  const el = $(id);
  el.dataset.value = String(value);
  el.textContent = text;
}

/** Shows the numbers of snapshot `m` in the header. */
export function showCounters(m: Extract<FromWorker, { type: 'snapshot' }>): void {
  setCounter('step-count', m.step, String(m.step));
  setCounter('epoch-count', m.epoch, String(m.epoch));
  setCounter('train-loss', m.trainLoss, m.trainLoss.toFixed(4));
  setCounter('test-loss', m.testLoss, Number.isFinite(m.testLoss) ? m.testLoss.toFixed(4) : '–');
  const accuracy = m.testAccuracy;
  setCounter('test-accuracy', accuracy, Number.isFinite(accuracy) ? percent(accuracy) : '–');
  setCounter(
    'steps-per-second',
    m.stepsPerSecond,
    m.running ? Math.round(m.stepsPerSecond).toLocaleString('en') : '–',
  );
}
