/**
 * The digits page's training worker: fetches and decodes the digits once, trains in slices of
 * about 30 ms (so that it answers the page's predictions between them, while the page's own
 * thread only draws), evaluates the test set in chunks after each epoch before training goes on,
 * and reports progress at most every 100 ms.
 *
 * @module
 */
import { getWasmThreads, mnistFromDigits, ready, type LabeledData } from 'nabla';
import { decodeDigitAsset, verifyDigitAsset } from './asset.js';
import type { EpochResult, FromDigitsWorker, LossPoint, ToDigitsWorker } from './protocol.js';
import { DigitsTrainer, EVAL_CHUNK, type DigitsModel } from './trainer.js';

interface WorkerScope {
  postMessage(message: FromDigitsWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToDigitsWorker>) => void): void;
}
const scope = self as unknown as WorkerScope;

const SLICE_MS = 30;
const REPORT_EVERY_MS = 100;
const RATE_WINDOW_MS = 500;
/** Test images sent to the page to click on. */
const GALLERY = 40;

let data: { train: LabeledData; test: LabeledData } | undefined;
let wanted: { model: DigitsModel; seed: number } = { model: 'mlp', seed: 0 };
let trainer: DigitsTrainer | undefined;
let running = false;
/** The next test image to evaluate after an epoch; -1 while training. */
let evalAt = -1;
let evalSum = { lossSum: 0, right: 0 };
let epochs: EpochResult[] = [];
let losses: LossPoint[] = [];
let recent = { loss: 0, right: 0, seen: 0, steps: 0 };
let last = { loss: NaN, accuracy: NaN };
let trainedMs = 0;
let reportedAt = 0;
let rate = { value: 0, at: 0, step: 0 };

// A message to oneself continues the loop at once (setTimeout(0) would wait ≥ 4 ms when nested).
// One such message at a time: a Pause and a Play in quick succession must not start a second loop.
const channel = new MessageChannel();
let scheduled = false;
channel.port1.onmessage = () => {
  scheduled = false;
  slice();
};
function later(): void {
  if (scheduled) return;
  scheduled = true;
  channel.port2.postMessage(null);
}

function fail(e: unknown): void {
  running = false;
  scope.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

function report(now: number): void {
  const t = trainer;
  if (t === undefined) return;
  if (recent.steps > 0) {
    last = { loss: recent.loss / recent.steps, accuracy: recent.right / recent.seen };
    losses.push({ step: t.step, loss: last.loss });
  }
  recent = { loss: 0, right: 0, seen: 0, steps: 0 };
  if (now - rate.at >= RATE_WINDOW_MS || !running) {
    rate = {
      value: running ? ((t.step - rate.step) * 1000) / (now - rate.at) : 0,
      at: now,
      step: t.step,
    };
  }
  scope.postMessage({
    type: 'progress',
    running,
    model: t.kind,
    step: t.step,
    epoch: t.epoch,
    stepsPerEpoch: t.stepsPerEpoch(),
    stepsPerSecond: rate.value,
    loss: last.loss,
    accuracy: last.accuracy,
    seconds: trainedMs / 1000,
    evaluating: evalAt >= 0,
    losses,
    epochs,
  });
  losses = [];
  reportedAt = now;
}

/** Evaluates the next chunk of the test set; at its end, records the epoch. */
function evaluateChunk(t: DigitsTrainer): void {
  const n = t.test.y.shape[0];
  const to = Math.min(n, evalAt + EVAL_CHUNK);
  const { lossSum, right } = t.evaluate(evalAt, to);
  evalSum = { lossSum: evalSum.lossSum + lossSum, right: evalSum.right + right };
  evalAt = to;
  if (evalAt < n) return;
  evalAt = -1;
  const result = {
    epoch: t.epoch,
    step: t.step,
    testLoss: evalSum.lossSum / n,
    testAccuracy: evalSum.right / n,
    seconds: trainedMs / 1000,
  };
  epochs = [...epochs, result];
}

function trainOne(t: DigitsTrainer): void {
  const r = t.stepOnce();
  if (!Number.isFinite(r.loss)) throw new Error(`the loss became ${r.loss} at step ${t.step}`);
  recent = {
    loss: recent.loss + r.loss,
    right: recent.right + r.right,
    seen: recent.seen + r.size,
    steps: recent.steps + 1,
  };
  if (r.endsEpoch) {
    evalAt = 0;
    evalSum = { lossSum: 0, right: 0 };
  }
}

function slice(): void {
  const t = trainer;
  if (!running || t === undefined) return;
  const start = performance.now();
  try {
    while (performance.now() - start < SLICE_MS) {
      if (evalAt >= 0) evaluateChunk(t);
      else trainOne(t);
    }
  } catch (e) {
    fail(e);
    return;
  }
  const now = performance.now();
  // The evaluation counts in the run's time: the page promises accuracy within seconds of Start.
  trainedMs += now - start;
  if (now - reportedAt >= REPORT_EVERY_MS) report(now);
  later();
}

function reset(): void {
  running = false;
  if (data === undefined) return;
  trainer = new DigitsTrainer(wanted.model, data.train, data.test, wanted.seed);
  evalAt = -1;
  epochs = [];
  losses = [];
  recent = { loss: 0, right: 0, seen: 0, steps: 0 };
  last = { loss: NaN, accuracy: NaN };
  trainedMs = 0;
  report(performance.now());
}

async function load(url: string): Promise<void> {
  // The fastest backend (wasm where the browser has SIMD) loads while the digits download, so
  // that every step of a run uses the same kernels and a run repeats exactly.
  const [response, backend] = await Promise.all([fetch(url), ready()]);
  if (!response.ok) throw new Error(`digits: fetching ${url} gave HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const verified = await verifyDigitAsset(bytes);
  // nabla train's split: the same 2,000 test images; the other 8,000 train (no validation here).
  const split = mnistFromDigits(decodeDigitAsset(bytes), { validation: 0, test: 2000 });
  data = { train: split.train, test: split.test };
  const count = Math.min(GALLERY, split.test.y.shape[0]);
  const gallery = Float32Array.from((split.test.x.data as Float32Array).subarray(0, count * 784));
  const galleryLabels = Array.from(split.test.y.data.subarray(0, count), Number);
  scope.postMessage(
    {
      type: 'ready',
      train: split.train.y.shape[0],
      test: split.test.y.shape[0],
      gallery,
      galleryLabels,
      verified,
      backend,
      threads: backend === 'wasm' ? getWasmThreads() : 1,
    },
    [gallery.buffer],
  );
  reset();
}

function play(): void {
  if (running || trainer === undefined) return;
  running = true;
  rate = { value: 0, at: performance.now(), step: trainer.step };
  later();
}

scope.addEventListener('message', (e) => {
  const m = e.data;
  try {
    if (m.type === 'load') load(m.url).catch(fail);
    else if (m.type === 'reset') {
      wanted = { model: m.model, seed: m.seed };
      reset();
    } else if (m.type === 'play') play();
    else if (m.type === 'pause') {
      running = false;
      report(performance.now());
    } else if (m.type === 'predict') {
      if (trainer === undefined) return;
      const probabilities = trainer.predict(m.pixels);
      scope.postMessage({ type: 'prediction', id: m.id, probabilities }, [probabilities.buffer]);
    }
  } catch (err) {
    fail(err);
  }
});
