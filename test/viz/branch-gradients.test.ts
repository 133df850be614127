// A value that fans out to several operations: every picture labels each of its wires with that
// wire's own branch gradient (upstream × local of the consumer), and the value's node shows their
// sum — CS231n's staged example f = (x + σ(y)) / (σ(x) + (x + y)²) at x = 3, y = −4 (issue 13).
import { describe, expect, it } from 'vitest';
import { scalar, tensor, type Tensor } from '../../src/index.js';
import { unaryDerivatives } from '../../src/ops/elementwise.js';
import { formatNumber, formatSum, toDot, toMermaid } from '../../src/viz/dot.js';
import { explainBackward, explainMarkdown, explainText } from '../../src/viz/explain.js';
import { renderSvg } from '../../src/viz/svg.js';
import { trace, type Trace } from '../../src/viz/trace.js';

const leaf = (v: number, name: string): Tensor =>
  scalar(v, { requiresGrad: true, name, dtype: 'float64' });

const sigma = (v: number): number => 1 / (1 + Math.exp(-v));
const staged = (x: number, y: number): number => (x + sigma(y)) / (sigma(x) + (x + y) ** 2);

/** f = (x + σ(y)) / (σ(x) + (x + y)²) at x = 3, y = −4, built as the lecture stages it. */
function stagedExample(): { f: Tensor; x: Tensor; y: Tensor } {
  const x = leaf(3, 'x');
  const y = leaf(-4, 'y');
  const f = x.add(y.sigmoid()).div(x.sigmoid().add(x.add(y).pow(2)));
  return { f, x, y };
}

/** The branch gradients of x's three wires, worked out by hand: upstream × local on each path. */
function byHand(): { square: number; sigmoid: number; numerator: number } {
  const [x, y] = [3, -4];
  const num = x + sigma(y);
  const den = sigma(x) + (x + y) ** 2;
  const dDen = -num / den ** 2; // ∂f/∂den
  return {
    square: dDen * 2 * (x + y), // through (x + y)²
    sigmoid: dDen * sigma(x) * (1 - sigma(x)), // through σ(x)
    numerator: 1 / den, // through x + σ(y)
  };
}

/** The operation that uses the result of node `id` (its only consumer). */
function consumerOf(t: Trace, id: string): string {
  return t.edges.find((e) => e.from === id)!.to;
}

/** Each drawn edge of an SVG (by its title, `n0->n3`) with the texts on it. */
function svgEdges(svg: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of svg.split('<g id="').filter((p) => p.includes('class="edge"'))) {
    const title = /<title>(.*?)<\/title>/.exec(part)![1].replace('&#45;&gt;', '->');
    const texts = [...part.matchAll(/>([^<>]*)<\/text>/g)].map((m) => m[1]);
    out.set(title, [...(out.get(title) ?? []), ...texts]);
  }
  return out;
}

const RED = (s: string): string => `<font color="#c0392b">${s}</font>`;

describe('branch gradients of a fanned-out value', () => {
  it('the trace records, per wire, the gradient that flows back along it alone', () => {
    const { f } = stagedExample();
    const t = trace(f);
    const hand = byHand();
    const x = t.nodes.find((n) => n.name === 'x')!;
    const wires = t.edges.filter((e) => e.from === x.id);
    expect(wires).toHaveLength(3);
    const consumers = wires.map((e) => t.nodes.find((n) => n.id === e.to)!);
    const branch = (pick: (i: number) => boolean): number =>
      wires.find((_, i) => pick(i))!.grad!.values![0];
    const square = t.nodes.find((n) => n.op === 'powScalar')!;
    const intoSigmoid = branch((i) => consumers[i].op === 'sigmoid');
    // Both other consumers are additions: x + y feeds the square, x + σ(y) the division.
    const intoSquare = branch((i) => consumerOf(t, consumers[i].id) === square.id);
    const intoNumerator = branch((i) => consumerOf(t, consumers[i].id) === t.output);
    expect(intoSquare).toBeCloseTo(hand.square, 12);
    expect(intoSigmoid).toBeCloseTo(hand.sigmoid, 12);
    expect(intoNumerator).toBeCloseTo(hand.numerator, 12);
    expect(intoSquare).toBeCloseTo(1.583187, 6);
    expect(intoSigmoid).toBeCloseTo(-0.035762, 6);
    expect(intoNumerator).toBeCloseTo(0.512144, 6);
    // They add up to x's gradient, which finite differences confirm.
    const h = 1e-6;
    const numeric = (staged(3 + h, -4) - staged(3 - h, -4)) / (2 * h);
    expect(x.grad!.values![0]).toBeCloseTo(intoSquare + intoSigmoid + intoNumerator, 12);
    expect(x.grad!.values![0]).toBeCloseTo(numeric, 7);
    expect(x.grad!.values![0]).toBeCloseTo(2.06, 2);
    // A wire out of a value that does not fan out carries that value's whole gradient.
    const out = t.edges.find((e) => e.from === square.id)!;
    expect(out.grad!.values).toEqual(square.grad!.values);
  });

  it('DOT: each of x’s wires says its own branch gradient, and x’s node shows the sum', () => {
    const dot = toDot(trace(stagedExample().f));
    const wires = dot.split('\n').filter((l) => l.startsWith('  n0 -> '));
    expect(wires).toHaveLength(3);
    expect(wires).toEqual([
      `  n0 -> n3 [label=<3<br/>${RED('0.5121')}>];`,
      `  n0 -> n4 [label=<3<br/>${RED('−0.03576')}>];`,
      `  n0 -> n5 [label=<3<br/>${RED('1.583')}>];`,
    ]);
    expect(dot).not.toContain(`<br/>${RED('2.06')}>];`); // no wire says the total
    expect(dot).toContain(
      `  n0 [shape=plaintext, label=<<b>x</b><br/>${RED('1.583 − 0.03576 + 0.5121 = 2.06')}<br/><font point-size="9" color="#555555">gradients add where paths meet</font>>];`,
    );
    expect(dot).toContain(RED('1.583 + 0.009046 = 1.592')); // y fans out too
    // Fewer digits, as the lecture writes them.
    const short = toDot(trace(stagedExample().f), { digits: 3 });
    expect(short).toContain(RED('1.58 − 0.0358 + 0.512 = 2.06'));
    expect(short).toContain(`  n0 -> n4 [label=<3<br/>${RED('−0.0358')}>];`);
  });

  it('SVG: the rendered wires carry 1.583, −0.03576 and 0.5121, the node 2.06', async () => {
    const svg = await renderSvg(toDot(trace(stagedExample().f)));
    const edges = svgEdges(svg);
    expect(edges.get('n0->n5')).toEqual(['3', '1.583']);
    expect(edges.get('n0->n4')).toEqual(['3', '−0.03576']);
    expect(edges.get('n0->n3')).toEqual(['3', '0.5121']);
    expect(svg).toContain('>1.583 − 0.03576 + 0.5121 = 2.06</text>');
    expect(svg).toContain('>gradients add where paths meet</text>');
  });

  it('Mermaid: the same branch gradients and sum', () => {
    const mermaid = toMermaid(trace(stagedExample().f));
    expect(mermaid).toContain('  n0 -- "3 / ∂ 1.583" --> n5');
    expect(mermaid).toContain('  n0 -- "3 / ∂ −0.03576" --> n4');
    expect(mermaid).toContain('  n0 -- "3 / ∂ 0.5121" --> n3');
    expect(mermaid).toContain(
      '  n0["x<br/>1.583 − 0.03576 + 0.5121 = 2.06<br/><small>gradients add where paths meet</small>"]',
    );
  });

  it('the text explanation lists the same branches in the same order', () => {
    const e = explainBackward(stagedExample().f);
    const text = explainText(e);
    expect(text).toContain('∂f/∂x = 1.583 − 0.03576 + 0.5121 = 2.06\n');
    expect(text).toContain('∂f/∂y = 1.583 + 0.009046 = 1.592\n');
    // Each step's product is the trace's branch gradient of that wire.
    const t = e.trace;
    for (const s of e.steps)
      for (const i of s.inputs) {
        const wire = t.edges.find((w) => w.from === i.id && w.to === s.id && i.product.length > 0);
        expect(wire?.grad?.values).toEqual(i.product);
      }
  });

  it('a gate whose value fans out holds the sum; a value used twice by one gate has two wires', () => {
    const x = leaf(3, 'x');
    const q = x.sigmoid();
    const dot = toDot(trace(q.mul(q.add(1)).add(x.mul(x))));
    expect(dot).toContain(
      `  n1 [shape=box, style="rounded,filled", fillcolor="#eef3fb", label=<<font point-size="14">σ</font><br/>${RED('1.953 + 0.9526 = 2.905')}`,
    );
    expect(dot.split('\n').filter((l) => l.startsWith('  n0 -> n5 '))).toEqual([
      `  n0 -> n5 [label=<3<br/>${RED('3')}>];`,
      `  n0 -> n5 [label=<3<br/>${RED('3')}>];`,
    ]);
    expect(dot).toContain(RED('3 + 3 + 0.1312 = 6.131'));
  });

  it('a broadcast input’s branch gradient is summed back to its shape', () => {
    const w = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true, name: 'W', dtype: 'float64' },
    );
    const b = tensor([1, -1], { requiresGrad: true, name: 'b', dtype: 'float64' });
    const h = w.add(b);
    const t = trace(h.mul(h).sum().add(b.sum()));
    const bWires = t.edges.filter((e) => e.from === t.nodes.find((n) => n.name === 'b')!.id);
    expect(bWires.map((e) => e.grad!.values)).toEqual([
      [12, 8],
      [1, 1],
    ]);
    expect(toDot(t)).toContain(RED('[1, 1] + [12, 8] = [13, 9]'));
  });

  it('after backward() frees the graph, the node keeps its sum and the wires claim nothing', () => {
    const { f } = stagedExample();
    f.backward();
    const dot = toDot(trace(f));
    expect(dot).toContain(RED('sum of 3 branches = 2.06'));
    expect(dot).toContain('  n0 -> n5 [label=<3>];');
  });

  it('leaves a picture without fan-out exactly as it was', () => {
    const x = leaf(-2, 'x');
    const y = leaf(5, 'y');
    const z = leaf(-4, 'z');
    const t = trace(x.add(y).mul(z));
    expect(toDot(t)).toBe(
      [
        'digraph nabla {',
        '  rankdir=LR;',
        '  graph [fontname="Helvetica", nodesep=0.35, ranksep=0.6];',
        '  node [fontname="Helvetica", fontsize=12];',
        '  edge [fontname="Helvetica", fontsize=11, arrowsize=0.7];',
        '  n0 [shape=plaintext, label=<<b>x</b>>];',
        '  n1 [shape=plaintext, label=<<b>y</b>>];',
        '  n2 [shape=circle, width=0.55, fixedsize=false, style=filled, fillcolor="#eef3fb", label=<+>];',
        '  n3 [shape=plaintext, label=<<b>z</b>>];',
        '  n4 [shape=circle, width=0.55, fixedsize=false, style=filled, fillcolor="#eef3fb", label=<×>];',
        `  n0 -> n2 [label=<−2<br/>${RED('−4')}>];`,
        `  n1 -> n2 [label=<5<br/>${RED('−4')}>];`,
        `  n2 -> n4 [label=<3<br/>${RED('−4')}>];`,
        `  n3 -> n4 [label=<−4<br/>${RED('3')}>];`,
        '  result [shape=plaintext, label=""];',
        `  n4 -> result [label=<−12<br/>${RED('1')}>];`,
        '}',
        '',
      ].join('\n'),
    );
    expect(toMermaid(t)).toBe(
      [
        'flowchart LR',
        '  n0["x"]',
        '  n1["y"]',
        '  n2(("+"))',
        '  n3["z"]',
        '  n4(("×"))',
        '  n0 -- "−2 / ∂ −4" --> n2',
        '  n1 -- "5 / ∂ −4" --> n2',
        '  n2 -- "3 / ∂ −4" --> n4',
        '  n3 -- "−4 / ∂ 3" --> n4',
        '',
      ].join('\n'),
    );
    expect(t.edges.map((e) => e.grad!.values![0])).toEqual([-4, -4, -4, 3]);
  });
});

describe('formula text', () => {
  it('drops a power of 1 and writes a negative term as a subtraction', () => {
    const text = explainText(explainBackward(stagedExample().f));
    expect(text).toContain('∂q5/∂q4 = 2·q4 = −2;');
    expect(text).not.toMatch(/\^1(?![\d.])/);
    expect(text).not.toContain('+ −');
    expect(explainMarkdown(explainBackward(stagedExample().f))).not.toContain('+ −');
  });

  it('writes the other powers and constants cleanly at the source', () => {
    const power = (x: string, p: number, wrt = '∂q/∂x'): string =>
      unaryDerivatives.powScalar!({ wrt, x, attrs: { exponent: p }, num: formatNumber } as never)
        .formula;
    expect(power('q4', 2, '∂q5/∂q4')).toBe('∂q5/∂q4 = 2·q4');
    expect(power('x', 1)).toBe('∂q/∂x = 1');
    expect(power('x', 0)).toBe('∂q/∂x = 0');
    expect(power('x', -1)).toBe('∂q/∂x = −x^−2');
    expect(power('x', 3)).toBe('∂q/∂x = 3·x^2');
    expect(power('x', 0.5)).toBe('∂q/∂x = 0.5·x^−0.5');
    expect(power('x1', 11, '∂q/∂x1')).toBe('∂q/∂x1 = 11·x1^10');
    expect(unaryDerivatives.exp!({ wrt: '∂q/∂x', x: 'x1' } as never).formula).toBe('∂q/∂x = e^x1');
    expect(formatSum(['1.583', '−0.03576', '0.5121'])).toBe('1.583 − 0.03576 + 0.5121');
    expect(formatSum(['−1', '−1'])).toBe('−1 − 1');
  });

  it('writes a negative constant operand as the lectures would', () => {
    const x = leaf(3, 'x');
    const text = explainText(explainBackward(x.mul(-1).add(-2)));
    expect(text).toContain('f = q1 − 2 ');
    expect(text).toContain('q1 = x · (−1) ');
    const d = leaf(3, 'x');
    expect(explainText(explainBackward(d.sub(-2)))).toContain('f = x + 2 ');
    const gates = toDot(trace(leaf(3, 'x').add(-2).sub(-5)));
    expect(gates).toContain('label=<−2>');
    expect(gates).toContain('label=<+5>');
    expect(gates).not.toContain('+(−');
  });
});
