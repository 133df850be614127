import { describe, expect, it } from 'vitest';
import { Generator, tensor, type Tensor } from '../../src/index.js';
import { explainBackward, trace } from '../../src/viz.js';
import { buildModel, lossOf } from '../../playground/src/model.js';
import { DEFAULT_SETTINGS, type Settings } from '../../playground/src/settings.js';
import {
  backpropSteps,
  compact,
  explainedNames,
  layerMark,
  lectureNames,
  walkState,
} from '../../playground/src/views/backprop-steps.js';

const settings = (over: Partial<Settings> = {}): Settings => ({
  ...structuredClone(DEFAULT_SETTINGS),
  ...over,
});

/** The loss of one example as the view builds it, and the explanation in the lectures' names. */
function explained(s: Settings, features: number[], label: number) {
  const model = buildModel(s, new Generator(s.seed));
  model.eval();
  const x = tensor([features], { name: 'x' });
  const y =
    s.mode === 'regression'
      ? tensor([label], { name: 'y' })
      : tensor([label], { dtype: 'int32', name: 'y' });
  const loss = lossOf(s, model.call(x), y);
  const t0 = trace(loss, { gradients: false });
  const names = new Map<Tensor, string>();
  for (const [id, name] of lectureNames(t0)) names.set(t0.tensors.get(id)!, name);
  return { model, loss, e: explainBackward(loss, { names }) };
}

describe('backprop view steps', () => {
  it('writes numbers compactly: scalars, rows, long rows and matrices', () => {
    expect(layerMark(3)).toBe('⁽³⁾');
    expect(layerMark(12)).toBe('⁽¹²⁾');
    expect(compact([0.5], [])).toBe('0.5');
    expect(compact([1, -2, 0.25], [1, 3])).toBe('[1, −2, 0.25]');
    expect(compact([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [10])).toBe('[1, 2, 3, …5 more…, 9, 10]');
    expect(compact([1, 2, 3, 4], [2, 2])).toBe('[[1, 2], [3, 4]]');
    const big = Array.from({ length: 16 * 16 }, (_, i) => i);
    expect(compact(big, [16, 16])).toBe(
      '[[0, 1, 2, …11 more…, 14, 15], [16, 17, 18, …11 more…, 30, 31], …13 more rows…, [240, 241, 242, …11 more…, 254, 255]]',
    );
  });

  it('names a network’s nodes as the lectures do', () => {
    const { e } = explained(settings({ hidden: [3, 4] }), [0.5, -0.3], 1);
    const names = explainedNames(e);
    const byName = new Map(
      [...names].map(([id, n]) => [n, e.trace.nodes.find((m) => m.id === id)!]),
    );
    expect(byName.get('s⁽¹⁾')?.op).toBe('linear');
    expect(byName.get('o⁽¹⁾')?.op).toBe('tanh');
    expect(byName.get('s⁽³⁾')?.value.shape).toEqual([1, 2]);
    expect(byName.get('W⁽²⁾')?.name).toBe('2.weight');
    expect(byName.get('b⁽³⁾')?.name).toBe('4.bias');
    expect(e.output.name).toBe('L');
    expect(e.steps.map((s) => s.expression)).toContain('s⁽²⁾ = linear(o⁽¹⁾, W⁽²⁾, b⁽²⁾)');
  });

  it('walks from the loss back, with autograd’s numbers in “upstream × local = downstream”', () => {
    const { model, loss, e } = explained(settings({ hidden: [3] }), [0.5, -0.3], 0);
    const steps = backpropSteps(e);
    expect(steps[0]).toMatchObject({
      nodeId: e.trace.output,
      upstreamName: '∂L/∂L',
      upstream: '1',
    });
    expect(steps).toHaveLength(e.steps.length + 1);
    const tanh = steps.find((s) => s.title === 'o⁽¹⁾ = tanh(s⁽¹⁾)')!;
    expect(tanh.upstreamName).toBe('∂L/∂o⁽¹⁾');
    expect(tanh.inputs[0].relation).toBe('upstream × local');
    expect(tanh.inputs[0].formula).toBe('∂o⁽¹⁾/∂s⁽¹⁾ = 1 − tanh²(s⁽¹⁾)');
    expect(tanh.inputs[0].equation).toMatch(/^\[.*\] × \[.*\] = \[.*\]$/);
    const out = steps.find((s) => s.title.startsWith('s⁽²⁾ = linear'))!;
    expect(out.delta).toBe('δ⁽²⁾');
    const [toO, toW] = out.inputs;
    expect(toO.relation).toBe('upstream·W⁽²⁾');
    expect(toO.equation.startsWith(`${out.upstream}·W⁽²⁾ = `)).toBe(true);
    expect(toW.relation).toBe('upstreamᵀ·o⁽¹⁾ (the outer product δ·oᵀ)');
    // the gradient the step sends to W⁽²⁾ is autograd's own
    loss.backward();
    const w2 = model.namedParameters().find(([n]) => n === '2.weight')![1];
    expect(toW.downstream).toBe(compact(w2.grad!.data, w2.grad!.shape));
  });

  it('reveals a gradient once every operation it feeds has sent its share', () => {
    // squared error of softmax outputs: (p − y)·(p − y) feeds one value into mul twice
    const { e } = explained(settings({ hidden: [2], loss: 'mse' }), [0.1, 0.2], 1);
    const steps = backpropSteps(e);
    const start = walkState(steps, 0, e.trace);
    expect(start.current).toBe(e.trace.output);
    expect([...start.known]).toEqual([e.trace.output]);
    const all = walkState(steps, steps.length - 1, e.trace);
    for (const n of e.trace.nodes) if (n.requiresGrad) expect(all.known.has(n.id)).toBe(true);
    // the mul step sends to its input twice (fan-out), and the input is known right after it
    const k = steps.findIndex(
      (s) => s.title.includes('·') && s.inputs.length === 2 && s.inputs[0].id === s.inputs[1].id,
    );
    expect(k).toBeGreaterThan(0);
    const at = walkState(steps, k, e.trace);
    expect(at.targets).toEqual([steps[k].inputs[0].id, steps[k].inputs[0].id]);
    expect(at.known.has(steps[k].inputs[0].id)).toBe(true);
    expect(walkState(steps, k - 1, e.trace).known.has(steps[k].inputs[0].id)).toBe(false);
    expect(steps[k + 1].fanOut).toMatch(/ \+ .* = /);
  });

  it('explains regression with a float target', () => {
    const s = settings({
      mode: 'regression',
      dataset: 'circles',
      features: ['x', 'y'],
      hidden: [4],
    });
    const { e } = explained(s, [0.3], 0.7);
    const steps = backpropSteps(e);
    expect(steps.map((st) => st.title)).toContain('s⁽²⁾ = linear(o⁽¹⁾, W⁽²⁾, b⁽²⁾)');
    expect(e.output.value[0]).toBeGreaterThanOrEqual(0);
  });
});
