/**
 * The inspector's full view ("show every operation"): one training example's loss through the
 * current network, as nabla traces and explains it. The computational graph (toDot → renderSvg)
 * with every forward value and, as the walk reaches them, the gradients; step buttons that walk
 * the backward pass one operation at a time (Step forward ▶ goes on toward the inputs, ◀ Step back
 * undoes), highlighting it and showing "upstream × local = downstream" in numbers
 * (explainBackward); each layer's δ and G = δ·oᵀ (explainMlp); and every weight gradient.
 *
 * This file holds the view and its walk; its fixed frame is in backprop-layout.ts, the panels drawn
 * once per example in backprop-tables.ts, the picture of the graph in backprop-graph.ts, the pure
 * logic in backprop-steps.ts.
 */
import { evalMode, tensor, type Module, type Tensor } from 'nabla';
import {
  explainBackward,
  explainMlp,
  trace,
  type Explanation,
  type MlpExplanation,
} from 'nabla/viz';
import { lossOf } from '../model.js';
import type { Settings } from '../settings.js';
import { drawGraph, highlightGraph, scrollGraphTo } from './backprop-graph.js';
import { backpropSteps, lectureNames, walkState, type BackpropStep } from './backprop-steps.js';
import {
  gradientTable,
  layerPanels,
  nodesTable,
  summaryOf,
  type InspectedPoint,
} from './backprop-tables.js';
import { el } from './dom.js';
import { backpropFrame, walkControls } from './backprop-layout.js';
import './backprop.css';

export class OperationsView {
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
    const walk = walkControls();
    this.back = walk.back;
    this.forward = walk.forward;
    this.all = walk.all;
    this.counter = walk.counter;
    this.back.addEventListener('click', () => this.go(this.position - 1));
    this.forward.addEventListener('click', () => this.go(this.position + 1));
    this.all.addEventListener('click', () => {
      this.showAll = !this.showAll;
      this.paint();
    });
    this.summary = el('div', { class: 'bp-summary' });
    this.status = el('div', { id: 'backprop-step', class: 'bp-status', 'aria-live': 'polite' });
    this.graph = el('div', { class: 'bp-svg', tabindex: '0' });
    this.stepList = el('ol', { class: 'bp-steps', start: '0' });
    this.nodes = el('div', { class: 'bp-scroll' });
    this.deltas = el('div', { class: 'bp-deltas' });
    this.grads = el('div', { class: 'bp-scroll bp-grads' });
    this.content = backpropFrame(walk, {
      summary: this.summary,
      status: this.status,
      graph: this.graph,
      stepList: this.stepList,
      nodes: this.nodes,
      deltas: this.deltas,
      grads: this.grads,
    });
    root.append(this.content);
  }

  /** Explains `point` through `model` (in eval mode: no dropout) under `settings`. */
  async show(model: Module, settings: Settings, point: InspectedPoint): Promise<void> {
    const token = ++this.token;
    const { e, mlpView } = evalMode(model, () => {
      const x = tensor([point.features], { name: 'x' });
      const y =
        settings.mode === 'regression'
          ? tensor([point.label], { name: 'y' })
          : tensor([point.label], { dtype: 'int32', name: 'y' });
      // The loss with its graph, before any backward: the trace holds every node's gradient.
      const loss = lossOf(settings, model.call(x), y);
      const t0 = trace(loss, { gradients: false });
      const names = new Map<Tensor, string>();
      for (const [id, name] of lectureNames(t0)) names.set(t0.tensors.get(id)!, name);
      return {
        e: explainBackward(loss, { names }),
        mlpView: this.layerExplanation(model, settings, x, y),
      };
    });
    this.explanation = e;
    this.steps = backpropSteps(e);
    this.position = 0;
    this.showAll = false;
    this.summary.replaceChildren(...summaryOf(settings, point, e));
    this.renderStepList();
    this.nodes.replaceChildren(nodesTable(e));
    this.deltas.replaceChildren(...layerPanels(mlpView, e, settings));
    this.grads.replaceChildren(gradientTable(model, e));
    this.graph.replaceChildren(el('p', { class: 'bp-caption' }, 'Drawing the graph…'));
    this.content.hidden = false;
    this.paint();
    let svg: string;
    try {
      svg = await drawGraph(e);
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
    scrollGraphTo(this.graph, this.steps[this.position].nodeId, 'auto');
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

  private go(position: number): void {
    if (this.steps.length === 0) return;
    this.position = Math.max(0, Math.min(this.steps.length - 1, position));
    this.paint();
    const current = this.stepList.children[this.position] as HTMLElement | undefined;
    current?.scrollIntoView({ block: 'nearest' });
    scrollGraphTo(this.graph, this.steps[this.position].nodeId);
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
          `The backward pass starts at the loss: ${s.upstreamName} = 1 (upstream gradient of the output). Press “Step forward ▶” to pass it to the operation that computed L; ${n} steps reach every weight.`,
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

  /** Brings the status, the step list and the graph to the current position. */
  private paint(): void {
    const e = this.explanation;
    if (e === undefined || this.steps.length === 0) return;
    const n = this.steps.length - 1;
    const p = this.position;
    const step = this.steps[p];
    this.back.disabled = p <= 0;
    this.forward.disabled = p >= n;
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
    highlightGraph(svg, state, p, this.showAll);
  }
}
