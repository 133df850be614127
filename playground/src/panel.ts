/** The control panels of the page, each control bound to a field of the settings. */
import { checkbox, numberBox, select, slider, type Change, type OnChange } from './controls.js';
import type { ACTIVATIONS } from './settings.js';
import {
  DATASETS,
  DEFAULT_LR,
  FEATURE_LABELS,
  FEATURES,
  HIDEABLE,
  LOSS_LABELS,
  MAX_CLASSES,
  MAX_LAYERS,
  MAX_NEURONS,
  OPTIMIZER_LABELS,
  type ActivationChoice,
  type DatasetName,
  type LossChoice,
  type Mode,
  type OptimizerChoice,
  type Settings,
} from './settings.js';

export interface PanelRoots {
  data: HTMLElement;
  features: HTMLElement;
  training: HTMLElement;
  network: HTMLElement;
  output: HTMLElement;
}

export interface PanelActions {
  clickAction(): 'add' | 'inspect';
  setClickAction(a: 'add' | 'inspect'): void;
  clearPoints(): void;
  regenerate(): void;
}

function button(
  parent: HTMLElement,
  id: string,
  text: string,
  title: string,
  onClick: () => void,
): HTMLButtonElement {
  const b = document.createElement('button');
  b.id = id;
  b.type = 'button';
  b.textContent = text;
  b.title = title;
  b.addEventListener('click', onClick);
  parent.append(b);
  return b;
}

export function buildControls(
  s: Settings,
  roots: PanelRoots,
  onChange: OnChange,
  actions: PanelActions,
): () => void {
  const redraw = (): void => {
    for (const root of Object.values(roots)) root.replaceChildren();
    buildControls(s, roots, onChange, actions);
  };
  // Some changes alter which controls make sense (regression has no classes): rebuild the panels.
  const changeAndRebuild = (change: Change): void => {
    onChange(change);
    redraw();
  };

  // ── data ──
  const d = roots.data;
  select<Mode>(
    d,
    {
      id: 'mode',
      label: 'Problem',
      get: () => s.mode,
      set: (v) => {
        s.mode = v;
        if (v === 'regression' && !s.features.some((f) => f === 'x' || f === 'x2' || f === 'sinx'))
          s.features = ['x'];
      },
      change: 'data',
      group: 'data',
    },
    { classification: 'classification', regression: 'regression (fit a curve)' },
    changeAndRebuild,
  );
  if (s.mode === 'classification') {
    select<DatasetName>(
      d,
      {
        id: 'dataset',
        label: 'Data set',
        get: () => s.dataset,
        set: (v) => (s.dataset = v),
        change: 'data',
        group: 'data',
      },
      DATASETS,
      changeAndRebuild,
    );
    if (s.dataset === 'spiral' || s.dataset === 'gaussians')
      numberBox(
        d,
        {
          id: 'classes',
          label: 'Classes',
          title: 'more than two classes: softmax output',
          get: () => s.classes,
          set: (v) => (s.classes = v),
          change: 'data',
          group: 'data',
        },
        { min: 2, max: MAX_CLASSES, step: 1 },
        onChange,
      );
  }
  slider(
    d,
    {
      id: 'noise',
      label: 'Noise σ',
      get: () => s.noise,
      set: (v) => (s.noise = v),
      change: 'data',
      group: 'data',
    },
    { min: 0, max: 0.5, step: 0.01 },
    onChange,
  );
  slider(
    d,
    {
      id: 'train-ratio',
      label: 'Training share',
      title: 'fraction of the points used for training; the rest are test points',
      get: () => s.trainRatio,
      set: (v) => (s.trainRatio = v),
      change: 'data',
      group: 'data',
    },
    { min: 0.1, max: 0.9, step: 0.05 },
    onChange,
  );
  numberBox(
    d,
    {
      id: 'samples',
      label: 'Points',
      get: () => s.samples,
      set: (v) => (s.samples = v),
      change: 'data',
      group: 'data',
    },
    { min: 20, max: 2000, step: 10 },
    onChange,
  );
  const row = document.createElement('div');
  row.className = 'buttons';
  row.dataset.group = 'data';
  button(
    row,
    'regenerate',
    'Regenerate',
    'draw the data again (same seed: same points)',
    actions.regenerate,
  );
  button(
    row,
    'clear-points',
    'Clear points',
    'remove every point, then click on the plane to add your own',
    actions.clearPoints,
  );
  d.append(row);

  // ── features ──
  for (const f of FEATURES) {
    if (s.mode === 'regression' && !(f === 'x' || f === 'x2' || f === 'sinx')) continue;
    const box = checkbox(
      roots.features,
      {
        id: `feature-${f}`,
        label: FEATURE_LABELS[f],
        get: () => s.features.includes(f),
        set: (on) => {
          const next = on ? [...s.features, f] : s.features.filter((g) => g !== f);
          if (next.length > 0) s.features = FEATURES.filter((g) => next.includes(g));
        },
        change: 'network',
        group: 'features',
      },
      changeAndRebuild,
    );
    box.name = 'feature';
    box.value = f;
  }

  // ── network ──
  const n = roots.network;
  const layers = document.createElement('div');
  layers.className = 'layers';
  const label = document.createElement('span');
  label.textContent = `Hidden layers: ${s.hidden.length}`;
  layers.append(label);
  button(layers, 'add-layer', '+ layer', 'add a hidden layer', () => {
    if (s.hidden.length < MAX_LAYERS) s.hidden = [...s.hidden, s.hidden.at(-1) ?? 4];
    changeAndRebuild('network');
  });
  button(layers, 'remove-layer', '− layer', 'remove the last hidden layer', () => {
    s.hidden = s.hidden.slice(0, -1);
    changeAndRebuild('network');
  });
  n.append(layers);
  s.hidden.forEach((size, l) => {
    const g = document.createElement('div');
    g.className = 'layer-controls';
    const t = document.createElement('span');
    t.textContent = `layer ${l + 1}: ${size} neurons`;
    g.append(t);
    button(g, `add-neuron-${l + 1}`, '+', `add a neuron to hidden layer ${l + 1}`, () => {
      s.hidden[l] = Math.min(MAX_NEURONS, size + 1);
      changeAndRebuild('network');
    });
    button(g, `remove-neuron-${l + 1}`, '−', `remove a neuron from hidden layer ${l + 1}`, () => {
      s.hidden[l] = Math.max(1, size - 1);
      changeAndRebuild('network');
    });
    n.append(g);
  });
  select<ActivationChoice>(
    n,
    {
      id: 'activation',
      label: 'Activation',
      title:
        'step: the unit step of the flow-diagram lesson; its gradient is 0, so it cannot learn by backprop',
      get: () => s.activation,
      set: (v) => (s.activation = v),
      change: 'network',
      group: 'activation',
    },
    { tanh: 'tanh', relu: 'ReLU', sigmoid: 'sigmoid', step: 'unit step' } satisfies Record<
      (typeof ACTIVATIONS)[number],
      string
    >,
    changeAndRebuild,
  );
  if (s.activation === 'step') {
    const note = document.createElement('p');
    note.className = 'caption note';
    note.id = 'step-note';
    note.textContent =
      'The unit step is the neuron of the flow-diagram lesson: its derivative is 0 wherever it is defined, so every gradient through it is 0 and backprop cannot train the layers before it. Watch the hidden neurons stay as they started; switch to sigmoid, its smooth version, and they learn.';
    n.append(note);
  }
  if (s.mode === 'classification')
    select<LossChoice>(
      n,
      {
        id: 'loss',
        label: 'Loss',
        get: () => s.loss,
        set: (v) => (s.loss = v),
        change: 'training',
        group: 'loss',
      },
      LOSS_LABELS,
      onChange,
    );

  // ── training ──
  const t = roots.training;
  select<OptimizerChoice>(
    t,
    {
      id: 'optimizer',
      label: 'Optimizer',
      get: () => s.optimizer,
      set: (v) => {
        s.optimizer = v;
        s.lr = DEFAULT_LR[v];
      },
      change: 'training',
      group: 'optimizer',
    },
    OPTIMIZER_LABELS,
    changeAndRebuild,
  );
  numberBox(
    t,
    {
      id: 'lr',
      label: 'Learning rate η',
      get: () => s.lr,
      set: (v) => (s.lr = v),
      change: 'training',
      group: 'optimizer',
    },
    { min: 1e-6, max: 10, step: 'any' },
    onChange,
  );
  const hyper = (
    id: string,
    label: string,
    title: string,
    key: 'momentum' | 'beta1' | 'beta2' | 'alpha',
    max: number,
  ): void => {
    numberBox(
      t,
      {
        id,
        label,
        title,
        get: () => s[key],
        set: (v) => (s[key] = v),
        change: 'training',
        group: 'optimizer',
      },
      { min: 0, max, step: 'any' },
      onChange,
    );
  };
  if (s.optimizer === 'momentum' || s.optimizer === 'nesterov')
    hyper('momentum', 'Momentum β', 'v ← β·v + g; the step follows v', 'momentum', 0.999);
  if (s.optimizer === 'adam') {
    hyper('beta1', 'Adam β₁', 'decay of the running mean of the gradient', 'beta1', 0.9999);
    hyper(
      'beta2',
      'Adam β₂',
      'decay of the running mean of the squared gradient',
      'beta2',
      0.99999,
    );
  }
  if (s.optimizer === 'rmsprop')
    hyper(
      'alpha',
      'RMSProp α',
      'decay of the running mean of the squared gradient',
      'alpha',
      0.9999,
    );
  const batch = select<string>(
    t,
    {
      id: 'batch-size',
      label: 'Batch size',
      title: '1 = stochastic gradient descent; full = (full-)batch gradient descent',
      get: () => String(s.batchSize),
      set: (v) => (s.batchSize = v === 'full' ? 'full' : Number(v)),
      change: 'training',
      group: 'optimizer',
    },
    {
      '1': '1 (stochastic)',
      '8': '8',
      '16': '16',
      '32': '32',
      '64': '64',
      '128': '128',
      full: 'full batch',
    },
    onChange,
  );
  if (![...batch.options].some((o) => o.value === String(s.batchSize))) {
    batch.add(new Option(String(s.batchSize), String(s.batchSize)));
    batch.value = String(s.batchSize);
  }
  numberBox(
    t,
    {
      id: 'l2',
      label: 'L2 penalty λ',
      title: 'adds λ/2·Σ‖W‖² to the loss',
      get: () => s.l2,
      set: (v) => (s.l2 = v),
      change: 'training',
      group: 'regularization',
    },
    { min: 0, max: 1, step: 'any' },
    onChange,
  );
  slider(
    t,
    {
      id: 'dropout',
      label: 'Dropout p',
      title: 'probability of dropping each hidden neuron at each step',
      get: () => s.dropout,
      set: (v) => (s.dropout = v),
      change: 'network',
      group: 'regularization',
    },
    { min: 0, max: 0.8, step: 0.05 },
    onChange,
  );
  slider(
    t,
    {
      id: 'jitter',
      label: 'Jitter σ',
      title: 'Gaussian noise added to the inputs at each step',
      get: () => s.jitter,
      set: (v) => (s.jitter = v),
      change: 'training',
      group: 'regularization',
    },
    { min: 0, max: 0.5, step: 0.01 },
    onChange,
  );

  // ── output ──
  const o = roots.output;
  checkbox(
    o,
    {
      id: 'discretize',
      label: 'Discretize boundary',
      title: 'hard classes instead of shaded probabilities',
      get: () => s.discretize,
      set: (v) => (s.discretize = v),
      change: 'view',
    },
    onChange,
  );
  select<'add' | 'inspect'>(
    o,
    {
      id: 'click-action',
      label: 'Click on the plane',
      get: actions.clickAction,
      set: actions.setClickAction,
      change: 'view',
    },
    { add: 'add a point (shift: other class)', inspect: 'inspect a point’s backprop' },
    () => undefined,
  );
  const classroom = document.createElement('details');
  classroom.className = 'classroom';
  const summary = document.createElement('summary');
  summary.textContent = 'Classroom: hide controls';
  classroom.append(summary);
  for (const g of HIDEABLE)
    checkbox(
      classroom,
      {
        id: `hide-${g}`,
        label: g,
        get: () => s.hide.includes(g),
        set: (on) => (s.hide = on ? [...s.hide, g] : s.hide.filter((h) => h !== g)),
        change: 'view',
      },
      onChange,
    );
  o.append(classroom);
  return redraw;
}
