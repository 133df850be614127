import { gradients } from '../autograd/engine.js';
import type { Node } from '../autograd/node.js';
import type { Module } from '../nn/module.js';
import { Parameter } from '../nn/parameter.js';
import { onesLike } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

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

/** A traced computational graph. */
export interface Trace {
  nodes: TraceNode[];
  edges: { from: string; to: string; input: number }[];
  /** The id of the traced output. */
  output: string;
  /** The tensors behind the nodes, by id (not serialized). */
  tensors: Map<string, Tensor>;
  /** The gradients behind `grad`, by id, when computed (not serialized). */
  grads: Map<string, Tensor>;
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

/** Every tensor behind `output`, inputs first, found with an explicit stack (any depth). */
function topological(output: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([output]);
  const stack: Tensor[] = [output];
  const next: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top];
    const inputs = t.gradFn?.inputs ?? [];
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

/**
 * The computational graph behind `output`: its nodes (operations and leaves, with names, shapes,
 * values and — when available — gradients) and edges, in topological order. This is what the
 * exporters draw.
 *
 * @example
 * const x = scalar(-2, { requiresGrad: true, name: 'x' });
 * const f = x.add(5).mul(-4);
 * trace(f).nodes.map((n) => n.op ?? n.name); // ['x', 'add', 'mul'] (constants folded into gates by the exporters)
 */
export function trace(output: Tensor, options: TraceOptions = {}): Trace {
  if (!(output instanceof Tensor)) throw new TypeError('trace: expected a Tensor');
  const tensors = topological(output);
  const ids = new Map<Tensor, string>();
  tensors.forEach((t, i) => ids.set(t, `n${i}`));
  const names = new Map<Tensor, string>();
  if (options.module !== undefined)
    for (const [name, p] of options.module.namedParameters()) names.set(p, name);
  const maxValues = options.maxValues ?? 16;

  // Gradients of every node, by one extra backward pass that leaves `.grad` alone.
  const grads = new Map<string, Tensor>();
  const freed = tensors.some((t) => (t.gradFn as Node | null)?.freed === true);
  const wanted = options.gradients ?? 'auto';
  if (wanted === true && freed) {
    throw new Error(
      'trace: the graph was freed by backward(); trace before backward(), or call backward({ retainGraph: true })',
    );
  }
  if (wanted !== false && !freed && output.requiresGrad) {
    const targets = tensors.filter((t) => t.requiresGrad);
    const seed = onesLike(output);
    const gs = gradients(output, targets, {
      gradOutputs: [seed],
      retainGraph: true,
      allowUnused: true,
    });
    targets.forEach((t, i) => grads.set(ids.get(t)!, gs[i]));
  } else {
    for (const t of tensors) if (t.grad !== null) grads.set(ids.get(t)!, t.grad);
  }

  const nodes: TraceNode[] = [];
  const edges: Trace['edges'] = [];
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
      inputs: fn === null ? [] : fn.inputs.map((x) => ids.get(x)!),
      requiresGrad: t.requiresGrad,
      value: summarize(t, maxValues),
    };
    if (fn !== null) {
      node.op = fn.op;
      node.gradFn = fn.name;
      if (fn.attrs !== undefined) node.attrs = fn.attrs;
      fn.inputs.forEach((x, i) => edges.push({ from: ids.get(x)!, to: id, input: i }));
    }
    if (name !== undefined) node.name = name;
    const g = grads.get(id);
    if (g !== undefined) node.grad = summarize(g, maxValues);
    nodes.push(node);
  }
  return { nodes, edges, output: ids.get(output)!, tensors: byId, grads };
}

/** The trace as plain JSON-ready data (no tensor references). */
export function traceToJSON(t: Trace): {
  nodes: TraceNode[];
  edges: Trace['edges'];
  output: string;
} {
  return { nodes: t.nodes, edges: t.edges, output: t.output };
}
