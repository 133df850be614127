import { describe, expect, it } from 'vitest';
import {
  Generator,
  arange,
  crossEntropy,
  mlp,
  mseLoss,
  nllLoss,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { explainBackward, explainText, type ExplainedStep } from '../../src/viz/explain.js';

/** A 2-3-2 tanh network in float64 and one example, as the playground inspects it. */
function network(): { net: ReturnType<typeof mlp>; x: Tensor } {
  const net = mlp([2, 3, 2], { activation: 'tanh', dtype: 'float64', generator: new Generator(3) });
  net.eval();
  return { net, x: tensor([[0.5, -0.3]], { dtype: 'float64', name: 'x' }) };
}

const stepOf = (steps: ExplainedStep[], op: string, k = 0): ExplainedStep =>
  steps.filter((s) => s.op === op)[k];

/** a·B for a row vector a [n] and a matrix B [n, m] (row-major). */
function rowTimes(a: number[], b: number[], m: number): number[] {
  return Array.from({ length: m }, (_, j) => a.reduce((s, v, i) => s + v * b[i * m + j], 0));
}

describe('explainBackward on a network', () => {
  it('gives the real derivative of every op of a cross-entropy graph, not a generic one', () => {
    const { net, x } = network();
    const e = explainBackward(crossEntropy(net.call(x), tensor([1], { dtype: 'int32' })));
    // Cross-entropy of labels is one fused step, with the gradient lectures derive for it.
    expect(e.steps.map((s) => s.op)).toEqual(['softmaxCrossEntropy', 'linear', 'tanh', 'linear']);
    const formulas = e.steps.flatMap((s) => s.inputs.map((i) => i.formula));
    expect(formulas.join('\n')).not.toContain('vector-Jacobian product');
    const output = stepOf(e.steps, 'linear', 0);
    expect(output.expression).toBe('q3 = linear(q2, 2.weight, 2.bias)');
    expect(output.inputs.map((i) => [i.formula, i.rule])).toEqual([
      ['∂q3/∂q2 = 2.weight', 'upstream·2.weight'],
      ['∂q3ᵢ/∂2.weightᵢⱼ = q2ⱼ', 'upstreamᵀ·q2 (the outer product δ·oᵀ)'],
      ['∂q3/∂2.bias = 1', 'Σ upstream over the batch (its rows)'],
    ]);
    const ce = stepOf(e.steps, 'softmaxCrossEntropy');
    expect(ce.inputs[0].formula).toBe('∂f/∂q3ᵢⱼ = (softmax(q3)ᵢⱼ − [j = labelᵢ])');
    // The composed loss explains log-softmax, gather, sum and the mean's factor one by one.
    const composed = explainBackward(
      nllLoss(net.call(x).logSoftmax(1), tensor([1], { dtype: 'int32' })),
    );
    expect(composed.steps.map((s) => s.op)).toEqual([
      'mul',
      'sum',
      'reshape',
      'gather',
      'logSoftmax',
      'linear',
      'tanh',
      'linear',
    ]);
    const ls = stepOf(composed.steps, 'logSoftmax');
    expect(ls.inputs[0].formula).toBe('∂q4ᵢ/∂q3ⱼ = [i = j] − softmax(q3)ⱼ');
    expect(ls.inputs[0].rule).toBe('upstream − softmax(q3)·Σ upstream');
    expect(stepOf(composed.steps, 'gather').inputs[0].formula).toBe(
      '∂q5/∂q4 = 1 at the gathered positions, 0 elsewhere',
    );
    expect(stepOf(composed.steps, 'sum').inputs[0].formula).toBe('∂q7/∂q6ᵢ = 1');
    expect(stepOf(composed.steps, 'reshape').inputs[0].formula).toBe('∂q6/∂q5 = 1');
    expect(stepOf(e.steps, 'tanh').inputs[0].formula).toBe('∂q2/∂q1 = 1 − tanh²(q1)');
    const text = explainText(e);
    expect(text).toContain('∂q3/∂q2 = 2.weight;  downstream = upstream·2.weight = [');
    expect(text).toContain('∂q2/∂q1 = 1 − tanh²(q1) = [');
  });

  it('every number equals autograd’s: the steps’ upstream, the rules’ products, the weight gradients', () => {
    const { net, x } = network();
    const loss = crossEntropy(net.call(x), tensor([0], { dtype: 'int32' }));
    const e = explainBackward(loss);
    loss.backward();
    const params = new Map(net.namedParameters());
    for (const r of e.results) {
      const p = params.get(r.name)!;
      expect(r.gradient).toEqual(Array.from(p.grad!.data));
    }
    const last = stepOf(e.steps, 'linear', 0); // s⁽²⁾ = o⁽¹⁾·W⁽²⁾ᵀ + b⁽²⁾
    const first = stepOf(e.steps, 'linear', 1); // s⁽¹⁾ = x·W⁽¹⁾ᵀ + b⁽¹⁾
    const W2 = Array.from(params.get('2.weight')!.data);
    const [toO, toW, toB] = last.inputs;
    // ∂/∂o = upstream·W, with W itself as the local derivative
    expect(toO.local).toEqual(W2);
    expect(toO.localShape).toEqual([2, 3]);
    rowTimes(last.upstream, W2, 3).forEach((v, j) => expect(toO.product[j]).toBeCloseTo(v, 12));
    // ∂/∂W = upstreamᵀ·o: the outer product δ·oᵀ, which is the weight gradient
    const o1 = e.trace.nodes.find((n) => n.id === toO.id)!.value.values!;
    expect(toW.productShape).toEqual([2, 3]);
    toW.product.forEach((v, k) =>
      expect(v).toBeCloseTo(last.upstream[Math.floor(k / 3)] * o1[k % 3], 12),
    );
    expect(toW.product).toEqual(Array.from(params.get('2.weight')!.grad!.data));
    expect(toB.product).toEqual(Array.from(params.get('2.bias')!.grad!.data));
    // δ⁽¹⁾ = upstream of the first layer = (W⁽²⁾ᵀδ⁽²⁾) ⊙ (1 − o⁽¹⁾²)
    const expected = rowTimes(last.upstream, W2, 3).map((v, j) => v * (1 - o1[j] ** 2));
    expected.forEach((v, j) => expect(first.upstream[j]).toBeCloseTo(v, 12));
    // cross-entropy: the local value is softmax − one-hot (label 0), which sums to 0
    const ce = stepOf(e.steps, 'softmaxCrossEntropy');
    const [p0, p1] = (net.call(x).softmax(1).toArray() as number[][])[0];
    expect(ce.inputs[0].local[0]).toBeCloseTo(p0 - 1, 12);
    expect(ce.inputs[0].local[1]).toBeCloseTo(p1, 12);
    expect(ce.inputs[0].product).toEqual(ce.inputs[0].local);
  });

  it('names the nodes as it is told, and explains squared error on softmax outputs', () => {
    const { net, x } = network();
    const logits = net.call(x);
    const target = tensor([1], { dtype: 'int32' })
      .reshape([-1, 1])
      .eq(arange(2, { dtype: 'int32' }).reshape([1, 2]))
      .to('float64');
    const loss = mseLoss(logits.softmax(-1), target);
    const e = explainBackward(loss, {
      names: new Map([
        [logits, 's⁽²⁾'],
        [loss, 'L'],
      ]),
    });
    expect(e.output.name).toBe('L');
    expect(e.steps.some((s) => s.expression.startsWith('s⁽²⁾ = linear('))).toBe(true);
    const ops = e.steps.map((s) => s.op);
    expect(ops.slice(0, 5)).toEqual(['div', 'sum', 'mul', 'sub', 'exp']);
    expect(e.steps.flatMap((s) => s.inputs.map((i) => i.formula)).join()).not.toContain(
      'vector-Jacobian',
    );
    // (o − y)·(o − y): the value fans out into both operands of mul, and the paths sum
    const sub = stepOf(e.steps, 'sub');
    expect(sub.fanOut?.contributions).toHaveLength(2);
    loss.backward();
    for (const r of e.results)
      expect(r.gradient).toEqual(
        Array.from(net.namedParameters().find(([n]) => n === r.name)![1].grad!.data),
      );
  });

  it('explains a matrix product with its transposes', () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true, name: 'A', dtype: 'float64' },
    );
    const b = tensor([[1], [-1]], { requiresGrad: true, name: 'B', dtype: 'float64' });
    const e = explainBackward(a.matmul(b).square().sum());
    const mm = stepOf(e.steps, 'matmul');
    expect(mm.inputs.map((i) => i.rule)).toEqual(['upstream·Bᵀ', 'Aᵀ·upstream']);
    expect(mm.inputs[0].local).toEqual([1, -1]);
    // upstream = 2·(A·B) = [−2, −2]; ∂/∂A = upstream·Bᵀ = [[−2, 2], [−2, 2]]
    expect(mm.upstream).toEqual([-2, -2]);
    expect(mm.inputs[0].product).toEqual([-2, 2, -2, 2]);
    expect(mm.inputs[1].product).toEqual([-8, -12]);
  });
});
