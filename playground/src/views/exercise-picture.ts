/**
 * The circuit picture of an exercise: drawn by the library (toDot → renderSvg) with every
 * gradient, then each gradient label the student has not found yet turned into "?". A value that
 * fans out shows its branch gradients on its wires and their sum on itself, as `nabla explain`
 * draws it; each appears when its blank is answered or revealed.
 */
import { renderSvg, toDot, type Explanation, type Trace } from 'nabla/viz';
import { explainedNames } from './backprop-steps.js';

/** The red of the library's gradient labels (src/viz/dot.ts). */
const GRADIENT_FILL = '#c0392b';

/** The explained circuit as SVG, inputs on the left. */
export function drawCircuit(e: Explanation): Promise<string> {
  return renderSvg(toDot(e.trace, { rankdir: 'LR' }));
}

/** The SVG groups of the picture's nodes and wires, by toDot's id (`n3`, `n0->n3`). */
function groups(svg: SVGSVGElement): Map<string, Element> {
  const out = new Map<string, Element>();
  for (const g of svg.querySelectorAll('g.node, g.edge'))
    out.set(g.querySelector('title')?.textContent ?? '', g);
  return out;
}

/**
 * Writes each gate's name (q1, q2, …, f: the names the blanks use) under its circle, so that the
 * prompts can be found in the picture.
 */
export function nameGates(svg: SVGSVGElement, e: Explanation): void {
  const names = explainedNames(e);
  const trace: Trace = e.trace;
  const ops = new Set(trace.nodes.filter((n) => n.kind === 'op').map((n) => n.id));
  for (const [id, g] of groups(svg)) {
    const name = names.get(id);
    const shape = g.querySelector('ellipse');
    if (name === undefined || !ops.has(id) || shape === null) continue;
    const text = document.createElementNS('http://www.w3.org/2000/svg', 'text');
    text.setAttribute('x', shape.getAttribute('cx') ?? '0');
    const bottom = Number(shape.getAttribute('cy')) + Number(shape.getAttribute('ry'));
    text.setAttribute('y', String(bottom + 11));
    text.setAttribute('text-anchor', 'middle');
    text.setAttribute('class', 'ex-gate-name');
    text.textContent = name;
    g.append(text);
  }
}

/**
 * Shows the gradient labels of the places known (`from->to` wires, fanned-out nodes; see
 * blankPlaces) and hides the others as "?". `places` undefined: every label is hidden unless
 * `all`. The output's own wire (its gradient, 1) is always shown.
 */
export function showKnown(
  svg: SVGSVGElement,
  known: ReadonlySet<string>,
  all: boolean,
  places: readonly (string | undefined)[] | undefined,
): void {
  const drawn = new Set(places ?? []);
  for (const [id, g] of groups(svg)) {
    const seed = id.endsWith('->result');
    for (const t of g.querySelectorAll(`text[fill="${GRADIENT_FILL}"]`)) {
      const text = t as SVGTextElement;
      text.dataset.value ??= text.textContent ?? '';
      const shown = all || seed || known.has(id) || (places !== undefined && !drawn.has(id));
      text.textContent = shown ? text.dataset.value : '?';
      text.classList.toggle('ex-unknown', !shown);
    }
  }
}
