/**
 * The backprop inspector: one training example's backward pass. By default at the lectures' level
 * (lecture.ts: per layer s⁽ˡ⁾, o⁽ˡ⁾, δ⁽ˡ⁾ and G⁽ˡ⁾ as heat strips, numbers from lecture-math.ts);
 * behind a toggle, every operation of the graph autograd walks (backprop-full.ts). The lecture view
 * follows training live; the full graph is a snapshot and says so once training has moved on.
 */
import type { Module } from 'nabla';
import type { Settings } from '../settings.js';
import { OperationsView } from './backprop-full.js';
import type { InspectedPoint } from './backprop-tables.js';
import { el } from './dom.js';
import { LectureView } from './lecture.js';
import { lectureBackprop } from './lecture-math.js';
import './backprop.css';

export type { InspectedPoint } from './backprop-tables.js';

/** What the inspector looks at: the page's model (its newest weights), the settings, the point. */
export interface Inspected {
  model: Module;
  settings: Settings;
  point: InspectedPoint;
  /** The training step of the weights. */
  step: number;
}

export class BackpropView {
  private readonly lecture = new LectureView();
  private readonly full: OperationsView;
  private readonly fullBox: HTMLElement;
  private readonly content: HTMLElement;
  private readonly about: HTMLElement;
  private readonly live: HTMLElement;
  private readonly stale: HTMLElement;
  private readonly toggle: HTMLInputElement;
  private current?: Inspected;
  /** The training step the full graph was drawn at (undefined: not drawn for this point). */
  private fullStep?: number;

  /** `onPick` chooses a point with a visible gradient and inspects it. */
  constructor(root: HTMLElement, onPick: () => void) {
    root.classList.add('bp');
    const pick = el(
      'button',
      {
        id: 'backprop-pick',
        type: 'button',
        title: 'Inspect the training point nearest the boundary: misclassified or low margin',
      },
      'Pick a point to inspect',
    );
    pick.addEventListener('click', onPick);
    this.toggle = el('input', { id: 'backprop-full-toggle', type: 'checkbox' });
    this.toggle.addEventListener('change', () => this.showFull(this.toggle.checked));
    this.about = el('span', { class: 'bp-about' });
    this.live = el('span', { id: 'backprop-live', class: 'bp-live', 'aria-live': 'polite' });
    const refresh = el('button', { type: 'button', id: 'backprop-refresh' }, '↻ Refresh');
    refresh.addEventListener('click', () => this.drawFull());
    this.stale = el(
      'p',
      { id: 'backprop-stale', class: 'bp-note', hidden: '' },
      el('span', {}),
      ' ',
      refresh,
    );
    const fullRoot = el('div', {});
    this.full = new OperationsView(fullRoot);
    this.fullBox = el('div', { id: 'backprop-full', hidden: '' }, this.stale, fullRoot);
    this.content = el(
      'div',
      { hidden: '' },
      el(
        'div',
        { class: 'bp-head' },
        this.about,
        this.live,
        el(
          'label',
          { class: 'bp-toggle', title: 'The full computational graph, one operation per step' },
          this.toggle,
          ' show every operation',
        ),
      ),
      this.lecture.element,
      this.fullBox,
    );
    root.append(el('div', { class: 'bp-pickbar' }, pick), this.content);
  }

  /** Inspects a new point: the lecture view now, the full graph when it is shown. */
  show(x: Inspected, onError: (message: string) => void): void {
    this.current = x;
    this.fullStep = undefined;
    this.content.hidden = false;
    try {
      this.follow(x);
    } catch (e) {
      onError(`backprop view: ${(e as Error).message}`);
    }
    if (this.toggle.checked) this.drawFull();
  }

  /**
   * New weights for the same point: the lecture view is recomputed (cheap: one example through a
   * few small layers); the full graph, when shown, says that it is a snapshot of an earlier step.
   */
  follow(x: Inspected | undefined): void {
    if (this.current === undefined || x === undefined) return;
    this.current = x;
    const { settings, point } = x;
    const d = lectureBackprop(x.model, settings, point.features, point.label);
    this.lecture.update(d);
    const [px, py] = point.raw.map((v) => v.toFixed(2));
    const label =
      settings.mode === 'regression' ? `target ${point.label.toFixed(2)}` : `class ${point.label}`;
    this.about.textContent = `Point (${px}, ${py}), ${label}.`;
    this.live.textContent = `Live: weights of training step ${x.step}.`;
    this.live.dataset.step = String(x.step);
    this.markStale();
  }

  /** Removes the inspection (new data or network). */
  clear(): void {
    this.current = undefined;
    this.fullStep = undefined;
    this.content.hidden = true;
    this.full.clear();
  }

  private showFull(on: boolean): void {
    this.fullBox.hidden = !on;
    this.lecture.element.hidden = on;
    if (on && this.fullStep === undefined) this.drawFull();
    this.markStale();
  }

  private drawFull(): void {
    const x = this.current;
    if (x === undefined) return;
    this.fullStep = x.step;
    this.markStale();
    this.full.show(x.model, x.settings, x.point).catch((e: unknown) => {
      this.stale.hidden = false;
      this.stale.firstChild!.textContent = `The full graph failed: ${(e as Error).message}`;
    });
  }

  /** The full graph's notice: a snapshot of an earlier training step, with a refresh. */
  private markStale(): void {
    const x = this.current;
    const stale = x !== undefined && this.fullStep !== undefined && this.fullStep !== x.step;
    this.stale.hidden = !stale || this.fullBox.hidden;
    if (stale)
      this.stale.firstChild!.textContent = `Stale: this graph is a snapshot of training step ${this.fullStep}; training is now at step ${x.step}.`;
  }
}
