import { describe, expect, it } from 'vitest';
import { Linear, mlp, randint, randn, tensor, type History } from '../../src/index.js';
import {
  gradientNorms,
  linearAxis,
  lineChart,
  logAxis,
  niceStep,
  plotAccuracy,
  plotDecisionBoundary,
  plotGradientNorms,
  plotLearningRates,
  plotLoss,
} from '../../src/viz/plot/index.js';

/** A tiny reading of the charts' SVG text: enough to check what a chart says. */

const unescape = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The content of the first `<g class="…">` group with that class (nested groups included). */
function group(svg: string, cls: string): string {
  const start = svg.indexOf(`<g class="${cls}"`);
  if (start < 0) return '';
  const open = svg.indexOf('>', start) + 1;
  const re = /<g[\s>]|<\/g>/g;
  re.lastIndex = open;
  let depth = 1;
  for (let m = re.exec(svg); m !== null; m = re.exec(svg)) {
    depth += m[0] === '</g>' ? -1 : 1;
    if (depth === 0) return svg.slice(open, m.index);
  }
  return svg.slice(open);
}

/** The texts of `<text>` elements, unescaped; with a class, only those of that class. */
function texts(svg: string, cls?: string): string[] {
  const out: string[] = [];
  const re = /<text([^>]*)>([^<]*)<\/text>/g;
  for (let m = re.exec(svg); m !== null; m = re.exec(svg)) {
    if (cls === undefined || m[1].includes(`class="${cls}"`)) out.push(unescape(m[2]));
  }
  return out;
}

/** The tick labels of an axis. */
const ticks = (svg: string, axis: 'x' | 'y'): string[] => texts(group(svg, `axis ${axis}-axis`));

/** The legend's names. */
const legendNames = (svg: string): string[] => texts(group(svg, 'legend'));

/** The series paths: name and the runs of points (each `M…L…` sub-path a list of [x, y]). */
function seriesPaths(svg: string): { name: string; runs: [number, number][][] }[] {
  const out: { name: string; runs: [number, number][][] }[] = [];
  const re = /<path class="series" data-name="([^"]*)" d="([^"]*)"/g;
  for (let m = re.exec(svg); m !== null; m = re.exec(svg)) {
    const runs = m[2]
      .split('M')
      .filter((r) => r.length > 0)
      .map((r) => r.split('L').map((p) => p.split(' ').map(Number) as [number, number]));
    out.push({ name: unescape(m[1]), runs });
  }
  return out;
}

/** The y pixel of each labelled tick of the y axis, by label. */
function yTickPixels(svg: string): Map<string, number> {
  const out = new Map<string, number>();
  const re =
    /<line x1="[^"]*" x2="[^"]*" y1="([^"]*)" y2="[^"]*" stroke="#444"\/><text class="tick"[^>]*>([^<]*)<\/text>/g;
  const g = group(svg, 'axis y-axis');
  for (let m = re.exec(g); m !== null; m = re.exec(g)) out.set(unescape(m[2]), Number(m[1]));
  return out;
}

describe('ticks', () => {
  it('linear ticks step by 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(1, 4)).toBe(0.2);
    expect(niceStep(700, 6)).toBe(100);
    const a = linearAxis(0.13, 0.92, 5);
    expect(a.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(a.labels).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(a.domain).toEqual([0, 1]);
  });

  it('log ticks are decades, with 2 and 5 between them on short ranges', () => {
    const a = logAxis(0.003, 2);
    expect(a.ticks).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(a.labels).toEqual(['0.001', '0.01', '0.1', '1', '10']);
    expect(logAxis(0.15, 1.3, 8, { exact: true }).labels).toEqual(['0.2', '0.5', '1']);
    expect(logAxis(1e-9, 1e3, 7).labels).toEqual(['1e-8', '1e-6', '0.0001', '0.01', '1', '100']);
    expect(() => logAxis(0, 1)).toThrow(/log axis needs finite values > 0/);
  });
});

describe('lineChart', () => {
  it('writes the title, the axis labels, the legend and one point per value', () => {
    const svg = lineChart({
      title: 'Loss',
      xLabel: 'epoch',
      yLabel: 'loss',
      series: [
        { name: 'training', y: [1, 0.8, 0.5, 0.4, 0.35] },
        { name: 'validation', x: [1, 2, 3, 4, 5], y: [1.1, 0.9, 0.7, 0.6, 0.62] },
      ],
      xInteger: true,
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(texts(svg, 'title')).toEqual(['Loss']);
    expect(texts(svg, 'x-label')).toEqual(['epoch']);
    expect(texts(svg, 'y-label')).toEqual(['loss']);
    expect(legendNames(svg)).toEqual(['training', 'validation']);
    const paths = seriesPaths(svg);
    expect(paths.map((p) => p.name)).toEqual(['training', 'validation']);
    expect(paths.map((p) => p.runs.map((r) => r.length))).toEqual([[5], [5]]);
    // the two lines have different colours
    const strokes = [...svg.matchAll(/class="series"[^>]*stroke="(#[0-9a-f]{6})"/g)].map(
      (m) => m[1],
    );
    expect(new Set(strokes).size).toBe(2);
    // y ticks: 1-2-5 steps covering 0.35…1.1
    const y = ticks(svg, 'y').map(Number);
    expect(y[0]).toBeLessThanOrEqual(0.35);
    expect(y.at(-1)).toBeGreaterThanOrEqual(1.1);
    const step = y[1] - y[0];
    expect([0.1, 0.2, 0.5].some((s) => Math.abs(s - step) < 1e-9)).toBe(true);
    // the x axis counts whole epochs
    expect(ticks(svg, 'x').every((l) => Number.isInteger(Number(l)))).toBe(true);
    // points lie where the scales put them: higher values higher up (smaller pixel y)
    const [first, last] = [paths[0].runs[0][0], paths[0].runs[0][4]];
    expect(first[1]).toBeLessThan(last[1]);
    expect(first[0]).toBeLessThan(last[0]);
  });

  it('leaves gaps for NaN and infinite values', () => {
    const svg = lineChart({
      series: [
        { name: 'gappy', y: [1, 2, Number.NaN, 3, 4, Number.POSITIVE_INFINITY, 2, Number.NaN, 1] },
      ],
    });
    const [p] = seriesPaths(svg);
    expect(p.runs.map((r) => r.length)).toEqual([2, 2, 1, 1]);
    // a lone point still shows (as a dot: markers are on for short series)
    expect((group(svg, 'markers').match(/<circle/g) ?? []).length).toBe(6);
  });

  it('puts the decades of a log axis at equal distances, and drops values ≤ 0', () => {
    const svg = lineChart({
      series: [{ name: 'norm', y: [1e-4, 1e-3, 0, 1e-2, 1e-1, 1] }],
      scale: 'log',
      height: 500,
    });
    const px = yTickPixels(svg);
    expect([...px.keys()]).toEqual(['0.0001', '0.001', '0.01', '0.1', '1']);
    const ys = [...px.values()];
    const gaps = ys.slice(1).map((v, i) => ys[i] - v);
    for (const g of gaps) expect(g).toBeCloseTo(gaps[0], 0);
    expect(gaps[0]).toBeGreaterThan(0);
    const [p] = seriesPaths(svg);
    expect(p.runs.map((r) => r.length)).toEqual([2, 3]);
    // each point sits on its decade's grid line
    expect(p.runs[0][0][1]).toBeCloseTo(px.get('0.0001')!, 0);
    expect(p.runs[1][2][1]).toBeCloseTo(px.get('1')!, 0);
  });

  it('escapes every text for XML', () => {
    const svg = lineChart({
      title: 'a < b & "c"',
      xLabel: "x's",
      yLabel: '<y>',
      series: [{ name: 'p & q', y: [1, 2] }],
    });
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(svg).not.toContain('a < b');
    expect(texts(svg, 'title')).toEqual(['a < b & "c"']);
    expect(texts(svg, 'x-label')).toEqual(["x's"]);
    expect(texts(svg, 'y-label')).toEqual(['<y>']);
    expect(legendNames(svg)).toEqual(['p & q']);
    expect(seriesPaths(svg)[0].name).toBe('p & q');
    // well-formed enough: every < opens a tag
    expect(svg.replace(/<\/?[a-zA-Z][^<>]*>/g, '')).not.toMatch(/[<>]/);
  });

  it('keeps x tick labels apart on a narrow chart', () => {
    const svg = lineChart({ series: [{ name: 's', x: [0, 123456], y: [1, 2] }], width: 200 });
    const xs = [
      ...group(svg, 'axis x-axis').matchAll(/<text class="tick" x="([^"]*)"[^>]*>([^<]*)</g),
    ];
    for (let i = 1; i < xs.length; i++) {
      const gap = Number(xs[i][1]) - Number(xs[i - 1][1]);
      expect(gap).toBeGreaterThan(((xs[i][2].length + xs[i - 1][2].length) / 2) * 12 * 0.58);
    }
  });

  it('says which series is malformed', () => {
    expect(() => lineChart({ series: [{ name: 'a', x: [1, 2], y: [1] }] })).toThrow(
      /series "a" has 2 x values but 1 y values/,
    );
  });
});

const history: History = {
  epochs: [1, 2, 3, 4].map((epoch) => ({
    epoch,
    step: epoch * 3,
    loss: 1 / epoch,
    valLoss: 1.2 / epoch,
    accuracy: 0.5 + epoch / 10,
    valAccuracy: 0.45 + epoch / 10,
    lr: 0.01,
    seconds: 0.1,
    samplesPerSecond: 100,
  })),
  batchLosses: [1.2, 1, 0.9, 0.6, 0.5, 0.45, 0.4, 0.33, 0.3, 0.27, 0.25, 0.24],
  stopReason: 'epochs',
  bestEpoch: 4,
  steps: 12,
  seconds: 0.4,
  nonFinite: [],
};

describe('plotLoss, plotAccuracy, plotLearningRates', () => {
  it('plotLoss draws training and validation loss per epoch', () => {
    const svg = plotLoss(history);
    expect(texts(svg, 'x-label')).toEqual(['epoch']);
    expect(legendNames(svg)).toEqual(['training loss', 'validation loss']);
    const paths = seriesPaths(svg);
    expect(paths.map((p) => p.runs[0].length)).toEqual([4, 4]);
    expect(ticks(svg, 'x')).toEqual(['1', '2', '3', '4']);
  });

  it('plotLoss with perBatch counts steps and puts the epoch means at their last steps', () => {
    const svg = plotLoss(history, { perBatch: true, scale: 'log' });
    expect(texts(svg, 'x-label')).toEqual(['step (mini-batch)']);
    expect(texts(svg, 'y-label')).toEqual(['loss (log scale)']);
    expect(legendNames(svg)).toEqual([
      'training loss per step',
      'training loss, epoch mean',
      'validation loss',
    ]);
    const [steps, means] = seriesPaths(svg);
    expect(steps.runs[0]).toHaveLength(12);
    expect(means.runs[0]).toHaveLength(4);
    // the mean of epoch 2 sits above step 6
    expect(means.runs[0][1][0]).toBeCloseTo(steps.runs[0][5][0], 1);
    expect(texts(svg, 'subtitle')[0]).toContain('12 steps in 4 epochs');
  });

  it('plotAccuracy shows 0% … 100%', () => {
    const svg = plotAccuracy(history);
    expect(legendNames(svg)).toEqual(['training accuracy', 'validation accuracy']);
    const y = ticks(svg, 'y');
    expect(y[0]).toBe('0%');
    expect(y.at(-1)).toBe('100%');
    expect(y.every((l) => /^\d+%$/.test(l))).toBe(true);
    const noAcc = {
      ...history,
      epochs: history.epochs.map((e) => ({ ...e, accuracy: undefined, valAccuracy: undefined })),
    };
    expect(() => plotAccuracy(noAcc)).toThrow(/no accuracy/);
  });

  it('plotLearningRates names each curve by its learning rate', () => {
    const slower = { ...history, epochs: history.epochs.map((e) => ({ ...e, loss: e.loss * 2 })) };
    const svg = plotLearningRates([
      { lr: 0.1, history },
      { lr: 0.001, history: slower },
    ]);
    expect(legendNames(svg)).toEqual(['lr = 0.1', 'lr = 0.001']);
    expect(seriesPaths(svg).map((p) => p.runs[0].length)).toEqual([4, 4]);
    expect(texts(svg, 'y-label')).toEqual(['training loss (log scale)']);
    expect(() => plotLearningRates([{ lr: -1, history }])).toThrow(/lr must be a number > 0/);
  });
});

describe('gradient norms', () => {
  it('gradientNorms gives the L2 norm of each parameter gradient', () => {
    const model = new Linear(2, 1);
    expect(gradientNorms(model)).toEqual({});
    model.weight.grad = tensor([[3, 4]]);
    model.bias!.grad = tensor([-2]);
    expect(gradientNorms(model)).toEqual({ weight: 5, bias: 2 });
  });

  it('plotGradientNorms draws one line per layer, from records or arrays', () => {
    const records = [
      { step: 2, layer: 'a', norm: 0.1 },
      { step: 1, layer: 'a', norm: 1 },
      { step: 1, layer: 'b', norm: 1e-4 },
      { step: 2, layer: 'b', norm: 1e-5 },
    ];
    const svg = plotGradientNorms(records);
    expect(legendNames(svg)).toEqual(['a', 'b']);
    const [a] = seriesPaths(svg);
    expect(a.runs[0][0][1]).toBeLessThan(a.runs[0][1][1]); // sorted by step: 1 then 0.1, going down
    expect(ticks(svg, 'y')).toEqual(['1e-5', '0.0001', '0.001', '0.01', '0.1', '1']);
    const svg2 = plotGradientNorms({
      'layers.0.weight': [1, 2, 3],
      'layers.2.weight': [0.1, 0, 0.3],
    });
    expect(legendNames(svg2)).toEqual(['layers.0.weight', 'layers.2.weight']);
    expect(seriesPaths(svg2).map((p) => p.runs.map((r) => r.length))).toEqual([[3], [1, 1]]);
  });
});

describe('plotDecisionBoundary', () => {
  // Logits (−x₁, x₁): class 1 right of x₁ = 0, class 0 left of it.
  const model = new Linear(2, 2);
  model.weight.data.set([-1, 0, 1, 0]);
  model.bias!.data.set([0, 0]);
  const data = {
    x: tensor([
      [-1, -1],
      [-0.5, 1],
      [0.5, 0.5],
      [1, -1],
    ]),
    y: tensor([0, 0, 1, 1], { dtype: 'int32' }),
  };

  it('colours the left half as class 0 and the right half as class 1', () => {
    const svg = plotDecisionBoundary(model, data, { resolution: 20, classes: ['left', 'right'] });
    expect(legendNames(svg)).toEqual(['left', 'right']);
    expect(texts(svg, 'title')).toEqual(['Decision boundary']);
    const rects = [
      ...group(svg, 'heatmap').matchAll(
        /<rect x="([^"]*)" y="[^"]*" width="([^"]*)" height="[^"]*" fill="([^"]*)" data-class="(\d)"/g,
      ),
    ].map((m) => ({ x: Number(m[1]), w: Number(m[2]), fill: m[3], cls: Number(m[4]) }));
    expect(rects.length).toBeGreaterThanOrEqual(20);
    // the boundary lies at pixel x of data x = 0
    const plotArea = /<rect class="plot-area" x="([^"]*)" y="[^"]*" width="([^"]*)"/.exec(svg)!;
    const [left, width] = [Number(plotArea[1]), Number(plotArea[2])];
    const xTicks = [
      ...group(svg, 'axis x-axis').matchAll(
        /x1="([^"]*)"[^>]*\/><text class="tick"[^>]*>([^<]*)</g,
      ),
    ];
    const zero = Number(xTicks.find((m) => m[2] === '0')![1]);
    expect(zero).toBeCloseTo(left + width / 2, 0);
    for (const r of rects) {
      const centre = r.x + r.w / 2;
      expect(r.cls).toBe(centre < zero ? 0 : 1);
    }
    // class colours: blue-ish left (palette 0), orange-ish right (palette 1), paler near the boundary
    const hue = (fill: string): number[] =>
      [1, 3, 5].map((i) => parseInt(fill.slice(i, i + 2), 16));
    const leftmost = rects.find((r) => Math.abs(r.x - left) < 1)!;
    const [r0, , b0] = hue(leftmost.fill);
    expect(b0).toBeGreaterThan(r0);
    const rightmost = rects.filter((r) => r.cls === 1).at(-1)!;
    const [r1, , b1] = hue(rightmost.fill);
    expect(r1).toBeGreaterThan(b1);
    const nearBoundary = rects.find(
      (r) => r.cls === 0 && Math.abs(r.x + r.w - zero) < 1 && r.w < width / 2,
    );
    if (nearBoundary !== undefined) {
      expect(hue(nearBoundary.fill).reduce((a, b) => a + b)).toBeGreaterThan(
        hue(leftmost.fill).reduce((a, b) => a + b),
      );
    }
    // the data points, coloured by their true class
    const dots = [
      ...group(svg, 'points').matchAll(
        /<circle cx="([^"]*)" cy="[^"]*" r="[^"]*" fill="([^"]*)" data-class="(\d)"/g,
      ),
    ];
    expect(dots.map((d) => Number(d[3]))).toEqual([0, 0, 1, 1]);
    expect(dots.every((d) => Number(d[1]) < zero === (d[3] === '0'))).toBe(true);
  });

  it('leaves the model as it was and keeps the file small at resolution 100', () => {
    const net = mlp([2, 16, 3], { activation: 'tanh' });
    const points = { x: randn([200, 2]), y: randint(0, 3, [200]) };
    net.train();
    const svg = plotDecisionBoundary(net, points);
    expect(net.training).toBe(true);
    expect(svg.length).toBeLessThan(2_000_000);
    expect(legendNames(svg)).toEqual(['class 0', 'class 1', 'class 2']);
    expect((group(svg, 'points').match(/<circle/g) ?? []).length).toBe(200);
  });

  it('reads one output as the logit of class 1', () => {
    const binary = new Linear(2, 1);
    binary.weight.data.set([0, 1]); // class 1 above x₂ = 0
    binary.bias!.data.set([0]);
    const svg = plotDecisionBoundary(binary, data, {
      resolution: 10,
      classes: ['below', 'above & <on>'],
    });
    expect(legendNames(svg)).toEqual(['below', 'above & <on>']);
    const rows = [
      ...group(svg, 'heatmap').matchAll(/<rect x="[^"]*" y="([^"]*)"[^>]*data-class="(\d)"/g),
    ].map((m) => ({ y: Number(m[1]), cls: Number(m[2]) }));
    expect(rows).toHaveLength(10); // one run per row
    expect(rows.map((r) => r.cls)).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('refuses data that is not 2-D', () => {
    expect(() =>
      plotDecisionBoundary(model, { x: tensor([[1, 2, 3]]), y: tensor([0], { dtype: 'int32' }) }),
    ).toThrow(/data.x must be a tensor of shape \[n, 2\], got \[1, 3\]/);
  });
});
