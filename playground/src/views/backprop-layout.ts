/**
 * The backprop view's fixed frame, built once: the buttons of the walk, and the sections with their
 * headings and captions around the parts the view fills for each example (backprop.ts).
 */
import { el } from './dom.js';

/** The buttons that walk the backward pass, and the counter of steps beside them. */
export interface WalkControls {
  back: HTMLButtonElement;
  forward: HTMLButtonElement;
  all: HTMLButtonElement;
  counter: HTMLElement;
}

/** The walk's buttons (Step back, Step forward, Show all) and its counter, without their actions. */
export function walkControls(): WalkControls {
  const back = el(
    'button',
    {
      id: 'backprop-back',
      type: 'button',
      title: 'One step back: undo the last operation of the backward pass',
    },
    '◀ Step back',
  );
  const forward = el(
    'button',
    {
      id: 'backprop-forward',
      type: 'button',
      title:
        'One step forward through the backward pass: the gradient goes one operation further, toward the inputs',
    },
    'Step forward ▶',
  );
  const all = el(
    'button',
    {
      id: 'backprop-all',
      type: 'button',
      'aria-pressed': 'false',
      title: 'Show every gradient and every step at once',
    },
    'Show all',
  );
  return { back, forward, all, counter: el('span', { class: 'bp-counter' }) };
}

/** The parts of the frame the view fills for each example. */
export interface BackpropParts {
  summary: HTMLElement;
  status: HTMLElement;
  graph: HTMLElement;
  stepList: HTMLOListElement;
  nodes: HTMLElement;
  deltas: HTMLElement;
  grads: HTMLElement;
}

/** The whole frame, hidden until an example is shown: the parts in their sections, in page order. */
export function backpropFrame(walk: WalkControls, parts: BackpropParts): HTMLElement {
  return el(
    'div',
    { class: 'bp-content', hidden: '' },
    parts.summary,
    el('div', { class: 'bp-controls' }, walk.back, walk.forward, walk.all, walk.counter),
    parts.status,
    el('div', { class: 'bp-layout' }, graphFigure(parts.graph), stepListSection(parts.stepList)),
    nodesSection(parts.nodes),
    fold('Layer by layer: δ and the weight gradient G = δ·oᵀ', parts.deltas),
    gradsSection(parts.grads),
  );
}

/** A section folded away until opened, so that the view fits one screen: its title is the summary. */
function fold(title: string, ...children: HTMLElement[]): HTMLElement {
  return el('details', { class: 'bp-fold' }, el('summary', {}, title), ...children);
}

/** A button that fits the whole graph into the view, or shows it at its actual size again. */
function fitToggle(graph: HTMLElement): HTMLButtonElement {
  const fit = el(
    'button',
    { type: 'button', class: 'bp-fit-toggle', 'aria-pressed': 'false' },
    'Fit the whole graph',
  );
  fit.addEventListener('click', () => {
    const on = graph.classList.toggle('bp-fit');
    fit.setAttribute('aria-pressed', String(on));
    fit.textContent = on ? 'Actual size' : 'Fit the whole graph';
  });
  return fit;
}

/** The graph's figure: the fit toggle, the picture, and the caption that says how to read it. */
function graphFigure(graph: HTMLElement): HTMLElement {
  return el(
    'figure',
    { class: 'bp-graph' },
    fitToggle(graph),
    graph,
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
  );
}

/** The list of the backward pass's steps, from the loss back to the weights. */
function stepListSection(stepList: HTMLOListElement): HTMLElement {
  return el(
    'section',
    { class: 'bp-steplist' },
    el('h3', {}, 'Backward pass, step by step'),
    el(
      'p',
      { class: 'bp-caption' },
      'From the loss back to the weights: click a step to go to it.',
    ),
    stepList,
  );
}

/** The table of every node's forward value and gradient, with what the two columns mean. */
function nodesSection(nodes: HTMLElement): HTMLElement {
  return fold(
    'Every node: forward value and gradient',
    el(
      'p',
      { class: 'bp-caption' },
      'Forward value: what the node computed for this example. Gradient ∂L/∂node: how much the loss changes per unit change of it (— where none is needed).',
    ),
    nodes,
  );
}

/** The table of every parameter's gradient, with how to read its rows, columns and colours. */
function gradsSection(grads: HTMLElement): HTMLElement {
  return fold(
    'Weight gradients of this example (autograd)',
    el(
      'p',
      { class: 'bp-caption' },
      'Every parameter’s ∂L/∂parameter, as autograd computed it: row i is neuron i of the layer, column j its input j. Blue: positive (gradient descent lowers the weight), red: negative.',
    ),
    grads,
  );
}
