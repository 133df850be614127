/**
 * The cells of the lecture view (lecture.ts): heat strips of one cell per neuron and the small heat
 * matrix of G⁽ˡ⁾, each cell named (`δ⁽²⁾₃`, `G⁽¹⁾₂,₁`) and registered under its quantity, to be
 * coloured by value; and the colour scale they share.
 */
import { el } from './dom.js';
import { layerMark } from './backprop-steps.js';
import type { LectureLayer, Theta } from './lecture-math.js';

const SUB = '₀₁₂₃₄₅₆₇₈₉';
export const sub = (n: number): string => [...String(n)].map((d) => SUB[Number(d)]).join('');

export const THETA_TEXT: Record<Theta, string> = {
  tanh: 'tanh',
  relu: 'ReLU',
  sigmoid: 'σ',
  step: 'step',
  identity: '',
};

/** One drawn value: its cell, what to call it, and which scale colours it. */
export interface Cell {
  cell: HTMLElement;
  backward: boolean;
}

/** The cells of one quantity (s⁽¹⁾, δ⁽²⁾, G⁽²⁾, …), to fill from the numbers. */
export type Cells = Map<string, Cell[]>;

/** Blue for positive, orange for negative (as in the rest of the playground), stronger when larger. */
export function colour(v: number, scale: number): string {
  if (!(scale > 0) || !Number.isFinite(v)) return 'transparent';
  const a = Math.min(1, Math.abs(v) / scale);
  return v >= 0 ? `rgba(23, 99, 196, ${a.toFixed(3)})` : `rgba(232, 121, 21, ${a.toFixed(3)})`;
}

export function maxAbs(...arrays: ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** A labelled heat strip of `n` cells, registered under `key`. */
export function quantity(
  all: Cells,
  key: string,
  text: string,
  n: number,
  backward: boolean,
  name: (i: number) => string,
  grad?: { param: string },
): HTMLElement {
  const strip = el('div', { class: 'lp-strip', role: 'group', 'aria-label': text });
  const cells: Cell[] = [];
  for (let i = 0; i < n; i++) {
    const cell = el('span', { class: 'lp-cell', tabindex: '0', 'data-name': name(i) });
    if (grad !== undefined) {
      cell.dataset.param = grad.param;
      cell.dataset.index = String(i);
    }
    strip.append(cell);
    cells.push({ cell, backward });
  }
  all.set(key, cells);
  return el(
    'div',
    { class: `lp-q${backward ? ' lp-back' : ''}`, 'data-q': key },
    el('div', { class: 'lp-eq' }, text),
    strip,
  );
}

/** G⁽ˡ⁾ as a small heat matrix: row i is neuron i, column j input j. */
export function matrix(all: Cells, layer: LectureLayer, text: string): HTMLElement {
  const m = layerMark(layer.l);
  const grid = el('div', {
    class: 'lp-matrix',
    role: 'group',
    'aria-label': `${text}, ${layer.neurons} × ${layer.inputs}`,
  });
  grid.style.gridTemplateColumns = `repeat(${layer.inputs}, var(--lp-g))`;
  const cells: Cell[] = [];
  for (let i = 0; i < layer.neurons; i++)
    for (let j = 0; j < layer.inputs; j++) {
      const cell = el('span', {
        class: 'lp-cell',
        tabindex: '0',
        'data-name': `G${m}${sub(i + 1)},${sub(j + 1)}`,
        'data-param': layer.weightName,
        'data-index': String(i * layer.inputs + j),
      });
      grid.append(cell);
      cells.push({ cell, backward: true });
    }
  all.set(`G${layer.l}`, cells);
  return el(
    'div',
    { class: 'lp-q lp-back', 'data-q': `G${layer.l}` },
    el('div', { class: 'lp-eq' }, text),
    grid,
  );
}
