/**
 * The backprop view's panels that are drawn once per example and stay as they are during the
 * walk: the summary of the example, every node's forward value and gradient, each layer's δ and
 * G = δ·oᵀ, and the table of weight gradients.
 */
import { type Module, type Tensor } from 'nabla';
import { explainMlpText, formatNumber, type Explanation, type MlpExplanation } from 'nabla/viz';
import { FEATURE_LABELS, LOSS_LABELS } from '../choices.js';
import type { Settings } from '../settings.js';
import { inputFeatures } from '../trainer.js';
import { compact, explainedNames, layerMark } from './backprop-steps.js';
import { el } from './dom.js';

/** The training point the view explains: the network's inputs, its label, its coordinates. */
export interface InspectedPoint {
  features: number[];
  label: number;
  raw: [number, number];
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

/** What the example is: its point and inputs, the network's output, the loss, and what is off. */
export function summaryOf(s: Settings, point: InspectedPoint, e: Explanation): HTMLElement[] {
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
  const notes: string[] = ['Dropout and jitter are off here (the network is in evaluation mode).'];
  if (s.l2 > 0)
    notes.push(
      `Training also adds the L2 penalty λ/2·Σ‖W‖² (λ = ${formatNumber(s.l2)}), which adds λ·W to each weight gradient; it is not part of this example’s loss.`,
    );
  return [
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
  ];
}

/** Every node of the graph: its name, operation, shape, forward value and gradient. */
export function nodesTable(e: Explanation): HTMLTableElement {
  const names = explainedNames(e);
  const rows = e.trace.nodes.map((n) => {
    const value = e.trace.tensors.get(n.id);
    const grad = e.trace.grads.get(n.id);
    const kind =
      n.kind === 'op'
        ? n.op!
        : n.kind === 'parameter'
          ? `parameter${n.name === undefined ? '' : ` (= ${n.name})`}`
          : n.kind;
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
      el('td', { class: 'bp-num' }, value === undefined ? '' : compact(value.data, value.shape, 5)),
      el(
        'td',
        { class: 'bp-num bp-red' },
        grad === undefined ? '—' : compact(grad.data, grad.shape, 5),
      ),
    );
  });
  return el(
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
  );
}

const neuron = (i: number): string => `neuron ${i + 1}`;

/**
 * Layer by layer, from the output back: θ′(s⁽ˡ⁾), δ⁽ˡ⁾, the layer's input and G⁽ˡ⁾ = δ⁽ˡ⁾·o⁽ˡ⁻¹⁾ᵀ
 * from explainMlp, checked against autograd; where the layer view does not apply (`view` says
 * why), each layer's δ and weight gradient as read from the graph.
 */
export function layerPanels(
  view: MlpExplanation | string,
  e: Explanation,
  s: Settings,
): HTMLElement[] {
  const intro = el(
    'p',
    { class: 'bp-caption' },
    'A layer computes s⁽ˡ⁾ = o⁽ˡ⁻¹⁾W⁽ˡ⁾ᵀ + b⁽ˡ⁾ and o⁽ˡ⁾ = θ(s⁽ˡ⁾) (o⁽⁰⁾ = x). Its sensitivity δ⁽ˡ⁾ = ∂L/∂s⁽ˡ⁾ is the gradient at s⁽ˡ⁾ in the graph; the lectures compute it backwards by δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀδ⁽ˡ⁺¹⁾) ⊙ θ′(s⁽ˡ⁾), and the weight gradient is the outer product G⁽ˡ⁾ = δ⁽ˡ⁾·o⁽ˡ⁻¹⁾ᵀ.',
  );
  if (typeof view === 'string')
    return [intro, el('p', { class: 'bp-note' }, view), ...graphLayerBlocks(e)];
  const blocks = view.layers.map((_, k) => mlpLayerBlock(view, k)).reverse();
  return [intro, ...blocks, ...mlpClosing(view, s)];
}

/** δ of each layer from the graph: the gradient at each Linear node, and its weight gradient. */
function graphLayerBlocks(e: Explanation): HTMLElement[] {
  const linears = e.trace.nodes.filter((n) => n.op === 'linear');
  return linears.flatMap((n, l) => {
    const d = e.trace.grads.get(n.id);
    const W = e.trace.grads.get(n.inputs[1]);
    if (d === undefined) return [];
    const mark = layerMark(l + 1);
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
    return [block];
  });
}

/** The lectures' formula of layer l's δ: at the output from the loss, else from the layer above. */
function deltaFormula(view: MlpExplanation, l: number): string {
  const mark = layerMark(l);
  if (l < view.layers.length)
    return `δ${mark} = (W${layerMark(l + 1)}ᵀδ${layerMark(l + 1)}) ⊙ θ′(s${mark})`;
  return view.loss === 'crossEntropy'
    ? `δ${mark} = softmax(s${mark}) − onehot(y)`
    : `δ${mark} = 2(o${mark} − y) ⊙ θ′(s${mark})`;
}

/** The k-th layer of explainMlp's view: θ′(s), δ, the layer's input, G, and G checked against autograd. */
function mlpLayerBlock(view: MlpExplanation, k: number): HTMLElement {
  const L = view.layers.length;
  const layer = view.layers[k];
  const l = layer.layer;
  const mark = layerMark(l);
  const prev = layerMark(l - 1);
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
    matrixTable(
      layer.delta.data,
      1,
      layer.delta.size,
      () => `δ${mark}`,
      neuron,
      deltaFormula(view, l),
    ),
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
    autogradCheck(layer.maxDifference, mark),
  );
  return block;
}

/** Whether G⁽ˡ⁾ equals autograd's ∂L/∂W⁽ˡ⁾, to a relative difference of 1e-5. */
function autogradCheck(maxDifference: number, mark: string): HTMLElement {
  const ok = maxDifference < 1e-5;
  return el(
    'p',
    { class: ok ? 'bp-check' : 'bp-error' },
    ok
      ? `✓ G${mark} equals autograd’s ∂L/∂W${mark} (largest relative difference ${formatNumber(maxDifference, 2)})`
      : `✗ G${mark} differs from autograd’s ∂L/∂W${mark} by ${formatNumber(maxDifference, 2)}`,
  );
}

/** After the layers: the same as text, and in regression a note on the output's identity θ. */
function mlpClosing(view: MlpExplanation, s: Settings): HTMLElement[] {
  const parts: HTMLElement[] = [
    el(
      'details',
      {},
      el('summary', {}, 'The same as text (explainMlpText)'),
      el('pre', { class: 'bp-pre' }, explainMlpText(view)),
    ),
  ];
  if (s.mode === 'regression')
    parts.push(
      el(
        'p',
        { class: 'bp-caption' },
        'In regression the output layer has no activation (θ is the identity, θ′ = 1).',
      ),
    );
  return parts;
}

/**
 * Every parameter's gradient for this example: one tbody per parameter (`data-param`), one cell
 * per element with its `data-param`, `data-index` and `data-value`.
 */
export function gradientTable(model: Module, e: Explanation): HTMLTableElement {
  const ids = new Map<Tensor, string>();
  for (const [id, t] of e.trace.tensors) ids.set(t, id);
  const names = explainedNames(e);
  const table = el('table', { id: 'backprop-grads-all', class: 'bp-table bp-gradtable' });
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
          lecture === undefined
            ? `∂L/∂${name}, shape [${p.shape.join('×')}]`
            : `∂L/∂${lecture} (= ${name}), shape [${p.shape.join('×')}]`,
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
  return table;
}
