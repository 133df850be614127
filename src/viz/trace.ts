import { gradients } from '../autograd/engine.js';
import { noGrad } from '../autograd/mode.js';
import type { Node } from '../autograd/node.js';
import type { Module } from '../nn/module.js';
import { Parameter } from '../nn/parameter.js';
import { Unfused } from './unfuse.js';
import { checkInteger, checkObject, fail } from '../tensor/check.js';
import { onesLike } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../train/arguments.js';

/** What a picture shows of a tensor: its shape, and its values when small, else a few statistics. */
export interface TensorSummary {
  shape: number[];
  dtype: DType;
  size: number;
  /** Every value, when there are at most `maxValues`. */
  values?: number[];
  min?: number;
  max?: number;
  mean?: number;
  /** The Euclidean norm. */
  norm?: number;
}

/** One node of a traced graph: a leaf (an input, a parameter or a constant) or an operation. */
export interface TraceNode {
  /** `n0`, `n1`, … in topological order (inputs before the operations that use them). */
  id: string;
  kind: 'input' | 'parameter' | 'constant' | 'op';
  /** The primitive, for operations (`mul`, `matmul`, …). */
  op?: string;
  /** The graph node's name, for operations (`MulBackward`). */
  gradFn?: string;
  /** The user's name (`tensor(…, { name })`, `.named()`), or a parameter's module path. */
  name?: string;
  /** The ids of the operation's inputs, in order. */
  inputs: string[];
  /** Non-tensor arguments of the operation (axes, exponent, …). */
  attrs?: Readonly<Record<string, unknown>>;
  requiresGrad: boolean;
  value: TensorSummary;
  /** d(output)/d(this node), when gradients were asked for or the leaf has a `.grad`. */
  grad?: TensorSummary;
}

/** One wire of a traced graph: the value of `from` feeding input `input` of the operation `to`. */
export interface TraceEdge {
  from: string;
  to: string;
  /** Which input of `to` this wire feeds (0, 1, …). */
  input: number;
  /**
   * The branch gradient: what the backward pass sends back along this wire alone, d(output)/d(`to`)
   * times the local derivative of `to` with respect to this input (reduced to the input's shape).
   * Where a value feeds several operations, its gradient (`grad` of the node `from`) is the sum of
   * the branch gradients of its wires: gradients add where paths meet. Set when the trace computed
   * gradients (see {@link TraceOptions.gradients}) and `from` requires a gradient.
   */
  grad?: TensorSummary;
}

/** A traced computational graph. */
export interface Trace {
  nodes: TraceNode[];
  edges: TraceEdge[];
  /** The id of the traced output. */
  output: string;
  /** The tensors behind the nodes, by id (not serialized). */
  tensors: Map<string, Tensor>;
  /** The gradients behind `grad`, by id, when computed (not serialized). */
  grads: Map<string, Tensor>;
  /**
   * The branch gradients behind the edges' `grad`, by `edgeKey`, when computed (not
   * serialized; optional, so that a Trace put together by hand needs none).
   */
  edgeGrads?: Map<string, Tensor>;
}

/** The key of an edge in {@link Trace.edgeGrads}: `n0->n3:1`. */
export function edgeKey(e: Pick<TraceEdge, 'from' | 'to' | 'input'>): string {
  return `${e.from}->${e.to}:${e.input}`;
}

/**
 * The gradient each input of the operation behind `out` receives from it alone, for the upstream
 * gradient `upstream` of `out`: its derivative rule, with a broadcast input's gradient summed back
 * to the input's shape as the engine does (null where none flows). Runs without recording.
 */
export function branchGradients(out: Tensor, upstream: Tensor): (Tensor | null)[] {
  const fn = out.gradFn as Node;
  return noGrad(() =>
    fn
      .apply(upstream, out)
      .map((g, i) => (g === null || g === undefined ? null : fitTo(g, fn.inputs[i]))),
  );
}

/** `g` summed over the dimensions along which `input` was broadcast (as the engine does). */
function fitTo(g: Tensor, input: Tensor): Tensor {
  const gs = g.shape;
  const is = input.shape;
  const lead = gs.length - is.length;
  if (lead < 0) return g;
  const axes: number[] = [];
  for (let d = 0; d < gs.length; d++)
    if (d < lead || (is[d - lead] === 1 && gs[d] !== 1)) axes.push(d);
  if (axes.length === 0) return g;
  const summed = g.sum(axes);
  return summed.size === input.size && summed.shape.length !== is.length
    ? summed.reshape([...is])
    : summed;
}

/** Options of `trace`. */
export interface TraceOptions {
  /**
   * Compute d(output)/d(node) for every node (without touching any `.grad`): `true`, or `'auto'`
   * (the default) to do so when the graph is still there (before `backward()`, or after one with
   * `retainGraph`). A non-scalar output is seeded with ones.
   */
  gradients?: boolean | 'auto';
  /** Name parameters by their path in this module (`layers.0.weight`). */
  module?: Module;
  /** Show every value of tensors with at most this many elements (default 16). */
  maxValues?: number;
}

/** A summary of a tensor for pictures. */
export function summarize(t: Tensor, maxValues = 16): TensorSummary {
  checkTensor('summarize', 't', t);
  checkInteger({ where: 'summarize' }, 'maxValues', maxValues, 0);
  const out: TensorSummary = { shape: [...t.shape], dtype: t.dtype, size: t.size };
  if (t.size === 0) return out;
  const d = t.data;
  if (t.size <= maxValues) out.values = Array.from(d);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sq += v * v;
  }
  out.min = min;
  out.max = max;
  out.mean = sum / d.length;
  out.norm = Math.sqrt(sq);
  return out;
}

/**
 * Every tensor behind `output`, inputs first, found with an explicit stack (any depth); fused
 * primitives are walked as their stand-ins (`u`).
 */
function topological(output: Tensor, u: Unfused): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([output]);
  const stack: Tensor[] = [output];
  const next: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top];
    const inputs = u.inputsOf(t);
    const i = next[top];
    if (i < inputs.length) {
      next[top] = i + 1;
      const input = inputs[i];
      if (!seen.has(input)) {
        seen.add(input);
        stack.push(input);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      order.push(t);
    }
  }
  return order;
}

/** Checks `trace`'s options; returns `maxValues` (default 16). */
function checkTraceOptions(options: TraceOptions): number {
  const ctx = { where: 'trace' };
  checkObject(ctx, 'options', options);
  const { module, gradients: wanted } = options;
  if (module !== undefined && typeof module?.namedParameters !== 'function')
    fail(ctx, 'module', 'a Module', module, TypeError);
  if (wanted !== undefined && wanted !== true && wanted !== false && wanted !== 'auto')
    fail(ctx, 'gradients', "true, false or 'auto'", wanted, TypeError);
  return checkInteger(ctx, 'maxValues', options.maxValues ?? 16, 0);
}

/**
 * The branch gradient of every wire into an operation that has a gradient, by `edgeKey`:
 * each operation's rule run once on its own gradient.
 */
function wireGradients(
  tensors: readonly Tensor[],
  ids: ReadonlyMap<Tensor, string>,
  grads: ReadonlyMap<string, Tensor>,
  u: Unfused,
): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const t of tensors) {
    const upstream = t.gradFn === null ? undefined : grads.get(ids.get(t)!);
    if (upstream === undefined) continue;
    const inputs = u.inputsOf(t);
    branchGradients(t, upstream).forEach((g, i) => {
      if (g !== null && inputs[i].requiresGrad)
        out.set(edgeKey({ from: ids.get(inputs[i])!, to: ids.get(t)!, input: i }), g);
    });
  }
  return out;
}

/**
 * Fills `grads` with d(output)/d(node) for every node that requires a gradient, by one extra
 * backward pass over the real graph that leaves `.grad` alone; the `linear` result inside a
 * stand-in gets its gradient from the stand-in's rule.
 */
function backwardGradients(
  output: Tensor,
  tensors: readonly Tensor[],
  ids: ReadonlyMap<Tensor, string>,
  u: Unfused,
  grads: Map<string, Tensor>,
): void {
  const targets = tensors.filter((t) => t.requiresGrad && u.real(t) !== undefined);
  const options = { gradOutputs: [onesLike(output)], retainGraph: true, allowUnused: true };
  const gs = gradients(
    output,
    targets.map((t) => u.real(t)!),
    options,
  );
  targets.forEach((t, i) => grads.set(ids.get(t)!, gs[i]));
  for (const [standIn, inner] of u.pairs()) {
    const g = grads.get(ids.get(standIn)!);
    if (g !== undefined) grads.set(ids.get(inner)!, branchGradients(standIn, g)[0]!);
  }
}

/**
 * The computational graph behind `output`: its nodes (operations and leaves, with names, shapes,
 * values and — when available — gradients) and edges, in topological order. This is what the
 * exporters draw.
 *
 * @example
 * import { trace } from 'nabla/viz';
 * const x = scalar(-2, { requiresGrad: true, name: 'x' });
 * const f = x.add(5).mul(-4);
 * trace(f).nodes.map((n) => n.op ?? n.name); // ['x', 'add', 'mul'] (constants folded into gates by the exporters)
 */
export function trace(output: Tensor, options: TraceOptions = {}): Trace {
  checkTensor('trace', 'output', output);
  const maxValues = checkTraceOptions(options);
  const u = new Unfused();
  const tensors = topological(u.of(output), u);
  const ids = new Map<Tensor, string>();
  tensors.forEach((t, i) => ids.set(t, `n${i}`));
  const names = new Map<Tensor, string>();
  if (options.module !== undefined)
    for (const [name, p] of options.module.namedParameters()) names.set(p, name);

  // Gradients of every node, by one extra backward pass that leaves `.grad` alone.
  const grads = new Map<string, Tensor>();
  const freed = tensors.some((t) => (t.gradFn as Node | null)?.freed === true);
  const wanted = options.gradients ?? 'auto';
  if (wanted === true && freed) {
    throw new Error(
      'trace: the graph was freed by backward(); trace before backward(), or call backward({ retainGraph: true })',
    );
  }
  if (wanted !== false && !freed && output.requiresGrad)
    backwardGradients(output, tensors, ids, u, grads);
  else for (const t of tensors) if (t.grad !== null) grads.set(ids.get(t)!, t.grad);

  const edgeGrads =
    wanted !== false && !freed && output.requiresGrad
      ? wireGradients(tensors, ids, grads, u)
      : new Map<string, Tensor>();

  const nodes: TraceNode[] = [];
  const edges: TraceEdge[] = [];
  const byId = new Map<string, Tensor>();
  for (const t of tensors) {
    const id = ids.get(t)!;
    byId.set(id, t);
    const fn = t.gradFn as Node | null;
    const name = t.name ?? names.get(t);
    const node: TraceNode = {
      id,
      kind:
        fn !== null
          ? 'op'
          : t instanceof Parameter
            ? 'parameter'
            : t.requiresGrad || name !== undefined
              ? 'input'
              : 'constant',
      inputs: u.inputsOf(t).map((x) => ids.get(x)!),
      requiresGrad: t.requiresGrad,
      value: summarize(t, maxValues),
    };
    if (fn !== null) {
      node.op = fn.op;
      node.gradFn = fn.name;
      if (fn.attrs !== undefined) node.attrs = fn.attrs;
      u.inputsOf(t).forEach((x, i) => {
        const edge: TraceEdge = { from: ids.get(x)!, to: id, input: i };
        const g = edgeGrads.get(edgeKey(edge));
        if (g !== undefined) edge.grad = summarize(g, maxValues);
        edges.push(edge);
      });
    }
    if (name !== undefined) node.name = name;
    const g = grads.get(id);
    if (g !== undefined) node.grad = summarize(g, maxValues);
    nodes.push(node);
  }
  return { nodes, edges, output: ids.get(u.of(output))!, tensors: byId, grads, edgeGrads };
}

/** The trace as plain JSON-ready data (no tensor references). */
export function traceToJSON(t: Trace): {
  nodes: TraceNode[];
  edges: TraceEdge[];
  output: string;
} {
  checkTrace('traceToJSON', t);
  return { nodes: t.nodes, edges: t.edges, output: t.output };
}

/**
 * `t` when it looks like what {@link trace} returns (nodes, edges and the output's id), else a
 * TypeError naming `where`: the exporters' check of their argument.
 */
export function checkTrace(where: string, t: unknown): Trace {
  const v = t as Partial<Trace> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    !Array.isArray(v.nodes) ||
    !Array.isArray(v.edges) ||
    typeof v.output !== 'string'
  ) {
    fail({ where }, 'the graph', 'a Trace (what trace(f) returns)', t, TypeError);
  }
  return t as Trace;
}
