/**
 * The training worker: runs the Trainer in slices of at most 12 ms, so that it answers the page
 * between slices, and sends a snapshot (weights, losses, speed) after each slice that trained — the
 * page draws the newest one at screen rate. With a snapshot go the heat maps of its weights
 * (pictures.ts), drawn here at most once a frame, and a few times a second the warped space's
 * geometry (views/warp-math.ts), so that the page's thread runs no forward pass.
 * Play is paced here: the settings' speed (in epochs a second) gives a budget of mini-batch steps
 * that grows with the clock, and each slice trains what the budget allows; at 'max' a slice
 * trains for its whole 12 ms.
 */
import { epochsPerSecond, type Speed } from './choices.js';
import type { Split } from './data.js';
import { drawPictures, transferables, type ShownNeuron } from './pictures.js';
import type { FromWorker, LossPoint, ToWorker } from './protocol.js';
import type { Settings } from './settings.js';
import { setParameter } from './parameters.js';
import { Trainer } from './trainer.js';
import { warpPicture, warpTransferables, type WarpChoice } from './views/warp-math.js';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToWorker>) => void): void;
}
const scope = self as unknown as WorkerScope;

const SLICE_MS = 12;
/** The wait between paced slices: about a frame, so the page gets at most one snapshot a frame. */
const PACED_WAIT_MS = 16;
/** The steps a paced run may owe after a stall (a hidden tab): a tenth of a second's worth. */
const MAX_DEBT_SECONDS = 0.1;
/** Keep a point of the loss curves at most this often while running. */
const LOSS_EVERY_MS = 100;
/** Draw the heat maps at most this often while running: about once a frame. */
const PICTURES_EVERY_MS = 16;
/** Map the warped space at most this often while running. */
const WARP_EVERY_MS = 100;
/** The steps per second shown are counted over windows of this length. */
const RATE_WINDOW_MS = 500;

let trainer: Trainer | undefined;
let running = false;
/** Epochs per second while playing (0: only Step trains; Infinity: as fast as it goes). */
let pace = epochsPerSecond('10');
/** Steps the pace allows and not yet taken, and when it was last topped up. */
let budget = 0;
let toppedAt = 0;
let pending: LossPoint[] = [];
let lastLossAt = 0;
let picturesAt = -Infinity;
let warpAt = -Infinity;
/** Whether the page has drawn the last pictures sent (protocol.ts 'drawn'): the next may follow. */
let pageReady = true;
/** The settings the pictures are drawn with: the run's, and the page's newest view settings. */
let view: Settings | undefined;
/** The run's data (the warped space maps its training points). */
let data: Split | undefined;
/** What the page shows besides the settings: the warp view's choice, the neuron shown large. */
let warpChoice: WarpChoice = { layer: 1, neurons: [0, 1] };
let shown: ShownNeuron | undefined;
/** Steps per second, over the last window, and where the current window started. */
let rate = 0;
let windowAt = 0;
let windowStep = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

/** The last measured losses and test accuracy: a pass over all the points, so not every slice. */
let last = { train: NaN, test: NaN, testAccuracy: NaN };

function send(): void {
  if (trainer === undefined) return;
  const now = performance.now();
  if (!running || now - lastLossAt >= LOSS_EVERY_MS) {
    lastLossAt = now;
    last = trainer.evaluate();
    pending.push({ step: trainer.step, epoch: trainer.epoch, train: last.train, test: last.test });
  }
  // The page's heat maps and warped space: drawn here, so that the page's thread only copies
  // pixels and draws lines.
  const settings = view ?? trainer.settings;
  let pictures;
  if (!running || (pageReady && now - picturesAt >= PICTURES_EVERY_MS)) {
    picturesAt = now;
    pictures = drawPictures(trainer.model, settings, shown);
  }
  let warp;
  if (data !== undefined && (!running || (pageReady && now - warpAt >= WARP_EVERY_MS))) {
    warpAt = now;
    warp = warpPicture(trainer.model, settings, data.train, warpChoice);
  }
  if (pictures !== undefined || warp !== undefined) pageReady = false;
  const message: FromWorker = {
    type: 'snapshot',
    running,
    step: trainer.step,
    epoch: trainer.epoch,
    weights: trainer.weights(),
    losses: pending,
    trainLoss: last.train,
    testLoss: last.test,
    testAccuracy: last.testAccuracy,
    stepsPerSecond: rate,
    pictures,
    warp,
  };
  scope.postMessage(message, [
    ...(pictures === undefined ? [] : transferables(pictures)),
    ...(warp === undefined ? [] : warpTransferables(warp)),
  ]);
  pending = [];
}

function fail(e: unknown): void {
  stop();
  scope.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

/** Throws when the loss of the last step is no longer finite. */
function check(t: Trainer, loss: number): void {
  if (!Number.isFinite(loss))
    throw new Error(
      `the loss became ${loss} at step ${t.step}: lower the learning rate and press Reset`,
    );
}

/** The steps the pace allows now: the budget topped up for the time since the last slice. */
function allowance(t: Trainer, now: number): number {
  if (pace === Infinity) return Infinity;
  const perSecond = pace * t.stepsPerEpoch();
  const seconds = Math.min((now - toppedAt) / 1000, MAX_DEBT_SECONDS);
  toppedAt = now;
  budget = Math.min(budget + seconds * perSecond, Math.max(1, MAX_DEBT_SECONDS * perSecond));
  return Math.floor(budget);
}

function measureRate(t: Trainer, now: number): void {
  if (now - windowAt < RATE_WINDOW_MS) return;
  rate = ((t.step - windowStep) * 1000) / (now - windowAt);
  windowAt = now;
  windowStep = t.step;
}

/** Trains for one slice, as far as the pace allows; reports if it trained; schedules the next. */
function slice(): void {
  timer = undefined;
  const t = trainer;
  if (!running || t === undefined) return;
  try {
    const start = performance.now();
    const allowed = allowance(t, start);
    let steps = 0;
    while (steps < allowed && performance.now() - start < SLICE_MS) {
      check(t, t.stepOnce());
      steps++;
    }
    budget = Math.max(0, budget - steps);
    measureRate(t, performance.now());
    if (steps > 0) send();
  } catch (e) {
    fail(e);
    return;
  }
  timer = setTimeout(slice, pace === Infinity ? 0 : PACED_WAIT_MS);
}

function play(): void {
  if (running || trainer === undefined || pace === 0) return;
  running = true;
  const now = performance.now();
  // Start with one step's worth, so the first frame after Play already moves.
  budget = 1;
  toppedAt = windowAt = now;
  windowStep = trainer.step;
  timer = setTimeout(slice, 0);
}

function stop(): void {
  running = false;
  rate = 0;
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

function setPace(speed: Speed): void {
  pace = epochsPerSecond(speed);
  if (pace === 0 && running) {
    stop();
    send();
  }
}

scope.addEventListener('message', (e) => {
  const m = e.data;
  try {
    switch (m.type) {
      case 'reset':
        stop();
        setPace(m.settings.speed);
        trainer = new Trainer(m.settings, m.data);
        view = m.settings;
        data = m.data;
        pending = [];
        send();
        break;
      case 'update':
        setPace(m.settings.speed);
        trainer?.update(m.settings, m.data);
        view = m.settings;
        data = m.data;
        if (!running) send();
        break;
      case 'view':
        view = m.settings;
        if (!running) send();
        break;
      case 'pace':
        setPace(m.speed);
        break;
      case 'play':
        play();
        break;
      case 'pause':
        stop();
        send();
        break;
      case 'step':
        if (trainer !== undefined) {
          check(trainer, m.by === 'epoch' ? trainer.stepEpoch() : trainer.stepOnce());
          send();
        }
        break;
      case 'load':
        trainer?.load(m.json, m.weights);
        send();
        break;
      case 'drawn':
        pageReady = true;
        break;
      case 'warp':
        warpChoice = { layer: m.layer, neurons: m.neurons };
        warpAt = -Infinity;
        if (!running) send();
        break;
      case 'show':
        shown = m.neuron;
        picturesAt = -Infinity;
        if (!running) send();
        break;
      case 'setParameter':
        if (trainer !== undefined) {
          setParameter(trainer.model, m.name, m.index, m.value);
          if (!running) send();
        }
        break;
    }
  } catch (err) {
    fail(err);
  }
});
