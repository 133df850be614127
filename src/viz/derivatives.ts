import type { Derivative } from '../ops/formula.js';
import { derivatives, type PrimitiveName } from '../ops/registry.js';
import { formatNumber } from './dot.js';
import type { TraceNode } from './trace.js';

export type { Derivative } from '../ops/formula.js';

/**
 * The local derivative of `n` with respect to input `i`, as the family file of its primitive writes
 * it beside the rule (`derivatives` of ops/registry.ts).
 */
export function derivativeOf(n: TraceNode, a: string[], i: number, self: string): Derivative {
  const op = n.op ?? '?';
  const wrt = `∂${self}/∂${a[i]}`;
  if (n.attrs?.customOp === true) return customDerivative(n, wrt, op, i);
  const of = Object.hasOwn(derivatives, op) ? derivatives[op as PrimitiveName] : null;
  if (of === null) return { formula: `${wrt} (the vector-Jacobian product of ${op})` };
  return of({
    self,
    a,
    i,
    x: a[i],
    wrt,
    other: a[1 - i],
    attrs: n.attrs ?? {},
    num: formatNumber,
  });
}

/** A custom operation's derivative (`customOp`): the formula text it was given, if any. */
function customDerivative(n: TraceNode, wrt: string, op: string, i: number): Derivative {
  const f = n.attrs?.formula;
  const text = Array.isArray(f) ? (f[i] as string | undefined) : (f as string | undefined);
  return {
    formula: text === undefined ? `${wrt} (the backward written for ${op})` : `${wrt} = ${text}`,
  };
}
