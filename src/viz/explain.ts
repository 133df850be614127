import { noGrad } from '../autograd/mode.js';
import type { Node } from '../autograd/node.js';
import type { PrimitiveName } from '../ops/registry.js';
import { onesLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatNumber } from './dot.js';
import { trace, type Trace, type TraceNode } from './trace.js';

/** One input of one step: the chain rule for that input. */
export interface ExplainedInput {
  /** The input's node id and display name. */
  id: string;
  name: string;
  /** The local derivative as a formula in the lectures' words, e.g. `∂(q·z)/∂q = z`. */
  formula: string;
  /**
   * The local derivative's value: per element for element-wise operations (and every scalar
   * graph); where `rule` is set, the value the formula names (W for the x of x·Wᵀ + b,
   * softmax(x) for log-softmax, …) or else the gradient an upstream of ones would send.
   */
  local: number[];
  /** Its shape. */
  localShape: number[];
  /**
   * How the downstream gradient is computed where it is not upstream × local element by element
   * (a matrix product, a scatter, …): `upstream·W`, `upstreamᵀ·x (the outer product δ·oᵀ)`, ….
   */
  rule?: string;
  /** upstream × local (or the rule): the gradient this path sends to the input. */
  product: number[];
  /** Its shape (the input's). */
  productShape: number[];
}

/** One step of the backward pass: an operation, its upstream gradient, and what it sends to each input. */
export interface ExplainedStep {
  id: string;
  /** The operation (`mul`) and how it reads (`q·z`). */
  op: string;
  expression: string;
  /** d(output)/d(this operation's result): the upstream gradient. */
  upstream: number[];
  /** Its shape (the operation's result's). */
  upstreamShape: number[];
  /** Where this value fed several operations: the gradients from each path, and their sum. */
  fanOut?: { from: string[]; contributions: number[][]; total: number[] };
  inputs: ExplainedInput[];
}

/** The whole explanation: the steps from the output back, and each input's final gradient. */
export interface Explanation {
  output: { name: string; value: number[] };
  steps: ExplainedStep[];
  /** d(output)/d(leaf) for every leaf that needs a gradient; with fan-out, the sum over paths. */
  results: { id: string; name: string; gradient: number[]; paths?: number[][] }[];
  trace: Trace;
}

const BINARY_SYMBOL: Record<string, string> = { add: '+', sub: '−', mul: '·', div: '/' };

function nameOf(n: TraceNode, names: Map<string, string>): string {
  return names.get(n.id) ?? n.id;
}

/** Readable names: user names for leaves, constants as their value, q1, q2, … for intermediate results. */
function nameNodes(t: Trace, given?: ReadonlyMap<Tensor, string>): Map<string, string> {
  const names = new Map<string, string>();
  let k = 0;
  for (const n of t.nodes) {
    const chosen = given?.get(t.tensors.get(n.id)!);
    if (chosen !== undefined) names.set(n.id, chosen);
    else if (n.name !== undefined) names.set(n.id, n.name);
    else if (n.kind === 'constant' && n.value.values?.length === 1)
      names.set(n.id, formatNumber(n.value.values[0]));
    else if (n.kind === 'op') names.set(n.id, n.id === t.output ? 'f' : `q${++k}`);
    else names.set(n.id, n.id);
  }
  return names;
}

function expressionOf(n: TraceNode, a: string[]): string {
  const op = n.op ?? '?';
  if (op in BINARY_SYMBOL && a.length === 2) return `${a[0]} ${BINARY_SYMBOL[op]} ${a[1]}`;
  if (op === 'neg') return `−${a[0]}`;
  if (op === 'powScalar') return `${a[0]}^${formatNumber(Number(n.attrs?.exponent))}`;
  if (op === 'maximum') return `max(${a.join(', ')})`;
  if (op === 'minimum') return `min(${a.join(', ')})`;
  if (op === 'sigmoid') return `σ(${a[0]})`;
  return `${op}(${a.join(', ')})`;
}

/** How the local derivative of one primitive with respect to one input reads. */
interface Derivative {
  /** The local derivative as a formula, e.g. `∂f/∂q = z`. */
  formula: string;
  /** How the downstream gradient is computed, where it is not upstream × local element by element. */
  rule?: string;
  /** The value the formula names as the local derivative, where the default (the gradient an upstream of ones sends) would not be it. */
  local?: (inputs: readonly Tensor[], out: Tensor) => Tensor;
}

/** What a derivative formula refers to: the operation's display name, its inputs' names, which input, its attributes. */
interface FormulaContext {
  self: string;
  a: string[];
  i: number;
  x: string;
  wrt: string;
  other: string;
  attrs: Readonly<Record<string, unknown>>;
}

const T = (name: string): string => `${name}ᵀ`;

/**
 * The local derivative of every differentiable primitive, in the lectures' words; `null` for
 * those that are not differentiable (they never appear in a backward pass). Typed over the
 * primitive names, so that a new primitive without a formula does not compile.
 */
const DERIVATIVES: Record<PrimitiveName, ((c: FormulaContext) => Derivative) | null> = {
  add: ({ wrt }) => ({ formula: `${wrt} = 1` }),
  sub: ({ wrt, i }) => ({ formula: `${wrt} = ${i === 0 ? '1' : '−1'}` }),
  mul: ({ wrt, other }) => ({ formula: `${wrt} = ${other}` }),
  div: ({ wrt, a, i, x, other }) => ({
    formula: i === 0 ? `${wrt} = 1/${other}` : `${wrt} = −${a[0]}/${x}²`,
  }),
  pow: ({ wrt, a, i }) => ({
    formula:
      i === 0 ? `${wrt} = ${a[1]}·${a[0]}^(${a[1]} − 1)` : `${wrt} = ${a[0]}^${a[1]}·ln ${a[0]}`,
  }),
  neg: ({ wrt }) => ({ formula: `${wrt} = −1` }),
  exp: ({ wrt, x }) => ({ formula: `${wrt} = e^${x}` }),
  log: ({ wrt, x }) => ({ formula: `${wrt} = 1/${x}` }),
  sqrt: ({ wrt, x }) => ({ formula: `${wrt} = 1/(2√${x})` }),
  tanh: ({ wrt, x }) => ({ formula: `${wrt} = 1 − tanh²(${x})` }),
  sigmoid: ({ wrt, x }) => ({ formula: `${wrt} = σ(${x})(1 − σ(${x}))` }),
  relu: ({ wrt, x }) => ({ formula: `${wrt} = 1 if ${x} > 0, else 0` }),
  step: ({ wrt }) => ({ formula: `${wrt} = 0` }),
  abs: ({ wrt, x }) => ({ formula: `${wrt} = sign(${x})` }),
  sign: ({ wrt }) => ({ formula: `${wrt} = 0` }),
  sin: ({ wrt, x }) => ({ formula: `${wrt} = cos(${x})` }),
  cos: ({ wrt, x }) => ({ formula: `${wrt} = −sin(${x})` }),
  erf: ({ wrt, x }) => ({ formula: `${wrt} = (2/√π)·e^(−${x}²)` }),
  powScalar: ({ wrt, x, attrs }) => {
    const p = Number(attrs.exponent);
    return { formula: `${wrt} = ${formatNumber(p)}·${x}^${formatNumber(p - 1)}` };
  },
  cast: ({ wrt }) => ({ formula: `${wrt} = 1` }),
  maximum: ({ wrt, x }) => ({
    formula: `${wrt} = 1 if ${x} is the larger (½ on a tie), else 0`,
  }),
  minimum: ({ wrt, x }) => ({
    formula: `${wrt} = 1 if ${x} is the smaller (½ on a tie), else 0`,
  }),
  where: ({ wrt, a, i }) => ({
    formula: `${wrt} = ${i === 1 ? '1' : '0'} where ${a[0]} holds, else ${i === 1 ? '0' : '1'}`,
  }),
  // The fused derivative primitives (they appear in graphs of gradients): g·(1 − y²), g·y(1 − y), g·[x > 0].
  tanhGrad: ({ wrt, a, i }) => ({
    formula: i === 0 ? `${wrt} = 1 − ${a[1]}²` : `${wrt} = −2·${a[0]}·${a[1]}`,
  }),
  sigmoidGrad: ({ wrt, a, i }) => ({
    formula: i === 0 ? `${wrt} = ${a[1]}(1 − ${a[1]})` : `${wrt} = ${a[0]}(1 − 2${a[1]})`,
  }),
  reluGrad: ({ wrt, a, i }) => ({
    formula: i === 0 ? `${wrt} = 1 if ${a[1]} > 0, else 0` : `${wrt} = 0`,
  }),
  sum: ({ self, x }) => ({ formula: `∂${self}/∂${x}ᵢ = 1` }),
  max: ({ self, x }) => ({
    formula: `∂${self}/∂${x}ᵢ = 1/k for the k elements equal to the maximum, else 0`,
  }),
  min: ({ self, x }) => ({
    formula: `∂${self}/∂${x}ᵢ = 1/k for the k elements equal to the minimum, else 0`,
  }),
  logSoftmax: ({ self, x }) => ({
    formula: `∂${self}ᵢ/∂${x}ⱼ = [i = j] − softmax(${x})ⱼ`,
    rule: `upstream − softmax(${x})·Σ upstream`,
    local: (_inputs, out) => out.exp(),
  }),
  reshape: ({ wrt }) => ({ formula: `${wrt} = 1` }),
  permute: ({ wrt }) => ({
    formula: `${wrt} = 1 for each element at its new place`,
    rule: 'upstream permuted back',
  }),
  expand: ({ wrt }) => ({
    formula: `${wrt} = 1 for each copy`,
    rule: 'upstream summed over the copies',
  }),
  slice: ({ wrt }) => ({
    formula: `${wrt} = 1 for the elements taken, 0 for the rest`,
    rule: 'upstream put back where the slice came from, zeros elsewhere',
  }),
  unslice: ({ wrt, x }) => ({
    formula: `${wrt} = 1 where ${x} was placed`,
    rule: `upstream at the place of ${x}`,
  }),
  concat: ({ wrt, x }) => ({
    formula: `${wrt} = 1 on the stretch ${x} fills`,
    rule: `upstream on the stretch ${x} fills`,
  }),
  indexSelect: ({ wrt }) => ({
    formula: `${wrt} = 1 for each selected row (a row selected twice counts twice)`,
    rule: 'upstream rows added back to the rows they were selected from',
  }),
  indexAdd: ({ wrt }) => ({
    formula: `${wrt} = 1 where it was added`,
    rule: 'upstream rows at the indices',
  }),
  gather: ({ wrt }) => ({
    formula: `${wrt} = 1 at the gathered positions, 0 elsewhere`,
    rule: 'upstream placed at the gathered positions, zeros elsewhere',
  }),
  scatterAdd: ({ wrt }) => ({
    formula: `${wrt} = 1 where it was added`,
    rule: 'upstream gathered at the positions',
  }),
  // C = op(A)·op(B), op transposing when transA / transB is set: ∂/∂op(A) = G·op(B)ᵀ, ∂/∂op(B) = op(A)ᵀ·G.
  matmul: ({ wrt, a, i, attrs }) => {
    const [A, B] = a;
    const opA = attrs.transA === true ? T(A) : A;
    const opB = attrs.transB === true ? T(B) : B;
    const opAT = attrs.transA === true ? A : T(A);
    const opBT = attrs.transB === true ? B : T(B);
    if (i === 0)
      return {
        formula: `${wrt} = ${opB} (${opA} is multiplied by it on the right)`,
        rule: attrs.transA === true ? `${opB}·upstreamᵀ` : `upstream·${opBT}`,
        local: ([, b]) => b,
      };
    return {
      formula: `${wrt} = ${opA} (${opB} is multiplied by it on the left)`,
      rule: attrs.transB === true ? `upstreamᵀ·${opA}` : `${opAT}·upstream`,
      local: ([x]) => x,
    };
  },
  // linear(x, W, b) = x·Wᵀ + b, the forward pass of a layer: s = o·Wᵀ + b.
  linear: ({ self, wrt, a, i }) => {
    const [x, W] = a;
    if (i === 0) return { formula: `${wrt} = ${W}`, rule: `upstream·${W}`, local: ([, w]) => w };
    if (i === 1)
      return {
        formula: `∂${self}ᵢ/∂${W}ᵢⱼ = ${x}ⱼ`,
        rule: `upstreamᵀ·${x} (the outer product δ·oᵀ)`,
      };
    return { formula: `${wrt} = 1`, rule: 'Σ upstream over the batch (its rows)' };
  },
  isfinite: null,
  clone: null,
  eq: null,
  ne: null,
  lt: null,
  le: null,
  gt: null,
  ge: null,
  argmax: null,
  argmin: null,
};

/** The local derivative of `n` with respect to input `i`. */
function derivativeOf(n: TraceNode, a: string[], i: number, self: string): Derivative {
  const op = n.op ?? '?';
  const wrt = `∂${self}/∂${a[i]}`;
  const of = Object.hasOwn(DERIVATIVES, op) ? DERIVATIVES[op as PrimitiveName] : null;
  if (of === null) return { formula: `${wrt} (the vector-Jacobian product of ${op})` };
  return of({ self, a, i, x: a[i], wrt, other: a[1 - i], attrs: n.attrs ?? {} });
}

const values = (t: Tensor | undefined): number[] => (t === undefined ? [] : Array.from(t.data));
const shapeOf = (t: Tensor | undefined): number[] => (t === undefined ? [] : [...t.shape]);

/** Options of `explainBackward`. */
export interface ExplainOptions {
  /**
   * Display names of tensors of the graph (for instance the lectures' s⁽¹⁾, o⁽¹⁾, W⁽¹⁾ of a
   * network's nodes); others keep their own names, or q1, q2, … and f for the output.
   */
  names?: ReadonlyMap<Tensor, string>;
}

/**
 * The backward pass of `output`, step by step, as the lectures teach it: for each operation from
 * the output back, the upstream gradient, the local derivative of the operation (a formula and its
 * value), their product sent to each input, and where a value fans out, the sum over its paths,
 * ending at each input's gradient. Every number is autograd's own (each step runs the
 * operation's derivative rule). Call it before `backward()` (or after one with `retainGraph`).
 *
 * Tensor operations are explained too: a layer's x·Wᵀ + b sends upstream·W to x and the outer
 * product upstreamᵀ·x to W (each input's `rule` says how, where it is not upstream × local element
 * by element). `options.names` gives nodes display names, such as the lectures' s⁽ˡ⁾ and o⁽ˡ⁾.
 *
 * @example
 * const x = scalar(-2, { requiresGrad: true, name: 'x' });
 * const y = scalar(5, { requiresGrad: true, name: 'y' });
 * const z = scalar(-4, { requiresGrad: true, name: 'z' });
 * console.log(explainText(explainBackward(x.add(y).mul(z))));
 */
export function explainBackward(output: Tensor, options: ExplainOptions = {}): Explanation {
  const t = trace(output, { gradients: true });
  const names = nameNodes(t, options.names);
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const consumers = new Map<string, string[]>();
  for (const e of t.edges) consumers.set(e.from, [...(consumers.get(e.from) ?? []), e.to]); // one entry per edge
  const contributions = new Map<string, Map<string, number[]>>(); // input id → (consumer id → gradient)
  const steps: ExplainedStep[] = [];
  noGrad(() => {
    for (let k = t.nodes.length - 1; k >= 0; k--) {
      const n = t.nodes[k];
      if (n.kind !== 'op' || !n.requiresGrad) continue;
      const tensor = t.tensors.get(n.id)!;
      const fn = tensor.gradFn as Node;
      const upstream = t.grads.get(n.id);
      if (upstream === undefined) continue;
      const inputNames = n.inputs.map((id) => nameOf(byId.get(id)!, names));
      const self = nameOf(n, names);
      const sends = fn.apply(upstream, tensor);
      const locals = fn.apply(onesLike(upstream), tensor);
      const step: ExplainedStep = {
        id: n.id,
        op: n.op!,
        expression: `${self} = ${expressionOf(n, inputNames)}`,
        upstream: values(upstream),
        upstreamShape: shapeOf(upstream),
        inputs: [],
      };
      const from = consumers.get(n.id) ?? [];
      if (from.length > 1) {
        const parts = [...(contributions.get(n.id)?.values() ?? [])];
        step.fanOut = {
          from: from.map((c) => nameOf(byId.get(c)!, names)),
          contributions: parts,
          total: values(upstream),
        };
      }
      n.inputs.forEach((id, i) => {
        const input = byId.get(id)!;
        if (!input.requiresGrad) return;
        const product = values(sends[i] ?? undefined);
        const record = contributions.get(id) ?? new Map<string, number[]>();
        record.set(`${n.id}:${i}`, product);
        contributions.set(id, record);
        const d = derivativeOf(n, inputNames, i, self);
        const local = d.local?.(fn.inputs, tensor) ?? locals[i] ?? undefined;
        const explained: ExplainedInput = {
          id,
          name: inputNames[i],
          formula: d.formula,
          local: values(local),
          localShape: shapeOf(local),
          product,
          productShape: shapeOf(sends[i] ?? undefined),
        };
        if (d.rule !== undefined) explained.rule = d.rule;
        step.inputs.push(explained);
      });
      steps.push(step);
    }
  });
  const results = t.nodes
    .filter((n) => n.kind !== 'op' && n.kind !== 'constant' && n.requiresGrad)
    .map((n) => {
      const paths = [...(contributions.get(n.id)?.values() ?? [])];
      const r: Explanation['results'][number] = {
        id: n.id,
        name: nameOf(n, names),
        gradient: values(t.grads.get(n.id)),
      };
      if (paths.length > 1) r.paths = paths;
      return r;
    });
  return {
    output: { name: nameOf(byId.get(t.output)!, names), value: values(t.tensors.get(t.output)) },
    steps,
    results,
    trace: t,
  };
}

const num = (v: number[]): string =>
  v.length === 1 ? formatNumber(v[0]) : `[${v.map((x) => formatNumber(x)).join(', ')}]`;

/** The explanation as plain text, one line per chain-rule step. */
export function explainText(e: Explanation): string {
  const lines = [
    `forward: ${e.output.name} = ${num(e.output.value)}`,
    `backward: ∂${e.output.name}/∂${e.output.name} = 1`,
  ];
  for (const s of e.steps) {
    lines.push(
      '',
      `${s.expression}    upstream ∂${e.output.name}/∂${s.expression.split(' = ')[0]} = ${num(s.upstream)}`,
    );
    if (s.fanOut) {
      lines.push(
        `  fan-out: ${s.fanOut.contributions.map(num).join(' + ')} = ${num(s.fanOut.total)} (sum over the paths through ${s.fanOut.from.join(', ')})`,
      );
    }
    for (const i of s.inputs) {
      if (i.rule !== undefined) {
        lines.push(`  ${i.formula};  downstream = ${i.rule} = ${num(i.product)}`);
        continue;
      }
      const value = i.formula.endsWith(` = ${num(i.local)}`) ? '' : ` = ${num(i.local)}`;
      lines.push(
        `  ${i.formula}${value};  upstream × local = ${num(s.upstream)} × ${num(i.local)} = ${num(i.product)}`,
      );
    }
  }
  lines.push('');
  for (const r of e.results) {
    const paths = r.paths ? `${r.paths.map(num).join(' + ')} = ` : '';
    lines.push(`∂${e.output.name}/∂${r.name} = ${paths}${num(r.gradient)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The explanation as Markdown (a table per step). */
export function explainMarkdown(e: Explanation): string {
  const lines = [`**Forward:** ${e.output.name} = ${num(e.output.value)}`, ''];
  for (const s of e.steps) {
    lines.push(`### ${s.expression}`, '', `Upstream gradient: **${num(s.upstream)}**`, '');
    if (s.fanOut)
      lines.push(
        `Fan-out: ${s.fanOut.contributions.map(num).join(' + ')} = ${num(s.fanOut.total)}`,
        '',
      );
    lines.push('| input | local derivative | value | upstream × local |', '|---|---|---|---|');
    for (const i of s.inputs) {
      const rule = i.rule === undefined ? '' : ` (downstream = ${i.rule})`;
      lines.push(`| ${i.name} | ${i.formula}${rule} | ${num(i.local)} | ${num(i.product)} |`);
    }
    lines.push('');
  }
  lines.push('**Gradients:**', '');
  for (const r of e.results)
    lines.push(
      `- ∂${e.output.name}/∂${r.name} = ${r.paths ? `${r.paths.map(num).join(' + ')} = ` : ''}${num(r.gradient)}`,
    );
  return `${lines.join('\n')}\n`;
}

/** The explanation as LaTeX (an align* environment). */
export function explainLatex(e: Explanation): string {
  const tex = (s: string): string =>
    s
      .replace(/∂/g, '\\partial ')
      .replace(/·/g, '\\cdot ')
      .replace(/−/g, '-')
      .replace(/σ/g, '\\sigma')
      .replace(/√/g, '\\sqrt')
      .replace(/²/g, '^2')
      .replace(/½/g, '\\tfrac12');
  const lines = ['\\begin{align*}', `${tex(e.output.name)} &= ${tex(num(e.output.value))} \\\\`];
  for (const s of e.steps) {
    for (const i of s.inputs) {
      lines.push(
        `${tex(i.formula.split(' = ')[0])} &= ${tex(i.formula.split(' = ').slice(1).join(' = '))} = ${tex(num(i.local))}, & \\text{upstream} \\times \\text{local} &= ${tex(num(s.upstream))} \\times ${tex(num(i.local))} = ${tex(num(i.product))} \\\\`,
      );
    }
  }
  for (const r of e.results)
    lines.push(
      `\\frac{\\partial ${tex(e.output.name)}}{\\partial ${tex(r.name)}} &= ${tex(num(r.gradient))} \\\\`,
    );
  lines.push('\\end{align*}');
  return `${lines.join('\n')}\n`;
}
