/**
 * The backprop view: one training example's loss through the current network, as nabla traces
 * and explains it. The computational graph (toDot → renderSvg) with every forward value and,
 * as the walk reaches them, the gradients; a Step-back button that walks the backward pass one
 * operation at a time, highlighting it and showing "upstream × local = downstream" in numbers
 * (explainBackward); each layer's δ and G = δ·oᵀ (explainMlp); and every weight gradient.
 */
import {
  explainBackward,
  explainMlp,
  explainMlpText,
  formatNumber,
  renderSvg,
  tensor,
  toDot,
  trace,
  type Explanation,
  type MlpExplanation,
  type Module,
  type Tensor,
  type Trace,
} from 'nabla';
import { lossOf } from '../model.js';
import { FEATURE_LABELS, LOSS_LABELS, type Settings } from '../settings.js';
import { inputFeatures } from '../trainer.js';
import {
  backpropSteps,
  compact,
  explainedNames,
  layerMark,
  lectureNames,
  walkState,
  type BackpropStep,
} from './backprop-steps.js';
import './backprop.css';

/** The training point the view explains: the network's inputs, its label, its coordinates. */
export interface InspectedPoint {
  features: number[];
  label: number;
  raw: [number, number];
}

type Child = Node | string | null | undefined | false;

/** A DOM element with attributes and children. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

const data = (t: Tensor | undefined): number[] => (t === undefined ? [] : Array.from(t.data));

/** A background tint for a number: blue for positive, red for negative, stronger when larger. */
function tint(v: number, scale: number): string {
  if (!(scale > 0) || !Number.isFinite(v)) return '';
  const a = Math.min(1, Math.abs(v) / scale) * 0.45;
  return v >= 0 ? `rgba(47, 111, 219, ${a.toFixed(3)})` : `rgba(192, 57, 43, ${a.toFixed(3)})`;
}

const maxAbs = (v: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < v.length; i++) if (Math.abs(v[i]) > m) m = Math.abs(v[i]);
  return m;
};

/**
 * A small matrix as a table: `rows × cols` values, a header per row and per column, every cell
 * tinted by its sign and size.
 */
function matrixTable(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  rowLabel: (i: number) => string,
  colLabel: (j: number) => string,
  caption: string,
): HTMLTableElement {
  const scale = maxAbs(values);
  const head = el('tr', {}, el('th', { scope: 'col' }, ''));
  for (let j = 0; j < cols; j++) head.append(el('th', { scope: 'col' }, colLabel(j)));
  const table = el(
    'table',
    { class: 'bp-matrix' },
    el('caption', {}, caption),
    el('thead', {}, head),
  );
  const body = el('tbody');
  for (let i = 0; i < rows; i++) {
    const tr = el('tr', {}, el('th', { scope: 'row' }, rowLabel(i)));
    for (let j = 0; j < cols; j++) {
      const v = values[i * cols + j];
      const td = el('td', { title: String(v) }, formatNumber(v));
      td.style.background = tint(v, scale);
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  return table;
}

export class BackpropView {
  private readonly root: HTMLElement;
  private readonly content: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly status: HTMLElement;
  private readonly graph: HTMLElement;
  private readonly stepList: HTMLOListElement;
  private readonly nodes: HTMLElement;
  private readonly deltas: HTMLElement;
  private readonly grads: HTMLElement;
  private readonly back: HTMLButtonElement;
  private readonly forward: HTMLButtonElement;
  private readonly all: HTMLButtonElement;
  private readonly counter: HTMLElement;
  private explanation?: Explanation;
  private steps: BackpropStep[] = [];
  private position = 0;
  private showAll = false;
  /** Increases with each show/clear, so that a slow render of an older point is dropped. */
  private token = 0;

  constructor(root: HTMLElement) {
    this.root = root;
    root.classList.add('bp');
    this.back = el(
      'button',
      {
        id: 'backprop-back',
        type: 'button',
        title: 'Pass the gradient one operation further back, toward the inputs',
      },
      '◀ Step back',
    );
    this.forward = el(
      'button',
      { id: 'backprop-forward', type: 'button', title: 'Undo the last backward step' },
      'Step forward ▶',
    );
    this.all = el(
      'button',
      {
        id: 'backprop-all',
        type: 'button',
        'aria-pressed': 'false',
        title: 'Show every gradient and every step at once',
      },
      'Show all',
    );
    this.counter = el('span', { class: 'bp-counter' });
    this.back.addEventListener('click', () => this.go(this.position + 1));
    this.forward.addEventListener('click', () => this.go(this.position - 1));
    this.all.addEventListener('click', () => {
      this.showAll = !this.showAll;
      this.paint();
    });
    this.summary = el('div', { class: 'bp-summary' });
    this.status = el('div', { id: 'backprop-step', class: 'bp-status', 'aria-live': 'polite' });
    this.graph = el('div', { class: 'bp-svg', tabindex: '0' });
    const fit = el(
      'button',
      { type: 'button', class: 'bp-fit-toggle', 'aria-pressed': 'false' },
      'Fit the whole graph',
    );
    fit.addEventListener('click', () => {
      const on = this.graph.classList.toggle('bp-fit');
      fit.setAttribute('aria-pressed', String(on));
      fit.textContent = on ? 'Actual size' : 'Fit the whole graph';
    });
    this.stepList = el('ol', { class: 'bp-steps', start: '0' });
    this.nodes = el('div', { class: 'bp-scroll' });
    this.deltas = el('div', { class: 'bp-deltas' });
    this.grads = el('div', { class: 'bp-scroll bp-grads' });
    this.content = el(
      'div',
      { class: 'bp-content', hidden: '' },
      this.summary,
      el('div', { class: 'bp-controls' }, this.back, this.forward, this.all, this.counter),
      this.status,
      el(
        'div',
        { class: 'bp-layout' },
        el(
          'figure',
          { class: 'bp-graph' },
          fit,
          this.graph,
          el(
            'figcaption',
            { class: 'bp-caption' },
            'The computational graph of this example’s loss L, inputs first. Shaded boxes are operations, with their shape and ',
            el('b', {}, 'forward value'),
            '; plain boxes are the weights and biases. The black text on an arrow is the shape of the value it carries; the ',
            el('span', { class: 'bp-red' }, 'red numbers'),
            ' are its ',
            el('b', {}, 'gradient ∂L/∂(value)'),
            ', shown once the backward pass has reached it. The highlighted box is the operation the walk is at; red arrows carry the gradients it sends back.',
          ),
        ),
        el(
          'section',
          { class: 'bp-steplist' },
          el('h3', {}, 'Backward pass, step by step'),
          el(
            'p',
            { class: 'bp-caption' },
            'From the loss back to the weights: click a step to go to it.',
          ),
          this.stepList,
        ),
      ),
      el(
        'section',
        {},
        el('h3', {}, 'Every node: forward value and gradient'),
        el(
          'p',
          { class: 'bp-caption' },
          'Forward value: what the node computed for this example. Gradient ∂L/∂node: how much the loss changes per unit change of it (— where none is needed).',
        ),
        this.nodes,
      ),
      el(
        'section',
        {},
        el('h3', {}, 'Layer by layer: δ and the weight gradient G = δ·oᵀ'),
        this.deltas,
      ),
      el(
        'section',
        {},
        el('h3', {}, 'Weight gradients of this example'),
        el(
          'p',
          { class: 'bp-caption' },
          'Every parameter’s ∂L/∂parameter, as autograd computed it: row i is neuron i of the layer, column j its input j. Blue: positive (gradient descent lowers the weight), red: negative.',
        ),
        this.grads,
      ),
    );
    root.append(this.content);
  }

  /** Explains `point` through `model` (in eval mode: no dropout) under `settings`. */
  async show(model: Module, settings: Settings, point: InspectedPoint): Promise<void> {
    const token = ++this.token;
    const wasTraining = model.training;
    model.eval();
    let e: Explanation;
    let mlpView: MlpExplanation | string;
    let x: Tensor;
    let y: Tensor;
    try {
      x = tensor([point.features], { name: 'x' });
      y =
        settings.mode === 'regression'
          ? tensor([point.label], { name: 'y' })
          : tensor([point.label], { dtype: 'int32', name: 'y' });
      // The loss with its graph, before any backward: the trace holds every node's gradient.
      const loss = lossOf(settings, model.call(x), y);
      const t0 = trace(loss, { gradients: false });
      const names = new Map<Tensor, string>();
      for (const [id, name] of lectureNames(t0)) names.set(t0.tensors.get(id)!, name);
      e = explainBackward(loss, { names });
      mlpView = this.layerExplanation(model, settings, x, y);
    } finally {
      model.train(wasTraining);
    }
    this.explanation = e;
    this.steps = backpropSteps(e);
    this.position = 0;
    this.showAll = false;
    this.renderSummary(settings, point, e);
    this.renderStepList();
    this.renderNodes(e);
    this.renderDeltas(mlpView, e, settings);
    this.renderGrads(model, e);
    this.graph.replaceChildren(el('p', { class: 'bp-caption' }, 'Drawing the graph…'));
    this.content.hidden = false;
    this.paint();
    let svg: string;
    try {
      svg = await renderSvg(toDot(this.graphTrace(e), { rankdir: 'LR' }));
    } catch (err) {
      if (token === this.token)
        this.graph.replaceChildren(
          el('p', { class: 'bp-error' }, `The graph could not be drawn: ${(err as Error).message}`),
        );
      return;
    }
    if (token !== this.token) return;
    this.graph.innerHTML = svg;
    this.graph.querySelector('svg')?.setAttribute('aria-label', 'computational graph of the loss');
    this.paint();
    this.scrollGraphTo(this.steps[this.position].nodeId, 'auto');
  }

  /** Removes the explanation. */
  clear(): void {
    this.token++;
    this.explanation = undefined;
    this.steps = [];
    this.content.hidden = true;
    for (const part of [
      this.summary,
      this.status,
      this.graph,
      this.stepList,
      this.nodes,
      this.deltas,
      this.grads,
    ])
      part.replaceChildren();
  }

  /** explainMlp's layer view, or why it does not apply. */
  private layerExplanation(
    model: Module,
    s: Settings,
    x: Tensor,
    y: Tensor,
  ): MlpExplanation | string {
    if (s.mode === 'classification' && s.loss === 'mse')
      return 'The lectures’ output formula for δ⁽ᴸ⁾ takes the squared error of the network’s outputs; here it is taken of softmax(s⁽ᴸ⁾), so each δ⁽ˡ⁾ = ∂L/∂s⁽ˡ⁾ below is read from the graph (autograd). The recursion between layers is the same.';
    try {
      return explainMlp(model, x, y, { loss: s.mode === 'regression' ? 'mse' : 'crossEntropy' });
    } catch (err) {
      return `The layer view does not apply to this network: ${(err as Error).message}`;
    }
  }

  /** The trace as the picture shows it: the lectures' names on the nodes. */
  private graphTrace(e: Explanation): Trace {
    const names = explainedNames(e);
    return {
      ...e.trace,
      nodes: e.trace.nodes.map((n) => {
        const name = names.get(n.id);
        if (name === undefined) return n;
        if (n.kind === 'parameter' && n.name !== undefined && n.name !== name)
          return { ...n, name: `${name} (${n.name})` };
        return { ...n, name };
      }),
    };
  }

  private go(position: number): void {
    if (this.steps.length === 0) return;
    this.position = Math.max(0, Math.min(this.steps.length - 1, position));
    this.paint();
    const current = this.stepList.children[this.position] as HTMLElement | undefined;
    current?.scrollIntoView({ block: 'nearest' });
    this.scrollGraphTo(this.steps[this.position].nodeId);
  }

  private renderSummary(s: Settings, point: InspectedPoint, e: Explanation): void {
    const features = inputFeatures(s);
    const inputs = features.map(
      (f, i) => `${FEATURE_LABELS[f]} = ${formatNumber(point.features[i])}`,
    );
    const logitsNode = [...e.trace.nodes].reverse().find((n) => n.op === 'linear');
    const logits = data(logitsNode === undefined ? undefined : e.trace.tensors.get(logitsNode.id));
    let output: string;
    let target: string;
    if (s.mode === 'regression') {
      output = `network output ${formatNumber(logits[0] ?? NaN)}`;
      target = `target y = ${formatNumber(point.label)}`;
    } else {
      const top = Math.max(...logits);
      const exps = logits.map((v) => Math.exp(v - top));
      const total = exps.reduce((a, b) => a + b, 0);
      const p = exps.map((v) => v / total);
      const predicted = p.indexOf(Math.max(...p));
      output = `class probabilities softmax(s) = ${compact(p, [p.length])} (predicts class ${predicted})`;
      target = `label y = class ${point.label}`;
    }
    const notes: string[] = [
      'Dropout and jitter are off here (the network is in evaluation mode).',
    ];
    if (s.l2 > 0)
      notes.push(
        `Training also adds the L2 penalty λ/2·Σ‖W‖² (λ = ${formatNumber(s.l2)}), which adds λ·W to each weight gradient; it is not part of this example’s loss.`,
      );
    this.summary.replaceChildren(
      el(
        'p',
        {},
        el(
          'b',
          {},
          `Point (x₁, x₂) = (${formatNumber(point.raw[0])}, ${formatNumber(point.raw[1])})`,
        ),
        ` · inputs x: ${inputs.join(', ')} · ${target}`,
      ),
      el(
        'p',
        {},
        `Forward: ${output} · loss L = ${formatNumber(e.output.value[0])} (${s.mode === 'regression' ? 'squared error (o − y)²' : LOSS_LABELS[s.loss]})`,
      ),
      el('p', { class: 'bp-caption' }, notes.join(' ')),
    );
  }

  private renderStepList(): void {
    const n = this.steps.length - 1;
    this.stepList.replaceChildren(
      ...this.steps.map((s, k) => {
        const button = el(
          'button',
          { type: 'button', class: 'bp-step-title' },
          k === 0 ? `Start: ${s.title}, ∂L/∂L = 1` : `${s.title}`,
        );
        button.addEventListener('click', () => this.go(k));
        const details = el('div', { class: 'bp-step-details' });
        details.append(...this.stepLines(s, k, n));
        return el('li', { 'data-node': s.nodeId }, button, details);
      }),
    );
  }

  /** The lines of one step: upstream, fan-out, and for each input its local derivative and the product. */
  private stepLines(s: BackpropStep, k: number, n: number): HTMLElement[] {
    if (k === 0)
      return [
        el(
          'div',
          {},
          `The backward pass starts at the loss: ${s.upstreamName} = 1 (upstream gradient of the output). Press “Step back” to pass it to the operation that computed L; ${n} steps reach every weight.`,
        ),
      ];
    const lines: HTMLElement[] = [
      el(
        'div',
        { class: 'bp-upstream' },
        'upstream gradient ',
        el('b', {}, s.upstreamName),
        s.delta === undefined ? '' : ` (the layer’s δ: ${s.delta})`,
        ` = ${s.upstream}`,
      ),
    ];
    if (s.fanOut !== undefined)
      lines.push(el('div', { class: 'bp-fanout' }, `sum over paths: ${s.fanOut}`));
    for (const i of s.inputs) {
      lines.push(
        el(
          'div',
          { class: 'bp-eq' },
          el('span', { class: 'bp-to' }, `→ ${i.name}: `),
          'local derivative ',
          el('b', {}, i.formula),
          i.formula.endsWith(` = ${i.local}`) ? '' : ` = ${i.local}`,
          el('br'),
          el('span', { class: 'bp-relation' }, `${i.relation} = downstream`),
          ': ',
          el('span', { class: 'bp-numbers' }, i.equation),
        ),
      );
    }
    return lines;
  }

  private renderNodes(e: Explanation): void {
    const names = explainedNames(e);
    const rows = e.trace.nodes.map((n) => {
      const value = e.trace.tensors.get(n.id);
      const grad = e.trace.grads.get(n.id);
      const kind =
        n.kind === 'op' ? n.op! : n.kind === 'parameter' ? `parameter ${n.name ?? ''}` : n.kind;
      return el(
        'tr',
        { 'data-node': n.id },
        el(
          'th',
          { scope: 'row' },
          names.get(n.id) ?? n.name ?? (n.kind === 'constant' ? 'constant' : n.id),
        ),
        el('td', {}, kind),
        el('td', {}, `[${n.value.shape.join('×')}]`),
        el(
          'td',
          { class: 'bp-num' },
          value === undefined ? '' : compact(value.data, value.shape, 5),
        ),
        el(
          'td',
          { class: 'bp-num bp-red' },
          grad === undefined ? '—' : compact(grad.data, grad.shape, 5),
        ),
      );
    });
    this.nodes.replaceChildren(
      el(
        'table',
        { id: 'backprop-nodes', class: 'bp-table' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col' }, 'node'),
            el('th', { scope: 'col' }, 'operation'),
            el('th', { scope: 'col' }, 'shape'),
            el('th', { scope: 'col' }, 'forward value'),
            el('th', { scope: 'col' }, 'gradient ∂L/∂node'),
          ),
        ),
        el('tbody', {}, ...rows),
      ),
    );
  }

  private renderDeltas(view: MlpExplanation | string, e: Explanation, s: Settings): void {
    const parts: HTMLElement[] = [
      el(
        'p',
        { class: 'bp-caption' },
        'A layer computes s⁽ˡ⁾ = o⁽ˡ⁻¹⁾W⁽ˡ⁾ᵀ + b⁽ˡ⁾ and o⁽ˡ⁾ = θ(s⁽ˡ⁾) (o⁽⁰⁾ = x). Its sensitivity δ⁽ˡ⁾ = ∂L/∂s⁽ˡ⁾ is the gradient at s⁽ˡ⁾ in the graph; the lectures compute it backwards by δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀδ⁽ˡ⁺¹⁾) ⊙ θ′(s⁽ˡ⁾), and the weight gradient is the outer product G⁽ˡ⁾ = δ⁽ˡ⁾·o⁽ˡ⁻¹⁾ᵀ.',
      ),
    ];
    const neuron = (i: number): string => `neuron ${i + 1}`;
    if (typeof view === 'string') {
      parts.push(el('p', { class: 'bp-note' }, view));
      // δ of each layer from the graph: the gradient at each Linear node, and its weight gradient.
      const linears = e.trace.nodes.filter((n) => n.op === 'linear');
      linears.forEach((n, l) => {
        const d = e.trace.grads.get(n.id);
        const W = e.trace.grads.get(n.inputs[1]);
        const mark = layerMark(l + 1);
        if (d === undefined) return;
        const block = el('div', { class: 'bp-layer' }, el('h4', {}, `Layer ${l + 1}`));
        block.append(
          matrixTable(
            d.data,
            1,
            d.size,
            () => `δ${mark}`,
            neuron,
            `δ${mark} = ∂L/∂s${mark} (from the graph)`,
          ),
        );
        if (W !== undefined)
          block.append(
            matrixTable(
              W.data,
              W.shape[0],
              W.shape[1],
              neuron,
              (j) => (l === 0 ? `x${j + 1}` : `o${layerMark(l)}${j + 1}`),
              `G${mark} = δ${mark}·o${layerMark(l)}ᵀ = ∂L/∂W${mark}`,
            ),
          );
        parts.push(block);
      });
      this.deltas.replaceChildren(...parts);
      return;
    }
    const L = view.layers.length;
    for (let k = L - 1; k >= 0; k--) {
      const layer = view.layers[k];
      const l = layer.layer;
      const mark = layerMark(l);
      const prev = layerMark(l - 1);
      const formula =
        l === L
          ? view.loss === 'crossEntropy'
            ? `δ${mark} = softmax(s${mark}) − onehot(y)`
            : `δ${mark} = 2(o${mark} − y) ⊙ θ′(s${mark})`
          : `δ${mark} = (W${layerMark(l + 1)}ᵀδ${layerMark(l + 1)}) ⊙ θ′(s${mark})`;
      const o = k === 0 ? view.input : view.layers[k - 1].o;
      const block = el(
        'div',
        { class: 'bp-layer' },
        el('h4', {}, `Layer ${l}${l === L ? ' (output)' : ''} · θ = ${layer.activation}`),
      );
      if (l < L || view.loss === 'mse')
        block.append(
          matrixTable(
            layer.derivative.data,
            1,
            layer.derivative.size,
            () => `θ′(s${mark})`,
            neuron,
            `θ′(s${mark}): the activation’s slope at this example`,
          ),
        );
      block.append(
        matrixTable(layer.delta.data, 1, layer.delta.size, () => `δ${mark}`, neuron, formula),
      );
      block.append(
        matrixTable(
          o.data,
          1,
          o.size,
          () => (l === 1 ? 'x' : `o${prev}`),
          (j) => `${j + 1}`,
          l === 1 ? 'o⁽⁰⁾ = x, the layer’s input' : `o${prev}, the layer’s input`,
        ),
      );
      block.append(
        matrixTable(
          layer.G.data,
          layer.G.shape[0],
          layer.G.shape[1],
          neuron,
          (j) => (l === 1 ? `x${j + 1}` : `o${prev}${j + 1}`),
          `G${mark} = δ${mark}·o${prev}ᵀ (row i: δᵢ times the inputs)`,
        ),
        el(
          'p',
          { class: layer.maxDifference < 1e-5 ? 'bp-check' : 'bp-error' },
          layer.maxDifference < 1e-5
            ? `✓ G${mark} equals autograd’s ∂L/∂W${mark} (largest relative difference ${formatNumber(layer.maxDifference, 2)})`
            : `✗ G${mark} differs from autograd’s ∂L/∂W${mark} by ${formatNumber(layer.maxDifference, 2)}`,
        ),
      );
      parts.push(block);
    }
    parts.push(
      el(
        'details',
        {},
        el('summary', {}, 'The same as text (explainMlpText)'),
        el('pre', { class: 'bp-pre' }, explainMlpText(view)),
      ),
    );
    if (s.mode === 'regression')
      parts.push(
        el(
          'p',
          { class: 'bp-caption' },
          'In regression the output layer has no activation (θ is the identity, θ′ = 1).',
        ),
      );
    this.deltas.replaceChildren(...parts);
  }

  private renderGrads(model: Module, e: Explanation): void {
    const ids = new Map<Tensor, string>();
    for (const [id, t] of e.trace.tensors) ids.set(t, id);
    const names = explainedNames(e);
    const table = el('table', { id: 'backprop-grads', class: 'bp-table bp-gradtable' });
    for (const [name, p] of model.namedParameters()) {
      const id = ids.get(p);
      const g = id === undefined ? undefined : e.trace.grads.get(id);
      const values = g === undefined ? new Array<number>(p.size).fill(0) : data(g);
      const rows = p.ndim === 2 ? p.shape[0] : 1;
      const cols = p.ndim === 2 ? p.shape[1] : p.size;
      const lecture = id === undefined ? undefined : names.get(id);
      const body = el(
        'tbody',
        { 'data-param': name },
        el(
          'tr',
          {},
          el(
            'th',
            { colspan: String(cols + 1), scope: 'colgroup', class: 'bp-param' },
            `∂L/∂${lecture ?? name} — parameter ${name}, shape [${p.shape.join('×')}]`,
          ),
        ),
      );
      const scale = maxAbs(values);
      for (let i = 0; i < rows; i++) {
        const tr = el(
          'tr',
          {},
          el('th', { scope: 'row' }, p.ndim === 2 ? `neuron ${i + 1}` : 'bias'),
        );
        for (let j = 0; j < cols; j++) {
          const k = i * cols + j;
          const v = values[k];
          const td = el(
            'td',
            {
              'data-param': name,
              'data-index': String(k),
              'data-value': String(v),
              title: `${name}[${p.ndim === 2 ? `${i}, ${j}` : k}] gradient ${String(v)}`,
            },
            formatNumber(v),
          );
          td.style.background = tint(v, scale);
          tr.append(td);
        }
        body.append(tr);
      }
      table.append(body);
    }
    this.grads.replaceChildren(table);
  }

  /** Brings the status, the step list and the graph to the current position. */
  private paint(): void {
    const e = this.explanation;
    if (e === undefined || this.steps.length === 0) return;
    const n = this.steps.length - 1;
    const p = this.position;
    const step = this.steps[p];
    this.back.disabled = p >= n;
    this.forward.disabled = p <= 0;
    this.all.setAttribute('aria-pressed', String(this.showAll));
    this.all.textContent = this.showAll ? 'Hide the rest' : 'Show all';
    this.counter.textContent = p === 0 ? `start (0 of ${n} steps)` : `step ${p} of ${n}`;
    this.status.replaceChildren(
      el(
        'div',
        { class: 'bp-status-head' },
        p === 0 ? 'At the loss ' : `Step ${p} of ${n}: backward through `,
        el('b', {}, step.title),
      ),
      ...this.stepLines(step, p, n),
    );
    this.root.classList.toggle('bp-expanded', this.showAll);
    Array.from(this.stepList.children).forEach((li, k) => {
      li.classList.toggle('bp-current', k === p);
      li.classList.toggle('bp-done', k < p);
    });
    const state = walkState(this.steps, p, e.trace);
    for (const row of this.nodes.querySelectorAll<HTMLElement>('tr[data-node]')) {
      const id = row.dataset.node!;
      row.classList.toggle('bp-current', id === state.current);
      row.classList.toggle('bp-target', state.targets.includes(id));
    }
    const svg = this.graph.querySelector('svg');
    if (svg === null) return;
    for (const g of svg.querySelectorAll('g.node')) {
      const id = g.querySelector('title')?.textContent ?? '';
      g.classList.toggle('bp-current', id === state.current);
      g.classList.toggle('bp-target', state.targets.includes(id));
      g.classList.toggle('bp-done', state.done.has(id) && id !== state.current);
    }
    for (const g of svg.querySelectorAll('g.edge')) {
      const [from, to] = (g.querySelector('title')?.textContent ?? '').split('->');
      g.classList.toggle('bp-pending', !this.showAll && !state.known.has(from));
      g.classList.toggle(
        'bp-flow',
        (to === state.current && state.targets.includes(from)) ||
          (p === 0 && from === state.current),
      );
    }
  }

  /** Scrolls the graph so that the node is in view. */
  private scrollGraphTo(id: string, behavior: ScrollBehavior = 'smooth'): void {
    const svg = this.graph.querySelector('svg');
    if (svg === null) return;
    const node = [...svg.querySelectorAll('g.node')].find(
      (g) => g.querySelector('title')?.textContent === id,
    );
    if (node === undefined) return;
    const box = this.graph.getBoundingClientRect();
    const r = node.getBoundingClientRect();
    this.graph.scrollBy({
      left: r.left + r.width / 2 - (box.left + box.width / 2),
      top: r.top + r.height / 2 - (box.top + box.height / 2),
      behavior,
    });
  }
}
