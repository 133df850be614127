/**
 * Labelled form controls, each bound to a value by a getter and a setter. Each control says what a
 * change of it needs: a new data set, a new network, new hyperparameters for the running one, or a
 * redraw. Drop-down lists, number boxes and sliders edit the value's text (a setting's text form,
 * see setting-kinds.ts); a setter that throws refuses the text with its message.
 */
import type { Hideable } from './choices.js';
import type { Change } from './setting-kinds.js';

export interface ControlSpec<T> {
  id: string;
  label: string;
  title?: string;
  get(): T;
  /** Takes a new value; throws an Error saying what was expected if it cannot. */
  set(value: T): void;
  change: Change;
  /** The classroom group that hides it. */
  group?: Hideable;
}

export type OnChange = (change: Change) => void;

function field(
  control: HTMLElement,
  spec: Pick<ControlSpec<unknown>, 'label' | 'title' | 'group'>,
): HTMLLabelElement {
  const wrap = document.createElement('label');
  wrap.className = 'field';
  if (spec.title !== undefined) wrap.title = spec.title;
  if (spec.group !== undefined) wrap.dataset.group = spec.group;
  const text = document.createElement('span');
  text.textContent = spec.label;
  wrap.append(text, control);
  return wrap;
}

/** A drop-down list; `options` maps values to their labels. A current value not among them is added. */
export function select<T extends string>(
  parent: HTMLElement,
  spec: ControlSpec<T>,
  options: readonly T[] | Readonly<Record<T, string>>,
  onChange: OnChange,
): HTMLSelectElement {
  const el = document.createElement('select');
  el.id = spec.id;
  const entries: [T, string][] = Array.isArray(options)
    ? options.map((o) => [o, o])
    : (Object.entries(options) as [T, string][]);
  for (const [value, label] of entries) el.add(new Option(label, value));
  const value = spec.get();
  if (!entries.some(([v]) => v === value)) el.add(new Option(value, value));
  el.value = value;
  el.addEventListener('change', () => {
    spec.set(el.value as T);
    onChange(spec.change);
  });
  parent.append(field(el, spec));
  return el;
}

/** A number box over the value's text; a text the setter refuses is reported on the control. */
export function numberBox(
  parent: HTMLElement,
  spec: ControlSpec<string>,
  range: { min: number; max: number; step: number | 'any' },
  onChange: OnChange,
): HTMLInputElement {
  const el = document.createElement('input');
  el.type = 'number';
  el.id = spec.id;
  el.min = String(range.min);
  el.max = String(range.max);
  el.step = String(range.step);
  el.value = spec.get();
  el.addEventListener('change', () => {
    try {
      spec.set(el.value);
    } catch (e) {
      el.setCustomValidity(`expected ${(e as Error).message}`);
      el.reportValidity();
      return;
    }
    el.setCustomValidity('');
    onChange(spec.change);
  });
  parent.append(field(el, spec));
  return el;
}

/** A slider over the value's text, with the value shown beside it. */
export function slider(
  parent: HTMLElement,
  spec: ControlSpec<string>,
  range: { min: number; max: number; step: number },
  onChange: OnChange,
): HTMLInputElement {
  const el = document.createElement('input');
  el.type = 'range';
  el.id = spec.id;
  el.min = String(range.min);
  el.max = String(range.max);
  el.step = String(range.step);
  el.value = spec.get();
  const out = document.createElement('output');
  out.htmlFor.add(spec.id);
  out.textContent = spec.get();
  el.addEventListener('input', () => {
    out.textContent = el.value;
  });
  el.addEventListener('change', () => {
    spec.set(el.value);
    onChange(spec.change);
  });
  const wrap = field(el, spec);
  wrap.append(out);
  parent.append(wrap);
  return el;
}

/** A checkbox. */
export function checkbox(
  parent: HTMLElement,
  spec: ControlSpec<boolean>,
  onChange: OnChange,
): HTMLInputElement {
  const el = document.createElement('input');
  el.type = 'checkbox';
  el.id = spec.id;
  el.checked = spec.get();
  el.addEventListener('change', () => {
    spec.set(el.checked);
    onChange(spec.change);
  });
  const wrap = field(el, spec);
  wrap.classList.add('check');
  parent.append(wrap);
  return el;
}

/** A button. */
export function button(
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
