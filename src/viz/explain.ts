import { noGrad } from '../autograd/mode.js';
import type { Node } from '../autograd/node.js';
import { checkObject, fail } from '../tensor/check.js';
import { onesLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../train/arguments.js';
import { derivativeOf } from './derivatives.js';
import { formatNumber, formatSum } from './dot.js';
import { edgeKey, trace, type Trace, type TraceNode } from './trace.js';

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
  if (op in BINARY_SYMBOL && a.length === 2) {
    // A negative constant on the right reads as a subtraction (`q1 − 2`, not `q1 + −2`).
    const [left, right] = a;
    if (!right.startsWith('−')) return `${left} ${BINARY_SYMBOL[op]} ${right}`;
    if (op === 'add') return `${left} − ${right.slice(1)}`;
    if (op === 'sub') return `${left} + ${right.slice(1)}`;
    return `${left} ${BINARY_SYMBOL[op]} (${right})`;
  }
  if (op === 'neg') return `−${a[0]}`;
  if (op === 'powScalar') return `${a[0]}^${formatNumber(Number(n.attrs?.exponent))}`;
  if (op === 'maximum') return `max(${a.join(', ')})`;
  if (op === 'minimum') return `min(${a.join(', ')})`;
  if (op === 'sigmoid') return `σ(${a[0]})`;
  return `${op}(${a.join(', ')})`;
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

/** The output, refusing one that is not a Tensor and options of the wrong sort, naming explainBackward. */
function checkExplainArguments(output: unknown, options: unknown): Tensor {
  const ctx = { where: 'explainBackward' };
  const tensor = checkTensor(ctx.where, 'output', output);
  const { names } = checkObject(ctx, 'options', options);
  if (names !== undefined && !(names instanceof Map))
    fail(ctx, 'names', 'a Map from tensors to names', names, TypeError);
  return tensor;
}

/** Each leaf's gradient, with the gradients of its paths where it fans out. */
function resultsOf(
  t: Trace,
  names: Map<string, string>,
  contributions: Map<string, Map<string, number[]>>,
): Explanation['results'] {
  return t.nodes
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
 * import { explainBackward, explainText } from 'nabla/viz';
 * const x = scalar(-2, { requiresGrad: true, name: 'x' });
 * const y = scalar(5, { requiresGrad: true, name: 'y' });
 * const z = scalar(-4, { requiresGrad: true, name: 'z' });
 * console.log(explainText(explainBackward(x.add(y).mul(z))));
 */
export function explainBackward(output: Tensor, options: ExplainOptions = {}): Explanation {
  const t = trace(checkExplainArguments(output, options), { gradients: true });
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
        // What this wire alone sends back: the trace's branch gradient, as the pictures show it.
        const sent = t.edgeGrads?.get(edgeKey({ from: id, to: n.id, input: i }));
        const product = values(sent);
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
          productShape: shapeOf(sent),
        };
        if (d.rule !== undefined) explained.rule = d.rule;
        step.inputs.push(explained);
      });
      steps.push(step);
    }
  });
  const results = resultsOf(t, names, contributions);
  return {
    output: { name: nameOf(byId.get(t.output)!, names), value: values(t.tensors.get(t.output)) },
    steps,
    results,
    trace: t,
  };
}

/** `e` when it looks like what {@link explainBackward} returns, else a TypeError naming `where`. */
function checkExplanation(where: string, e: unknown): Explanation {
  const v = e as Partial<Explanation> | null;
  const output = v?.output as Partial<Explanation['output']> | undefined;
  if (
    v === null ||
    typeof v !== 'object' ||
    !Array.isArray(v.steps) ||
    !Array.isArray(v.results) ||
    typeof output?.name !== 'string' ||
    !Array.isArray(output.value)
  ) {
    fail({ where }, 'the explanation', 'what explainBackward(f) returns', e, TypeError);
  }
  return e as Explanation;
}

const num = (v: number[]): string =>
  v.length === 1 ? formatNumber(v[0]) : `[${v.map((x) => formatNumber(x)).join(', ')}]`;

/** The explanation as plain text, one line per chain-rule step. */
export function explainText(e: Explanation): string {
  checkExplanation('explainText', e);
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
        `  fan-out: ${formatSum(s.fanOut.contributions.map(num))} = ${num(s.fanOut.total)} (sum over the paths through ${s.fanOut.from.join(', ')})`,
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
    const paths = r.paths ? `${formatSum(r.paths.map(num))} = ` : '';
    lines.push(`∂${e.output.name}/∂${r.name} = ${paths}${num(r.gradient)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The explanation as Markdown (a table per step). */
export function explainMarkdown(e: Explanation): string {
  checkExplanation('explainMarkdown', e);
  const lines = [`**Forward:** ${e.output.name} = ${num(e.output.value)}`, ''];
  for (const s of e.steps) {
    lines.push(`### ${s.expression}`, '', `Upstream gradient: **${num(s.upstream)}**`, '');
    if (s.fanOut)
      lines.push(
        `Fan-out: ${formatSum(s.fanOut.contributions.map(num))} = ${num(s.fanOut.total)}`,
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
      `- ∂${e.output.name}/∂${r.name} = ${r.paths ? `${formatSum(r.paths.map(num))} = ` : ''}${num(r.gradient)}`,
    );
  return `${lines.join('\n')}\n`;
}

/** The explanation as LaTeX (an align* environment). */
export function explainLatex(e: Explanation): string {
  checkExplanation('explainLatex', e);
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
