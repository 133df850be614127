/**
 * The training worker: runs the Trainer in slices of about 12 ms, so that it answers the page
 * between slices, and sends a snapshot (weights, losses, speed) after each slice — the page draws
 * the newest one at screen rate.
 */
import type { FromWorker, LossPoint, ToWorker } from './protocol.js';
import { Trainer } from './trainer.js';

interface WorkerScope {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToWorker>) => void): void;
}
const scope = self as unknown as WorkerScope;

const SLICE_MS = 12;
/** Keep a point of the loss curves at most this often while running. */
const LOSS_EVERY_MS = 100;

let trainer: Trainer | undefined;
let running = false;
let pending: LossPoint[] = [];
let lastLossAt = 0;
/** Steps per second, smoothed over the last slices. */
let rate = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

/** The last measured losses: measuring means a pass over all the points, so not every slice. */
let last = { train: NaN, test: NaN };

function send(): void {
  if (trainer === undefined) return;
  const now = performance.now();
  if (!running || now - lastLossAt >= LOSS_EVERY_MS) {
    lastLossAt = now;
    last = trainer.losses();
    pending.push({ step: trainer.step, epoch: trainer.epoch, ...last });
  }
  const { train, test } = last;
  scope.postMessage({
    type: 'snapshot',
    running,
    step: trainer.step,
    epoch: trainer.epoch,
    weights: trainer.weights(),
    losses: pending,
    trainLoss: train,
    testLoss: test,
    stepsPerSecond: rate,
  });
  pending = [];
}

function fail(e: unknown): void {
  running = false;
  scope.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

/** Trains for one slice of time, reports, and schedules the next slice while running. */
function slice(): void {
  timer = undefined;
  if (!running || trainer === undefined) return;
  try {
    const start = performance.now();
    let steps = 0;
    let now = start;
    do {
      const loss = trainer.stepOnce();
      steps++;
      if (!Number.isFinite(loss)) {
        running = false;
        throw new Error(
          `the loss became ${loss} at step ${trainer.step}: lower the learning rate and press Reset`,
        );
      }
      now = performance.now();
    } while (now - start < SLICE_MS);
    const r = (steps * 1000) / (now - start);
    rate = rate === 0 ? r : 0.8 * rate + 0.2 * r;
    send();
  } catch (e) {
    fail(e);
    return;
  }
  timer = setTimeout(slice, 0);
}

function stop(): void {
  running = false;
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

scope.addEventListener('message', (e) => {
  const m = e.data;
  try {
    switch (m.type) {
      case 'reset':
        stop();
        trainer = new Trainer(m.settings, m.data);
        pending = [];
        rate = 0;
        send();
        break;
      case 'update':
        trainer?.update(m.settings, m.data);
        if (!running) send();
        break;
      case 'play':
        if (!running) {
          running = true;
          timer = setTimeout(slice, 0);
        }
        break;
      case 'pause':
        stop();
        send();
        break;
      case 'step':
        if (trainer !== undefined) {
          for (let i = 0; i < m.steps; i++) trainer.stepOnce();
          send();
        }
        break;
      case 'load':
        trainer?.load(m.json, m.weights);
        send();
        break;
    }
  } catch (err) {
    fail(err);
  }
});
