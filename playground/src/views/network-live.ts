/**
 * The network view's moving parts. The diagram (network.ts) is built once per network shape; what
 * changes while training — the weights' lines, the biases' squares and the neurons' pictures — is
 * then written into the elements already on the page: a few `d` attributes for the lines (one
 * path per sign and width, as `neuronDiagram` bundles them), the pictures copied by `putImageData`
 * from the worker's pixels into one small canvas a neuron. Nothing here reads the layout.
 */
import { Linear, type Module } from 'nabla';
import { NEURON_RESOLUTION } from '../pictures.js';
import { layersOf } from './activations.js';
import { biasFill } from './network-edit.js';

const SVG = 'http://www.w3.org/2000/svg';
const XHTML = 'http://www.w3.org/1999/xhtml';

/** Widths of the weights' lines: |w| / max |w| rounded to this many steps (as `neuronDiagram`). */
const WIDTH_LEVELS = 12;
const SIGNS = ['#2166ac', '#e66101'] as const;

/**
 * Prepares a freshly drawn diagram (not yet on the page) for updates in place: each neuron's
 * `<image>` becomes a `<foreignObject>` holding a NEURON_RESOLUTION² canvas (scaled smoothly to
 * the neuron's size), and the diagram's bundles of weights make way for one empty
 * `path.weights[data-level][data-sign]` per width and sign, thinnest first, filled by
 * {@link LiveNetwork.weights}.
 */
export function prepareDiagram(root: Element): void {
  const doc = root.ownerDocument;
  for (const image of root.querySelectorAll('g.neuron > image')) {
    const box = doc.createElementNS(SVG, 'foreignObject');
    for (const a of ['x', 'y', 'width', 'height'])
      box.setAttribute(a, image.getAttribute(a) ?? '0');
    const canvas = doc.createElementNS(XHTML, 'canvas') as HTMLCanvasElement;
    canvas.width = canvas.height = NEURON_RESOLUTION;
    canvas.setAttribute('style', 'display:block;width:100%;height:100%');
    box.append(canvas);
    image.replaceWith(box);
  }
  const bundles = root.querySelectorAll('path.weights');
  const at = bundles[0] ?? root.querySelector('svg g.neuron');
  if (at === null) return;
  const paths: Element[] = [];
  for (let level = 0; level <= WIDTH_LEVELS; level++)
    SIGNS.forEach((stroke, sign) => {
      const path = doc.createElementNS(SVG, 'path');
      const width = 0.3 + (2.7 * level) / WIDTH_LEVELS;
      for (const [k, v] of Object.entries({
        class: 'weights',
        d: '',
        fill: 'none',
        stroke,
        'stroke-opacity': '0.6',
        'stroke-width': width.toFixed(2),
        'data-level': String(level),
        'data-sign': String(sign),
      }))
        path.setAttribute(k, v);
      paths.push(path);
    });
  at.before(...paths);
  for (const old of bundles) old.remove();
}

/** A weight's line on the page: its clickable line, its neurons and its ends, as path text. */
interface Weight {
  hit: SVGLineElement;
  from: number;
  to: number;
  segment: string;
}

/** The elements of a diagram on the page that follow the weights and the pictures. */
export class LiveNetwork {
  private readonly pictures = new Map<string, CanvasRenderingContext2D | null>();
  private readonly paths: SVGPathElement[] = [];
  /** The weights' lines, by layer of weights. */
  private readonly lines: Weight[][] = [];
  private readonly biases: SVGRectElement[][] = [];

  constructor(root: Element) {
    for (const canvas of root.querySelectorAll<HTMLCanvasElement>('g.neuron canvas')) {
      const g = canvas.closest<SVGGElement>('g.neuron')!;
      this.pictures.set(`${g.dataset.layer} ${g.dataset.index}`, canvas.getContext('2d'));
    }
    for (const p of root.querySelectorAll<SVGPathElement>('path.weights[data-level]'))
      this.paths[2 * Number(p.dataset.level) + Number(p.dataset.sign)] = p;
    for (const hit of root.querySelectorAll<SVGLineElement>('line.weight-hit')) {
      const [l, from, to] = ['layer', 'from', 'to'].map((k) => Number(hit.dataset[k]));
      const at = (a: string): string | null => hit.getAttribute(a);
      const segment = `M${at('x1')} ${at('y1')}L${at('x2')} ${at('y2')}`;
      (this.lines[l] ??= []).push({ hit, from, to, segment });
    }
    for (const rect of root.querySelectorAll<SVGRectElement>('rect.bias'))
      (this.biases[Number(rect.dataset.layer)] ??= [])[Number(rect.dataset.to)] = rect;
  }

  /** Copies each neuron's pixels (`images[layer][index]`, RGBA NEURON_RESOLUTION²) into its canvas. */
  paint(images: readonly (readonly Uint8ClampedArray<ArrayBuffer>[])[]): void {
    const size = NEURON_RESOLUTION * NEURON_RESOLUTION * 4;
    for (const [key, ctx] of this.pictures) {
      const [l, i] = key.split(' ').map(Number);
      const pixels = images[l]?.[i];
      if (ctx !== null && pixels?.length === size)
        ctx.putImageData(new ImageData(pixels, NEURON_RESOLUTION), 0, 0);
    }
  }

  /**
   * Draws the weights of `model`: each line in the path of its sign and width (|w| / max |w| in
   * WIDTH_LEVELS steps), each bias's square coloured by its sign and shaded by its size; with
   * `labels`, also each value in the tooltips and names of the lines and squares.
   */
  weights(model: Module, labels: boolean): void {
    const linears = layersOf(model).filter((l): l is Linear => l instanceof Linear);
    let maxW = 1e-12;
    for (const linear of linears)
      for (const v of linear.weight.data) if (Math.abs(v) > maxW) maxW = Math.abs(v);
    const d = this.paths.map(() => [] as string[]);
    linears.forEach((linear, l) => {
      const w = linear.weight.data;
      for (const { hit, from, to, segment } of this.lines[l] ?? []) {
        const v = Number(w[to * linear.inFeatures + from]);
        if (!Number.isFinite(v)) continue;
        d[2 * Math.round((WIDTH_LEVELS * Math.abs(v)) / maxW) + (v >= 0 ? 0 : 1)]?.push(segment);
        if (labels) relabel(hit, v);
      }
      this.bias(linear, l, labels);
    });
    this.paths.forEach((path, k) => {
      const text = d[k].join('');
      if (path.getAttribute('d') !== text) path.setAttribute('d', text);
    });
  }

  private bias(linear: Linear, l: number, labels: boolean): void {
    const bias = linear.bias?.data;
    if (bias === undefined) return;
    let largest = 1e-12;
    for (const v of bias) largest = Math.max(largest, Math.abs(v));
    for (let to = 0; to < bias.length; to++) {
      const rect = this.biases[l]?.[to];
      if (rect === undefined) continue;
      for (const [k, v] of Object.entries(biasFill(Number(bias[to]), largest)))
        if (rect.getAttribute(k) !== v) rect.setAttribute(k, v);
      if (labels) relabel(rect, Number(bias[to]));
    }
  }
}

/** Writes a new value into a weight's or bias's tooltip and name ("… value v: Enter to edit"). */
function relabel(e: SVGElement, value: number): void {
  const v = Number(value).toPrecision(3);
  const name = e.getAttribute('aria-label') ?? '';
  const named = name.replace(/value [^:]*:/, `value ${v}:`);
  if (named !== name) e.setAttribute('aria-label', named);
  const title = e.firstElementChild;
  if (title === null) return;
  const text = (title.textContent ?? '').replace(/= \S+ \(/, `= ${v} (`);
  if (text !== title.textContent) title.textContent = text;
}
