/**
 * Labelled form controls bound to fields of the settings. Each control says what a change of it
 * needs: a new data set, a new network, new hyperparameters for the running one, or a redraw.
 */
import type { Hideable } from './settings.js';

/** What a change needs, from most to least work. */
export type Change = 'data' | 'network' | 'training' | 'view';

export interface ControlSpec<T> {
  id: string;
  label: string;
  title?: string;
  get(): T;
  set(value: T): void;
  change: Change;
  /** The classroom group that hides it. */
  group?: Hideable;
}

export type OnChange = (change: Change) => void;

function field(label: string, control: HTMLElement, spec: ControlSpec<unknown>): HTMLElement {
  const wrap = document.createElement('label');
  wrap.className = 'field';
  if (spec.title !== undefined) wrap.title = spec.title;
  if (spec.group !== undefined) wrap.dataset.group = spec.group;
  const text = document.createElement('span');
  text.textContent = label;
  wrap.append(text, control);
  return wrap;
}

/** A drop-down list; `options` maps values to their labels. */
export function select<T extends string>(
  parent: HTMLElement,
  spec: ControlSpec<T>,
  options: readonly T[] | Record<T, string>,
  onChange: OnChange,
): HTMLSelectElement {
  const el = document.createElement('select');
  el.id = spec.id;
  const entries: [T, string][] = Array.isArray(options)
    ? options.map((o) => [o, o])
    : (Object.entries(options) as [T, string][]);
  for (const [value, label] of entries) el.add(new Option(label, value));
  el.value = spec.get();
  el.addEventListener('change', () => {
    spec.set(el.value as T);
    onChange(spec.change);
  });
  parent.append(field(spec.label, el, spec as ControlSpec<unknown>));
  return el;
}

/** A number box; a value outside [min, max] is refused with a message on the control. */
export function numberBox(
  parent: HTMLElement,
  spec: ControlSpec<number>,
  range: { min: number; max: number; step: number | 'any' },
  onChange: OnChange,
): HTMLInputElement {
  const el = document.createElement('input');
  el.type = 'number';
  el.id = spec.id;
  el.min = String(range.min);
  el.max = String(range.max);
  el.step = String(range.step);
  el.value = String(spec.get());
  el.addEventListener('change', () => {
    const v = Number(el.value);
    if (el.value.trim() === '' || !Number.isFinite(v) || v < range.min || v > range.max) {
      el.setCustomValidity(`expected a number from ${range.min} to ${range.max}`);
      el.reportValidity();
      return;
    }
    el.setCustomValidity('');
    spec.set(v);
    onChange(spec.change);
  });
  parent.append(field(spec.label, el, spec as ControlSpec<unknown>));
  return el;
}

/** A slider with its value shown beside it. */
export function slider(
  parent: HTMLElement,
  spec: ControlSpec<number>,
  range: { min: number; max: number; step: number },
  onChange: OnChange,
): HTMLInputElement {
  const el = document.createElement('input');
  el.type = 'range';
  el.id = spec.id;
  el.min = String(range.min);
  el.max = String(range.max);
  el.step = String(range.step);
  el.value = String(spec.get());
  const out = document.createElement('output');
  out.htmlFor.add(spec.id);
  out.textContent = String(spec.get());
  el.addEventListener('input', () => {
    out.textContent = el.value;
  });
  el.addEventListener('change', () => {
    spec.set(Number(el.value));
    onChange(spec.change);
  });
  const wrap = field(spec.label, el, spec as ControlSpec<unknown>);
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
  const wrap = field(spec.label, el, spec as ControlSpec<unknown>);
  wrap.classList.add('check');
  parent.append(wrap);
  return el;
}
