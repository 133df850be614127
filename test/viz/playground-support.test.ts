/**
 * The pieces of nabla's pictures that the playground reuses: the class and diverging colours, the
 * decision grid behind plotDecisionBoundary, and neuronDiagram's compact layout with images.
 */
import { describe, expect, it } from 'vitest';
import { Linear, mlp, tensor } from '../../src/index.js';
import {
  classColor,
  classPointColor,
  decisionGrid,
  divergingColor,
  formatNumber,
  neuronDiagram,
  plotDecisionBoundary,
} from '../../src/viz.js';

describe('class and diverging colours', () => {
  it('gives the palette mixed with white by confidence, as plotDecisionBoundary paints it', () => {
    // #4e79a7 at 12 % … 62 %: 255 + (c − 255)·amount, rounded.
    expect(classColor(0, 0)).toEqual([234, 239, 244]);
    expect(classColor(0, 1)).toEqual([145, 172, 200]);
    expect(classColor(1, 0.5)).toEqual([
      Math.round(255 + (0xf2 - 255) * 0.37),
      Math.round(255 + (0x8e - 255) * 0.37),
      Math.round(255 + (0x2b - 255) * 0.37),
    ]);
    // clamped, cycling after ten classes
    expect(classColor(0, 7)).toEqual(classColor(0, 1));
    expect(classColor(0, NaN)).toEqual(classColor(0, 0));
    expect(classColor(10, 0.3)).toEqual(classColor(0, 0.3));
    expect(classPointColor(0)).toBe('#4e79a7');
    expect(classPointColor(1)).toBe('#f28e2b');
    expect(classPointColor(12)).toBe('#e15759');
  });

  it('runs from orange through white to blue', () => {
    expect(divergingColor(1)).toEqual([33, 102, 172]);
    expect(divergingColor(-1)).toEqual([230, 97, 1]);
    expect(divergingColor(0)).toEqual([255, 255, 255]);
    expect(divergingColor(-0.5)).toEqual([243, 176, 128]);
    expect(divergingColor(0.25)).toEqual([200, 217, 234]);
    expect(divergingColor(3)).toEqual(divergingColor(1));
    expect(divergingColor(NaN)).toEqual([255, 255, 255]);
  });
});

describe('decisionGrid', () => {
  // Logits (−x₁, x₁): class 1 right of x₁ = 0.
  const model = new Linear(2, 2);
  model.weight.data.set([-1, 0, 1, 0]);
  model.bias!.data.set([0, 0]);

  it('gives the class and the confidence (p_max − 1/k)/(1 − 1/k) of each point', () => {
    const g = decisionGrid(
      model,
      tensor([
        [-1, 0],
        [0.5, 3],
        [0, 0],
      ]),
    );
    expect(g.k).toBe(2);
    expect(Array.from(g.classes)).toEqual([0, 1, 0]);
    // p = σ(2) at x₁ = ±1 (logit difference 2), σ(1) at 0.5
    const sig = (z: number): number => 1 / (1 + Math.exp(-z));
    expect(g.confidence[0]).toBeCloseTo(2 * sig(2) - 1, 6);
    expect(g.confidence[1]).toBeCloseTo(2 * sig(1) - 1, 6);
    expect(g.confidence[2]).toBe(0);
  });

  it('reads one output as the logit of class 1 and refuses other shapes, leaving the mode as it was', () => {
    const binary = new Linear(2, 1);
    binary.weight.data.set([0, 2]);
    binary.bias!.data.set([0]);
    binary.train();
    const g = decisionGrid(
      binary,
      tensor([
        [0, 1],
        [0, -0.5],
      ]),
    );
    expect(binary.training).toBe(true);
    expect(Array.from(g.classes)).toEqual([1, 0]);
    expect(g.confidence[0]).toBeCloseTo(2 / (1 + Math.exp(-2)) - 1, 6);
    const probs = decisionGrid(new Linear(2, 3), tensor([[0.2, 0.3]]), 'probabilities');
    expect(probs.k).toBe(3);
    expect(() =>
      decisionGrid(new Linear(2, 3), tensor(new Float32Array(8)).reshape([2, 2, 2])),
    ).toThrow(
      /decisionGrid: the model should give \[n, classes\] for inputs \[2, 2, 2\], got \[2, 2, 3\]/,
    );
  });

  it('is what plotDecisionBoundary colours its cells with', () => {
    const data = {
      x: tensor([
        [-1, -1],
        [1, 1],
      ]),
      y: tensor([0, 1], { dtype: 'int32' }),
    };
    const svg = plotDecisionBoundary(model, data, { resolution: 4 });
    const hex = (rgb: number[]): string =>
      '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('');
    const fills = [...svg.matchAll(/<rect [^>]*fill="(#[0-9a-f]{6})" data-class="(\d)"/g)].map(
      (m) => m[1],
    );
    expect(fills.length).toBeGreaterThan(0);
    // Every cell colour is classColor of a class at one of the ten confidence levels.
    const allowed = new Set<string>();
    for (const k of [0, 1]) for (let l = 0; l < 10; l++) allowed.add(hex(classColor(k, l / 9)));
    for (const f of fills) expect(allowed.has(f)).toBe(true);
  });
});

describe('neuronDiagram for the playground', () => {
  it('draws an image in each neuron, names the inputs and outputs, and tags each neuron', () => {
    const model = mlp([2, 3, 2], { activation: 'tanh' });
    const seen: [number, number][] = [];
    const svg = neuronDiagram(model, undefined, {
      compact: true,
      neuronImages: (l, i) => {
        seen.push([l, i]);
        return l === 1 && i === 2 ? undefined : `data:image/png;base64,L${l}N${i}`;
      },
      inputNames: ['x₁', 'sin x₂'],
      outputNames: ['class 0', 'class <1>'],
    });
    expect(seen).toHaveLength(7);
    expect(svg.match(/<image /g)).toHaveLength(6);
    expect(svg).toContain('href="data:image/png;base64,L0N1"');
    // the neuron without an image is a plain (white, no example) circle
    expect(svg.match(/<circle [^>]*fill="white"/g)).toHaveLength(1);
    expect(svg).toContain('>x₁</text>');
    expect(svg).toContain('>sin x₂</text>');
    expect(svg).toContain('>class &lt;1&gt;</text>');
    expect(svg).toContain('<g class="neuron" data-layer="2" data-index="1">');
    expect(svg).toContain('<title>hidden 1, neuron 3</title>');
    for (const name of ['input', 'hidden 1', 'output']) expect(svg).toContain(`>${name}</text>`);
    // compact: the weights of one sign and width share a path, one segment each
    expect(svg).not.toContain('<line ');
    const paths = [
      ...svg.matchAll(
        /<path class="weights" d="([^"]*)" fill="none" stroke="([^"]*)" stroke-opacity="0.6" stroke-width="([^"]*)"/g,
      ),
    ];
    expect(paths.flatMap((p) => p[1].match(/M/g) ?? [])).toHaveLength(2 * 3 + 3 * 2);
    const weights = model
      .parameters()
      .filter((p) => p.ndim === 2)
      .flatMap((p) => Array.from(p.data));
    const maxW = Math.max(...weights.map(Math.abs));
    const w = weights[0];
    const width = (0.3 + (2.7 * Math.round((12 * Math.abs(w)) / maxW)) / 12).toFixed(2);
    const stroke = w >= 0 ? '#2166ac' : '#e66101';
    expect(paths.some((p) => p[2] === stroke && p[3] === width)).toBe(true);
    // thin ones first, the thickest on top
    const widths = paths.map((p) => Number(p[3]));
    expect(widths).toEqual([...widths].sort((a, b) => a - b));
  });

  it('fits a 7-16-16-16-16-5 network into about 600 × 450 with legible text', () => {
    const model = mlp([7, 16, 16, 16, 16, 5], { activation: 'relu' });
    const x = tensor([0.1, 0.2, 0.01, 0.04, 0.02, 0.1, 0.2]);
    const svg = neuronDiagram(model, x, {
      compact: true,
      width: 600,
      neuronImages: () => 'data:,',
      inputNames: ['x₁', 'x₂', 'x₁²', 'x₂²', 'x₁x₂', 'sin x₁', 'sin x₂'],
    });
    const [, w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number);
    expect(w).toBe(600);
    expect(h).toBeLessThanOrEqual(460);
    const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10);
    expect(svg.match(/<image /g)).toHaveLength(76);
    // every neuron's activation: in its tooltip and as a dot at its corner
    expect(svg.match(/<circle /g)).toHaveLength(76);
    const h1 = model.at(1).call(model.at(0).call(x.unsqueeze(0))).data[0];
    expect(svg).toContain(`<title>hidden 1, neuron 1: activation ${formatNumber(h1)}</title>`);
    // all neurons and names lie inside the picture
    for (const m of svg.matchAll(/<text x="([-\d.]+)"/g)) {
      expect(Number(m[1])).toBeGreaterThanOrEqual(0);
      expect(Number(m[1])).toBeLessThanOrEqual(w);
    }
    // the input names sit left of the input neurons, in the margin
    const name =
      /<text x="([\d.]+)" y="[\d.]+" text-anchor="end" font-size="11" fill="#222">sin x₂</.exec(
        svg,
      )!;
    expect(Number(name[1])).toBeGreaterThan(40);
  });

  it('keeps the classic layout and its limits', () => {
    expect(() => neuronDiagram(mlp([50, 40, 10]), tensor(new Float32Array(50)))).toThrow(
      /at most 80; 100 with compact/,
    );
    expect(() => neuronDiagram(mlp([50, 40, 11]), undefined, { compact: true })).toThrow(
      /101 neurons are too many to draw legibly \(at most 100\)/,
    );
    expect(() => neuronDiagram(mlp([2, 2]), undefined, { gradients: true })).toThrow(
      /gradients need an example x/,
    );
    const classic = neuronDiagram(mlp([2, 2]), undefined);
    expect(classic.match(/<circle [^>]*r="17" fill="white"/g)).toHaveLength(4);
  });
});
