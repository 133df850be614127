/**
 * The numbers and words of the backprop view, without the DOM (the tests run them in Node): the
 * lectures' names for a network's nodes (x, s⁽ˡ⁾, o⁽ˡ⁾, W⁽ˡ⁾, b⁽ˡ⁾, L), the steps of the backward
 * pass the step buttons walk (each with its "upstream × local = downstream" in numbers),
 * what is known at each step, and compact text for vectors and matrices.
 */
import { formatNumber, formatSum, type Explanation, type Trace } from 'nabla/viz';

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** The lectures' layer index: ⁽¹⁾, ⁽¹²⁾. */
export function layerMark(l: number): string {
  return `⁽${[...String(l)].map((d) => SUPERSCRIPT[Number(d)]).join('')}⁾`;
}

/**
 * Values as short text: a number, a row `[a, b, c]` (a batch of one row reads as a row), or a
 * matrix `[[a, b], [c, d]]`; long rows keep their first and last values and say how many are left
 * out (`[a, b, c, …10 more…, y, z]`), long matrices likewise their first and last rows.
 */
export function compact(values: ArrayLike<number>, shape: readonly number[], maxItems = 6): string {
  const n = values.length;
  if (n === 0) return '[]';
  if (n === 1 && shape.every((d) => d === 1)) return formatNumber(values[0]);
  const row = (start: number, count: number): string => {
    const items: string[] = [];
    if (count <= maxItems) {
      for (let j = 0; j < count; j++) items.push(formatNumber(values[start + j]));
    } else {
      const head = Math.ceil((maxItems - 1) / 2);
      const tail = maxItems - 1 - head;
      for (let j = 0; j < head; j++) items.push(formatNumber(values[start + j]));
      items.push(`…${count - head - tail} more…`);
      for (let j = count - tail; j < count; j++) items.push(formatNumber(values[start + j]));
    }
    return `[${items.join(', ')}]`;
  };
  const rows = shape.length >= 2 ? shape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
  const cols = shape.length >= 1 ? shape[shape.length - 1] : n;
  if (rows === 1) return row(0, cols);
  const shown: string[] = [];
  const maxRows = 4;
  if (rows <= maxRows) for (let i = 0; i < rows; i++) shown.push(row(i * cols, cols));
  else
    shown.push(
      row(0, cols),
      row(cols, cols),
      `…${rows - 3} more rows…`,
      row((rows - 1) * cols, cols),
    );
  return `[${shown.join(', ')}]`;
}

const ACTIVATION_OPS = new Set(['tanh', 'relu', 'sigmoid', 'step']);

/**
 * The lectures' names of a traced network's nodes, by node id: each Linear layer's input signal
 * s⁽ˡ⁾ = o⁽ˡ⁻¹⁾W⁽ˡ⁾ᵀ + b⁽ˡ⁾ and its weights and bias, the activation o⁽ˡ⁾ = θ(s⁽ˡ⁾) after it, the
 * input x and the loss L. Nodes with no such name are left out.
 */
export function lectureNames(t: Trace): Map<string, string> {
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const names = new Map<string, string>();
  const layerOf = new Map<string, number>();
  let l = 0;
  for (const n of t.nodes) {
    if (n.op === 'linear') {
      l++;
      layerOf.set(n.id, l);
      names.set(n.id, `s${layerMark(l)}`);
      const [x, w, b] = n.inputs;
      if (l === 1 && byId.get(x)?.kind !== 'op') names.set(x, 'x');
      if (w !== undefined) names.set(w, `W${layerMark(l)}`);
      if (b !== undefined) names.set(b, `b${layerMark(l)}`);
    } else if (n.op !== undefined && ACTIVATION_OPS.has(n.op) && layerOf.has(n.inputs[0])) {
      names.set(n.id, `o${layerMark(layerOf.get(n.inputs[0])!)}`);
    }
  }
  names.set(t.output, 'L');
  return names;
}

/** The name each node has in an explanation (its steps' left-hand sides and its results). */
export function explainedNames(e: Explanation): Map<string, string> {
  const names = new Map<string, string>();
  for (const s of e.steps) names.set(s.id, s.expression.split(' = ')[0]);
  for (const r of e.results) names.set(r.id, r.name);
  names.set(e.trace.output, e.output.name);
  return names;
}

/** One input of a step: what the chain rule sends to it. */
export interface StepInput {
  id: string;
  name: string;
  /** The local derivative as a formula (`∂o⁽¹⁾/∂s⁽¹⁾ = 1 − tanh²(s⁽¹⁾)`). */
  formula: string;
  /** Its value, compactly. */
  local: string;
  /** How upstream and local combine: `upstream × local`, or a rule such as `upstream·W⁽²⁾`. */
  relation: string;
  /** The same with the numbers put in, and the result: `[0.5] × [0.9] = [0.45]`. */
  equation: string;
  /** The gradient sent to the input (∂L/∂input along this path), compactly. */
  downstream: string;
}

/** One position of the backward walk: position 0 seeds the loss; each next one is an operation. */
export interface BackpropStep {
  /** The node the walk is at (highlighted in the graph). */
  nodeId: string;
  /** `s⁽²⁾ = linear(o⁽¹⁾, W⁽²⁾, b⁽²⁾)`, or `L = 0.42` for the seed. */
  title: string;
  /** `∂L/∂s⁽²⁾`, and its value compactly. */
  upstreamName: string;
  upstream: string;
  /** `δ⁽²⁾` where the node is a layer's input signal s⁽ˡ⁾ (its gradient is the layer's δ). */
  delta?: string;
  /** Where the node's value fed several operations: the sum of the gradients of the paths. */
  fanOut?: string;
  inputs: StepInput[];
}

/**
 * The steps of the backward pass as the view walks them, from the loss back to the inputs, in the
 * explanation's names and with its (autograd's) numbers.
 */
export function backpropSteps(e: Explanation): BackpropStep[] {
  const L = e.output.name;
  const seed: BackpropStep = {
    nodeId: e.trace.output,
    title: `${L} = ${compact(e.output.value, [])}`,
    upstreamName: `∂${L}/∂${L}`,
    upstream: '1',
    inputs: [],
  };
  const steps = e.steps.map((s): BackpropStep => {
    const self = s.expression.split(' = ')[0];
    const up = compact(s.upstream, s.upstreamShape);
    const step: BackpropStep = {
      nodeId: s.id,
      title: s.expression,
      upstreamName: `∂${L}/∂${self}`,
      upstream: up,
      inputs: s.inputs.map((i) => {
        const local = compact(i.local, i.localShape);
        const downstream = compact(i.product, i.productShape);
        const relation = i.rule ?? 'upstream × local';
        // the rule with the numbers put in (its remark in parentheses is said once, in `relation`)
        const numbers =
          i.rule === undefined
            ? `${up} × ${local}`
            : i.rule.replace(/\s*\(.*\)$/, '').replaceAll('upstream', up);
        return {
          id: i.id,
          name: i.name,
          formula: i.formula,
          local,
          relation,
          equation: `${numbers} = ${downstream}`,
          downstream,
        };
      }),
    };
    const layer = /^s(⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾)$/.exec(self);
    if (layer !== null) step.delta = `δ${layer[1]}`;
    if (s.fanOut !== undefined) {
      const parts = s.fanOut.contributions.map((c) => compact(c, s.upstreamShape));
      step.fanOut = `${formatSum(parts)} = ${compact(s.fanOut.total, s.upstreamShape)} (${self} feeds ${s.fanOut.from.join(' and ')}: the gradients of the paths add up)`;
    }
    return step;
  });
  return [seed, ...steps];
}

/** What the graph shows at a position of the walk. */
export interface WalkState {
  /** The node the walk is at. */
  current: string;
  /** The inputs it sends gradients to at this position. */
  targets: string[];
  /** Operations whose step is done (the current one included; none at the seed). */
  done: Set<string>;
  /** Nodes whose gradient is complete: every operation they feed has sent its share. */
  known: Set<string>;
}

/** The state of the walk at `position` (0 … steps.length − 1) over the trace's edges. */
export function walkState(steps: readonly BackpropStep[], position: number, t: Trace): WalkState {
  const p = Math.max(0, Math.min(position, steps.length - 1));
  // Position 0 only seeds ∂L/∂L = 1; the operations' steps are 1 … p.
  const withStep = new Set(steps.slice(1).map((s) => s.nodeId));
  const done = new Set(steps.slice(1, p + 1).map((s) => s.nodeId));
  const consumers = new Map<string, string[]>();
  for (const e of t.edges)
    if (withStep.has(e.to)) consumers.set(e.from, [...(consumers.get(e.from) ?? []), e.to]);
  const known = new Set<string>([t.output]);
  for (const [id, cs] of consumers) if (cs.every((c) => done.has(c))) known.add(id);
  return { current: steps[p].nodeId, targets: steps[p].inputs.map((i) => i.id), done, known };
}
