/**
 * Where the autograd engine gives storage back to the caching allocator (tensor/storage.ts):
 * gradients it knows are dead, the workspaces of used-up nodes, and cleared `.grad`s that nothing
 * outside the library can hold.
 */
import { dtypeOfArray, type TypedArray } from '../tensor/dtype.js';
import { release } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Node } from './node.js';

/**
 * Gives a dead gradient's storage to the caching allocator (tensor/storage.ts): one that nothing
 * else can see (`_shared` marks views, gradients handed to several inputs, stored in a `.grad` or
 * captured, and the caller's seeds), that owns its whole buffer, and whose buffer none of `kept`
 * (the results of the rule that consumed it) reuses.
 */
export function recycle(g: Tensor, kept: readonly (Tensor | null | undefined)[] | null): void {
  if (g._shared || !ownsBuffer(g)) return;
  const buffer = g.data.buffer;
  if (kept !== null) for (const k of kept) if (k?.data.buffer === buffer) return;
  release(g.data, g.dtype);
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
 * Sets `t.grad` to null. When nothing outside the library can hold the gradient (it was never
 * read through `grad`, no other tensor sees its storage, it carries no graph), its storage goes
 * to the caching allocator: the next backward pass writes the new gradient into that warm memory
 * instead of fresh pages (a page's first touch costs more than a small layer's kernel).
 */
export function clearGrad(t: Tensor): void {
  const g = t._grad;
  const seen = t._gradSeen;
  t._grad = null;
  t._gradSeen = false;
  if (g === null || seen || g._shared || g.gradFn !== null || !ownsBuffer(g)) return;
  release(g.data, g.dtype);
}

/** Whether `t`'s array is its whole buffer (not a window onto a larger one). */
export function ownsBuffer(t: Tensor): boolean {
  const data = t.data;
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
}
