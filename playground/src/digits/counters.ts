/**
 * The digits page's numbers: the header's counters (each keeps its number in `data-value`, for the
 * tests) and the table of the test set after each epoch.
 *
 * @module
 */
import { $ } from '../page.js';
import type { EpochResult, FromDigitsWorker } from './protocol.js';

const percent = (share: number): string =>
  Number.isFinite(share) ? `${(100 * share).toFixed(1)}%` : '–';

function setCounter(id: string, value: number, text: string): void {
  const el = $(id);
  el.dataset.value = String(value);
  el.textContent = text;
}

/** Shows a progress report in the header. */
export function showProgress(m: Extract<FromDigitsWorker, { type: 'progress' }>): void {
  setCounter('epoch-count', m.epoch, m.evaluating ? `${m.epoch} (testing)` : String(m.epoch));
  setCounter('step-count', m.step, String(m.step));
  setCounter('steps-per-second', m.stepsPerSecond, m.running ? m.stepsPerSecond.toFixed(0) : '–');
  setCounter('train-time', m.seconds, `${m.seconds.toFixed(1)} s`);
  setCounter('train-loss', m.loss, Number.isFinite(m.loss) ? m.loss.toFixed(3) : '–');
  setCounter('train-accuracy', m.accuracy, percent(m.accuracy));
  const test = m.epochs.at(-1)?.testAccuracy ?? NaN;
  setCounter('test-accuracy', test, percent(test));
}

/** The table's rows, one per epoch, newest last. */
export function showEpochs(table: HTMLElement, epochs: readonly EpochResult[]): void {
  const body = table.querySelector('tbody') as HTMLElement;
  body.replaceChildren(
    ...epochs.map((e) => {
      const tr = document.createElement('tr');
      tr.dataset.accuracy = String(e.testAccuracy);
      for (const text of [
        String(e.epoch),
        String(e.step),
        `${e.seconds.toFixed(1)} s`,
        e.testLoss.toFixed(3),
        percent(e.testAccuracy),
      ]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}
