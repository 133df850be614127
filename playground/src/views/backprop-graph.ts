/**
 * The backprop view's picture of the graph: drawn with toDot → renderSvg under the lectures'
 * names, highlighted as the walk moves, and scrolled to the operation the walk is at.
 */
import { renderSvg, toDot, type Explanation, type Trace } from 'nabla/viz';
import { explainedNames, type WalkState } from './backprop-steps.js';

/** The trace as the picture shows it: the lectures' names on the nodes. */
function graphTrace(e: Explanation): Trace {
  const names = explainedNames(e);
  return {
    ...e.trace,
    nodes: e.trace.nodes.map((n) => {
      const name = names.get(n.id);
      if (name === undefined) return n;
      if (n.kind === 'parameter' && n.name !== undefined && n.name !== name)
        return { ...n, name: `${name} = ${n.name}` };
      return { ...n, name };
    }),
  };
}

/** The explained graph as SVG, inputs on the left. */
export function drawGraph(e: Explanation): Promise<string> {
  return renderSvg(toDot(graphTrace(e), { rankdir: 'LR' }));
}

/**
 * Marks the drawn graph for walk position `p`: the current operation, the inputs it sends
 * gradients to, the operations already passed, the edges whose gradient is not known yet (unless
 * `showAll`), and the edges the current gradients flow along.
 */
export function highlightGraph(
  svg: SVGSVGElement,
  state: WalkState,
  p: number,
  showAll: boolean,
): void {
  for (const g of svg.querySelectorAll('g.node')) {
    const id = g.querySelector('title')?.textContent ?? '';
    g.classList.toggle('bp-current', id === state.current);
    g.classList.toggle('bp-target', state.targets.includes(id));
    g.classList.toggle('bp-done', state.done.has(id) && id !== state.current);
  }
  for (const g of svg.querySelectorAll('g.edge')) {
    const [from, to] = (g.querySelector('title')?.textContent ?? '').split('->');
    g.classList.toggle('bp-pending', !showAll && !state.known.has(from));
    g.classList.toggle(
      'bp-flow',
      (to === state.current && state.targets.includes(from)) || (p === 0 && from === state.current),
    );
  }
}

/** Scrolls `graph` (the element holding the drawn SVG) so that the node is in view. */
export function scrollGraphTo(
  graph: HTMLElement,
  id: string,
  behavior: ScrollBehavior = 'smooth',
): void {
  const svg = graph.querySelector('svg');
  if (svg === null) return;
  const node = [...svg.querySelectorAll('g.node')].find(
    (g) => g.querySelector('title')?.textContent === id,
  );
  if (node === undefined) return;
  const box = graph.getBoundingClientRect();
  const r = node.getBoundingClientRect();
  graph.scrollBy({
    left: r.left + r.width / 2 - (box.left + box.width / 2),
    top: r.top + r.height / 2 - (box.top + box.height / 2),
    behavior,
  });
}
