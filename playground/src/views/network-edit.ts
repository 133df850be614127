/**
 * What a person does with the network view, as in the TensorFlow Playground: point at a neuron
 * (or tab to it) to see its output large in the output panel, click a weight's line or a bias's
 * marker (or tab to it and press Enter or Space) to type a new value. The view's SVG is drawn again when the network changes
 * (and updated in place while training); the handlers sit on its root, so they outlive each
 * drawing, and the editor sits outside it.
 */
import { Linear, type Module } from 'nabla';
import type { ParameterRef } from '../parameters.js';
import { getParameter } from '../parameters.js';
import { layersOf } from './activations.js';
import './network-edit.css';

/** A neuron of the diagram: layer 0 the inputs, the last layer the outputs. */
export interface NeuronRef {
  layer: number;
  index: number;
}

const SVG = 'http://www.w3.org/2000/svg';

/** The name of a neuron in words: "input x₁", "neuron 3 of hidden layer 1", "output class 0". */
export function neuronName(sizes: readonly number[], n: NeuronRef, names?: string): string {
  const last = sizes.length - 1;
  if (n.layer === 0) return `input ${names ?? n.index + 1}`;
  if (n.layer === last) return `output ${names ?? n.index + 1}`;
  return `neuron ${n.index + 1} of hidden layer ${n.layer}`;
}

/** Centre and half size of each neuron's picture, by `data-layer` and `data-index`. */
function neuronBoxes(svg: SVGSVGElement): Map<string, { cx: number; cy: number; half: number }> {
  const boxes = new Map<string, { cx: number; cy: number; half: number }>();
  for (const g of svg.querySelectorAll<SVGGElement>('g.neuron')) {
    const shape = g.querySelector('image, rect');
    if (shape === null) continue;
    const at = (a: string): number => Number(shape.getAttribute(a));
    const half = at('width') / 2;
    boxes.set(`${g.dataset.layer} ${g.dataset.index}`, {
      cx: at('x') + half,
      cy: at('y') + half,
      half,
    });
  }
  return boxes;
}

const svgEl = (tag: string, attrs: Record<string, string | number>): SVGElement => {
  const e = document.createElementNS(SVG, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

/**
 * Adds to a freshly drawn diagram what the handlers need: each neuron focusable and named for
 * screen readers; over each weight's line an invisible, wider line to click (`line.weight-hit`,
 * `data-layer` the layer of weights, `data-from`, `data-to`); at each neuron after the inputs a
 * small square for its bias (`rect.bias`), coloured by its sign and shaded by its size. The lines
 * and squares are focusable buttons too, named by what they hold and its value.
 */
export function addEditTargets(root: HTMLElement, model: Module): void {
  const svg = root.querySelector('svg');
  if (svg === null) return;
  const linears = layersOf(model).filter((l): l is Linear => l instanceof Linear);
  const sizes = [linears[0].inFeatures, ...linears.map((l) => l.outFeatures)];
  const boxes = neuronBoxes(svg);
  for (const g of svg.querySelectorAll<SVGGElement>('g.neuron')) {
    const n = { layer: Number(g.dataset.layer), index: Number(g.dataset.index) };
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', `${neuronName(sizes, n)}: show its output in the output panel`);
  }
  const hits = svgEl('g', { class: 'edit-targets' });
  linears.forEach((linear, l) => {
    const w = linear.weight.data;
    for (let to = 0; to < linear.outFeatures; to++) {
      const b = boxes.get(`${l + 1} ${to}`);
      for (let from = 0; from < linear.inFeatures; from++) {
        const a = boxes.get(`${l} ${from}`);
        if (a === undefined || b === undefined) continue;
        const line = svgEl('line', {
          class: 'weight-hit',
          x1: a.cx + a.half,
          y1: a.cy,
          x2: b.cx - b.half,
          y2: b.cy,
          'data-layer': l,
          'data-from': from,
          'data-to': to,
        });
        const v = Number(w[to * linear.inFeatures + from]).toPrecision(3);
        const from_ = neuronName(sizes, { layer: l, index: from });
        const to_ = neuronName(sizes, { layer: l + 1, index: to });
        editable(line, `weight from ${from_} to ${to_}, value ${v}`);
        const title = svgEl('title', {});
        title.textContent = `w = ${v} (click to edit)`;
        line.append(title);
        hits.append(line);
      }
    }
  });
  const firstNeuron = svg.querySelector('g.neuron');
  svg.insertBefore(hits, firstNeuron);
  // Bias markers go over the neurons, at their lower left corners.
  linears.forEach((linear, l) => {
    const bias = linear.bias?.data;
    if (bias === undefined) return;
    let largest = 1e-12;
    for (const v of bias) largest = Math.max(largest, Math.abs(v));
    for (let to = 0; to < linear.outFeatures; to++) {
      const box = boxes.get(`${l + 1} ${to}`);
      if (box === undefined) continue;
      const v = Number(bias[to]);
      const size = Math.max(6, box.half * 0.45);
      const mark = svgEl('rect', {
        class: 'bias',
        x: box.cx - box.half - size * 0.5,
        y: box.cy + box.half - size * 0.5,
        width: size,
        height: size,
        ...biasFill(v, largest),
        stroke: '#333',
        'stroke-width': 0.8,
        'data-layer': l,
        'data-to': to,
      });
      const of = neuronName(sizes, { layer: l + 1, index: to });
      editable(mark, `bias of ${of}, value ${v.toPrecision(3)}`);
      const title = svgEl('title', {});
      title.textContent = `bias b = ${v.toPrecision(3)} (click to edit)`;
      mark.append(title);
      svg.append(mark);
    }
  });
}

/** A bias's square's colour: blue +, orange −, more opaque the larger |v| is beside `largest`. */
export function biasFill(v: number, largest: number): Record<'fill' | 'fill-opacity', string> {
  return {
    fill: v >= 0 ? '#2166ac' : '#e66101',
    'fill-opacity': (0.25 + (0.75 * Math.abs(v)) / largest).toFixed(2),
  };
}

/** A weight's line or a bias's square as a button of the keyboard: Enter or Space edits it. */
function editable(e: SVGElement, what: string): void {
  e.setAttribute('tabindex', '0');
  e.setAttribute('role', 'button');
  e.setAttribute('aria-label', `${what}: Enter to edit`);
}

/** What a person can edit: a weight's line or a bias's square. */
const EDIT_TARGET = 'line.weight-hit, rect.bias';

/**
 * A selector for the same neuron, weight line or bias square in the next drawing, or undefined
 * for any other element.
 */
function sameInNextDrawing(e: Element | null): string | undefined {
  const g = e?.closest?.('g.neuron, ' + EDIT_TARGET) as SVGElement | null | undefined;
  if (g === null || g === undefined) return undefined;
  const d = g.dataset;
  if (g.matches('g.neuron')) return `g.neuron[data-layer="${d.layer}"][data-index="${d.index}"]`;
  const from = d.from === undefined ? '' : `[data-from="${d.from}"]`;
  return `${g.tagName.toLowerCase()}.${g.classList[0]}[data-layer="${d.layer}"]${from}[data-to="${d.to}"]`;
}

/** What the page does when a person points at a neuron or sets a weight. */
export interface NetworkActions {
  /** The model drawn (for the editor's current value). */
  model(): Module;
  /** A neuron pointed at or focused; undefined when none is. */
  focus(neuron: NeuronRef | undefined): void;
  /** A new value for a weight or bias. */
  edit(ref: ParameterRef, value: number): void;
}

/** The hover, focus and edit handlers of the network view's root. */
export class NetworkInteraction {
  /** The neuron under the pointer, and the one with keyboard focus. */
  private hovered: NeuronRef | undefined;
  private focused: NeuronRef | undefined;
  /** While the view redraws, the focused neuron's element goes away: not a real loss of focus. */
  private redrawing = false;
  private editor: HTMLFormElement | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly actions: NetworkActions,
  ) {
    root.addEventListener('pointermove', (e) => this.setHovered(neuronAt(e.target)));
    root.addEventListener('pointerleave', () => this.setHovered(undefined));
    root.addEventListener('focusin', (e) => {
      const n = neuronAt(e.target);
      if (n !== undefined) this.setFocused(n);
    });
    root.addEventListener('focusout', () => {
      if (!this.redrawing) this.setFocused(undefined);
    });
    root.addEventListener('click', (e) => this.click(e));
    root.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      const hit = editTarget(e.target);
      if (hit === undefined) return;
      e.preventDefault();
      const r = hit.getBoundingClientRect();
      this.openEditor(
        refOf(hit),
        r.left + r.width / 2 + window.scrollX,
        r.top + r.height / 2 + window.scrollY,
        sameInNextDrawing(hit),
      );
    });
  }

  /** The neuron the output panel shows: the one pointed at, else the focused one. */
  get shown(): NeuronRef | undefined {
    return this.hovered ?? this.focused;
  }

  /** Call around each redraw of the root: keeps keyboard focus on the same neuron or weight. */
  redraw(draw: () => void): void {
    const active = document.activeElement;
    const again = this.root.contains(active) ? sameInNextDrawing(active) : undefined;
    this.redrawing = true;
    try {
      draw();
      if (again !== undefined)
        this.root.querySelector<SVGElement>(again)?.focus({ preventScroll: true });
    } finally {
      this.redrawing = false;
    }
    const h = this.hovered;
    if (h !== undefined)
      this.root
        .querySelector(`g.neuron[data-layer="${h.layer}"][data-index="${h.index}"]`)
        ?.classList.add('hovered');
  }

  private setHovered(n: NeuronRef | undefined): void {
    if (same(n, this.hovered)) return;
    this.hovered = n;
    for (const g of this.root.querySelectorAll('g.neuron.hovered')) g.classList.remove('hovered');
    if (n !== undefined)
      this.root
        .querySelector(`g.neuron[data-layer="${n.layer}"][data-index="${n.index}"]`)
        ?.classList.add('hovered');
    this.actions.focus(this.shown);
  }

  private setFocused(n: NeuronRef | undefined): void {
    if (same(n, this.focused)) return;
    this.focused = n;
    this.actions.focus(this.shown);
  }

  private click(e: MouseEvent): void {
    const hit = editTarget(e.target);
    if (hit !== undefined) this.openEditor(refOf(hit), e.pageX, e.pageY);
  }

  /**
   * A small box with the current value at (x, y) of the page: Enter sets it, Escape cancels. Opened
   * from the keyboard, the focus goes back to the weight (`returnTo`, a selector in the root).
   */
  openEditor(ref: ParameterRef, x: number, y: number, returnTo?: string): void {
    this.closeEditor();
    const sizes = Array.from({ length: this.layerCount() + 1 }, () => 0);
    const to = neuronName(sizes, { layer: ref.layer + 1, index: ref.to });
    const what =
      ref.from === undefined
        ? `bias of ${to}`
        : `weight from ${neuronName(sizes, { layer: ref.layer, index: ref.from })} to ${to}`;
    const form = document.createElement('form');
    form.className = 'weight-editor';
    form.style.left = `${Math.round(x + 8)}px`;
    form.style.top = `${Math.round(y - 16)}px`;
    const label = document.createElement('label');
    label.textContent = `${ref.from === undefined ? 'b' : 'w'} = `;
    const input = document.createElement('input');
    input.type = 'number';
    input.step = 'any';
    input.id = 'weight-editor-value';
    input.value = String(Number(getParameter(this.actions.model(), ref).toPrecision(4)));
    input.setAttribute('aria-label', `${what}: type a value, Enter to set, Escape to cancel`);
    input.title = `${what}: Enter sets it, Escape cancels`;
    label.append(input);
    form.append(label);
    form.dataset.layer = String(ref.layer);
    form.dataset.to = String(ref.to);
    if (ref.from !== undefined) form.dataset.from = String(ref.from);
    const back = (): void => {
      if (returnTo !== undefined)
        this.root.querySelector<SVGElement>(returnTo)?.focus({ preventScroll: true });
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(value)) {
        input.setCustomValidity('a number, e.g. 0.5 or -1.2');
        input.reportValidity();
        return;
      }
      this.closeEditor();
      this.actions.edit(ref, value);
      back();
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.closeEditor();
        back();
      }
    });
    input.addEventListener('input', () => input.setCustomValidity(''));
    input.addEventListener('blur', () => {
      if (this.editor === form) this.closeEditor();
    });
    document.body.append(form);
    this.editor = form;
    input.focus();
    input.select();
  }

  private closeEditor(): void {
    const form = this.editor;
    this.editor = undefined;
    form?.remove();
  }

  private layerCount(): number {
    return layersOf(this.actions.model()).filter((l) => l instanceof Linear).length;
  }
}

/** The weight line or bias square an event's target is, if any. */
function editTarget(target: EventTarget | null): SVGElement | undefined {
  const hit = (target as Element | null)?.closest?.(EDIT_TARGET) as SVGElement | null | undefined;
  return hit ?? undefined;
}

/** The parameter a weight line or bias square stands for. */
function refOf(hit: SVGElement): ParameterRef {
  const num = (a: string): number | undefined =>
    hit.dataset[a] === undefined ? undefined : Number(hit.dataset[a]);
  return { layer: num('layer')!, to: num('to')!, from: num('from') };
}

/** The neuron an event's target lies in, if any. */
function neuronAt(target: EventTarget | null): NeuronRef | undefined {
  const g = (target as Element | null)?.closest?.('g.neuron') as SVGGElement | null | undefined;
  if (g === null || g === undefined) return undefined;
  return { layer: Number(g.dataset.layer), index: Number(g.dataset.index) };
}

const same = (a: NeuronRef | undefined, b: NeuronRef | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.layer === b.layer && a.index === b.index);
