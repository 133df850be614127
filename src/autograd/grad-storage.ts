/*
 * Where the backward pass keeps gradients and gives their storage back: summing into pending
 * gradients and `.grad`, and releasing to the caching allocator (tensor/storage.ts) the arrays
 * that nothing else can see any more.
 */
import { dtypeOfArray, type TypedArray } from '../tensor/dtype.js';
import { release } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import type { Node } from './node.js';

export function accumulate(existing: Tensor | null, g: Tensor): Tensor {
  return existing === null ? g : existing.add(g);
}

/**
 * Gives a dead gradient's storage to the caching allocator (tensor/storage.ts): one that nothing
 * else can see (`_shared` marks views, gradients handed to several inputs, stored in a `.grad` or
 * captured, and the caller's seeds), that owns its whole buffer, and whose buffer none of `kept`
 * (the results of the rule that consumed it) reuses.
 */
export function recycle(g: Tensor, kept: readonly (Tensor | null | undefined)[] | null): void {
  // A one-element tensor held as a number has no array (asking for one would make it).
  const data = g._data;
  if (data === null || g._shared || !ownsBuffer(g)) return;
  const buffer = data.buffer;
  if (kept !== null) for (const k of kept) if (k?._data?.buffer === buffer) return;
  release(data, g.dtype);
}

/**
 * Marks a node used up, and gives its workspace (arrays only its rule reads, kept from the
 * forward pass: `attrs.workspace`) to the caching allocator, unless a pass that built a graph
 * ran the rule (its nodes may read them).
 */
export function free(fn: Node): void {
  fn.freed = true;
  const workspace = fn.attrs?.workspace as readonly TypedArray[] | undefined;
  if (workspace === undefined || fn.workspaceShared) return;
  for (const array of workspace) release(array, dtypeOfArray(array)!);
}

/**
 * Sets `t.grad` to null, giving the gradient's storage to the caching allocator when nothing
 * but `t` can hold it: stored by the engine, never read or replaced through `t.grad` since, not
 * shared and not part of a graph (`optimizer.zeroGrad()`: the next backward pass reuses it).
 */
export function dropGrad(t: Tensor): void {
  const g = t._grad;
  t._grad = null;
  if (g === null || t._gradSeen || g.gradFn !== null) return;
  recycle(g, null);
}

/** Whether `t`'s array is its whole buffer (not a window onto a larger one). */
export function ownsBuffer(t: Tensor): boolean {
  const data = t.data;
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
}

/** Adds `g` to the gradient pending for `input`; the two summed are dead after. */
export function addPending(input: Tensor, g: Tensor, createGraph: boolean): void {
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
 * Accumulates `g` into `t.grad`. A gradient stored fresh is seen by nothing else yet, unless it
 * belongs to a graph (`createGraph`): `_gradSeen` says so (tensor.ts).
 */
export function storeGrad(t: Tensor, g: Tensor, createGraph: boolean): void {
  const existing = t._grad;
  if (existing === null) {
    t._grad = createGraph ? g : owned(g);
    t._gradSeen = createGraph;
  } else {
    t._grad = accumulate(existing, g);
    if (createGraph) t._gradSeen = true;
  }
}
