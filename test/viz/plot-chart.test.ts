import { describe, expect, it } from 'vitest';
import { classColor, lineChart, logAxis, plotGradientNorms } from '../../src/viz/plot/index.js';
import { group, legendNames, seriesPaths, texts, ticks, yTickPixels } from './plot-helpers.js';

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

describe('plots given arguments of the wrong sort', () => {
  it('refuse them by name', () => {
    expect(() => lineChart(null as never)).toThrow(
      'lineChart: options must be an object, got null',
    );
    expect(() => lineChart({ series: [{ name: 'a', y: null as never }] })).toThrow(
      /series "a" needs y values/,
    );
    expect(() => plotGradientNorms({ layer: 3 } as never)).toThrow(
      'plotGradientNorms: norms.layer must be a list of numbers, got 3',
    );
    expect(() => classColor('x' as never, 1)).toThrow(TypeError);
    expect(() => logAxis('1' as never, 10)).toThrow(/^logAxis: min must be a number > 0/);
  });
});
