/**
 * What the training worker now computes for the page, in Node: the warped space's finished
 * geometry (warpPicture: the same numbers as warp() and warpedDecision(), in typed arrays that a
 * postMessage hands over), the choice clamped to the network, the large picture of a shown neuron,
 * and the frame loop that lets a view with nothing new skip its turn.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Generator } from '../../src/index.js';
import { classColor, divergingColor } from '../../src/viz.js';
import { buildModel } from '../../playground/src/model.js';
import { FrameLoop, SLOW_SHARE } from '../../playground/src/frames.js';
import {
  SHOWN_RESOLUTION,
  drawPictures,
  shownPicture,
  shownPixels,
  transferables,
} from '../../playground/src/pictures.js';
import { DEFAULT_SETTINGS, type Settings } from '../../playground/src/settings.js';
import { neuronGrids, neuronScale } from '../../playground/src/views/activations.js';
import { decisionColor, gridPixels } from '../../playground/src/views/pixels.js';
import {
  WARP_DECISION_RESOLUTION,
  clampChoice,
  warp,
  warpPicture,
  warpTransferables,
  warpedDecision,
} from '../../playground/src/views/warp-math.js';

const settings = (over: Partial<Settings> = {}): Settings => ({
  ...structuredClone(DEFAULT_SETTINGS),
  ...over,
});
const data = { points: [0.3, -0.7, -1.2, 0.4, 1, 1], labels: [0, 1, 1] };

describe('the warped space the worker sends', () => {
  it('holds the lines, points and bounds of warp() in one typed array each', () => {
    const s = settings({ hidden: [4, 3] });
    const model = buildModel(s, new Generator(3));
    const p = warpPicture(model, s, data, { layer: 2, neurons: [2, 0] });
    const w = warp(model, s, data.points, 2, [2, 0]);
    expect(p.layer).toBe(2);
    expect(p.neurons).toEqual([2, 0]);
    expect(p.sizes).toEqual([s.features.length, 4, 3, 2]);
    expect(p.samples).toBe(w.lines[0].length / 2);
    expect(p.lines.length).toBe(w.lines.length * w.lines[0].length);
    w.lines.forEach((line, l) =>
      expect(Array.from(p.lines.subarray(l * line.length, (l + 1) * line.length))).toEqual(
        Array.from(line),
      ),
    );
    expect(Array.from(p.points)).toEqual(Array.from(w.points));
    expect(Array.from(p.labels)).toEqual([0, 1, 1]);
    expect(p.axes).toEqual(w.axes);
    expect(p.bounds).toEqual(w.bounds);
    // three neurons in the layer: the plane shown is not the layer's whole space, no background
    expect(p.decision).toBeUndefined();
    expect(warpTransferables(p)).toEqual([p.lines.buffer, p.points.buffer, p.labels.buffer]);
  });

  it('paints the class predicted over the warped plane when the layer has the two neurons shown', () => {
    const s = settings({ hidden: [2], discretize: true });
    const model = buildModel(s, new Generator(5));
    const p = warpPicture(model, s, data, { layer: 1, neurons: [1, 0] });
    const grid = warpedDecision(model, s, 1, [1, 0], p.bounds, WARP_DECISION_RESOLUTION)!;
    expect(p.decision).toEqual(gridPixels(WARP_DECISION_RESOLUTION, decisionColor(grid, true)));
    expect(p.decision!.length).toBe(4 * WARP_DECISION_RESOLUTION ** 2);
    expect(warpTransferables(p)).toContain(p.decision!.buffer);
    // regression has no classes to paint
    const r = settings({ mode: 'regression', target: 'plane', hidden: [2] });
    const rp = warpPicture(buildModel(r, new Generator(5)), r, data, { layer: 1, neurons: [0, 1] });
    expect(rp.decision).toBeUndefined();
    expect(rp.mode).toBe('regression');
  });

  it('clamps a choice to the network it is drawn for', () => {
    const sizes = [2, 4, 3, 2];
    expect(clampChoice(sizes, { layer: 2, neurons: [2, 0] })).toEqual({
      layer: 2,
      neurons: [2, 0],
    });
    expect(clampChoice(sizes, { layer: 9, neurons: [5, 1] })).toEqual({
      layer: 3,
      neurons: [1, 1],
    });
    expect(clampChoice(sizes, { layer: 0, neurons: [-1, 7] })).toEqual({
      layer: 1,
      neurons: [0, 3],
    });
    expect(clampChoice([2, 1], { layer: 1, neurons: [0, 1] })).toEqual({
      layer: 1,
      neurons: [0, 0],
    });
    // the worker draws the clamped choice
    const s = settings({ hidden: [3] });
    const p = warpPicture(buildModel(s, new Generator(1)), s, data, { layer: 4, neurons: [1, 6] });
    expect([p.layer, p.neurons]).toEqual([2, [1, 1]]);
  });
});

describe('the large picture of a shown neuron', () => {
  const s = settings({ hidden: [3, 2] });
  const model = buildModel(s, new Generator(2));
  const grids = neuronGrids(model, s, SHOWN_RESOLUTION);

  it('colours a hidden neuron at its own scale and a class output as its probability', () => {
    const hidden = grids.values[1][2];
    expect(shownPixels(model, s, { layer: 1, index: 2 })).toEqual(
      gridPixels(SHOWN_RESOLUTION, (i) => divergingColor(hidden[i] / neuronScale(hidden))),
    );
    const out = grids.values[3][1];
    expect(shownPixels(model, s, { layer: 3, index: 1 })).toEqual(
      gridPixels(SHOWN_RESOLUTION, (i) => classColor(1, out[i])),
    );
    expect(shownPixels(model, s, { layer: 1, index: 3 })).toBeUndefined();
    expect(shownPixels(model, s, { layer: 7, index: 0 })).toBeUndefined();
  });

  it('comes with the pictures only when asked for, and only for that neuron', () => {
    expect(drawPictures(model, s).shown).toBeUndefined();
    const p = drawPictures(model, s, { layer: 2, index: 1 });
    expect(p.shown?.pixels).toEqual(shownPixels(model, s, { layer: 2, index: 1 }));
    expect(shownPicture(p, { layer: 2, index: 1 })).toBe(p.shown!.pixels);
    expect(shownPicture(p, { layer: 2, index: 0 })).toBeUndefined();
    expect(transferables(p)).toEqual([
      p.regions!.buffer,
      p.shown!.pixels.buffer,
      ...p.neurons.flat().map((pixels) => pixels.buffer),
    ]);
  });
});

describe('the frame loop', () => {
  afterEach(() => vi.unstubAllGlobals());

  /** A loop whose animation frames the test runs by hand, at the times it gives. */
  function manual(loop: FrameLoop): (now: number) => void {
    const queue: ((now: number) => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (f: (now: number) => void) => queue.push(f));
    loop.start();
    return (now) => queue.shift()!(now);
  }

  it('lets a view with nothing new pass its turn to the next, and times only drawings', () => {
    const drawn: string[] = [];
    let warpHasNew = false;
    const view = (name: string, draw: () => boolean | void) => ({
      name,
      draw: () => {
        const r = draw();
        if (r !== false) drawn.push(name);
        return r;
      },
    });
    const loop = new FrameLoop(
      view('fast', () => undefined),
      [view('warp', () => warpHasNew), view('network', () => undefined)],
      { running: () => true, onError: (e) => expect.fail(e.message), slowEveryMs: 100 },
    );
    const frame = manual(loop);
    frame(0);
    // the warp view had nothing new: the network drew in the same frame
    expect(drawn).toEqual(['fast', 'network']);
    expect(Object.keys(loop.timings).sort()).toEqual(['fast', 'network']);
    loop.invalidate();
    warpHasNew = true;
    frame(16);
    expect(drawn).toEqual(['fast', 'network', 'fast', 'warp']);
    expect(loop.timings.warp).toBeGreaterThanOrEqual(0);
    // the network view waits for its turn while training runs: at most every 100 ms
    frame(32);
    expect(drawn.slice(4)).toEqual([]);
    frame(120);
    expect(drawn.slice(4)).toEqual(['network']);
  });

  it('makes a slow view that takes long wait longer, so that it spends at most its share', () => {
    let clock = 0;
    vi.stubGlobal('performance', { now: () => clock });
    const drawn: number[] = [];
    const network = {
      name: 'network',
      draw: () => {
        drawn.push(clock);
        clock += 50; // a drawing of 50 ms, as on a loaded machine
      },
    };
    const loop = new FrameLoop({ name: 'fast', draw: () => undefined }, [network], {
      running: () => true,
      onError: (e) => expect.fail(e.message),
    });
    const frame = manual(loop);
    for (let t = 0; t < 1000; t += 16) {
      clock = Math.max(clock, t);
      loop.invalidate();
      frame(clock);
    }
    expect(loop.timings.network).toBe(50);
    // 50 ms drawings: one every 50 / SLOW_SHARE = 250 ms, not every 100 ms
    const gaps = drawn.slice(1).map((t, i) => t - drawn[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(50 / SLOW_SHARE);
    expect(drawn.length).toBe(4);
  });
});
