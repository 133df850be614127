import { noGrad } from '../autograd/mode.js';
import type { Node } from '../autograd/node.js';
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
  /** The local derivative's value (for scalar graphs). */
  local: number[];
  /** upstream × local: the gradient this path sends to the input. */
  product: number[];
}

/** One step of the backward pass: an operation, its upstream gradient, and what it sends to each input. */
export interface ExplainedStep {
  id: string;
  /** The operation (`mul`) and how it reads (`q·z`). */
  op: string;
  expression: string;
  /** d(output)/d(this operation's result): the upstream gradient. */
  upstream: number[];
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
function nameNodes(t: Trace): Map<string, string> {
  const names = new Map<string, string>();
  let k = 0;
  for (const n of t.nodes) {
    if (n.name !== undefined) names.set(n.id, n.name);
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

/** The local derivative of `n` with respect to input `i`, as a formula. */
function formulaOf(n: TraceNode, a: string[], i: number, self: string): string {
  const op = n.op ?? '?';
  const x = a[i];
  const wrt = `∂${self}/∂${x}`;
  const other = a[1 - i];
  switch (op) {
    case 'add':
      return `${wrt} = 1`;
    case 'sub':
      return `${wrt} = ${i === 0 ? '1' : '−1'}`;
    case 'mul':
      return `${wrt} = ${other}`;
    case 'div':
      return i === 0 ? `${wrt} = 1/${other}` : `${wrt} = −${a[0]}/${x}²`;
    case 'neg':
      return `${wrt} = −1`;
    case 'exp':
      return `${wrt} = e^${x}`;
    case 'log':
      return `${wrt} = 1/${x}`;
    case 'sqrt':
      return `${wrt} = 1/(2√${x})`;
    case 'tanh':
      return `${wrt} = 1 − tanh²(${x})`;
    case 'sigmoid':
      return `${wrt} = σ(${x})(1 − σ(${x}))`;
    case 'relu':
      return `${wrt} = 1 if ${x} > 0, else 0`;
    case 'step':
      return `${wrt} = 0`;
    case 'abs':
      return `${wrt} = sign(${x})`;
    case 'powScalar': {
      const p = Number(n.attrs?.exponent);
      return `${wrt} = ${formatNumber(p)}·${x}^${formatNumber(p - 1)}`;
    }
    case 'maximum':
      return `${wrt} = 1 if ${x} is the larger (½ on a tie), else 0`;
    case 'minimum':
      return `${wrt} = 1 if ${x} is the smaller (½ on a tie), else 0`;
    case 'sin':
      return `${wrt} = cos(${x})`;
    case 'cos':
      return `${wrt} = −sin(${x})`;
    default:
      return `${wrt} (the vector-Jacobian product of ${op})`;
  }
}

const values = (t: Tensor | undefined): number[] => (t === undefined ? [] : Array.from(t.data));

/**
 * The backward pass of `output`, step by step, as the lectures teach it: for each operation from
 * the output back, the upstream gradient, the local derivative of the operation (a formula and its
 * value), their product sent to each input, and where a value fans out, the sum over its paths,
 * ending at each input's gradient. Every number is autograd's own (each step runs the
 * operation's derivative rule). Call it before `backward()` (or after one with `retainGraph`).
 *
 * @example
 * const x = scalar(-2, { requiresGrad: true, name: 'x' });
 * const y = scalar(5, { requiresGrad: true, name: 'y' });
 * const z = scalar(-4, { requiresGrad: true, name: 'z' });
 * console.log(explainText(explainBackward(x.add(y).mul(z))));
 */
export function explainBackward(output: Tensor): Explanation {
  const t = trace(output, { gradients: true });
  const names = nameNodes(t);
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
        step.inputs.push({
          id,
          name: inputNames[i],
          formula: formulaOf(n, inputNames, i, self),
          local: values(locals[i] ?? undefined),
          product,
        });
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
    for (const i of s.inputs)
      lines.push(`| ${i.name} | ${i.formula} | ${num(i.local)} | ${num(i.product)} |`);
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
