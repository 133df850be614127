/**
 * The playground page: the settings and their controls, the data, the training worker, and the
 * views drawn from the worker's newest weights at screen rate.
 */
import { Generator } from 'nabla';
import { BoundaryView } from './boundary.js';
import { buildControls } from './panel.js';
import { clickedLabel, generate, split, type Split } from './data.js';
import { renderLossChart } from './loss-chart.js';
import { buildModel } from './model.js';
import type { FromWorker, ToWorker } from './protocol.js';
import type { Change } from './setting-kinds.js';
import { applyClassroom as hideClassroomGroups } from './classroom.js';
import { renderOutputLegend } from './views/legend.js';
import { SETTINGS } from './schema.js';
import { classCount, restartSeed } from './settings.js';
import { setWeights } from './trainer.js';
import { isLocked, settingsFromQuery, settingsToQuery } from './url.js';
import { NetworkDrawer } from './views/network-refresh.js';
import { WarpView } from './views/warp.js';
import { BackpropView, type Inspected } from './views/backprop.js';
import { mountExercises } from './views/exercise.js';
import { nearestPoint, suggestPoint } from './views/lecture-math.js';
import './views/views.css';
import { featureRows } from './features.js';
import { FrameLoop } from './frames.js';
import { drawPictures, picturesFit, type Pictures } from './pictures.js';
import { inputFeatures } from './trainer.js';
import { copyLinkOnClick, downloadModel, onModelUpload } from './files.js';
import { playOnSpace, showRunButtons } from './run.js';
import { OutputViews } from './views/output-views.js';
import { showModeCounters, wireNetwork } from './network-ui.js';
import { $, initialState, type State } from './page.js';
import { exposeHooks } from './hooks.js';
import { showCounters } from './counters.js';

const { settings, problems } = settingsFromQuery(location.search);
const state: State = initialState(settings);

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const post = (m: ToWorker): void => worker.postMessage(m);

const boundary = new BoundaryView($<HTMLCanvasElement>('boundary'));
const outputs = new OutputViews(boundary);
const warp = new WarpView($('warp'));
warp.onChange = (choice) => post({ type: 'warp', ...choice });
const backprop = new BackpropView($('backprop'), () => {
  const i = suggestPoint(state.model, state.settings, state.data.train);
  if (i < 0) showError('There are no training points to inspect: generate data first.');
  else inspect(i);
});

function showError(message: string | undefined): void {
  const el = $('error');
  el.hidden = message === undefined;
  el.textContent = message ?? '';
}
if (problems.length > 0) showError(problems.join('; '));

/** The data split with the user's points added to the training set. */
function currentSplit(): Split {
  const base = split(state.generated, state.settings.trainRatio);
  return {
    train: {
      points: [...base.train.points, ...state.added.points],
      labels: [...base.train.labels, ...state.added.labels],
    },
    test: base.test,
  };
}

function countPoints(): void {
  const el = $('point-count');
  const { train, test } = state.data;
  const class1 = train.labels.filter((l) => l === 1).length;
  el.dataset.train = String(train.labels.length);
  el.dataset.test = String(test.labels.length);
  el.dataset.class1 = String(class1);
  el.textContent = `${train.labels.length} training points (filled), ${test.labels.length} test points (hollow)`;
}

function regenerate(): void {
  state.generated = generate(state.settings);
  state.added = { points: [], labels: [] };
  state.data = currentSplit();
}

/** A new network from the seed: the worker starts over and the page's copy is rebuilt. */
function reset(): void {
  state.running = false;
  state.step = 0;
  state.epoch = 0;
  state.history = [];
  state.inspected = undefined;
  state.pictures = undefined;
  backprop.clear();
  $('backprop-hint').hidden = false;
  state.model = buildModel(state.settings, new Generator(state.settings.seed));
  state.model.eval();
  post({ type: 'reset', settings: state.settings, data: state.data });
  updatePlayButton();
  countPoints();
}

function applyChange(change: Change): void {
  history.replaceState(null, '', `?${settingsToQuery(state.settings)}`);
  showError(undefined);
  if (change === 'data') {
    regenerate();
    reset();
  } else if (change === 'network') {
    reset();
  } else if (change === 'training') {
    post({ type: 'update', settings: state.settings, data: state.data });
  } else if (change === 'view') {
    post({ type: 'view', settings: state.settings });
  } else if (change === 'pace') {
    post({ type: 'pace', speed: state.settings.speed });
    if (state.running && state.settings.speed === 'step') play(false);
  }
  updatePlayButton();
  applyClassroom();
  frames.invalidate();
}

function applyClassroom(): void {
  hideClassroomGroups(state.settings);
  // Projector mode: the page's text and the views' lines grow (style.css, views/text-scale.ts).
  document.documentElement.classList.toggle('large', state.settings.large);
  renderOutputLegend($('output-legend'), state.settings, classCount(state.settings));
  showModeCounters(state.settings.mode === 'regression');
}

function updatePlayButton(): void {
  const points = state.data.train.labels.length;
  showRunButtons($('play'), $('step'), state.settings, state.running, points);
}

function play(on: boolean): void {
  if (on && state.settings.speed === 'step') return;
  if (on && state.data.train.labels.length === 0) {
    showError('There are no training points: generate data or click on the plane to add some.');
    return;
  }
  state.running = on;
  post({ type: on ? 'play' : 'pause' });
  updatePlayButton();
}

worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  if (m.type === 'error') {
    state.running = false;
    updatePlayButton();
    showError(m.message);
    return;
  }
  setWeights(state.model, m.weights);
  if (m.pictures !== undefined) state.pictures = m.pictures;
  if (m.warp !== undefined) warp.receive(m.warp);
  // the frame that draws them tells the worker: a slow page gets fewer pictures, not a queue
  if (m.pictures || m.warp) requestAnimationFrame(() => post({ type: 'drawn' }));
  state.step = m.step;
  state.epoch = m.epoch;
  state.history.push(...m.losses);
  showCounters(m);
  frames.invalidate();
});

worker.addEventListener('error', (e) => showError(`the training worker failed: ${e.message}`));

// ── drawing ──────────────────────────────────────────────────────────────────────────────────────

/** The heat maps to draw: the worker's newest, or (when they do not fit the settings) the page's own. */
function pictures(): Pictures {
  if (picturesFit(state.pictures, state.settings)) return state.pictures;
  state.pagePictures++;
  state.pictures = drawPictures(state.model, state.settings, state.shownNeuron);
  return state.pictures;
}

function inspectedPoint(): [number, number] | undefined {
  const i = state.inspected;
  if (i === undefined) return undefined;
  const p = state.data.train.points;
  return [p[2 * i], p[2 * i + 1]];
}

/**
 * The output panel: a neuron's own output while one of the network view is pointed at or focused;
 * else the decision boundary, or in regression the curve (above its points) or ŷ over the plane.
 */
function drawOutput(): void {
  const { settings: s, data } = state;
  const at = inspectedPoint();
  // the neuron's large picture comes from the worker (asked for with 'show'); until then, the output
  if (state.shownNeuron && outputs.drawNeuron(pictures(), s, data, state.shownNeuron, at)) return;
  boundary.draw(pictures(), s, data, at);
  if (s.mode === 'regression') outputs.drawRegression(pictures(), s, data, at);
}

const network = new NetworkDrawer($('network'), (draw) => networkUi.redraw(draw));

const frames = new FrameLoop(
  { name: 'boundary', draw: drawOutput },
  [
    {
      name: 'network',
      // built once per network; while training, its weights and pictures change in place
      draw: () =>
        network.draw({
          model: state.model,
          settings: state.settings,
          point: inspectedPoint(),
          images: pictures().neurons,
          running: state.running,
        }),
    },
    {
      name: 'lossChart',
      draw: () => {
        const chart = $('loss-chart');
        renderLossChart(
          chart,
          state.history,
          Math.max(260, chart.clientWidth || 340),
          state.settings.large,
          state.settings.mode === 'regression' ? 'MSE' : 'loss',
        );
      },
    },
    // the worker maps the warped space (views/warp-math.ts); the view draws its newest lines
    { name: 'warp', draw: () => warp.render(state.settings) },
    // the inspector follows training live: the same point through the newest weights
    { name: 'inspector', draw: () => backprop.follow(inspection()) },
  ],
  { running: () => state.running, onError: (e) => showError(e.message) },
);

// ── the plane: add points, or inspect one ───────────────────────────────────────────────────────

boundary.canvas.addEventListener('click', (e) => {
  const [px, py] = boundary.clientToCanvas(e.clientX, e.clientY);
  const at = boundary.fromPixel(px, py);
  if (at === undefined) return;
  if (state.clickAction === 'add') {
    state.added.points.push(at[0], at[1]);
    state.added.labels.push(clickedLabel(state.settings, state.addClass, e.shiftKey, at));
    state.data = currentSplit();
    post({ type: 'update', settings: state.settings, data: state.data });
    countPoints();
    updatePlayButton();
    frames.invalidate();
    return;
  }
  const best = nearestPoint(state.data.train, (x, y) => boundary.toPixel(x, y), px, py);
  if (best < 0)
    showError('No training point there: click on a filled dot to inspect its backprop.');
  else inspect(best);
});

function inspectedRecord():
  { features: number[]; label: number; raw: [number, number] } | undefined {
  const i = state.inspected;
  if (i === undefined) return undefined;
  const raw = inspectedPoint()!;
  const features = Array.from(featureRows(raw, inputFeatures(state.settings)));
  return { features, label: state.data.train.labels[i], raw };
}

/** The inspected point with the page's newest weights, for the backprop inspector. */
function inspection(): Inspected | undefined {
  const point = inspectedRecord();
  return point && { model: state.model, settings: state.settings, point, step: state.step };
}

function inspect(i: number): void {
  state.inspected = i;
  frames.invalidate();
  showError(undefined);
  $('backprop-hint').hidden = true;
  backprop.show(inspection()!, showError);
  $('backprop').scrollIntoView({ behavior: 'smooth', block: 'nearest' });
}

// ── the network view: point at a neuron to see it large, click a weight to set it ───────────────

const networkUi = wireNetwork($('network'), $('output-focus'), {
  model: () => state.model,
  settings: () => state.settings,
  post,
  show: (neuron) => {
    state.shownNeuron = neuron;
    post({ type: 'show', neuron });
    frames.invalidate();
  },
  changed: () => {
    state.pictures = undefined;
    frames.invalidate();
  },
  showError,
});

// ── buttons ──────────────────────────────────────────────────────────────────────────────────────

$('play').addEventListener('click', () => play(!state.running));
$('step').addEventListener('click', () => {
  if (state.running) play(false);
  post({ type: 'step', by: state.settings.stepBy });
});
$('reset').addEventListener('click', () => reset());
$('restart').addEventListener('click', () => {
  // A random restart: a new seed gives new initial weights (the data stay as they are).
  state.settings.seed = restartSeed(state.settings.seed);
  $<HTMLInputElement>('seed').value = String(state.settings.seed);
  history.replaceState(null, '', `?${settingsToQuery(state.settings)}`);
  reset();
});
const seedBox = $<HTMLInputElement>('seed');
seedBox.value = String(state.settings.seed);
seedBox.addEventListener('change', () => {
  try {
    state.settings.seed = SETTINGS.seed.read(seedBox.value);
  } catch (e) {
    showError(`The seed must be ${(e as Error).message}, not "${seedBox.value}".`);
    return;
  }
  applyChange('data');
});
$('download').addEventListener('click', () =>
  downloadModel(state.model, state.settings, { step: state.step, epoch: state.epoch }),
);
onModelUpload($<HTMLInputElement>('upload'), {
  current: () => state.settings,
  // Rebuild the network the file was saved from (its settings), then take its weights.
  rebuild: (saved) => {
    Object.assign(state.settings, saved);
    history.replaceState(null, '', `?${settingsToQuery(state.settings)}`);
    regenerate();
    reset();
    rebuildPanels();
    seedBox.value = String(state.settings.seed);
  },
  load: (json, weights) => {
    state.pictures = undefined;
    post({ type: 'load', json, weights });
  },
  showError,
});
copyLinkOnClick($('share'), showError);
playOnSpace(() => play(!state.running));

const rebuildPanels = buildControls(
  state.settings,
  {
    data: $('data-controls'),
    features: $('feature-controls'),
    training: $('training-controls'),
    network: $('network-controls'),
    output: $('output-controls'),
    run: $('run-settings'),
  },
  applyChange,
  {
    clickAction: () => state.clickAction,
    setClickAction: (a) => (state.clickAction = a),
    addClass: () => state.addClass,
    setAddClass: (c) => (state.addClass = c),
    locked: isLocked(state.settings),
    clearPoints: () => {
      state.generated = { points: [], labels: [] };
      state.added = { points: [], labels: [] };
      state.data = currentSplit();
      reset();
    },
    regenerate: () => applyChange('data'),
  },
);

// Hooks for the end-to-end tests and for curious learners in the console (hooks.ts).
exposeHooks({ state, boundary, frames, inspected: inspectedRecord });

regenerate();
reset();
applyClassroom();
frames.start();
// The exercise panel: its exercise is in the URL (?exercise=staged:0-3) like every setting.
mountExercises($('exercise'), state.settings, () =>
  history.replaceState(null, '', `?${settingsToQuery(state.settings)}`),
);
