import { checkInteger, checkObject, fail } from '../tensor/check.js';
import {
  checkTrace,
  type Trace,
  type TraceEdge,
  type TraceNode,
  type TensorSummary,
} from './trace.js';
import { escapeXml } from './xml.js';

/**
 * Graphviz DOT and Mermaid text for traced graphs. A graph of scalars is drawn as a circuit
 * diagram in the lectures' style: each gate labelled with its operation (+, ×, max, exp, 1/x,
 * σ, …; a constant operand folded into the gate, as "+1" or "×(−1)"), the forward value on each
 * wire and, under it in red, the gradient of the output with respect to that wire. Where a value
 * fans out to several operations, each of its wires carries its own branch gradient, and the value's
 * node shows their sum ("gradients add where paths meet"). Graphs of larger tensors show shapes and
 * small summaries instead.
 */

/** Options of the exporters. */
export interface DiagramOptions {
  /** Draw a circuit diagram (every node a scalar) or a tensor graph; default: circuit when possible. */
  circuit?: boolean;
  /** Significant digits of numbers (default 4). */
  digits?: number;
  /** Draw at most this many nodes (default 500); a note in the picture says what was left out. */
  maxNodes?: number;
  /** Graphviz rank direction (default LR: inputs on the left). */
  rankdir?: 'LR' | 'TB';
  /** A title above the picture. */
  title?: string;
}

const GATES: Record<string, string> = {
  add: '+',
  sub: '−',
  mul: '×',
  div: '÷',
  neg: '×(−1)',
  exp: 'exp',
  log: 'log',
  sqrt: '√',
  abs: '|x|',
  tanh: 'tanh',
  sigmoid: 'σ',
  relu: 'ReLU',
  step: 'step',
  maximum: 'max',
  minimum: 'min',
  powScalar: 'x^p',
  pow: 'pow',
  sin: 'sin',
  cos: 'cos',
  erf: 'erf',
  sum: 'Σ',
  mean: 'mean',
  max: 'max',
  min: 'min',
  matmul: '·',
  linear: 'xWᵀ+b',
  reshape: 'reshape',
  where: 'where',
  cast: 'cast',
  logSoftmax: 'log softmax',
  softmaxCrossEntropy: 'cross-entropy',
};

/** A number for a label: up to `digits` significant digits, no trailing zeros, − for minus. */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const text =
    abs >= 1e5 || abs < 1e-3 ? v.toExponential(digits - 1) : String(Number(v.toPrecision(digits)));
  return text.replace(/^-/, '−');
}

/**
 * Terms written as a sum, a negative term as a subtraction: `1.583 − 0.03576 + 0.5121`
 * (never `+ −`), as the pictures and explanations write the gradients that add at a fan-out. The
 * terms are formatted already (by {@link formatNumber}), minus as −.
 *
 * @example
 * import { formatSum } from 'nabla/viz';
 * formatSum(['1.583', '−0.03576', '0.5121']); // => '1.583 − 0.03576 + 0.5121'
 */
export function formatSum(terms: readonly string[]): string {
  if (!Array.isArray(terms) || !terms.every((t) => typeof t === 'string'))
    fail({ where: 'formatSum' }, 'terms', 'a list of formatted numbers', terms, TypeError);
  return terms
    .map((term, i) => (i === 0 ? term : term.startsWith('−') ? `− ${term.slice(1)}` : `+ ${term}`))
    .join(' ');
}

function describe(s: TensorSummary, digits: number): string {
  if (s.values !== undefined && s.size === 1) return formatNumber(s.values[0], digits);
  if (s.values !== undefined && s.size <= 6)
    return `[${s.values.map((v) => formatNumber(v, 3)).join(', ')}]`;
  if (s.size === 0) return 'empty';
  return `‖·‖ ${formatNumber(s.norm ?? NaN, 3)}, ${formatNumber(s.min ?? NaN, 3)}…${formatNumber(s.max ?? NaN, 3)}`;
}

/** A constant operand that a circuit folds into its gate: an unnamed scalar needing no gradient. */
function isFoldable(n: TraceNode): boolean {
  return n.kind === 'constant' && n.value.size === 1 && n.value.values !== undefined;
}

/** The gate's label, with a folded constant: `+1`, `×(−1)`, `1/x`, `x^2`, … */
function gateLabel(
  n: TraceNode,
  byId: Map<string, TraceNode>,
  digits: number,
): { label: string; folded: Set<string> } {
  const folded = new Set<string>();
  const op = n.op ?? '?';
  const inputs = n.inputs.map((id) => byId.get(id)!);
  const constant = (i: number): number | undefined => {
    const x = inputs[i];
    return x !== undefined && isFoldable(x) ? x.value.values![0] : undefined;
  };
  if (op === 'powScalar')
    return { label: `x^${formatNumber(Number(n.attrs?.exponent), digits)}`, folded };
  if (inputs.length === 2 && ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'].includes(op)) {
    const c0 = constant(0);
    const c1 = constant(1);
    if (c1 !== undefined && c0 === undefined) {
      folded.add(n.inputs[1]);
      const c = formatNumber(c1, digits);
      const wrapped = c1 < 0 ? `(${c})` : c;
      const minus = formatNumber(-c1, digits);
      const label = {
        add: c1 < 0 ? `−${minus}` : `+${c}`,
        sub: c1 < 0 ? `+${minus}` : `−${c}`,
        mul: `×${wrapped}`,
        div: `÷${wrapped}`,
        maximum: `max(·, ${c})`,
        minimum: `min(·, ${c})`,
      }[op]!;
      return { label, folded };
    }
    if (c0 !== undefined && c1 === undefined) {
      folded.add(n.inputs[0]);
      if (op === 'div' && c0 === 1) return { label: '1/x', folded };
      const c = formatNumber(c0, digits);
      const label = {
        add: `${c}+`,
        sub: `${c}−`,
        mul: `${c}×`,
        div: `${c}/x`,
        maximum: `max(${c}, ·)`,
        minimum: `min(${c}, ·)`,
      }[op]!;
      return { label, folded };
    }
  }
  return { label: GATES[op] ?? op, folded };
}

/** A wire's label: the value (a circuit's number, or a tensor's shape) and, in red, its gradient. */
function wireLabel(
  value: TensorSummary,
  gradient: TensorSummary | undefined,
  digits: number,
  circuit: boolean,
): string {
  const grad =
    gradient === undefined
      ? ''
      : `<br/><font color="${RED}">${escapeXml(describe(gradient, digits))}</font>`;
  const shown = circuit ? describe(value, digits) : `[${value.shape.join(',')}]`;
  return `<${escapeXml(shown)}${grad}>`;
}

const RED = '#c0392b';

/** The words a fan-out's sum carries in every picture. */
const PATHS_MEET = 'gradients add where paths meet';

/** The drawn wires out of each node: several for a value that fans out. */
function outgoingEdges(edges: readonly TraceEdge[]): Map<string, TraceEdge[]> {
  const out = new Map<string, TraceEdge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  return out;
}

/**
 * The sum a fanned-out value's node shows: its wires' branch gradients, in the order the backward
 * pass meets them (from the output back, as `explainText` lists them), and their total, the
 * value's gradient: `1.583 − 0.03576 + 0.5121 = 2.06`. Undefined for a value with one wire or no
 * gradient.
 */
function fanOutSum(
  n: TraceNode,
  wires: readonly TraceEdge[] | undefined,
  position: ReadonlyMap<string, number>,
  digits: number,
): string | undefined {
  if (wires === undefined || wires.length < 2 || n.grad === undefined) return undefined;
  const total = describe(n.grad, digits);
  const branches = [...wires].sort(
    (a, b) => position.get(b.to)! - position.get(a.to)! || a.input - b.input,
  );
  // Each branch written out where all are small (a number, or a short vector), else only the total.
  const small = branches.every((e) => e.grad?.values !== undefined && e.grad.size <= 6);
  if (!small || branches.length > 6) return `sum of ${branches.length} branches = ${total}`;
  return `${formatSum(branches.map((e) => describe(e.grad!, digits)))} = ${total}`;
}

/** The fan-out's sum and the lesson under it, as Graphviz HTML-like text. */
function sumLabel(sum: string): string {
  return `<font color="${RED}">${escapeXml(sum)}</font><br/><font point-size="9" color="#555555">${PATHS_MEET}</font>`;
}

/** Checks the exporters' options; returns the digits (default 4) and maxNodes (default 500). */
function checkDiagramOptions(
  where: string,
  options: DiagramOptions,
): { digits: number; maxNodes: number } {
  const ctx = { where };
  checkObject(ctx, 'options', options);
  const { rankdir, title, circuit } = options;
  if (rankdir !== undefined && rankdir !== 'LR' && rankdir !== 'TB')
    fail(ctx, 'rankdir', "'LR' or 'TB'", rankdir);
  if (title !== undefined && typeof title !== 'string')
    fail(ctx, 'title', 'a string', title, TypeError);
  if (circuit !== undefined && typeof circuit !== 'boolean')
    fail(ctx, 'circuit', 'true or false', circuit, TypeError);
  return {
    digits: checkInteger(ctx, 'digits', options.digits ?? 4, 1),
    maxNodes: checkInteger(ctx, 'maxNodes', options.maxNodes ?? 500, 1),
  };
}

/**
 * A node's DOT attributes: a gate (a circle, or a box holding its fan-out's sum), a tensor
 * operation's box, or a leaf's name, with the sum of its branch gradients where it fans out.
 */
function nodeAttributes(
  n: TraceNode,
  gate: string | undefined,
  sum: string | undefined,
  circuit: boolean,
  digits: number,
): string {
  const note = sum === undefined ? '' : `<br/>${sumLabel(sum)}`;
  if (n.kind === 'op' && circuit) {
    const label = escapeXml(gate ?? n.op!);
    return sum === undefined
      ? `shape=circle, width=0.55, fixedsize=false, style=filled, fillcolor="#eef3fb", label=<${label}>`
      : `shape=box, style="rounded,filled", fillcolor="#eef3fb", label=<<font point-size="14">${label}</font>${note}>`;
  }
  if (n.kind === 'op') {
    const title = n.name !== undefined ? `${n.name} = ${n.op}` : (n.op ?? '?');
    const detail = `[${n.value.shape.join(',')}] ${n.value.dtype === 'float32' ? '' : n.value.dtype}`;
    return `shape=box, style="rounded,filled", fillcolor="#eef3fb", label=<<b>${escapeXml(title)}</b><br/>${escapeXml(detail.trim())}<br/><font point-size="10">${escapeXml(describe(n.value, 3))}</font>${note}>`;
  }
  const label = n.name ?? (n.kind === 'constant' ? describe(n.value, digits) : n.id);
  const shape = n.kind === 'parameter' ? 'box' : 'plaintext';
  const extra = circuit ? '' : `<br/>${escapeXml(`[${n.value.shape.join(',')}]`)}`;
  return `shape=${shape}, label=<<b>${escapeXml(label)}</b>${extra}${note}>`;
}

/**
 * Graphviz DOT text for a traced graph: a circuit diagram of scalars (values on the wires,
 * gradients under them in red), or a graph of tensor operations with shapes and summaries.
 *
 * @example
 * import { renderSvg, toDot, trace } from 'nabla/viz';
 * const x = scalar(-2, { requiresGrad: true, name: 'x' });
 * const f = x.add(5).mul(-4);
 * const dot = toDot(trace(f));
 * const svg = await renderSvg(dot);
 */
export function toDot(t: Trace, options: DiagramOptions = {}): string {
  checkTrace('toDot', t);
  const { digits, maxNodes } = checkDiagramOptions('toDot', options);
  const circuit = options.circuit ?? t.nodes.every((n) => n.value.size === 1);
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const lines: string[] = [
    'digraph nabla {',
    `  rankdir=${options.rankdir ?? 'LR'};`,
    '  graph [fontname="Helvetica", nodesep=0.35, ranksep=0.6];',
    '  node [fontname="Helvetica", fontsize=12];',
    '  edge [fontname="Helvetica", fontsize=11, arrowsize=0.7];',
  ];
  if (options.title !== undefined)
    lines.push(`  labelloc="t"; label=<${escapeXml(options.title)}>;`);
  // Keep the last maxNodes nodes (the ones nearest the output), noting what was left out.
  const shown = t.nodes.length > maxNodes ? t.nodes.slice(t.nodes.length - maxNodes) : t.nodes;
  const visible = new Set(shown.map((n) => n.id));
  if (shown.length < t.nodes.length) {
    lines.push(
      `  omitted [shape=note, label="${t.nodes.length - shown.length} earlier nodes not drawn (maxNodes ${maxNodes})"];`,
    );
  }
  const folded = new Set<string>();
  const gates = new Map<string, string>();
  if (circuit) {
    for (const n of shown) {
      if (n.kind !== 'op') continue;
      const g = gateLabel(n, byId, digits);
      gates.set(n.id, g.label);
      for (const id of g.folded) folded.add(id);
    }
  }
  // The wires drawn: both ends shown, and no constant folded into its gate.
  const wires = t.edges.filter(
    (e) =>
      visible.has(e.from) &&
      visible.has(e.to) &&
      !(circuit && folded.has(e.from) && gates.has(e.to)),
  );
  const outgoing = outgoingEdges(wires);
  const position = new Map(t.nodes.map((n, i) => [n.id, i]));
  for (const n of shown) {
    if (folded.has(n.id) && t.edges.filter((e) => e.from === n.id).every((e) => gates.has(e.to)))
      continue;
    const sum = fanOutSum(n, outgoing.get(n.id), position, digits);
    lines.push(`  ${n.id} [${nodeAttributes(n, gates.get(n.id), sum, circuit, digits)}];`);
  }
  for (const e of wires) {
    const from = byId.get(e.from)!;
    // A fanned-out value's wire carries its own branch gradient, not the value's total.
    const grad = outgoing.get(e.from)!.length > 1 ? e.grad : from.grad;
    lines.push(`  ${e.from} -> ${e.to} [label=${wireLabel(from.value, grad, digits, circuit)}];`);
  }
  // The output's own wire, with its value and gradient 1.
  const out = byId.get(t.output)!;
  lines.push('  result [shape=plaintext, label=""];');
  lines.push(`  ${t.output} -> result [label=${wireLabel(out.value, out.grad, digits, circuit)}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Mermaid flowchart text for a traced graph (values and gradients on the edges). */
export function toMermaid(t: Trace, options: DiagramOptions = {}): string {
  checkTrace('toMermaid', t);
  const { digits } = checkDiagramOptions('toMermaid', options);
  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const outgoing = outgoingEdges(t.edges);
  const position = new Map(t.nodes.map((n, i) => [n.id, i]));
  const text = (s: string): string => s.replace(/"/g, '#quot;');
  const lines = [`flowchart ${options.rankdir ?? 'LR'}`];
  for (const n of t.nodes) {
    const label =
      n.kind === 'op' ? gateLabel(n, byId, digits).label : (n.name ?? describe(n.value, digits));
    const sum = fanOutSum(n, outgoing.get(n.id), position, digits);
    const shown =
      sum === undefined ? label : `${label}<br/>${sum}<br/><small>${PATHS_MEET}</small>`;
    lines.push(n.kind === 'op' ? `  ${n.id}(("${text(shown)}"))` : `  ${n.id}["${text(shown)}"]`);
  }
  for (const e of t.edges) {
    const from = byId.get(e.from)!;
    const value = describe(from.value, digits);
    // A fanned-out value's wire carries its own branch gradient, not the value's total.
    const gradient = outgoing.get(e.from)!.length > 1 ? e.grad : from.grad;
    const grad = gradient === undefined ? '' : ` / ∂ ${describe(gradient, digits)}`;
    lines.push(`  ${e.from} -- "${text(value + grad)}" --> ${e.to}`);
  }
  return `${lines.join('\n')}\n`;
}
