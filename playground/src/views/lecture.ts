/**
 * The inspector's default view: one example's backprop as the lectures draw it. A row per layer
 * with s⁽ˡ⁾ = W⁽ˡ⁾o⁽ˡ⁻¹⁾ + b⁽ˡ⁾ and o⁽ˡ⁾ = θ(s⁽ˡ⁾) going forward and δ⁽ˡ⁾, G⁽ˡ⁾ = δ⁽ˡ⁾o⁽ˡ⁻¹⁾ᵀ
 * coming back, the loss as one node with its δ⁽ᴸ⁾; every value a cell of a small heat strip
 * (one cell per neuron, colour by value, one legend for all), its exact number on hover, click or
 * focus. The step buttons walk the backward pass one layer at a time. The numbers come from
 * lecture-math.ts; this file only draws them, in place, so that it can follow training live.
 */
import { formatNumber } from 'nabla/viz';
import { el } from './dom.js';
import { layerMark } from './backprop-steps.js';
import type { LectureBackprop, LectureLayer } from './lecture-math.js';
import { THETA_TEXT, colour, matrix, maxAbs, quantity, sub, type Cells } from './lecture-cells.js';
import './lecture.css';

export class LectureView {
  readonly element: HTMLElement;
  /** How far the walk has come: 0 at the loss, L when every layer is done. */
  private position = 0;
  private layers = 0;
  private shape = '';
  private data?: LectureBackprop;
  private cells: Cells = new Map();
  private readonly body: HTMLElement;
  private readonly status: HTMLElement;
  private readonly readout: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly back: HTMLButtonElement;
  private readonly forward: HTMLButtonElement;
  private readonly counter: HTMLElement;

  constructor() {
    this.back = el(
      'button',
      {
        id: 'lecture-back',
        type: 'button',
        title: 'One step back: undo the last layer of the backward pass',
      },
      '◀ step back',
    );
    this.forward = el(
      'button',
      {
        id: 'lecture-forward',
        type: 'button',
        title: 'One step forward through the backward pass: the next layer toward the inputs',
      },
      'step forward ▶',
    );
    const start = el(
      'button',
      { type: 'button', title: 'Back to the start of the backward pass, at the loss' },
      '|◀ at the loss',
    );
    const end = el(
      'button',
      { type: 'button', title: 'Every layer of the backward pass at once' },
      'all layers ▶|',
    );
    this.back.addEventListener('click', () => this.go(this.position - 1));
    this.forward.addEventListener('click', () => this.go(this.position + 1));
    start.addEventListener('click', () => this.go(0));
    end.addEventListener('click', () => this.go(this.layers));
    this.counter = el('span', { id: 'lecture-counter', class: 'lp-counter' });
    this.status = el('div', { id: 'lecture-status', class: 'lp-status', 'aria-live': 'polite' });
    this.readout = el(
      'div',
      { id: 'lecture-readout', class: 'lp-readout', 'aria-live': 'polite' },
      'Hover, click or focus a cell for its exact value.',
    );
    this.legend = el('div', { class: 'lp-legend' });
    this.body = el('div', { id: 'backprop-grads', class: 'lp-body' });
    this.element = el(
      'div',
      { id: 'lecture', class: 'lp' },
      el(
        'div',
        { class: 'lp-controls' },
        start,
        this.back,
        this.forward,
        end,
        this.counter,
        this.legend,
      ),
      this.status,
      this.body,
      this.readout,
    );
    for (const type of ['mouseover', 'focusin', 'click'])
      this.body.addEventListener(type, (e) => {
        const cell = (e.target as HTMLElement).closest<HTMLElement>('.lp-cell');
        if (cell !== null) this.read(cell);
      });
  }

  /** Draws `d`: the same network redraws in place (the walk stays); another one starts at the loss. */
  update(d: LectureBackprop): void {
    const shape = [
      d.loss.kind,
      d.x.length,
      ...d.layers.map((l) => `${l.neurons}${l.theta}`),
    ].join();
    this.data = d;
    if (shape !== this.shape) {
      this.shape = shape;
      this.layers = d.layers.length;
      this.build(d);
      this.position = this.layers;
    }
    this.fill(d);
    this.paint();
  }

  /** Walks to `position` (0 … L). */
  go(position: number): void {
    this.position = Math.max(0, Math.min(this.layers, position));
    this.paint();
  }

  // ── building: the rows and their empty cells ─────────────────────────────────────────────────

  private build(d: LectureBackprop): void {
    this.cells = new Map();
    const L = d.layers.length;
    const rows: HTMLElement[] = [
      this.row(
        'input',
        'x',
        [
          quantity(
            this.cells,
            'x',
            'o⁽⁰⁾ = x, the input',
            d.x.length,
            false,
            (i) => `x${sub(i + 1)}`,
          ),
        ],
        [],
      ),
    ];
    for (const layer of d.layers) rows.push(this.layerRow(layer, L));
    rows.push(this.lossRow(d, L));
    this.body.replaceChildren(...rows);
  }

  private layerRow(layer: LectureLayer, L: number): HTMLElement {
    const l = layer.l;
    const m = layerMark(l);
    const prev = layerMark(l - 1);
    const theta = THETA_TEXT[layer.theta];
    const n = layer.neurons;
    const forward = [
      quantity(
        this.cells,
        `s${l}`,
        `s${m} = W${m}o${prev} + b${m}`,
        n,
        false,
        (i) => `s${m}${sub(i + 1)}`,
      ),
      quantity(
        this.cells,
        `o${l}`,
        theta === '' ? `o${m} = s${m} (the loss takes it)` : `o${m} = ${theta}(s${m})`,
        n,
        false,
        (i) => `o${m}${sub(i + 1)}`,
      ),
    ];
    const next = layerMark(l + 1);
    const deltaText = l === L ? `δ${m} from the loss` : `δ${m} = (W${next}ᵀδ${next}) ⊙ θ′(s${m})`;
    const delta = quantity(this.cells, `d${l}`, deltaText, n, true, (i) => `δ${m}${sub(i + 1)}`, {
      param: layer.biasName,
    });
    const G = matrix(this.cells, layer, `G${m} = δ${m}o${prev}ᵀ`);
    const name = el(
      'div',
      { class: 'lp-name' },
      el('b', {}, `layer ${l}`),
      el(
        'small',
        { title: 'the parameters’ names in the model' },
        `W${m} = ${layer.weightName}, b${m} = ${layer.biasName}`,
      ),
    );
    const row = this.row(`layer-${l}`, name, forward, [delta, G]);
    row.dataset.layer = String(l);
    return row;
  }

  private lossRow(d: LectureBackprop, L: number): HTMLElement {
    const C = d.loss.p.length;
    const m = layerMark(L);
    const regression = d.loss.kind === 'squared';
    const p = regression ? 'ŷ' : 'p';
    const forward = [
      quantity(
        this.cells,
        'p',
        d.loss.formula.replace('⁽ᴸ⁾', m),
        C,
        false,
        (i) => `${p}${sub(i + 1)}`,
      ),
      quantity(
        this.cells,
        'y',
        regression ? 'y, the target' : 'y, the label (one-hot)',
        C,
        false,
        (i) => `y${sub(i + 1)}`,
      ),
    ];
    const delta = quantity(
      this.cells,
      'dL',
      `${d.loss.deltaFormula.replace('⁽ᴸ⁾', m)} = ∂L/∂s${m}`,
      C,
      true,
      (i) => `δ${m}${sub(i + 1)}`,
    );
    const row = this.row(
      'loss',
      el('div', { class: 'lp-name' }, el('b', {}, 'loss L'), el('small', { class: 'lp-value' })),
      forward,
      [delta],
    );
    row.dataset.layer = 'loss';
    return row;
  }

  private row(
    key: string,
    name: HTMLElement | string,
    forward: HTMLElement[],
    backward: HTMLElement[],
  ): HTMLElement {
    return el(
      'div',
      { class: `lp-row lp-${key.startsWith('layer') ? 'layer' : key}` },
      typeof name === 'string' ? el('div', { class: 'lp-name' }, el('b', {}, name)) : name,
      el('div', { class: 'lp-fwd' }, ...forward),
      el('div', { class: 'lp-bwd' }, ...backward),
    );
  }

  // ── filling: numbers into the cells ──────────────────────────────────────────────────────────

  private fill(d: LectureBackprop): void {
    const values = new Map<string, ArrayLike<number>>([
      ['x', d.x],
      ['p', d.loss.p],
      ['y', d.loss.y],
      ['dL', d.layers[d.layers.length - 1].delta],
    ]);
    for (const l of d.layers) {
      values.set(`s${l.l}`, l.s);
      values.set(`o${l.l}`, l.o);
      values.set(`d${l.l}`, l.delta);
      values.set(`G${l.l}`, l.G);
    }
    const forwardScale = maxAbs(d.x, ...d.layers.flatMap((l) => [l.s, l.o]));
    const backwardScale = maxAbs(...d.layers.flatMap((l) => [l.delta, l.G]));
    for (const [key, cells] of this.cells) {
      const v = values.get(key)!;
      cells.forEach(({ cell, backward }, i) => {
        cell.dataset.value = String(v[i]);
        cell.style.background = colour(v[i], backward ? backwardScale : forwardScale);
        cell.setAttribute('aria-label', `${cell.dataset.name} = ${formatNumber(v[i])}`);
      });
    }
    const lossValue = this.body.querySelector('.lp-loss .lp-value');
    if (lossValue !== null) lossValue.textContent = `L = ${formatNumber(d.loss.value)}`;
    this.legend.replaceChildren(
      el('span', { class: 'lp-legend-bar', 'aria-hidden': 'true' }),
      el(
        'span',
        {},
        `forward values −${formatNumber(forwardScale, 2)} … +${formatNumber(forwardScale, 2)}; `,
        `gradients −${formatNumber(backwardScale, 2)} … +${formatNumber(backwardScale, 2)}`,
      ),
    );
    // the readout follows the value it shows
    const shown = this.readout.dataset.name;
    if (shown !== undefined) {
      const cell = [...this.body.querySelectorAll<HTMLElement>('.lp-cell')].find(
        (c) => c.dataset.name === shown,
      );
      if (cell !== undefined) this.read(cell);
    }
  }

  private read(cell: HTMLElement): void {
    const v = Number(cell.dataset.value);
    const name = cell.dataset.name ?? '';
    const pending = cell.closest('.lp-pending') !== null;
    this.readout.dataset.name = name;
    const param = cell.dataset.param === undefined ? '' : ` (${cell.dataset.param})`;
    const meaning = name.startsWith('δ')
      ? ` = ${name.replace('δ', '∂L/∂s')} = ${name.replace('δ', '∂L/∂b')}${param}`
      : name.startsWith('G')
        ? ` = ${name.replace('G', '∂L/∂W')}${param}`
        : '';
    this.readout.textContent = pending
      ? `${name}: not reached yet — step forward through the backward pass to it.`
      : `${name} = ${String(v)}${meaning}`;
  }

  // ── the walk ────────────────────────────────────────────────────────────────────────────────

  /** Which layer's δ and G are known at the current position; the current row; the status. */
  private paint(): void {
    const d = this.data;
    if (d === undefined) return;
    const L = this.layers;
    const p = this.position;
    const current = p === 0 ? 'loss' : String(L - p + 1);
    for (const row of this.body.querySelectorAll<HTMLElement>('.lp-row')) {
      const layer = row.dataset.layer;
      row.classList.toggle('lp-current', layer === current);
      if (layer === undefined || layer === 'loss') continue;
      const l = Number(layer);
      const reached = p >= L - l + 1;
      for (const q of row.querySelectorAll<HTMLElement>('.lp-back')) {
        const deltaOfLast = q.dataset.q === `d${L}` && p >= 0;
        q.classList.toggle('lp-pending', !(reached || deltaOfLast));
      }
    }
    this.back.disabled = p <= 0;
    this.forward.disabled = p >= L;
    this.counter.textContent = `step ${p} of ${L}`;
    this.counter.dataset.position = String(p);
    this.status.replaceChildren(...this.statusText(d, p));
  }

  private statusText(d: LectureBackprop, p: number): (HTMLElement | string)[] {
    const L = this.layers;
    const mL = layerMark(L);
    if (p === 0)
      return [
        el('b', {}, 'At the loss. '),
        `L = ${formatNumber(d.loss.value)}; its δ${mL} = ∂L/∂s${mL}: `,
        el('b', {}, d.loss.deltaFormula.replace('⁽ᴸ⁾', mL)),
        '. Step forward ▶ to pass it back, one layer per step.',
      ];
    const l = L - p + 1;
    const m = layerMark(l);
    const prev = layerMark(l - 1);
    const next = layerMark(l + 1);
    const lines: (HTMLElement | string)[] = [el('b', {}, `Layer ${l}: `)];
    if (l < L) lines.push(el('b', {}, `δ${m} = (W${next}ᵀδ${next}) ⊙ θ′(s${m})`), ' — ');
    else lines.push(`δ${m} came from the loss; `);
    lines.push(
      el('b', {}, `G${m} = δ${m}o${prev}ᵀ`),
      ` = ∂L/∂W${m}, and ∂L/∂b${m} = δ${m}.`,
      l > 1 ? ' Step forward ▶ for the layer below.' : ' The backward pass has reached the input.',
    );
    return lines;
  }
}
