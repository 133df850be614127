import { gradients } from '../autograd/engine.js';
import { noGrad } from '../autograd/mode.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { Sequential } from '../nn/sequential.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatNumber } from './dot.js';

/** Options of `neuronDiagram`. */
export interface NeuronDiagramOptions {
  /** Also show ∂e/∂w for each weight (as a second line under the weight's label); needs `target`. */
  gradients?: boolean;
  /** The target of the example, for the gradients (squared error Σ(o − y)², or cross-entropy for an int32 label). */
  target?: Tensor;
  /** Label every weight with its value (default: when there are at most 40 weights). */
  weightLabels?: boolean;
  /** A title above the picture. */
  title?: string;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A colour for a value in [−1, 1]: orange for negative, white at 0, blue for positive. */
function diverging(v: number): string {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const mix = (a: number, b: number): number => Math.round(a + (b - a) * Math.abs(t));
  return t >= 0
    ? `rgb(${mix(255, 33)},${mix(255, 102)},${mix(255, 172)})`
    : `rgb(${mix(255, 230)},${mix(255, 97)},${mix(255, 1)})`;
}

/**
 * A neuron-level flow diagram of a small MLP (up to about 50 neurons) for one example, as SVG:
 * circles are neurons, filled by their activation (blue positive, orange negative); lines are
 * weights, coloured by sign and as wide as their magnitude; optionally each weight's gradient.
 *
 * @example
 * const svg = neuronDiagram(mlp([2, 4, 1], { activation: 'tanh' }), tensor([0.5, -1]));
 */
export function neuronDiagram(
  model: Module,
  x: Tensor,
  options: NeuronDiagramOptions = {},
): string {
  const layers = model instanceof Sequential ? model.layers : [model];
  const linears = layers.filter((l): l is Linear => l instanceof Linear);
  if (linears.length === 0) throw new TypeError('neuronDiagram: the model has no Linear layer');
  const sizes = [linears[0].inFeatures, ...linears.map((l) => l.outFeatures)];
  const neurons = sizes.reduce((a, b) => a + b, 0);
  if (neurons > 80)
    throw new RangeError(
      `neuronDiagram: ${neurons} neurons are too many to draw legibly (at most 80)`,
    );
  const input = x.ndim === 1 ? x.unsqueeze(0) : x.narrow(0, 0, 1);
  if (input.shape[1] !== sizes[0])
    throw new RangeError(
      `neuronDiagram: the example has ${input.shape[1]} features but the network takes ${sizes[0]}`,
    );

  // Activations of every layer (after its activation function) for the example.
  const wasTraining = model.training;
  model.eval();
  const acts: number[][] = [Array.from(input.data)];
  let grads: Tensor[] | undefined;
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

  const width = 140 + 230 * (sizes.length - 1) + 140;
  const tallest = Math.max(...sizes);
  const height = 100 + 80 * tallest;
  const xOf = (l: number): number => 110 + 230 * l;
  const yOf = (l: number, i: number): number => 70 + (height - 110) * ((i + 0.5) / sizes[l]);
  const maxW = Math.max(1e-12, ...linears.map((l) => noGrad(() => l.weight.abs().max().item())));
  const maxAct = Math.max(1e-12, ...acts.flat().map(Math.abs));
  const totalWeights = linears.reduce((n, l) => n + l.weight.size, 0);
  const labels =
    options.weightLabels ??
    (totalWeights <= 24 && Math.max(...linears.map((l) => l.weight.size)) <= 8);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
  );
  parts.push(`<rect width="100%" height="100%" fill="white"/>`);
  if (options.title !== undefined)
    parts.push(
      `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16">${esc(options.title)}</text>`,
    );
  linears.forEach((layer, l) => {
    const w = layer.weight.data;
    const g = grads?.[l].data;
    for (let j = 0; j < layer.outFeatures; j++) {
      for (let i = 0; i < layer.inFeatures; i++) {
        const v = w[j * layer.inFeatures + i];
        const [x1, y1, x2, y2] = [xOf(l) + 18, yOf(l, i), xOf(l + 1) - 18, yOf(l + 1, j)];
        const stroke = v >= 0 ? '#2166ac' : '#e66101';
        parts.push(
          `<line x1="${x1}" y1="${y1.toFixed(1)}" x2="${x2}" y2="${y2.toFixed(1)}" stroke="${stroke}" stroke-opacity="0.75" stroke-width="${(0.5 + (5 * Math.abs(v)) / maxW).toFixed(2)}"><title>w = ${formatNumber(v)}${g ? `, ∂e/∂w = ${formatNumber(g[j * layer.inFeatures + i])}` : ''}</title></line>`,
        );
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
  sizes.forEach((n, l) => {
    const name = l === 0 ? 'input' : l === sizes.length - 1 ? 'output' : `hidden ${l}`;
    parts.push(
      `<text x="${xOf(l)}" y="${height - 14}" text-anchor="middle" font-size="12" fill="#444">${name}</text>`,
    );
    for (let i = 0; i < n; i++) {
      const a = acts[l][i];
      parts.push(
        `<circle cx="${xOf(l)}" cy="${yOf(l, i).toFixed(1)}" r="17" fill="${diverging(a / maxAct)}" stroke="#333" stroke-width="1.2"><title>activation ${formatNumber(a)}</title></circle>`,
      );
      parts.push(
        `<text x="${xOf(l)}" y="${(yOf(l, i) + 4).toFixed(1)}" text-anchor="middle" font-size="10">${esc(formatNumber(a, 2))}</text>`,
      );
    }
  });
  parts.push(
    `<text x="12" y="${height - 30}" font-size="11" fill="#444">lines: weights w (blue +, orange −, width = |w|)${grads ? ', labelled w (∂e/∂w)' : ''}; circles: activations</text>`,
  );
  parts.push('</svg>');
  return parts.join('\n');
}
