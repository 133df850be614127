/**
 * The picture of the layer-level exercises without the browser: the network read from the blanks
 * (units per layer, where δ, G and ∂L/∂x sit) and its SVG, "?" where a blank is not found yet and
 * the value where it is; and the key blanks a session asks.
 */
import { describe, expect, it } from 'vitest';
import { makeExercise } from '../../src/viz.js';
import { ExerciseSession } from '../../playground/src/views/exercise-model.js';
import { networkPlan, networkSvg } from '../../playground/src/views/exercise-network.js';

/** The marks of an SVG: blank index → [known, texts]. */
function marks(svg: string): Map<number, [boolean, string[]]> {
  const out = new Map<number, [boolean, string[]]>();
  for (const m of svg.matchAll(
    /<g class="ex-net-mark" data-blank="(\d+)" data-known="(\w+)">(.*?)<\/g>/g,
  )) {
    const texts = [...m[3].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]);
    out.set(Number(m[1]), [m[2] === 'true', texts]);
  }
  return out;
}

describe('the picture of a network exercise', () => {
  it('reads the 2-2-1 network from its blanks: δ on the units, G on the weights into a layer', () => {
    const plan = networkPlan(makeExercise('net-2-2-1'))!;
    expect(plan.sizes).toEqual([2, 2, 1]);
    expect(plan.loss).toBe('e');
    expect(plan.marks).toEqual([
      { blank: 0, on: 'units', layer: 2, name: 'δ⁽2⁾' },
      { blank: 1, on: 'weights', layer: 2, name: 'G⁽2⁾' },
      { blank: 2, on: 'units', layer: 1, name: 'δ⁽1⁾' },
      { blank: 3, on: 'weights', layer: 1, name: 'G⁽1⁾' },
    ]);
  });

  it('reads the softmax layer: δ and G of its one layer, ∂L/∂x on the inputs', () => {
    const plan = networkPlan(makeExercise('softmax'))!;
    expect(plan.sizes).toEqual([2, 3]);
    expect(plan.loss).toBe('L');
    expect(plan.marks.map((m) => [m.on, m.layer, m.name])).toEqual([
      ['units', 1, 'δ'],
      ['weights', 1, 'G'],
      ['units', 0, '∂L/∂x'],
    ]);
  });

  it('has no network for a scalar circuit', () => {
    expect(networkPlan(makeExercise('staged'))).toBeUndefined();
  });

  it('shows "?" per unit and per weight until a blank is known, then its values', () => {
    const ex = makeExercise('net-2-2-1');
    const plan = networkPlan(ex)!;
    const before = marks(networkSvg(plan, ex, () => false));
    // the name, then one "?" per number of the blank: δ⁽2⁾ 1, G⁽2⁾ 1×2, δ⁽1⁾ 2, G⁽1⁾ 2×2
    expect([...before.values()].map(([known, t]) => [known, t.length - 1])).toEqual([
      [false, 1],
      [false, 2],
      [false, 2],
      [false, 4],
    ]);
    for (const [, texts] of before.values())
      expect(texts.filter((t) => t === '?').length).toBe(texts.length - 1);
    // δ⁽2⁾ = 2(o⁽²⁾ − y)·(1 − tanh²(s⁽²⁾)) at s⁽²⁾ = 0.5973: known, it shows its value
    const s2 = 0.6 * Math.tanh(0.6) - 0.5 * Math.tanh(0.05) + 0.3;
    const d2 = 2 * (Math.tanh(s2) - 1) * (1 - Math.tanh(s2) ** 2);
    const after = marks(networkSvg(plan, ex, (i) => i === 0));
    const [known, texts] = after.get(0)!;
    expect(known).toBe(true);
    expect(texts[1]).toBe('δ⁽2⁾');
    expect(Number(texts[0].replace('−', '-'))).toBeCloseTo(d2, 3);
    expect(after.get(1)![1]).toContain('?');
    // the blank asked next is pointed at
    expect(
      marks(networkSvg(plan, ex, (i) => i === 0, 1))
        .get(1)![1]
        .at(-1),
    ).toBe('▸ G⁽2⁾');
    // the weights into a layer whose G is open are drawn dashed red
    expect(networkSvg(plan, ex, () => false).match(/stroke-dasharray/g)).toHaveLength(6);
    expect(networkSvg(plan, ex, () => true).match(/stroke-dasharray/g)).toBeNull();
  });
});

describe('a session on the key blanks', () => {
  it('asks the staged example’s key blanks and gives the copies', () => {
    const s = new ExerciseSession('staged:key');
    expect(s.exercise.asked).toHaveLength(10);
    // blank 1 (what f sends back to q2: 1 × 0.5121) is a copy: given
    expect(s.known(1)).toBe(true);
    expect(s.known(0)).toBe(false);
    expect(s.answer('0.5121').correct).toBe(true);
    // the next blank asked is ∂f/∂q6, blank 2
    expect(s.current).toBe(2);
    expect(s.score().text).toBe('score: 1/10 (9 to go)');
  });
});
