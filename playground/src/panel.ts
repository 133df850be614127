/**
 * The control panels of the page, built from the settings' schema (schema.ts): for each setting
 * the panel shows, in the schema's order, its control in its panel — a drop-down list, number box,
 * slider or checkbox over the text of its value, or one of the special controls below, which the
 * schema names. A few page controls that are not settings follow the setting they belong with.
 */
import {
  button,
  checkbox,
  numberBox,
  select,
  slider,
  type ControlSpec,
  type OnChange,
} from './controls.js';
import {
  CONTROL_GROUP_LABELS,
  CONTROL_GROUPS,
  FEATURE_LABELS,
  FEATURES,
  featureGroup,
  isOneD,
  MAX_LAYERS,
  MAX_NEURONS,
  type Hideable,
} from './choices.js';
import {
  controlId,
  isCurve,
  SETTING_KEYS,
  SETTINGS,
  type SettingKey,
  type Settings,
} from './schema.js';
import { classCount } from './settings.js';
import type { BuilderName, PanelRoot, PanelSpec } from './setting-kinds.js';

export type PanelRoots = Record<PanelRoot, HTMLElement>;

export interface PanelActions {
  clickAction(): 'add' | 'inspect';
  setClickAction(a: 'add' | 'inspect'): void;
  /** The class a click on the plane adds. */
  addClass(): number;
  setAddClass(c: number): void;
  /**
   * The page was opened from a classroom link (one that hides controls, without `unlock=1`): the
   * classroom box is not shown, so the hidden controls cannot be brought back from the page.
   */
  locked: boolean;
  clearPoints(): void;
  regenerate(): void;
}

/** What a control is built with. */
interface Build {
  parent: HTMLElement;
  s: Settings;
  actions: PanelActions;
  /** Its schema entry's panel options. */
  panel: PanelSpec;
  /** Called after a change: reports it (and rebuilds the panels if the schema says so). */
  then: OnChange;
}

/** Whether a classroom link hides a group of controls. */
const hidden = (s: Settings, group: Hideable | undefined): boolean =>
  group !== undefined && s.hide.includes(group);

/**
 * Builds the panels into `roots`; returns a function that rebuilds them (after `s` changed). The
 * controls of hidden groups (`hide=`) are not built at all.
 */
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
  const changeAndRebuild: OnChange = (change) => {
    onChange(change);
    redraw();
  };
  for (const key of SETTING_KEYS) {
    const panel = SETTINGS[key].panel;
    if (panel === undefined || (panel.visible !== undefined && !panel.visible(s))) continue;
    if (hidden(s, panel.group)) continue;
    const build: Build = {
      parent: roots[panel.root],
      s,
      actions,
      panel,
      then: panel.rebuild === true ? changeAndRebuild : onChange,
    };
    if (panel.control.type === 'builder') BUILDERS[panel.control.name](build);
    else settingControl(key, build);
    AFTER[key]?.(build);
  }
  return redraw;
}

/** The plain control of a setting: it edits the text of the value (the URL's text). */
function settingControl<K extends SettingKey>(key: K, b: Build): void {
  const { parent, s, panel, then } = b;
  const entry = SETTINGS[key];
  const spec: ControlSpec<string> = {
    id: controlId(key),
    label: panel.label,
    title: panel.title,
    group: panel.group,
    change: panel.change,
    get: () => entry.write(s[key]),
    set: (text) => {
      s[key] = entry.read(text);
      panel.onSet?.(s);
    },
  };
  const control = panel.control;
  switch (control.type) {
    case 'select':
      select(parent, spec, control.options, then);
      break;
    case 'box':
      numberBox(parent, spec, control, then);
      break;
    case 'slider':
      slider(parent, spec, control, then);
      break;
    case 'checkbox':
      checkbox(
        parent,
        { ...spec, get: () => spec.get() === 'true', set: (on) => spec.set(String(on)) },
        then,
      );
      break;
    case 'builder':
      throw new Error(`the setting ${key} has a special control`);
  }
}

/** The special controls the schema names. */
const BUILDERS: Record<BuilderName, (b: Build) => void> = {
  /**
   * A checkbox per input feature (for a regression curve, the features of x₁ alone); one stays on, and the
   * schema's rule (its onSet) keeps one of x₁ alone in regression.
   */
  features: ({ parent, s, panel, then }) => {
    for (const f of FEATURES) {
      if (isCurve(s) && !isOneD(f)) continue;
      if (hidden(s, featureGroup(f))) continue;
      const box = checkbox(
        parent,
        {
          id: `feature-${f}`,
          label: FEATURE_LABELS[f],
          get: () => s.features.includes(f),
          set: (on) => {
            const next = on ? [...s.features, f] : s.features.filter((g) => g !== f);
            if (next.length > 0) s.features = FEATURES.filter((g) => next.includes(g));
            panel.onSet?.(s);
          },
          change: panel.change,
          group: panel.group,
        },
        then,
      );
      box.name = 'feature';
      box.value = f;
    }
  },

  /** The hidden layers: add or remove a layer, and a neuron of each. */
  layers: ({ parent, s, panel, then }) => {
    const layers = document.createElement('div');
    layers.className = 'layers';
    const label = document.createElement('span');
    label.textContent = `${panel.label}: ${s.hidden.length}`;
    layers.append(label);
    const change = (): void => then(panel.change);
    button(layers, 'add-layer', '+ layer', 'add a hidden layer', () => {
      if (s.hidden.length < MAX_LAYERS) s.hidden = [...s.hidden, s.hidden.at(-1) ?? 4];
      change();
    });
    button(layers, 'remove-layer', '− layer', 'remove the last hidden layer', () => {
      s.hidden = s.hidden.slice(0, -1);
      change();
    });
    parent.append(layers);
    s.hidden.forEach((size, l) => {
      const g = document.createElement('div');
      g.className = 'layer-controls';
      const t = document.createElement('span');
      t.textContent = `layer ${l + 1}: ${size} neurons`;
      g.append(t);
      button(g, `add-neuron-${l + 1}`, '+', `add a neuron to hidden layer ${l + 1}`, () => {
        s.hidden[l] = Math.min(MAX_NEURONS, size + 1);
        change();
      });
      button(g, `remove-neuron-${l + 1}`, '−', `remove a neuron from hidden layer ${l + 1}`, () => {
        s.hidden[l] = Math.max(1, size - 1);
        change();
      });
      parent.append(g);
    });
  },

  /**
   * Classroom mode: a checkbox per group of controls it can hide, and per input feature, folded
   * away. Not built on a page opened from a classroom link (see PanelActions.locked).
   */
  classroom: ({ parent, s, panel, then, actions }) => {
    if (actions.locked) return;
    const classroom = document.createElement('details');
    classroom.className = 'classroom';
    classroom.id = 'classroom';
    classroom.open = s.hide.length > 0;
    const summary = document.createElement('summary');
    summary.textContent = panel.label;
    const note = document.createElement('p');
    note.className = 'caption';
    note.textContent =
      'A link copied with controls hidden keeps them hidden: it shows no box to undo it. Add unlock=1 to the link to keep this box.';
    classroom.append(summary, note);
    const box = (g: Hideable, label: string): void => {
      checkbox(
        classroom,
        {
          id: `hide-${g}`,
          label,
          get: () => s.hide.includes(g),
          set: (on) => (s.hide = on ? [...s.hide, g] : s.hide.filter((h) => h !== g)),
          change: panel.change,
        },
        then,
      );
    };
    for (const g of CONTROL_GROUPS) box(g, CONTROL_GROUP_LABELS[g]);
    for (const f of FEATURES) box(featureGroup(f), `input feature ${FEATURE_LABELS[f]}`);
    parent.append(classroom);
  },
};

/** Page controls that are not settings, after the control of the setting they go with. */
const AFTER: Partial<Record<SettingKey, (b: Build) => void>> = {
  /** Draw the data again, or remove every point. */
  samples: ({ parent, actions, s }) => {
    if (hidden(s, 'data')) return;
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
    parent.append(row);
  },

  /** Why the unit step cannot learn. */
  activation: ({ parent, s }) => {
    if (s.activation !== 'step') return;
    const note = document.createElement('p');
    note.className = 'caption note';
    note.id = 'step-note';
    note.textContent =
      'The unit step is the neuron of the flow-diagram lesson: its derivative is 0 wherever it is defined, so every gradient through it is 0 and backprop cannot train the layers before it. Watch the hidden neurons stay as they started; switch to sigmoid, its smooth version, and they learn.';
    parent.append(note);
  },

  /**
   * What a click on the plane does, and which class it adds (with 3–5 classes too), at the head of
   * the output panel's controls.
   */
  hide: ({ parent, actions, s }) => {
    if (hidden(s, 'click')) return;
    const wrap = document.createElement('div');
    wrap.className = 'click-controls';
    wrap.dataset.group = 'click';
    parent.prepend(wrap);
    select<'add' | 'inspect'>(
      wrap,
      {
        id: 'click-action',
        label: 'Click on the plane',
        group: 'click',
        get: actions.clickAction,
        set: actions.setClickAction,
        change: 'view',
      },
      { add: 'add a point', inspect: 'inspect a point’s backprop' },
      () => undefined,
    );
    if (s.mode !== 'classification') return;
    const k = classCount(s);
    const options = Object.fromEntries(
      Array.from({ length: k }, (_, c) => [String(c), `class ${c}`]),
    );
    const picker = select<string>(
      wrap,
      {
        id: 'add-class',
        label: 'Class to add',
        title: k === 2 ? 'shift-click adds the other class' : undefined,
        group: 'click',
        get: () => String(Math.min(actions.addClass(), k - 1)),
        set: (v) => actions.setAddClass(Number(v)),
        change: 'view',
      },
      options,
      () => undefined,
    );
    picker.closest('label')?.classList.add('class-picker');
  },
};
