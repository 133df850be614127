/**
 * The kinds of setting the schema (schema.ts) is written in. Each kind makes one `Setting<T>`: its
 * default, its codec — the text of its value in the URL and in a form control, read back with
 * validation — and where and how the panel shows it. A reader throws an Error whose message says
 * what was expected ("an integer from 2 to 5"); the URL and the panel both report that message.
 */
import type { Hideable } from './choices.js';
import type { Settings } from './schema.js';

/**
 * What a change of a setting needs, from most to least work; 'pace' is the speed of Play or the
 * size of Step, which only the run controls and the worker's pacing read.
 */
export type Change = 'data' | 'network' | 'training' | 'pace' | 'view';

/**
 * The panel a control goes in (an element of the page; see PanelRoots in panel.ts); 'run' is the
 * header's toolbar, beside Play and Step.
 */
export type PanelRoot = 'data' | 'features' | 'network' | 'training' | 'output' | 'run';

/** The special controls, built by name in panel.ts. */
export type BuilderName = 'layers' | 'features' | 'classroom';

/** How the panel edits a value: always through its text (`write`, then `read` back). */
export type Control =
  | { type: 'select'; options: Readonly<Record<string, string>> }
  | { type: 'box'; min: number; max: number; step: number | 'any' }
  | { type: 'slider'; min: number; max: number; step: number }
  | { type: 'checkbox' }
  | { type: 'builder'; name: BuilderName };

/** Where and how the panel shows a setting, as the schema writes it. */
export interface PanelOptions {
  root: PanelRoot;
  label: string;
  /** The tooltip. */
  title?: string;
  /** The element id; by default the setting's key in kebab case (trainRatio → train-ratio). */
  id?: string;
  /** The classroom group that hides it (`hide=` in the URL). */
  group?: Hideable;
  /** What a change of it needs. */
  change: Change;
  /** Shown only when this holds (e.g. Adam's β₁ only for Adam). */
  visible?: (s: Settings) => boolean;
  /** Rebuild the panels after a change: the change alters which controls are shown. */
  rebuild?: boolean;
  /** What else a change from the panel sets (a new optimizer takes its own learning rate). */
  onSet?: (s: Settings) => void;
}

export interface PanelSpec extends PanelOptions {
  control: Control;
}

/** One setting: its default, its text form (URL and controls) and its control. */
export interface Setting<T> {
  readonly default: T;
  /** Name of its URL parameter; by default the setting's key. */
  readonly url?: string;
  /** The value a text describes; throws an Error saying what was expected. */
  read(text: string): T;
  write(value: T): string;
  /** Absent: the panel does not show it (the seed has its own box in the page's header). */
  readonly panel?: PanelSpec;
}

/** The panel options alone (not the kind's extras), with the control. */
function withControl(panel: PanelOptions, control: Control): PanelSpec {
  const { root, label, title, id, group, change, visible, rebuild, onSet } = panel;
  return { root, label, title, id, group, change, visible, rebuild, onSet, control };
}

interface Common<T> {
  default: NoInfer<T>;
  url?: string;
}

/** One of a fixed list of names; a drop-down list in the panel (labels default to the names). */
export function choice<const T extends string>(
  spec: Common<T> & {
    choices: readonly T[];
    labels?: Readonly<Record<NoInfer<T>, string>>;
    panel?: PanelOptions;
  },
): Setting<T> {
  const { choices, labels, panel } = spec;
  const options = Object.fromEntries(choices.map((c) => [c, labels?.[c] ?? c]));
  return {
    default: spec.default,
    url: spec.url,
    read: (v) => {
      if (!(choices as readonly string[]).includes(v))
        throw new Error(`one of ${choices.join(', ')}`);
      return v as T;
    },
    write: String,
    panel: panel && withControl(panel, { type: 'select', options }),
  };
}

export interface Range {
  min: number;
  max: number;
  integer?: boolean;
}

/** Reads a number in [min, max] (a whole one if `integer`), or throws what was expected. */
export function readNumber(v: string, { min, max, integer = false }: Range): number {
  const n = Number(v);
  if (
    v.trim() === '' ||
    !Number.isFinite(n) ||
    n < min ||
    n > max ||
    (integer && !Number.isInteger(n))
  )
    throw new Error(`${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  return n;
}

/**
 * A number in [min, max]. In the panel, a number box (refusing what the URL would refuse) or a
 * slider over its own, possibly narrower, range.
 */
export function number(
  spec: Common<number> &
    Range & {
      panel?: PanelOptions & ({ step?: number | 'any' } | { slider: SliderRange });
    },
): Setting<number> {
  const { panel, min, max, integer = false } = spec;
  let control: Control | undefined;
  if (panel !== undefined)
    control =
      'slider' in panel
        ? { type: 'slider', min, max, ...panel.slider }
        : { type: 'box', min, max, step: panel.step ?? (integer ? 1 : 'any') };
  return {
    default: spec.default,
    url: spec.url,
    read: (v) => readNumber(v, { min, max, integer }),
    write: String,
    panel: panel && control && withControl(panel, control),
  };
}

interface SliderRange {
  min?: number;
  max?: number;
  step: number;
}

/** Yes or no (in a URL also 1 or 0); a checkbox in the panel. */
export function boolean(spec: Common<boolean> & { panel?: PanelOptions }): Setting<boolean> {
  return {
    default: spec.default,
    url: spec.url,
    read: (v) => {
      if (!['true', 'false', '1', '0'].includes(v)) throw new Error('one of true, false, 1, 0');
      return v === 'true' || v === '1';
    },
    write: String,
    panel: spec.panel && withControl(spec.panel, { type: 'checkbox' }),
  };
}

/** A set of names from a fixed list, written comma-separated; a special control in the panel. */
export function list<const T extends string>(
  spec: Common<T[]> & {
    options: readonly T[];
    allowEmpty: boolean;
    panel?: PanelOptions & { builder: BuilderName };
  },
): Setting<T[]> {
  const { options, allowEmpty, panel } = spec;
  return {
    default: spec.default,
    url: spec.url,
    read: (v) => {
      const items = v === '' ? [] : v.split(',');
      if (
        items.some((i) => !(options as readonly string[]).includes(i)) ||
        (!allowEmpty && items.length === 0)
      )
        throw new Error(`a comma-separated list of ${options.join(', ')}`);
      return [...new Set(items)] as T[];
    },
    write: (v) => v.join(','),
    panel: panel && withControl(panel, { type: 'builder', name: panel.builder }),
  };
}

/**
 * Any other value, with its own codec; in the panel a drop-down list of texts (`options`: text →
 * label) or a special control.
 */
export function custom<T>(
  spec: Common<T> & {
    read(text: string): T;
    write(value: T): string;
    panel?: PanelOptions & ({ builder: BuilderName } | { options: Record<string, string> });
  },
): Setting<T> {
  const { panel } = spec;
  let control: Control | undefined;
  if (panel !== undefined)
    control =
      'builder' in panel
        ? { type: 'builder', name: panel.builder }
        : { type: 'select', options: panel.options };
  return {
    default: spec.default,
    url: spec.url,
    read: spec.read,
    write: spec.write,
    panel: panel && control && withControl(panel, control),
  };
}
