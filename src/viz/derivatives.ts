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
  const of = Object.hasOwn(derivatives, op) ? derivatives[op as PrimitiveName] : null;
  if (of === null) return { formula: `${wrt} (the vector-Jacobian product of ${op})` };
  const d = of({
    self,
    a,
    i,
    x: a[i],
    wrt,
    other: a[1 - i],
    attrs: n.attrs ?? {},
    num: formatNumber,
  });
  return { ...d, formula: tidyFormula(d.formula) };
}

/**
 * A formula as a person would write it: no power 1 (`2·q4^1` → `2·q4`), no factor x^0, 1 or −1
 * (`1·x^0` → `1`, `−1·x^−2` → `−x^−2`), nothing times 0, and no `+ −` or `− −`.
 *
 * @example
 * tidyFormula('∂q5/∂q4 = 2·q4^1'); // '∂q5/∂q4 = 2·q4'
 */
export function tidyFormula(formula: string): string {
  return formula
    .replace(/\^1(?![\d.])/g, '')
    .replace(/·[^\s·=]+\^0(?![\d.])/g, '')
    .replace(/= 0·[^\s=]+/g, '= 0')
    .replace(/= (−?)1·/g, '= $1')
    .replace(/\+ −/g, '− ')
    .replace(/− −/g, '+ ');
}
