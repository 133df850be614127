import { describe, expect, it } from 'vitest';
import type { LabeledData } from '../../src/data/dataset.js';
import {
  circles,
  gaussians,
  moons,
  regression1d,
  spiral,
  xor,
  type ToyClassOptions,
} from '../../src/data/toy.js';

type Make = (options?: ToyClassOptions) => LabeledData;

const generators: [string, Make, number][] = [
  ['spiral', spiral, 2],
  ['circles', circles, 2],
  ['xor', xor, 2],
  ['gaussians', gaussians, 2],
  ['moons', moons, 2],
];

/** The points of a data set as [x, y, label] triples. */
function points(d: LabeledData): [number, number, number][] {
  const n = d.y.shape[0];
  return Array.from({ length: n }, (_, i) => [d.x.data[2 * i], d.x.data[2 * i + 1], d.y.data[i]]);
}

function classCounts(d: LabeledData, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const v of d.y.data) counts[v]++;
  return counts;
}

describe.each(generators)('%s', (_name, make, classes) => {
  it('gives float32 [n, 2] points and int32 [n] labels, 200 by default', () => {
    const d = make();
    expect(d.x.dtype).toBe('float32');
    expect(d.x.shape).toEqual([200, 2]);
    expect(d.y.dtype).toBe('int32');
    expect(d.y.shape).toEqual([200]);
    expect(Array.from(d.x.data).every(Number.isFinite)).toBe(true);
  });

  it('balances the classes', () => {
    expect(classCounts(make(), classes)).toEqual([100, 100]);
    expect(classCounts(make({ samples: 7 }), classes)).toEqual([3, 4]);
  });

  it('is determined by the seed, with a fixed default', () => {
    expect(make().x.data).toEqual(make({ seed: 0 }).x.data);
    expect(make({ seed: 3 }).x.data).toEqual(make({ seed: 3 }).x.data);
    expect(make({ seed: 3 }).y.data).toEqual(make({ seed: 3 }).y.data);
    expect(make({ seed: 3 }).x.data).not.toEqual(make({ seed: 4 }).x.data);
  });

  it('shuffles the order unless asked not to', () => {
    const grouped = Array.from(make({ shuffle: false }).y.data);
    expect(grouped).toEqual([...grouped].sort((a, b) => a - b));
    const shuffled = Array.from(make().y.data);
    expect(shuffled).not.toEqual([...shuffled].sort((a, b) => a - b));
  });

  it('refuses bad options with the generator named', () => {
    expect(() => make({ samples: 1 })).toThrow(
      /samples \(at least one point per class\) must be an integer ≥ 2, got 1/,
    );
    expect(() => make({ noise: -0.1 })).toThrow(/noise must be a finite number ≥ 0, got -0.1/);
    expect(() => make({ seed: 0.5 })).toThrow(/seed must be an integer, got 0.5/);
  });
});

describe('where the classes are (noise 0)', () => {
  it('xor: class 1 exactly where the coordinates have different signs', () => {
    const pts = points(xor({ noise: 0, samples: 400 }));
    for (const [a, b, label] of pts) {
      expect(Math.min(Math.abs(a), Math.abs(b))).toBeGreaterThanOrEqual(0.05 - 1e-7);
      expect(Math.max(Math.abs(a), Math.abs(b))).toBeLessThanOrEqual(1);
      expect(label).toBe(a * b < 0 ? 1 : 0);
    }
    // all four quadrants are used
    expect(new Set(pts.map(([a, b]) => `${Math.sign(a)}${Math.sign(b)}`)).size).toBe(4);
  });

  it('circles: class 1 inside radius 0.5, class 0 in the ring from 0.7 to 1', () => {
    for (const [a, b, label] of points(circles({ noise: 0 }))) {
      const r = Math.hypot(a, b);
      if (label === 1) expect(r).toBeLessThanOrEqual(0.5 + 1e-6);
      else {
        expect(r).toBeGreaterThanOrEqual(0.7 - 1e-6);
        expect(r).toBeLessThanOrEqual(1 + 1e-6);
      }
    }
  });

  it('moons: the upper half circle is class 0, the shifted lower one class 1 (make_moons)', () => {
    for (const [a, b, label] of points(moons({ noise: 0 }))) {
      if (label === 0) {
        expect(Math.hypot(a, b)).toBeCloseTo(1, 5);
        expect(b).toBeGreaterThanOrEqual(-1e-6);
      } else {
        expect(Math.hypot(a - 1, b - 0.5)).toBeCloseTo(1, 5);
        expect(b).toBeLessThanOrEqual(0.5 + 1e-6);
      }
    }
    const first = points(moons({ noise: 0, shuffle: false, samples: 4 }));
    expect(first.map(([a, b]) => [+a.toFixed(5), +b.toFixed(5)])).toEqual([
      [1, 0],
      [-1, 0],
      [0, 0.5],
      [2, 0.5],
    ]);
  });

  it('spiral: each arm is the class-k rotation of the first', () => {
    const classes = 3;
    const d = spiral({ noise: 0, classes, samples: 300, shuffle: false });
    expect(classCounts(d, classes)).toEqual([100, 100, 100]);
    points(d).forEach(([a, b, label], row) => {
      const i = row - label * 100;
      const r = (i + 1) / 100;
      const angle = 2 * Math.PI * (r + label / classes);
      expect(a).toBeCloseTo(r * Math.cos(angle), 5);
      expect(b).toBeCloseTo(r * Math.sin(angle), 5);
    });
  });

  it('gaussians: every point of class k sits on its centre; noise spreads around it', () => {
    const d = gaussians({ noise: 0, classes: 4 });
    expect(classCounts(d, 4)).toEqual([50, 50, 50, 50]);
    for (const [a, b, label] of points(d)) {
      const angle = Math.PI / 4 + (2 * Math.PI * label) / 4;
      expect(a).toBeCloseTo(0.6 * Math.cos(angle), 6);
      expect(b).toBeCloseTo(0.6 * Math.sin(angle), 6);
    }
    const noisy = points(gaussians({ noise: 0.1, samples: 2000 }));
    for (const k of [0, 1]) {
      const mine = noisy.filter((p) => p[2] === k);
      const mean = [0, 1].map((c) => mine.reduce((s, p) => s + p[c], 0) / mine.length);
      const angle = Math.PI / 4 + Math.PI * k;
      expect(mean[0]).toBeCloseTo(0.6 * Math.cos(angle), 1);
      expect(mean[1]).toBeCloseTo(0.6 * Math.sin(angle), 1);
    }
  });

  it('spiral and gaussians take any number of classes', () => {
    expect(classCounts(spiral({ classes: 5 }), 5)).toEqual([40, 40, 40, 40, 40]);
    expect(classCounts(gaussians({ classes: 3, samples: 7 }), 3)).toEqual([2, 2, 3]);
    expect(classCounts(spiral({ classes: 1, samples: 10 }), 1)).toEqual([10]);
    expect(() => spiral({ classes: 0 })).toThrow('spiral: classes must be an integer ≥ 1, got 0');
    expect(() => spiral({ turns: 0 })).toThrow(/turns must be a finite number > 0/);
  });
});

describe('regression1d', () => {
  it('draws x in the range and y = fn(x) + noise, both float32 [n, 1]', () => {
    const d = regression1d();
    expect(d.x.shape).toEqual([100, 1]);
    expect(d.y.shape).toEqual([100, 1]);
    expect(d.x.dtype).toBe('float32');
    expect(d.y.dtype).toBe('float32');
    const xs = Array.from(d.x.data);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-Math.PI - 1e-6);
    expect(Math.max(...xs)).toBeLessThanOrEqual(Math.PI + 1e-6);
    const residuals = xs.map((v, i) => d.y.data[i] - Math.sin(v));
    const rms = Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / residuals.length);
    expect(rms).toBeGreaterThan(0.05);
    expect(rms).toBeLessThan(0.15);
  });

  it('is exact without noise, for any function and range', () => {
    const d = regression1d({ samples: 50, noise: 0, fn: (t) => t * t - 1, range: [2, 3] });
    d.x.data.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(2);
      expect(v).toBeLessThanOrEqual(3);
      expect(d.y.data[i]).toBe(Math.fround(v * v - 1));
    });
  });

  it('is determined by the seed', () => {
    expect(regression1d({ seed: 9 }).y.data).toEqual(regression1d({ seed: 9 }).y.data);
    expect(regression1d({ seed: 9 }).y.data).not.toEqual(regression1d({ seed: 10 }).y.data);
  });

  it('refuses a bad range or a function that does not return numbers', () => {
    expect(() => regression1d({ range: [1, 1] })).toThrow(
      'regression1d: range must be [low, high] with finite low < high, got [1, 1]',
    );
    expect(() => regression1d({ fn: Math.log, range: [-1, 1], noise: 0 })).toThrow(
      /regression1d: fn\(-?[\d.e-]+\) returned NaN, not a finite number/,
    );
    expect(() => regression1d({ samples: 0 })).toThrow(/samples .* must be an integer ≥ 1, got 0/);
  });
});
