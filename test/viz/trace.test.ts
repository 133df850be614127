import { describe, expect, it } from 'vitest';
import { mlp, randn, scalar, tensor, type Tensor } from '../../src/index.js';
import { formatNumber, toDot, toMermaid } from '../../src/viz/dot.js';
import { neuronDiagram } from '../../src/viz/neurons.js';
import { explainMlp, explainMlpText } from '../../src/viz/mlp.js';
import {
  explainBackward,
  explainLatex,
  explainMarkdown,
  explainText,
} from '../../src/viz/explain.js';
import { renderSvg } from '../../src/viz/svg.js';
import { trace, traceToJSON } from '../../src/viz/trace.js';

const leaf = (v: number, name: string): Tensor =>
  scalar(v, { requiresGrad: true, name, dtype: 'float64' });

function lecture(): { f: Tensor; x: Tensor; y: Tensor; z: Tensor } {
  const x = leaf(-2, 'x');
  const y = leaf(5, 'y');
  const z = leaf(-4, 'z');
  return { f: x.add(y).mul(z), x, y, z };
}

function sigmoidNeuron(): Tensor {
  const [w0, w1, w2, x0, x1] = [
    leaf(2, 'w0'),
    leaf(-3, 'w1'),
    leaf(-3, 'w2'),
    leaf(-1, 'x0'),
    leaf(-2, 'x1'),
  ];
  return w0.mul(x0).add(w1.mul(x1)).add(w2).mul(-1).exp().add(1).reciprocal();
}

describe('trace', () => {
  it('lists nodes in topological order with names, values and gradients', () => {
    const { f } = lecture();
    const t = trace(f);
    expect(t.nodes.map((n) => n.name ?? n.op)).toEqual(['x', 'y', 'add', 'z', 'mul']);
    expect(t.nodes.map((n) => n.value.values![0])).toEqual([-2, 5, 3, -4, -12]);
    expect(t.nodes.map((n) => n.grad!.values![0])).toEqual([-4, -4, -4, 3, 1]);
    expect(t.edges).toContainEqual(expect.objectContaining({ from: 'n2', to: 'n4', input: 0 }));
    expect(t.nodes[4].gradFn).toBe('MulBackward');
    expect(JSON.parse(JSON.stringify(traceToJSON(t))).nodes).toHaveLength(5);
  });

  it('names parameters by their module path and summarizes large tensors', () => {
    const model = mlp([3, 4, 2]);
    model.parameters(); // as an optimizer would: parameters take their paths as names
    const t = trace(model.call(randn([5, 3])).sum());
    const names = t.nodes.filter((n) => n.kind === 'parameter').map((n) => n.name);
    expect(names).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const w = t.nodes.find((n) => n.name === '0.weight')!;
    expect(w.value.values).toBeDefined();
    expect(w.grad!.shape).toEqual([4, 3]);
    const big = t.nodes.find((n) => n.value.size > 16)!;
    expect(big.value.values).toBeUndefined();
    expect(big.value.norm).toBeGreaterThan(0);
  });

  it('after a backward() that freed the graph, shows the leaves’ .grad only, and says why it cannot do more', () => {
    const { f } = lecture();
    f.backward();
    const t = trace(f);
    expect(t.nodes.find((n) => n.name === 'x')!.grad!.values).toEqual([-4]);
    expect(t.nodes.find((n) => n.op === 'add')!.grad).toBeUndefined();
    expect(() => trace(f, { gradients: true })).toThrow(
      /freed by backward\(\); trace before backward\(\)/,
    );
  });

  it('traces a graph of 100,000 nodes quickly', () => {
    const x = leaf(0.5, 'x');
    let y = x;
    for (let i = 0; i < 100_000; i++) y = i % 2 ? y.mul(0.9999) : y.add(0.0001);
    const started = performance.now();
    const t = trace(y);
    expect(t.nodes.length).toBeGreaterThan(100_000);
    expect(performance.now() - started).toBeLessThan(30_000); // generous: timing is measured in bench/
    expect(t.nodes[0].grad).toBeDefined();
  });
});

describe('circuit diagrams', () => {
  it('labels gates, folds constants, and puts values over gradients on every wire', () => {
    const dot = toDot(trace(sigmoidNeuron()), { title: 'the sigmoid neuron' });
    for (const gate of ['×', '+', '×(−1)', 'exp', '+1', '1/x'])
      expect(dot).toContain(`label=<${gate}>`);
    // the lecture's numbers: wire value over gradient (red)
    expect(dot).toMatch(/label=<2<br\/><font color="#c0392b">−0\.1966<\/font>>/);
    expect(dot).toMatch(/label=<−1<br\/><font color="#c0392b">0\.3932<\/font>>/);
    expect(dot).toMatch(/label=<0\.3679<br\/><font color="#c0392b">−0\.5344<\/font>>/);
    expect(dot).toMatch(/label=<0\.7311<br\/><font color="#c0392b">1<\/font>>/);
    expect(dot).not.toMatch(/label=<<b>−1<\/b>>/); // the constant −1 is folded into its gate
  });

  it('draws tensor graphs with shapes, and caps large graphs with a note', () => {
    const dot = toDot(
      trace(
        mlp([3, 4, 2])
          .call(randn([5, 3]))
          .sum(),
      ),
    );
    expect(dot).toContain('shape=box');
    expect(dot).toContain('[5,4]');
    let y = leaf(1, 'x');
    for (let i = 0; i < 50; i++) y = y.mul(1.01);
    expect(toDot(trace(y), { maxNodes: 10 })).toMatch(/earlier nodes not drawn \(maxNodes 10\)/);
  });

  it('renders to SVG with the numbers in it', async () => {
    const svg = await renderSvg(toDot(trace(lecture().f), { title: 'f = (x + y)·z' }));
    expect(svg).toMatch(/^<\?xml|<svg/);
    for (const text of ['−12', '−4', '3', 'x', 'y', 'z']) expect(svg).toContain(`>${text}</text>`);
  });

  it('exports Mermaid text', () => {
    const m = toMermaid(trace(lecture().f));
    expect(m.startsWith('flowchart LR')).toBe(true);
    expect(m).toContain('n2 -- "3 / ∂ −4" --> n4');
  });
});

describe('explainBackward', () => {
  it('walks the lecture example step by step with autograd’s numbers', () => {
    const { f } = lecture();
    const e = explainBackward(f);
    expect(e.steps.map((s) => s.expression)).toEqual(['f = q1 · z', 'q1 = x + y']);
    expect(e.steps[0].inputs.map((i) => [i.formula, i.local[0], i.product[0]])).toEqual([
      ['∂f/∂q1 = z', -4, -4],
      ['∂f/∂z = q1', 3, 3],
    ]);
    expect(e.steps[1].upstream).toEqual([-4]);
    expect(e.results.map((r) => [r.name, r.gradient[0]])).toEqual([
      ['x', -4],
      ['y', -4],
      ['z', 3],
    ]);
    const text = explainText(e);
    expect(text).toContain('∂f/∂q1 = z = −4;  upstream × local = 1 × −4 = −4');
    expect(text).toContain('∂f/∂x = −4');
    expect(explainMarkdown(e)).toContain('| x | ∂q1/∂x = 1 | 1 | −4 |');
    expect(explainLatex(e)).toContain('\\begin{align*}');
  });

  it('sums over the paths where a value fans out, and every step matches autograd', () => {
    const a = leaf(3, 'a');
    const b = leaf(0.5, 'b');
    const f = a.mul(a).add(a.exp()).mul(b).tanh();
    const e = explainBackward(f);
    const ra = e.results.find((r) => r.name === 'a')!;
    expect(ra.paths).toHaveLength(3);
    expect(ra.paths!.reduce((s, p) => s + p[0], 0)).toBeCloseTo(ra.gradient[0], 12);
    // the upstream of every step equals the gradient autograd computes for that node
    f.backward({ retainGraph: true });
    expect(ra.gradient[0]).toBeCloseTo(a.grad!.item(), 12);
    for (const s of e.steps) {
      const node = e.trace.nodes.find((n) => n.id === s.id)!;
      expect(s.upstream).toEqual(node.grad!.values);
      for (const i of s.inputs) expect(i.product[0]).toBeCloseTo(s.upstream[0] * i.local[0], 12);
    }
  });

  it('works on tensor graphs too', () => {
    const w = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true, name: 'W' },
    );
    const e = explainBackward(
      w
        .matmul(tensor([1, -1]))
        .square()
        .sum(),
    );
    expect(e.results[0].name).toBe('W');
    expect(e.results[0].gradient).toHaveLength(4);
  });
});

describe('explainMlp', () => {
  it('the δ recursion and G = δ·oᵀ equal autograd for every layer (squared error, tanh)', () => {
    const model = mlp([2, 3, 2, 1], {
      activation: 'tanh',
      outputActivation: 'tanh',
      dtype: 'float64',
    });
    const e = explainMlp(
      model,
      tensor(
        [
          [0.5, -1],
          [1, 2],
        ],
        { dtype: 'float64' },
      ),
      tensor([[0.3], [-0.2]], { dtype: 'float64' }),
    );
    expect(e.layers).toHaveLength(3);
    expect(e.agrees).toBe(true);
    for (const l of e.layers) {
      expect(l.G.shape).toEqual(l.W.shape);
      Array.from(l.G.data).forEach((g, i) => expect(g).toBeCloseTo(l.autograd.data[i], 10));
    }
    const text = explainMlpText(e);
    expect(text).toContain('δ⁽3⁾ = 2(o − y) ⊙ θ′(s⁽3⁾)');
    expect(text).toContain('δ⁽1⁾ = (W⁽2⁾ᵀ δ⁽2⁾) ⊙ θ′(s⁽1⁾)');
    expect(text).toContain("autograd's ∂e/∂W⁽1⁾ agrees");
  });

  it('works with ReLU hidden layers and cross-entropy, and refuses other layers', () => {
    const model = mlp([2, 4, 3], { activation: 'relu', dtype: 'float64' });
    const e = explainMlp(
      model,
      randn([5, 2], { dtype: 'float64' }),
      tensor([0, 2, 1, 1, 0], { dtype: 'int32' }),
    );
    expect(e.loss).toBe('crossEntropy');
    expect(e.agrees).toBe(true);
    expect(() =>
      explainMlp(mlp([2, 2], { outputActivation: 'softmax' }), randn([1, 2]), tensor([[0, 1]])),
    ).toThrow(/explainMlp: needs a Sequential of Linear layers/);
  });
});

describe('neuronDiagram', () => {
  it('draws every neuron with its activation and every weight with its sign, width and gradient', () => {
    const model = mlp([2, 3, 1], { activation: 'tanh', dtype: 'float64' });
    const x = tensor([0.5, -1], { dtype: 'float64' });
    const svg = neuronDiagram(model, x, {
      gradients: true,
      target: tensor([[0.8]], { dtype: 'float64' }),
      title: 'a 2-3-1 network',
    });
    expect(svg.match(/<circle /g)).toHaveLength(6);
    expect(svg.match(/<line /g)).toHaveLength(9);
    expect(svg).toContain('>a 2-3-1 network</text>');
    const h = model.at(1).call(model.at(0).call(x.unsqueeze(0)));
    expect(svg).toContain(`<title>activation ${formatNumber(h.data[0])}</title>`);
    const w = model.parameters()[0].data[0];
    expect(svg).toContain(`<title>w = ${formatNumber(w)}, ∂e/∂w = `);
    expect(svg).toContain(w >= 0 ? 'stroke="#2166ac"' : 'stroke="#e66101"');
    expect(() => neuronDiagram(mlp([50, 40, 10]), randn([50]))).toThrow(/too many to draw/);
  });
});

describe('exporters given something else than a trace', () => {
  it('refuse it by name instead of crashing inside', async () => {
    expect(() => toDot(42 as never)).toThrow(
      new TypeError('toDot: the graph must be a Trace (what trace(f) returns), got 42'),
    );
    expect(() => toMermaid(trace(scalar(1)), null as never)).toThrow(
      'toMermaid: options must be an object, got null',
    );
    expect(() => traceToJSON(undefined as never)).toThrow(/^traceToJSON: /);
    expect(() => trace(scalar(1), { maxValues: -1 })).toThrow(RangeError);
    expect(() => explainMlpText({} as never)).toThrow(/^explainMlpText: the explanation must be/);
    await expect(renderSvg(42 as never)).rejects.toThrow(
      /^renderSvg: dot must be Graphviz DOT text/,
    );
  });
});
