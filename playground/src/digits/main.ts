/**
 * The digits page: trains `nabla train`'s MLP (or its CNN) on the digits nabla ships, in a Web
 * Worker, and reads the digit the user draws. The URL may say `model=cnn`, `seed=N` and `large=1`
 * (projector mode, as on the 2-D page).
 *
 * @module
 */
import digitsUrl from '../../../data/mnist-digits.bin?url';
import { $ } from '../page.js';
import { keepCurve, renderDigitsChart } from './chart.js';
import { centreDigit } from './centre.js';
import { showProgress, showEpochs } from './counters.js';
import { DrawingPad } from './pad.js';
import type { EpochResult, FromDigitsWorker, LossPoint, ToDigitsWorker } from './protocol.js';
import type { DigitsModel } from './trainer.js';
import { buildBars, buildGallery, drawInput, showBars } from './views.js';

const query = new URLSearchParams(location.search);
const large = query.get('large') === '1';
document.documentElement.classList.toggle('large', large);

const state = {
  model: (query.get('model') === 'cnn' ? 'cnn' : 'mlp') as DigitsModel,
  seed: Math.max(0, Math.floor(Number(query.get('seed') ?? 0)) || 0),
  ready: false,
  running: false,
  curve: [] as LossPoint[],
  epochs: [] as EpochResult[],
};

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const post = (m: ToDigitsWorker, transfer: Transferable[] = []): void =>
  worker.postMessage(m, transfer);

function showError(message: string | undefined): void {
  const el = $('error');
  el.hidden = message === undefined;
  el.textContent = message ?? '';
}

// ── training ─────────────────────────────────────────────────────────────────────────────────────

const play = $<HTMLButtonElement>('play');
function showPlay(): void {
  play.disabled = !state.ready;
  play.textContent = state.running ? '❚❚ Pause' : state.curve.length > 0 ? '▶ Resume' : '▶ Start';
  play.setAttribute('aria-pressed', String(state.running));
}

function toggle(): void {
  if (!state.ready) return;
  state.running = !state.running;
  post({ type: state.running ? 'play' : 'pause' });
  showPlay();
}

function reset(): void {
  state.running = false;
  state.curve = [];
  state.epochs = [];
  post({ type: 'reset', model: state.model, seed: state.seed });
  showEpochs($('epochs'), []);
  chartDue = true;
  showPlay();
}

let chartDue = true;
let chartAt = 0;
/** The chart is redrawn at most four times a second while training (an SVG of a few hundred points). */
function drawChart(now: number): void {
  if (chartDue && (!state.running || now - chartAt > 250)) {
    chartDue = false;
    chartAt = now;
    const root = $('loss-chart');
    renderDigitsChart(
      root,
      state.curve,
      state.epochs,
      Math.max(280, root.clientWidth || 400),
      large,
    );
  }
  requestAnimationFrame(drawChart);
}

function onProgress(m: Extract<FromDigitsWorker, { type: 'progress' }>): void {
  state.curve = keepCurve(state.curve, m.losses);
  if (m.epochs.length !== state.epochs.length) {
    state.epochs = m.epochs;
    showEpochs($('epochs'), m.epochs);
    // A new epoch: the pictures of the drawing and the chosen digit read with the newer weights.
    predictAgain();
  }
  chartDue = true;
  showProgress(m);
}

worker.addEventListener('message', (e: MessageEvent<FromDigitsWorker>) => {
  const m = e.data;
  if (m.type === 'error') {
    state.running = false;
    showPlay();
    showError(m.message);
  } else if (m.type === 'ready') {
    state.ready = true;
    $('data-status').textContent =
      `${m.train.toLocaleString('en')} training and ${m.test.toLocaleString('en')} test images of the mnist package's digits, decoded in the worker${m.verified ? ' (SHA-256 checked)' : ''}; it trains on nabla's ${m.backend} kernels${m.threads > 1 ? ` on ${m.threads} threads` : ''}.`;
    $('data-status').dataset.backend = m.backend;
    $('data-status').dataset.threads = String(m.threads);
    buildGallery($('gallery'), m.gallery, m.galleryLabels, (i) => {
      const pixels = m.gallery.slice(i * 784, (i + 1) * 784);
      choose(pixels, `test digit ${i + 1}, labelled ${m.galleryLabels[i]}`);
    });
    showPlay();
  } else if (m.type === 'progress') {
    onProgress(m);
  } else {
    onPrediction(m.id, m.probabilities);
  }
});
worker.addEventListener('error', (e) => showError(`the training worker failed: ${e.message}`));

// ── reading a digit ──────────────────────────────────────────────────────────────────────────────

/** The input shown and predicted (from the pad or a test digit), and the prediction in flight. */
let shown: Float32Array | undefined;
let asked = 0;
let inFlight = false;
let again = false;

function predictAgain(): void {
  if (shown === undefined || !state.ready) return;
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  post({ type: 'predict', id: ++asked, pixels: shown.slice() });
}

function onPrediction(id: number, p: Float32Array): void {
  inFlight = false;
  if (id === asked && shown !== undefined) showBars($('probabilities'), $('verdict'), p);
  if (again) {
    again = false;
    predictAgain();
  }
}

function choose(pixels: Float32Array | undefined, source: string): void {
  shown = pixels;
  drawInput($<HTMLCanvasElement>('input'), pixels ?? new Float32Array(784));
  $('input-source').textContent = source;
  if (pixels === undefined) showBars($('probabilities'), $('verdict'), undefined);
  else predictAgain();
}

const pad = new DrawingPad($<HTMLCanvasElement>('pad'), () => {
  const ink = pad.ink();
  const pixels = centreDigit(ink, pad.canvas.width, pad.canvas.height);
  const empty = pixels.every((v) => v === 0);
  choose(empty ? undefined : pixels, '28 × 28, centred as MNIST’s digits are');
});

// ── controls ─────────────────────────────────────────────────────────────────────────────────────

const modelBox = $<HTMLSelectElement>('model');
modelBox.value = state.model;
modelBox.addEventListener('change', () => {
  state.model = modelBox.value as DigitsModel;
  query.set('model', state.model);
  history.replaceState(null, '', `?${query.toString()}`);
  reset();
});
play.addEventListener('click', toggle);
$('reset').addEventListener('click', reset);
$('clear').addEventListener('click', () => pad.clear());
document.addEventListener('keydown', (e) => {
  const typing = e.target instanceof HTMLSelectElement || e.target instanceof HTMLButtonElement;
  if (e.code !== 'Space' || typing) return;
  e.preventDefault();
  toggle();
});

buildBars($('probabilities'));
showBars($('probabilities'), $('verdict'), undefined);
drawInput($<HTMLCanvasElement>('input'), new Float32Array(784));
post({ type: 'load', url: new URL(digitsUrl, location.href).href });
reset();
requestAnimationFrame(drawChart);
