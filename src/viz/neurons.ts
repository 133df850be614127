/**
 * `neuronDiagram`: a neuron-level SVG of a small MLP for one example. Where the neurons go is
 * `neurons/layout.ts`; running the example is `neurons/network.ts`.
 *
 * @module
 */
import { noGrad } from '../autograd/mode.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatNumber } from './dot.js';
import { layoutOf, type Layout } from './neurons/layout.js';
import {
  exampleRow,
  networkOf,
  runExample,
  type ExampleRun,
  type Network,
} from './neurons/network.js';
import { divergingColor } from './plot/svg.js';
import { escapeXml } from './xml.js';

/** Options of `neuronDiagram`. */
export interface NeuronDiagramOptions {
  /** Also show ∂e/∂w for each weight (as a second line under the weight's label); needs `target`. */
  gradients?: boolean;
  /** The target of the example, for the gradients (squared error Σ(o − y)², or cross-entropy for an int32 label). */
  target?: Tensor;
  /** Label every weight with its value (default: when there are at most 40 weights; never in `compact`). */
  weightLabels?: boolean;
  /** A title above the picture. */
  title?: string;
  /**
   * An image drawn inside each neuron in place of its filled circle (a square with the image, e.g.
   * a data: URL of a small heat map of the neuron's output over the input plane), or undefined for
   * the plain circle. `layer` counts from 0 (the inputs) to the number of Linear layers (the
   * outputs); `index` is the neuron's place in its layer, from 0.
   */
  neuronImages?: (layer: number, index: number) => string | undefined;
  /** Names of the inputs (e.g. 'x₁', 'sin x₂'), written left of the input neurons. */
  inputNames?: readonly string[];
  /** Names of the outputs (e.g. class names), written right of the output neurons. */
  outputNames?: readonly string[];
  /**
   * A compact layout for a page (e.g. a 7-16-16-16-16-5 network in about 600 × 450): smaller
   * neurons without numbers in them (each neuron's tooltip tells its activation; with an image, a
   * small dot at its corner shows it), thinner weights, layer names on top; up to 100 neurons.
   * The weights of one sign and width (|w| in twelve steps) are drawn as one path, with no tooltip
   * for each, which keeps the SVG quick for a page to redraw often.
   */
  compact?: boolean;
  /** The width of the compact layout in pixels (default 600); ignored otherwise. */
  width?: number;
}

/** Widths of the weights' lines in the compact layout: |w| / max |w| rounded to this many steps. */
const WIDTH_LEVELS = 12;

/** A colour for a value in [−1, 1]: orange for negative, white at 0, blue for positive. */
const diverging = (v: number): string => `rgb(${divergingColor(v).join(',')})`;

/** A number rounded to one decimal, for coordinates. */
const fmt = (v: number): string => (Math.round(v * 10) / 10).toString();

/** What the parts of a diagram are drawn from: the network, the layout and the example's numbers. */
interface Drawing extends Network, ExampleRun {
  options: NeuronDiagramOptions;
  compact: boolean;
  layout: Layout;
}

/** The opening of the SVG: its element, a white background and the title. */
function headerSvg(d: Drawing): string[] {
  const { width, height } = d.layout;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  if (d.options.title !== undefined)
    parts.push(
      `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16">${escapeXml(d.options.title)}</text>`,
    );
  return parts;
}

/**
 * The weights: one line each (with a tooltip) in the classic layout; in the compact one, the
 * weights of one sign and (rounded) width make one path, a few dozen elements instead of hundreds
 * of lines for a page that redraws the diagram ten times a second. Optionally labelled.
 */
function weightsSvg(d: Drawing): string[] {
  const { xOf, yOf, cell } = d.layout;
  const parts: string[] = [];
  const maxW = Math.max(1e-12, ...d.linears.map((l) => noGrad(() => l.weight.abs().max().item())));
  const totalWeights = d.linears.reduce((n, l) => n + l.weight.size, 0);
  const labels =
    d.options.weightLabels ??
    (!d.compact && totalWeights <= 24 && Math.max(...d.linears.map((l) => l.weight.size)) <= 8);
  // Lines start and end at the neurons' edges (classic circles: 1 px outside their radius).
  const edge = d.compact ? cell / 2 : 18;
  const bundles = d.compact ? new Map<string, string[]>() : undefined;
  d.linears.forEach((layer, l) => {
    const w = layer.weight.data;
    const g = d.grads?.[l].data;
    for (let j = 0; j < layer.outFeatures; j++) {
      for (let i = 0; i < layer.inFeatures; i++) {
        const v = w[j * layer.inFeatures + i];
        const grad = g?.[j * layer.inFeatures + i];
        const [x1, y1, x2, y2] = [xOf(l) + edge, yOf(l, i), xOf(l + 1) - edge, yOf(l + 1, j)];
        const stroke = v >= 0 ? '#2166ac' : '#e66101';
        if (bundles !== undefined) {
          const key = `${Math.round((WIDTH_LEVELS * Math.abs(v)) / maxW)} ${stroke}`;
          const path = `M${fmt(x1)} ${y1.toFixed(1)}L${fmt(x2)} ${y2.toFixed(1)}`;
          const bundle = bundles.get(key);
          if (bundle === undefined) bundles.set(key, [path]);
          else bundle.push(path);
        } else {
          parts.push(
            `<line x1="${x1}" y1="${y1.toFixed(1)}" x2="${x2}" y2="${y2.toFixed(1)}" stroke="${stroke}" stroke-opacity="0.75" stroke-width="${(0.5 + (5 * Math.abs(v)) / maxW).toFixed(2)}"><title>w = ${formatNumber(v)}${grad !== undefined ? `, ∂e/∂w = ${formatNumber(grad)}` : ''}</title></line>`,
          );
        }
        if (labels) {
          // Each line of the layer gets its label at its own distance along it (ordered by source,
          // then target), so labels of neighbouring lines do not fall on one another.
          const f =
            0.15 +
            0.7 * ((i * layer.outFeatures + j + 0.5) / (layer.inFeatures * layer.outFeatures));
          const text =
            grad !== undefined
              ? `${formatNumber(v, 2)} (${formatNumber(grad, 2)})`
              : formatNumber(v, 3);
          parts.push(weightLabel(x1 + (x2 - x1) * f, y1 + (y2 - y1) * f - 2, stroke, text));
        }
      }
    }
  });
  if (bundles !== undefined) parts.push(...bundlePaths(bundles));
  return parts;
}

/** A weight's label at (tx, ty), in its line's colour over a white halo. */
function weightLabel(tx: number, ty: number, stroke: string, text: string): string {
  return `<text x="${tx.toFixed(1)}" y="${ty.toFixed(1)}" font-size="9.5" text-anchor="middle" fill="${stroke}" stroke="white" stroke-width="3" paint-order="stroke">${escapeXml(text)}</text>`;
}

/** One path per bundle of weights ("level stroke" → segments), thinnest first. */
function bundlePaths(bundles: Map<string, string[]>): string[] {
  const ordered = [...bundles].sort((a, b) => parseInt(a[0]) - parseInt(b[0]));
  return ordered.map(([key, d]) => {
    const [level, stroke] = key.split(' ');
    const width = 0.3 + (2.7 * Number(level)) / WIDTH_LEVELS;
    return `<path class="weights" d="${d.join('')}" fill="none" stroke="${stroke}" stroke-opacity="0.6" stroke-width="${width.toFixed(2)}"/>`;
  });
}

/** Every layer of neurons: the layer's name, then each neuron as a `<g class="neuron">`. */
function neuronsSvg(d: Drawing): string[] {
  const { xOf, yOf, height, cell } = d.layout;
  const parts: string[] = [];
  const maxAct = d.acts === undefined ? 1 : Math.max(1e-12, ...d.acts.flat().map(Math.abs));
  const last = d.sizes.length - 1;
  d.sizes.forEach((n, l) => {
    const layerName = l === 0 ? 'input' : l === last ? 'output' : `hidden ${l}`;
    const nameY = d.compact ? yOf(l, 0) - cell / 2 - 8 : height - 14;
    parts.push(
      `<text x="${fmt(xOf(l))}" y="${fmt(nameY)}" text-anchor="middle" font-size="${d.compact ? 11 : 12}" fill="#444">${layerName}</text>`,
    );
    for (let i = 0; i < n; i++) parts.push(...neuronSvg(d, l, i, layerName, maxAct));
  });
  return parts;
}

/** Neuron `i` of layer `l`: its picture or circle (filled by its activation), tooltip and name. */
function neuronSvg(d: Drawing, l: number, i: number, layerName: string, maxAct: number): string[] {
  const { xOf, yOf, cell } = d.layout;
  const half = cell / 2;
  const last = d.sizes.length - 1;
  const [cx, cy] = [xOf(l), yOf(l, i)];
  const a = d.acts?.[l][i];
  const fill = a === undefined ? 'white' : diverging(a / maxAct);
  const name =
    l === 0
      ? (d.options.inputNames ?? [])[i]
      : l === last
        ? (d.options.outputNames ?? [])[i]
        : undefined;
  const image = d.options.neuronImages?.(l, i);
  // Compact or with a picture, the whole neuron carries the tooltip; else the circle does.
  const onGroup = d.compact || image !== undefined;
  const head = `${layerName}, neuron ${i + 1}${name !== undefined ? ` (${name})` : ''}`;
  const activation = a === undefined ? '' : `activation ${formatNumber(a)}`;
  const parts = [`<g class="neuron" data-layer="${l}" data-index="${i}">`];
  if (onGroup)
    parts.push(`<title>${escapeXml(activation ? `${head}: ${activation}` : head)}</title>`);
  if (image !== undefined) {
    const [x0, y0] = [fmt(cx - half), fmt(cy - half)];
    parts.push(
      `<image href="${escapeXml(image)}" x="${x0}" y="${y0}" width="${cell}" height="${cell}" preserveAspectRatio="none"/>`,
      `<rect x="${x0}" y="${y0}" width="${cell}" height="${cell}" rx="2" fill="none" stroke="#333" stroke-width="1"/>`,
    );
    if (a !== undefined) {
      // The example's activation, as a dot at the corner.
      const r = Math.max(3.5, cell * 0.14);
      parts.push(
        `<circle cx="${fmt(cx + half - r * 0.4)}" cy="${fmt(cy - half + r * 0.4)}" r="${fmt(r)}" fill="${fill}" stroke="#333" stroke-width="0.8"/>`,
      );
    }
  } else {
    parts.push(
      `<circle cx="${fmt(cx)}" cy="${cy.toFixed(1)}" r="${fmt(half)}" fill="${fill}" stroke="#333" stroke-width="${d.compact ? 1 : 1.2}">${onGroup ? '' : `<title>${escapeXml(activation || head)}</title>`}</circle>`,
    );
    if (a !== undefined && cell >= 30)
      parts.push(
        `<text x="${fmt(cx)}" y="${(cy + 4).toFixed(1)}" text-anchor="middle" font-size="10">${escapeXml(formatNumber(a, 2))}</text>`,
      );
  }
  if (name !== undefined) parts.push(neuronName(d, l === 0, cx, cy, name));
  parts.push('</g>');
  return parts;
}

/** The name of an input neuron (left of it) or of an output neuron (right of it). */
function neuronName(d: Drawing, isInput: boolean, cx: number, cy: number, name: string): string {
  const outside = d.layout.cell / 2 + 6;
  const nameSize = d.compact ? 11 : 12;
  return isInput
    ? `<text x="${fmt(cx - outside)}" y="${fmt(cy + 4)}" text-anchor="end" font-size="${nameSize}" fill="#222">${escapeXml(name)}</text>`
    : `<text x="${fmt(cx + outside)}" y="${fmt(cy + 4)}" font-size="${nameSize}" fill="#222">${escapeXml(name)}</text>`;
}

/** The key under the picture: what the lines and the circles (or squares) show. */
function captionSvg(d: Drawing): string {
  const height = d.layout.height;
  const shapes = d.options.neuronImages ? 'squares: each neuron’s output' : 'circles: activations';
  return d.compact
    ? `<text x="8" y="${height - 8}" font-size="10" fill="#555">lines: weights (blue +, orange −, width = |w|); ${shapes}</text>`
    : `<text x="12" y="${height - 30}" font-size="11" fill="#444">lines: weights w (blue +, orange −, width = |w|)${d.grads ? ', labelled w (∂e/∂w)' : ''}; ${shapes}</text>`;
}

/**
 * A neuron-level flow diagram of a small MLP (up to 80 neurons; 100 in the compact layout) for one
 * example, as SVG: circles are neurons, filled by their activation (blue positive, orange
 * negative); lines are weights, coloured by sign and as wide as their magnitude; optionally each
 * weight's gradient. Without an example (`x` undefined) the neurons are drawn empty. With
 * `neuronImages`, each neuron shows a picture instead (the playground draws each neuron's output
 * over the plane there). Each neuron is a `<g class="neuron" data-layer data-index>`, for pages
 * that react to clicks on it.
 *
 * @example
 * import { neuronDiagram } from 'nabla/viz';
 * const net = mlp([2, 4, 1], { activation: 'tanh' });
 * const svg = neuronDiagram(net, tensor([0.5, -1]));
 * const page = neuronDiagram(net, undefined, { compact: true, inputNames: ['x₁', 'x₂'] });
 */
export function neuronDiagram(
  model: Module,
  x: Tensor | undefined,
  options: NeuronDiagramOptions = {},
): string {
  const compact = options.compact === true;
  const net = networkOf(model, compact);
  const input = exampleRow(x, net.sizes[0]);
  const { acts, grads } = runExample(model, net, input, options);
  const layout = layoutOf(net.sizes, options);
  const d: Drawing = { ...net, options, compact, layout, acts, grads };
  return [...headerSvg(d), ...weightsSvg(d), ...neuronsSvg(d), captionSvg(d), '</svg>'].join('\n');
}
