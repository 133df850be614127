/**
 * The heat maps the training worker draws for the page (pictures.ts), in Node: the boundary's
 * pixels are the library's decision colours of the grid, each neuron has its picture, and the
 * page knows when a set of pictures no longer fits its settings.
 */
import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import { buildModel } from '../../playground/src/model.js';
import {
  BOUNDARY_RESOLUTION,
  CURVE_POINTS,
  NEURON_RESOLUTION,
  drawPictures,
  picturesFit,
  transferables,
} from '../../playground/src/pictures.js';
import { DEFAULT_SETTINGS, type Settings } from '../../playground/src/settings.js';
import { boundaryGrid } from '../../playground/src/views/activations.js';
import { decisionColor, gridPixels } from '../../playground/src/views/pixels.js';

const settings = (over: Partial<Settings> = {}): Settings => ({
  ...structuredClone(DEFAULT_SETTINGS),
  ...over,
});

describe('the pictures the worker draws', () => {
  it('gives the decision colours of the grid and one picture a neuron', () => {
    const s = settings({ hidden: [3, 2] });
    const model = buildModel(s, new Generator(1));
    const p = drawPictures(model, s);
    const grid = boundaryGrid(model, s, BOUNDARY_RESOLUTION);
    expect(p.regions).toEqual(gridPixels(BOUNDARY_RESOLUTION, decisionColor(grid, false)));
    expect(p.curve).toBeUndefined();
    expect(p.neurons.map((layer) => layer.length)).toEqual([s.features.length, 3, 2, 2]);
    // each neuron's picture as RGBA pixels, opaque, handed over with the regions
    for (const pixels of p.neurons.flat()) {
      expect(pixels).toHaveLength(NEURON_RESOLUTION * NEURON_RESOLUTION * 4);
      expect(pixels.filter((_, k) => k % 4 === 3).every((a) => a === 255)).toBe(true);
    }
    expect(transferables(p)).toEqual([
      p.regions!.buffer,
      ...p.neurons.flat().map((pixels) => pixels.buffer),
    ]);
  });

  it('gives a regression curve as ŷ at its points', () => {
    const s = settings({ mode: 'regression', target: 'curve', features: ['x'] });
    const p = drawPictures(buildModel(s, new Generator(1)), s);
    expect(p.curve?.length).toBe(CURVE_POINTS);
    expect(p.regions).toBeUndefined();
  });

  it('no longer fits when the mode or discretize changes', () => {
    const s = settings();
    const p = drawPictures(buildModel(s, new Generator(1)), s);
    expect(picturesFit(p, s)).toBe(true);
    expect(picturesFit(undefined, s)).toBe(false);
    expect(picturesFit(p, { ...s, discretize: !s.discretize })).toBe(false);
    expect(picturesFit(p, { ...s, mode: 'regression' })).toBe(false);
  });
});
