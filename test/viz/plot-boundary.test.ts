import { describe, expect, it } from 'vitest';
import { Linear, mlp, randint, randn, tensor } from '../../src/index.js';
import { plotDecisionBoundary } from '../../src/viz/plot/index.js';
import { group, legendNames, texts } from './plot-helpers.js';

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
