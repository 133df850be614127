/**
 * The network view: nabla's `neuronDiagram` in its compact layout, each neuron showing its own
 * output over the input plane as a small heat map (as in the TensorFlow Playground), the inputs
 * named by their features, the weights as lines coloured by sign and as wide as their magnitude.
 */
import { tensor, type Module } from 'nabla';
import { neuronDiagram } from 'nabla/viz';
import { EXTENT } from '../data.js';
import { featureRows } from '../features.js';
import { FEATURE_LABELS } from '../choices.js';
import type { Settings } from '../settings.js';
import { inputFeatures } from '../trainer.js';
import { neuronImages } from '../pictures.js';
import { neuronLayerSizes } from './activations.js';
import { morphChildren } from './morph.js';
import { addEditTargets } from './network-edit.js';
import { LiveNetwork, prepareDiagram } from './network-live.js';
import { MIN_TEXT, textScale } from './text-scale.js';

/** The smallest text of neuronDiagram's compact layout (its names), in its own units. */
const DIAGRAM_TEXT = 11;

/**
 * Draws the network into `root` (replacing its content with an SVG that scales to `rootWidth`,
 * by default the root's width): each neuron's output over [−1.6, 1.6]² from one forward pass of a 24 × 24 grid — inputs
 * and hidden neurons from orange (−) through white (0) to blue (+), at the scale [−1, 1] or their
 * own largest |value| if larger; class outputs as the probability of their class in its colour;
 * the regression output like a hidden neuron. With `point` (x₁, x₂), each picture marks it and a
 * dot at each neuron's corner shows the neuron's activation there (its tooltip tells the value).
 *
 * Each neuron is an SVG `<g class="neuron" data-layer="l" data-index="i">` (layer 0 the inputs),
 * for a click handler on `root`, its picture a canvas. Returns the diagram's moving parts, to
 * update the weights and pictures in place while the network keeps its shape (network-live.ts).
 */
export function renderNetwork(
  root: HTMLElement,
  model: Module,
  settings: Settings,
  point?: [number, number],
  images?: Uint8ClampedArray<ArrayBuffer>[][],
  rootWidth?: number,
): LiveNetwork {
  // The neurons' pictures: the training worker's (pictures.ts), or drawn here when there are none.
  const pixels = images ?? neuronImages(model, settings);
  const sizes = neuronLayerSizes(model);
  const last = sizes.length - 1;
  const classification = settings.mode === 'classification';
  const features = inputFeatures(settings);
  const x = point === undefined ? undefined : tensor(featureRows(point, features)).reshape([1, -1]);
  const outputNames = classification
    ? Array.from({ length: sizes[last] }, (_, k) => `class ${k}`)
    : ['ŷ'];
  // Drawn narrower and scaled up to the root's width, so that its names (11 units) show at 14 px
  // or more (larger in projector mode), and its lines thicker.
  const zoom = (MIN_TEXT / DIAGRAM_TEXT) * textScale(settings);
  const width = Math.round(
    Math.max(240, Math.min(960, Math.round(rootWidth ?? root.clientWidth) || 600)) / zoom,
  );
  root.classList.add('nabla-network');
  const svg = neuronDiagram(model, x, {
    compact: true,
    width,
    // a placeholder each, made a canvas below (prepareDiagram)
    neuronImages: (l, i) => (pixels[l]?.[i] === undefined ? undefined : 'data:,'),
    inputNames: features.map((f) => FEATURE_LABELS[f]),
    outputNames,
  });
  // Drawn aside, then written into the page in place (morph.ts): while training only the
  // weights' lines and the neurons' pictures change, and the browser keeps the rest.
  const fresh = inertBody();
  fresh.innerHTML = svg;
  // Its own key, in small type, says what the page's caption under it says.
  for (const text of fresh.querySelectorAll('svg > text'))
    if (text.textContent?.startsWith('lines: weights')) text.remove();
  if (point !== undefined) markPoint(fresh, point);
  addEditTargets(fresh, model);
  prepareDiagram(fresh);
  morphChildren(root, fresh);
  const live = new LiveNetwork(root);
  live.weights(model, false);
  live.paint(pixels);
  return live;
}

/** A body in a document of its own, without a window: what is parsed there loads no images. */
let inert: HTMLElement | undefined;
function inertBody(): HTMLElement {
  inert ??= document.implementation.createHTMLDocument('').body;
  return inert;
}

const SVG = 'http://www.w3.org/2000/svg';

/** Marks the point (x₁, x₂) on every neuron's picture: a dark dot ringed in white. */
function markPoint(root: HTMLElement, [x, y]: [number, number]): void {
  const [fx, fy] = [(x + EXTENT) / (2 * EXTENT), (EXTENT - y) / (2 * EXTENT)];
  if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return;
  for (const image of root.querySelectorAll('g.neuron > image')) {
    // before prepareDiagram: the picture's <image> still gives its place
    const at = (name: string): number => Number(image.getAttribute(name));
    const size = at('width');
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', String(at('x') + fx * size));
    dot.setAttribute('cy', String(at('y') + fy * size));
    dot.setAttribute('r', String(Math.max(1.8, size / 12)));
    dot.setAttribute('fill', '#111');
    dot.setAttribute('stroke', 'white');
    dot.setAttribute('stroke-width', '0.8');
    dot.setAttribute('class', 'point');
    image.after(dot);
  }
}
