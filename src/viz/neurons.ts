import { gradients } from '../autograd/engine.js';
import { noGrad } from '../autograd/mode.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { Sequential } from '../nn/sequential.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatNumber } from './dot.js';
import { divergingColor } from './plot/svg.js';

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

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Widths of the weights' lines in the compact layout: |w| / max |w| rounded to this many steps. */
const WIDTH_LEVELS = 12;

/** A colour for a value in [−1, 1]: orange for negative, white at 0, blue for positive. */
const diverging = (v: number): string => `rgb(${divergingColor(v).join(',')})`;

/** Where the neurons go: column x, row y and the size of a neuron. */
interface Layout {
  width: number;
  height: number;
  /** The side of a neuron (a circle's diameter or an image's side). */
  cell: number;
  xOf: (l: number) => number;
  yOf: (l: number, i: number) => number;
}

/** The classic layout: big circles with their values, 230 px between layers. */
function classicLayout(sizes: number[]): Layout {
  const width = 140 + 230 * (sizes.length - 1) + 140;
  const height = 100 + 80 * Math.max(...sizes);
  return {
    width,
    height,
    cell: 34,
    xOf: (l) => 110 + 230 * l,
    yOf: (l, i) => 70 + (height - 110) * ((i + 0.5) / sizes[l]),
  };
}

/** The compact layout: rows of at most 48 px, layers spread over `width`, names in the margins. */
function compactLayout(
  sizes: number[],
  width: number,
  inputNames: readonly string[],
  outputNames: readonly string[],
  titled: boolean,
): Layout {
  const tallest = Math.max(...sizes);
  const slot = Math.min(48, Math.max(24, 360 / tallest));
  const cell = Math.round(slot - Math.max(4, slot * 0.18));
  const nameWidth = (names: readonly string[]): number =>
    Math.max(0, ...names.map((n) => n.length * 11 * 0.6)) + 12;
  const left = Math.max(16, nameWidth(inputNames));
  const right = Math.max(16, nameWidth(outputNames));
  const gaps = Math.max(1, sizes.length - 1);
  const step = Math.max(cell * 1.5, Math.min(170, (width - left - right - cell) / gaps));
  const used = left + right + cell + step * (sizes.length - 1);
  const w = Math.max(width, Math.ceil(used));
  const x0 = left + (w - used) / 2 + cell / 2;
  const top = (titled ? 44 : 20) + 10;
  const height = Math.ceil(top + slot * tallest + 24);
  return {
    width: w,
    height,
    cell,
    xOf: (l) => x0 + step * l,
    yOf: (l, i) => top + slot * (tallest / 2 - sizes[l] / 2 + i + 0.5),
  };
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
 * const svg = neuronDiagram(mlp([2, 4, 1], { activation: 'tanh' }), tensor([0.5, -1]));
 * const page = neuronDiagram(net, undefined, { compact: true, inputNames: ['x₁', 'x₂'] });
 */
export function neuronDiagram(
  model: Module,
  x: Tensor | undefined,
  options: NeuronDiagramOptions = {},
): string {
  const layers = model instanceof Sequential ? model.layers : [model];
  const linears = layers.filter((l): l is Linear => l instanceof Linear);
  if (linears.length === 0) throw new TypeError('neuronDiagram: the model has no Linear layer');
  const sizes = [linears[0].inFeatures, ...linears.map((l) => l.outFeatures)];
  const neurons = sizes.reduce((a, b) => a + b, 0);
  const compact = options.compact === true;
  const limit = compact ? 100 : 80;
  if (neurons > limit)
    throw new RangeError(
      `neuronDiagram: ${neurons} neurons are too many to draw legibly (at most ${limit}${compact ? '' : '; 100 with compact: true'})`,
    );
  const input = x === undefined ? undefined : x.ndim === 1 ? x.unsqueeze(0) : x.narrow(0, 0, 1);
  if (input !== undefined && input.shape[1] !== sizes[0])
    throw new RangeError(
      `neuronDiagram: the example has ${input.shape[1]} features but the network takes ${sizes[0]}`,
    );

  // Activations of every layer (after its activation function) for the example.
  let acts: number[][] | undefined;
  let grads: Tensor[] | undefined;
  if (input !== undefined) {
    const wasTraining = model.training;
    model.eval();
    acts = [Array.from(input.data)];
    try {
      let o = input;
      const outputs: Tensor[] = [];
      for (const layer of layers) {
        o = layer.call(o);
        if (layer instanceof Linear) outputs.push(o);
        else if (outputs.length > 0) outputs[outputs.length - 1] = o;
      }
      for (const t of outputs) acts.push(Array.from(t.data));
      if (options.gradients) {
        if (options.target === undefined)
          throw new TypeError('neuronDiagram: gradients need the example’s target');
        const t = options.target;
        const e =
          t.dtype === 'int32'
            ? o
                .logSoftmax(-1)
                .gather(1, t.reshape([1, 1]))
                .neg()
                .sum()
            : o.sub(t.reshape(o.shape)).square().sum();
        grads = gradients(
          e,
          linears.map((l) => l.weight),
          { retainGraph: false },
        );
      }
    } finally {
      model.train(wasTraining);
    }
  } else if (options.gradients) {
    throw new TypeError('neuronDiagram: gradients need an example x');
  }

  const inputNames = options.inputNames ?? [];
  const outputNames = options.outputNames ?? [];
  const layout = compact
    ? compactLayout(
        sizes,
        options.width ?? 600,
        inputNames,
        outputNames,
        options.title !== undefined,
      )
    : classicLayout(sizes);
  const { width, height, cell, xOf, yOf } = layout;
  const half = cell / 2;
  const maxW = Math.max(1e-12, ...linears.map((l) => noGrad(() => l.weight.abs().max().item())));
  const maxAct = acts === undefined ? 1 : Math.max(1e-12, ...acts.flat().map(Math.abs));
  const totalWeights = linears.reduce((n, l) => n + l.weight.size, 0);
  const labels =
    options.weightLabels ??
    (!compact && totalWeights <= 24 && Math.max(...linears.map((l) => l.weight.size)) <= 8);
  const fmt = (v: number): string => (Math.round(v * 10) / 10).toString();
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
  );
  parts.push(`<rect width="100%" height="100%" fill="white"/>`);
  if (options.title !== undefined)
    parts.push(
      `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16">${esc(options.title)}</text>`,
    );
  // Lines start and end at the neurons' edges (classic circles: 1 px outside their radius).
  const edge = compact ? half : 18;
  // Compact: the weights of one sign and (rounded) width make one path, a few dozen elements
  // instead of hundreds of lines for a page that redraws the diagram ten times a second.
  const bundles = compact ? new Map<string, string[]>() : undefined;
  linears.forEach((layer, l) => {
    const w = layer.weight.data;
    const g = grads?.[l].data;
    for (let j = 0; j < layer.outFeatures; j++) {
      for (let i = 0; i < layer.inFeatures; i++) {
        const v = w[j * layer.inFeatures + i];
        const [x1, y1, x2, y2] = [xOf(l) + edge, yOf(l, i), xOf(l + 1) - edge, yOf(l + 1, j)];
        const stroke = v >= 0 ? '#2166ac' : '#e66101';
        if (bundles !== undefined) {
          const level = Math.round((WIDTH_LEVELS * Math.abs(v)) / maxW);
          const key = `${level} ${stroke}`;
          const d = `M${fmt(x1)} ${y1.toFixed(1)}L${fmt(x2)} ${y2.toFixed(1)}`;
          const bundle = bundles.get(key);
          if (bundle === undefined) bundles.set(key, [d]);
          else bundle.push(d);
        } else {
          parts.push(
            `<line x1="${x1}" y1="${y1.toFixed(1)}" x2="${x2}" y2="${y2.toFixed(1)}" stroke="${stroke}" stroke-opacity="0.75" stroke-width="${(0.5 + (5 * Math.abs(v)) / maxW).toFixed(2)}"><title>w = ${formatNumber(v)}${g ? `, ∂e/∂w = ${formatNumber(g[j * layer.inFeatures + i])}` : ''}</title></line>`,
          );
        }
        if (labels) {
          // Each line of the layer gets its label at its own distance along it (ordered by source,
          // then target), so labels of neighbouring lines do not fall on one another.
          const f =
            0.15 +
            0.7 * ((i * layer.outFeatures + j + 0.5) / (layer.inFeatures * layer.outFeatures));
          const tx = x1 + (x2 - x1) * f;
          const ty = y1 + (y2 - y1) * f - 2;
          const text = g
            ? `${formatNumber(v, 2)} (${formatNumber(g[j * layer.inFeatures + i], 2)})`
            : formatNumber(v, 3);
          parts.push(
            `<text x="${tx.toFixed(1)}" y="${ty.toFixed(1)}" font-size="9.5" text-anchor="middle" fill="${stroke}" stroke="white" stroke-width="3" paint-order="stroke">${esc(text)}</text>`,
          );
        }
      }
    }
  });
  if (bundles !== undefined) {
    const ordered = [...bundles].sort((a, b) => parseInt(a[0]) - parseInt(b[0]));
    for (const [key, d] of ordered) {
      const [level, stroke] = key.split(' ');
      const width = 0.3 + (2.7 * Number(level)) / WIDTH_LEVELS;
      parts.push(
        `<path class="weights" d="${d.join('')}" fill="none" stroke="${stroke}" stroke-opacity="0.6" stroke-width="${width.toFixed(2)}"/>`,
      );
    }
  }
  const nameSize = compact ? 11 : 12;
  const last = sizes.length - 1;
  sizes.forEach((n, l) => {
    const layerName = l === 0 ? 'input' : l === last ? 'output' : `hidden ${l}`;
    const nameY = compact ? yOf(l, 0) - half - 8 : height - 14;
    parts.push(
      `<text x="${fmt(xOf(l))}" y="${fmt(nameY)}" text-anchor="middle" font-size="${nameSize}" fill="#444">${layerName}</text>`,
    );
    for (let i = 0; i < n; i++) {
      const [cx, cy] = [xOf(l), yOf(l, i)];
      const a = acts?.[l][i];
      const fill = a === undefined ? 'white' : diverging(a / maxAct);
      const name = l === 0 ? inputNames[i] : l === last ? outputNames[i] : undefined;
      const image = options.neuronImages?.(l, i);
      // Compact or with a picture, the whole neuron carries the tooltip; else the circle does.
      const onGroup = compact || image !== undefined;
      const head = `${layerName}, neuron ${i + 1}${name !== undefined ? ` (${name})` : ''}`;
      const activation = a === undefined ? '' : `activation ${formatNumber(a)}`;
      parts.push(`<g class="neuron" data-layer="${l}" data-index="${i}">`);
      if (onGroup)
        parts.push(`<title>${esc(activation ? `${head}: ${activation}` : head)}</title>`);
      if (image !== undefined) {
        const [x0, y0] = [fmt(cx - half), fmt(cy - half)];
        parts.push(
          `<image href="${esc(image)}" x="${x0}" y="${y0}" width="${cell}" height="${cell}" preserveAspectRatio="none"/>`,
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
          `<circle cx="${fmt(cx)}" cy="${cy.toFixed(1)}" r="${fmt(half)}" fill="${fill}" stroke="#333" stroke-width="${compact ? 1 : 1.2}">${onGroup ? '' : `<title>${esc(activation || head)}</title>`}</circle>`,
        );
        if (a !== undefined && cell >= 30)
          parts.push(
            `<text x="${fmt(cx)}" y="${(cy + 4).toFixed(1)}" text-anchor="middle" font-size="10">${esc(formatNumber(a, 2))}</text>`,
          );
      }
      if (name !== undefined) {
        const outside = half + 6;
        parts.push(
          l === 0
            ? `<text x="${fmt(cx - outside)}" y="${fmt(cy + 4)}" text-anchor="end" font-size="${nameSize}" fill="#222">${esc(name)}</text>`
            : `<text x="${fmt(cx + outside)}" y="${fmt(cy + 4)}" font-size="${nameSize}" fill="#222">${esc(name)}</text>`,
        );
      }
      parts.push('</g>');
    }
  });
  const shapes = options.neuronImages ? 'squares: each neuron’s output' : 'circles: activations';
  parts.push(
    compact
      ? `<text x="8" y="${height - 8}" font-size="10" fill="#555">lines: weights (blue +, orange −, width = |w|); ${shapes}</text>`
      : `<text x="12" y="${height - 30}" font-size="11" fill="#444">lines: weights w (blue +, orange −, width = |w|)${grads ? ', labelled w (∂e/∂w)' : ''}; ${shapes}</text>`,
  );
  parts.push('</svg>');
  return parts.join('\n');
}
