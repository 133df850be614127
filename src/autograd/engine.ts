import { checkObject, fail } from '../tensor/check.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { engine } from '../tensor/state.js';
import { clearGrad, free, ownsBuffer, recycle } from './recycle.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorLike } from '../tensor/methods.js';
import { checkFinite } from './anomaly.js';
import type { Node } from './node.js';

/** Options of a backward pass. */
export interface BackwardPassOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
}

/*
 * Each walk over the graph marks the tensors it visits with a fresh number
 * (`engine.backwardPass`), so that it needs no set.
 */

/**
 * Finds the tensors behind `roots` that need a gradient and counts, for each, how many of its
 * consumers lie in that graph (its dependencies), clearing any stale pending gradient. Iterative
 * with a small explicit stack, so graphs of any depth work. Returns how many tensors it found.
 */
function countDependencies(roots: readonly Tensor[]): number {
  const epoch = ++engine.backwardPass;
  const stack: Tensor[] = [];
  let found = 0;
  for (const root of roots) {
    if (root._mark === epoch) continue;
    root._mark = epoch;
    root._deps = 0;
    root._pending = null;
    stack.push(root);
    found++;
  }
  while (stack.length > 0) {
    const t = stack.pop()!;
    const fn = t.gradFn as Node | null;
    if (fn === null) continue;
    if (fn.freed) throw freedError(fn);
    const inputs = fn.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      if (!input.requiresGrad) continue;
      if (input._mark === epoch) {
        input._deps++;
      } else {
        input._mark = epoch;
        input._deps = 1;
        input._pending = null;
        stack.push(input);
        found++;
      }
    }
  }
  return found;
}

/** Drops every pending gradient left in the graph behind `roots` (after a failed pass). */
function clearPending(roots: readonly Tensor[]): void {
  const epoch = ++engine.backwardPass;
  const stack = [...roots];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t._mark === epoch) continue;
    t._mark = epoch;
    t._pending = null;
    const fn = t.gradFn;
    if (fn !== null) for (const input of fn.inputs) if (input.requiresGrad) stack.push(input);
  }
}

function freedError(fn: Node): Error {
  return new Error(
    `backward: trying to go through the graph a second time, but it was freed by an earlier backward() ` +
      `(at ${fn.name}). Pass { retainGraph: true } to the first backward() if you need to go through it again, ` +
      'or compute the result again.',
  );
}

/**
 * Reduces a gradient to its input's shape (undoing broadcasting) and dtype. Throws naming the
 * node when the shapes cannot match — a bug in a derivative rule.
 */
function fitToInput(g: Tensor, input: Tensor, fn: Node, index: number): Tensor {
  if (!shapesEqual(g.shape, input.shape)) {
    const gs = g.shape;
    const is = input.shape;
    const lead = gs.length - is.length;
    const axes: number[] = [];
    let ok = lead >= 0;
    for (let d = 0; ok && d < gs.length; d++) {
      if (d < lead) axes.push(d);
      else if (is[d - lead] === 1 && gs[d] !== 1) axes.push(d);
      else if (is[d - lead] !== gs[d]) ok = false;
    }
    if (!ok) {
      throw new Error(
        `backward of ${fn.name}: the gradient for input ${index} has shape ${formatShape(gs)} ` +
          `but the input has shape ${formatShape(is)}`,
      );
    }
    // Summing without keeping the axes usually gives the input's shape at once (a bias [n] from a
    // gradient [batch, n]); only size-1 dimensions need the reshape.
    const summed = g.sum(axes);
    g = shapesEqual(summed.shape, is) ? summed : summed.reshape(is);
  }
  if (g.dtype !== input.dtype) g = g.to(input.dtype);
  return g;
}

/** A gradient the caller passed in, checked against the tensor it is for. */
function seedGradient(root: Tensor, gradient: TensorLike | undefined): Tensor {
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `backward: called without a gradient on a tensor of shape ${formatShape(root.shape)}; ` +
          'an implicit gradient exists only for a tensor with one element (a scalar). ' +
          'Reduce it first (e.g. y.sum().backward()) or pass the upstream gradient: y.backward(onesLike(y))',
      );
    }
    const ones = new Tensor(
      new (root.data.constructor as Float32ArrayConstructor)(root.size),
      root.shape,
    );
    ones.data[0] = 1;
    return ones;
  }
  if (typeof gradient === 'number') {
    const g = new Tensor(
      new (root.data.constructor as Float32ArrayConstructor)(root.size),
      root.shape,
    );
    g.data.fill(gradient);
    return g;
  }
  if (!(gradient instanceof Tensor)) {
    throw new TypeError('backward: the gradient must be a Tensor or a number');
  }
  if (!shapesEqual(gradient.shape, root.shape)) {
    throw new RangeError(
      `backward: the gradient has shape ${formatShape(gradient.shape)} but the tensor has shape ${formatShape(root.shape)}; they must match`,
    );
  }
  return gradient.dtype === root.dtype ? gradient : gradient.to(root.dtype);
}

function notRequiringGradError(root: Tensor, where: string): Error {
  const why =
    root._nondifferentiable !== undefined
      ? `it was computed by ${root._nondifferentiable}, so no gradient flows back through it`
      : 'none of the tensors it was computed from has requiresGrad set ' +
        '(create the leaves with { requiresGrad: true })';
  return new Error(`${where}: this tensor does not require a gradient: ${why}`);
}

function accumulate(existing: Tensor | null, g: Tensor): Tensor {
  return existing === null ? g : existing.add(g);
}

/**
 * Adds `g` into `t.grad`. The gradient stored is unseen (nothing outside the library holds it)
 * unless it carries a graph; a gradient it replaces is cleared as by {@link clearGrad}.
 */
function storeGrad(t: Tensor, g: Tensor, createGraph: boolean): void {
  const existing = t._grad;
  const sum = existing === null ? (createGraph ? g : owned(g)) : accumulate(existing, g);
  // With a graph, the sum's node holds the old gradient: it is no longer the library's alone.
  if (existing !== null && !createGraph) clearGrad(t);
  t._grad = sum;
  t._gradSeen = createGraph;
}

/** Adds `g` to the gradient pending for `input`; the two summed are dead after. */
function addPending(input: Tensor, g: Tensor, createGraph: boolean): void {
  const existing = input._pending;
  input._pending = accumulate(existing, g);
  if (existing === null || createGraph) return;
  recycle(existing, null);
  recycle(g, null);
}

/**
 * The gradient to store in `.grad`: the tensor itself when no other tensor can see its storage,
 * else a copy, so that a stored gradient never aliases another (clipping and optimizers change
 * gradients in place).
 */
function owned(g: Tensor): Tensor {
  return g._shared ? ownCopy(g) : g;
}

function ownCopy(g: Tensor): Tensor {
  return new Tensor(g.data.slice(), g.shape);
}

/**
 * Runs the chain rule from `roots` (seeded with `seeds`) to the leaves. With `capture`, returns
 * the gradients of those tensors instead of accumulating into `.grad`.
 */
function run(
  roots: readonly Tensor[],
  seeds: readonly Tensor[],
  options: BackwardPassOptions,
  capture: readonly Tensor[] | undefined,
): (Tensor | null)[] | undefined {
  countDependencies(roots);
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const anomaly = engine.anomaly;
  const previousGrad = engine.gradEnabled;
  const captured: (Tensor | null)[] | undefined = capture?.map(() => null);
  const captureIndex = new Map<Tensor, number>();
  capture?.forEach((t, i) => captureIndex.set(t, i));
  const pass = ++engine.backwardPass; // marks the gradients handed out in this pass
  engine.gradEnabled = createGraph;
  // Rules run with the forward check off: a rule's intermediate values are checked as gradients.
  engine.anomaly = false;
  let ok = false;
  try {
    // A tensor is ready once every consumer in the graph has sent it its gradient: the reverse
    // topological order, found by counting (Kahn's algorithm) rather than by sorting.
    const ready: Tensor[] = [];
    for (let i = 0; i < roots.length; i++) {
      seeds[i]._shared = true; // the caller may hold it
      roots[i]._pending = accumulate(roots[i]._pending, seeds[i]);
    }
    for (const root of roots) if (root._deps === 0 && !ready.includes(root)) ready.push(root);
    while (ready.length > 0) {
      const t = ready.pop()!;
      const g = t._pending;
      t._pending = null;
      const fn = t.gradFn as Node | null;
      if (g !== null) {
        const slot = capture === undefined ? undefined : captureIndex.get(t);
        if (slot !== undefined) {
          captured![slot] = g;
          g._shared = true; // returned to the caller
        }
        if (capture === undefined && (fn === null || t._retainsGrad)) {
          storeGrad(t, g, createGraph);
          if (fn !== null) g._shared = true; // a retained gradient may also flow on to the inputs
        }
      }
      if (fn === null) continue;
      if (g !== null) g._donatable = !createGraph && !g._shared && ownsBuffer(g);
      if (createGraph) fn.workspaceShared = true;
      const grads = g === null ? null : fn.apply(g, t);
      if (g !== null) g._donatable = false;
      const inputs = fn.inputs;
      for (let i = 0; i < inputs.length; i++) {
        const input = inputs[i];
        if (!input.requiresGrad) continue;
        const gi = grads === null ? null : grads[i];
        if (gi !== null && gi !== undefined) {
          const fitted = fitToInput(gi, input, fn, i);
          if (anomaly)
            checkFinite(fitted, fn.op, 'backward', { input: i, createdAt: fn.createdAt });
          // A rule may hand the same tensor to several inputs (addition does): mark it shared.
          if (fitted._handed === pass) fitted._shared = true;
          else fitted._handed = pass;
          addPending(input, fitted, createGraph);
        }
        if (--input._deps === 0) ready.push(input);
      }
      if (!retainGraph) free(fn);
      if (g !== null && !createGraph) recycle(g, grads);
    }
    ok = true;
  } finally {
    if (!ok) clearPending(roots);
    engine.gradEnabled = previousGrad;
    engine.anomaly = anomaly;
  }
  return captured;
}

/**
 * `tensor.backward(gradient?, options?)`: accumulates d(root)/d(leaf) into the `.grad` of every
 * leaf that requires a gradient.
 */
export function backward(
  root: Tensor,
  gradient: TensorLike | undefined,
  options: BackwardPassOptions,
): void {
  if (!root.requiresGrad) throw notRequiringGradError(root, 'backward');
  run([root], [seedGradient(root, gradient)], options, undefined);
}

/** Options of `gradients()`. */
export interface GradientsOptions extends BackwardPassOptions {
  /** The upstream gradient for each output (needed for outputs with more than one element). */
  gradOutputs?: readonly (TensorLike | undefined)[];
  /** Return zeros instead of throwing for an input the outputs do not depend on (default false). */
  allowUnused?: boolean;
}

/**
 * The gradients of `outputs` with respect to `inputs`, returned rather than accumulated into
 * `.grad` (PyTorch's `torch.autograd.grad`). With `createGraph`, the results are themselves
 * differentiable.
 *
 * @example
 * const x = tensor(2, { requiresGrad: true });
 * const [dy] = gradients(x.pow(3), [x], { createGraph: true }); // 3x² = 12
 * const [d2y] = gradients(dy, [x]);                              // 6x = 12
 */
export function gradients(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradientsOptions = {},
): Tensor[] {
  const outs = tensorList('gradients', 'outputs', outputs);
  const ins = tensorList('gradients', 'inputs', inputs);
  checkObject({ where: 'gradients' }, 'options', options);
  ins.forEach((t, i) => {
    if (!(t instanceof Tensor) || !t.requiresGrad) {
      throw new Error(
        `gradients: input ${i} does not require a gradient; set requiresGrad on it before computing the outputs`,
      );
    }
  });
  const roots: Tensor[] = [];
  const seeds: Tensor[] = [];
  outs.forEach((o, i) => {
    if (!o.requiresGrad) {
      if (options.allowUnused) return;
      throw notRequiringGradError(o, `gradients: output ${i}`);
    }
    roots.push(o);
    seeds.push(seedGradient(o, options.gradOutputs?.[i]));
  });
  const captured = roots.length > 0 ? run(roots, seeds, options, ins)! : ins.map(() => null);
  return captured.map((g, i) => {
    if (g !== null) return g;
    if (!options.allowUnused) {
      throw new Error(
        `gradients: input ${i} (shape ${formatShape(ins[i].shape)}) was not used to compute the outputs; ` +
          'pass { allowUnused: true } to get zeros for it',
      );
    }
    return new Tensor(
      new (ins[i].data.constructor as Float32ArrayConstructor)(ins[i].size),
      ins[i].shape,
    );
  });
}

/**
 * @internal `value` as a list of tensors: a Tensor alone, or an array of Tensors; else a TypeError
 * naming `where` and `key` (`gradients: inputs must be a Tensor or an array of Tensors, got 42`).
 */
export function tensorList(where: string, key: string, value: unknown): readonly Tensor[] {
  if (value instanceof Tensor) return [value];
  if (!Array.isArray(value))
    fail({ where }, key, 'a Tensor or an array of Tensors', value, TypeError);
  value.forEach((t: unknown, i) => {
    if (!(t instanceof Tensor)) fail({ where }, `${key}[${i}]`, 'a Tensor', t, TypeError);
  });
  return value as readonly Tensor[];
}
