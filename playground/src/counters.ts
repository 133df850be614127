/**
 * The header's counters (epoch, step, losses, test accuracy, steps/s), from the worker's newest
 * snapshot; each also keeps its number in `data-value`, for the tests. The worker may send several
 * snapshots a frame: the counters show the newest one at the next animation frame, once.
 *
 * @module
 */
import { $ } from './page.js';
import type { FromWorker } from './protocol.js';

type Snapshot = Extract<FromWorker, { type: 'snapshot' }>;

const percent = (share: number): string => `${(100 * share).toFixed(1)}%`;

/** The counters' elements, found once. */
const found = new Map<string, HTMLElement>();

function setCounter(id: string, value: number, text: string): void {
  let el = found.get(id);
  if (el === undefined || !el.isConnected) found.set(id, (el = $(id)));
  const v = String(value);
  if (el.dataset.value !== v) el.dataset.value = v;
  if (el.textContent !== text) el.textContent = text;
}

/** The snapshot waiting for the next frame, if any. */
let newest: Snapshot | undefined;

/** Shows the numbers of snapshot `m` in the header at the next animation frame. */
export function showCounters(m: Snapshot): void {
  if (newest === undefined) requestAnimationFrame(writeCounters);
  newest = m;
}

function writeCounters(): void {
  const m = newest;
  newest = undefined;
  if (m === undefined) return;
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
