/**
 * The key under the output view, in HTML (so that it reads at the page's text size): in
 * classification the colour bar of the heat map — the value each shade stands for — and the
 * points; in regression the fitted curve, or over the plane the diverging bar of ŷ, and the points.
 */
import { classColor, classPointColor, divergingColor } from 'nabla/viz';
import type { Settings } from '../settings.js';
import { el } from './dom.js';

const rgb = ([r, g, b]: readonly number[]): string => `rgb(${r}, ${g}, ${b})`;

/** A CSS gradient through `colors`, evenly spaced, left to right. */
const gradient = (colors: string[]): string => `linear-gradient(to right, ${colors.join(', ')})`;

/** Shades of a class from a toss-up (confidence 0) to certain (1). */
const shades = (k: number, from = 0): string[] =>
  Array.from({ length: 6 }, (_, i) => rgb(classColor(k, from + ((1 - from) * i) / 5)));

/** A swatch of a point's colour: filled (training) or hollow (test). */
const dot = (color: string, filled = true): HTMLElement =>
  el('span', {
    class: `dot${filled ? '' : ' hollow'}`,
    style: filled ? `background:${color};border-color:${color}` : `border-color:${color}`,
  });

/** The colour bar of two classes: P(class 1) from 0 (class 0, sure) through ½ to 1 (class 1, sure). */
function twoClassBar(discretize: boolean): HTMLElement {
  const colors = discretize
    ? [rgb(classColor(0, 1)), rgb(classColor(0, 1)), rgb(classColor(1, 1)), rgb(classColor(1, 1))]
    : [...shades(0).reverse(), ...shades(1).slice(1)];
  const bar = el('div', {
    class: 'colour-bar',
    role: 'img',
    'aria-label': 'colour bar: the probability of class 1 from 0 to 1',
    style: `background:${gradient(colors)}`,
  });
  const ticks = el(
    'div',
    { class: 'colour-ticks' },
    el('span', {}, '0'),
    el('span', {}, '0.5'),
    el('span', {}, '1'),
  );
  return el(
    'div',
    { class: 'colour-scale', 'data-classes': '2' },
    el('div', { class: 'colour-title' }, 'Heat map: P(class 1), the network’s output'),
    bar,
    ticks,
    el(
      'div',
      { class: 'colour-ends' },
      el('span', {}, '← class 0'),
      el('span', {}, discretize ? 'boundary' : 'unsure'),
      el('span', {}, 'class 1 →'),
    ),
  );
}

/** One bar per class: its shade from a toss-up among k classes (p = 1/k) to certain (p = 1). */
function manyClassBars(k: number, discretize: boolean): HTMLElement {
  const rows = Array.from({ length: k }, (_, c) =>
    el(
      'div',
      { class: 'colour-row' },
      el('span', { class: 'colour-name' }, `class ${c}`),
      el('div', {
        class: 'colour-bar',
        role: 'img',
        'aria-label': `colour bar of class ${c}: its probability from 1/${k} to 1`,
        style: `background:${discretize ? rgb(classColor(c, 1)) : gradient(shades(c))}`,
      }),
    ),
  );
  return el(
    'div',
    { class: 'colour-scale', 'data-classes': String(k) },
    el('div', { class: 'colour-title' }, 'Heat map: the likeliest class, by its probability p'),
    ...rows,
    el(
      'div',
      { class: 'colour-row' },
      el('span', { class: 'colour-name' }),
      el(
        'div',
        { class: 'colour-ticks' },
        el('span', {}, `p = 1/${k}`),
        el('span', {}, discretize ? '' : '(unsure)'),
        el('span', {}, 'p = 1'),
      ),
    ),
  );
}

/**
 * The colour bar of regression over the plane: the prediction ŷ (and each point's target y) from
 * −1 (orange) through 0 (white) to +1 (blue).
 */
function valueBar(): HTMLElement {
  const colors = Array.from({ length: 11 }, (_, i) => rgb(divergingColor(-1 + i / 5)));
  return el(
    'div',
    { class: 'colour-scale', 'data-scale': 'value' },
    el('div', { class: 'colour-title' }, 'Heat map: the prediction ŷ; points: their target y'),
    el('div', {
      class: 'colour-bar',
      role: 'img',
      'aria-label':
        'colour bar: the predicted value from −1 (orange) through 0 (white) to +1 (blue)',
      style: `background:${gradient(colors)}`,
    }),
    el(
      'div',
      { class: 'colour-ticks' },
      el('span', {}, '−1'),
      el('span', {}, '0'),
      el('span', {}, '+1'),
    ),
  );
}

/** The points' key: filled training points and hollow test points, in their class colours. */
function pointsKey(k: number, regression: boolean): HTMLElement {
  const color = regression ? '#333333' : classPointColor(0);
  const items = [
    el('span', { class: 'legend-entry', 'data-entry': 'training' }, dot(color), 'training point'),
    el('span', { class: 'legend-entry', 'data-entry': 'test' }, dot(color, false), 'test point'),
  ];
  if (!regression)
    items.push(
      el(
        'span',
        { class: 'legend-entry', 'data-entry': 'classes' },
        ...Array.from({ length: k }, (_, c) => dot(classPointColor(c))),
        `class 0 … ${k - 1}`,
      ),
    );
  return el('div', { class: 'legend-entries' }, ...items);
}

/**
 * Draws the key into `root` (once per change of what it shows): the colour bar in
 * classification, the curve's entry in regression, and the points'.
 */
export function renderOutputLegend(root: HTMLElement, s: Settings, classes: number): void {
  const regression = s.mode === 'regression';
  const key = `${s.mode}|${s.target}|${classes}|${s.discretize}`;
  if (root.dataset.key === key) return;
  root.dataset.key = key;
  const head = regression
    ? s.target !== 'curve'
      ? valueBar()
      : el(
          'div',
          { class: 'legend-entries' },
          el(
            'span',
            { class: 'legend-entry', 'data-entry': 'curve' },
            el('span', { class: 'line-sample', style: 'border-color:#4e79a7' }),
            'the network’s fit ŷ(x₁)',
          ),
        )
    : classes === 2
      ? twoClassBar(s.discretize)
      : manyClassBars(classes, s.discretize);
  root.replaceChildren(head, pointsKey(classes, regression));
}
