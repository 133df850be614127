import type { Derivative, Formulas } from '../ops/formula.js';
import { derivatives, type FormulaFamilyName, type PrimitiveName } from '../ops/registry.js';
import { formatNumber } from './dot.js';
import type { TraceNode } from './trace.js';

export type { Derivative } from '../ops/formula.js';

const T = (name: string): string => `${name}ᵀ`;

/**
 * The local derivative of the primitives whose family file does not keep it beside its rules yet
 * (shape, indexing, matmul), in the lectures' words. The element-wise and reduction families keep
 * theirs in `ops/` (`derivatives` of the registry). Typed over the primitive names together with
 * those, so that a new primitive without a formula does not compile.
 */
const OTHER_DERIVATIVES: Formulas<Exclude<PrimitiveName, FormulaFamilyName>> = {
  reshape: ({ wrt }) => ({ formula: `${wrt} = 1` }),
  permute: ({ wrt }) => ({
    formula: `${wrt} = 1 for each element at its new place`,
    rule: 'upstream permuted back',
  }),
  expand: ({ wrt }) => ({
    formula: `${wrt} = 1 for each copy`,
    rule: 'upstream summed over the copies',
  }),
  slice: ({ wrt }) => ({
    formula: `${wrt} = 1 for the elements taken, 0 for the rest`,
    rule: 'upstream put back where the slice came from, zeros elsewhere',
  }),
  unslice: ({ wrt, x }) => ({
    formula: `${wrt} = 1 where ${x} was placed`,
    rule: `upstream at the place of ${x}`,
  }),
  concat: ({ wrt, x }) => ({
    formula: `${wrt} = 1 on the stretch ${x} fills`,
    rule: `upstream on the stretch ${x} fills`,
  }),
  indexSelect: ({ wrt }) => ({
    formula: `${wrt} = 1 for each selected row (a row selected twice counts twice)`,
    rule: 'upstream rows added back to the rows they were selected from',
  }),
  indexAdd: ({ wrt }) => ({
    formula: `${wrt} = 1 where it was added`,
    rule: 'upstream rows at the indices',
  }),
  gather: ({ wrt }) => ({
    formula: `${wrt} = 1 at the gathered positions, 0 elsewhere`,
    rule: 'upstream placed at the gathered positions, zeros elsewhere',
  }),
  scatterAdd: ({ wrt }) => ({
    formula: `${wrt} = 1 where it was added`,
    rule: 'upstream gathered at the positions',
  }),
  // C = op(A)·op(B), op transposing when transA / transB is set: ∂/∂op(A) = G·op(B)ᵀ, ∂/∂op(B) = op(A)ᵀ·G.
  matmul: ({ wrt, a, i, attrs }) => {
    const [A, B] = a;
    const opA = attrs.transA === true ? T(A) : A;
    const opB = attrs.transB === true ? T(B) : B;
    const opAT = attrs.transA === true ? A : T(A);
    const opBT = attrs.transB === true ? B : T(B);
    if (i === 0)
      return {
        formula: `${wrt} = ${opB} (${opA} is multiplied by it on the right)`,
        rule: attrs.transA === true ? `${opB}·upstreamᵀ` : `upstream·${opBT}`,
        local: ([, b]) => b,
      };
    return {
      formula: `${wrt} = ${opA} (${opB} is multiplied by it on the left)`,
      rule: attrs.transB === true ? `upstreamᵀ·${opA}` : `${opAT}·upstream`,
      local: ([x]) => x,
    };
  },
  // linear(x, W, b) = x·Wᵀ + b, the forward pass of a layer: s = o·Wᵀ + b.
  linear: ({ self, wrt, a, i }) => {
    const [x, W] = a;
    if (i === 0) return { formula: `${wrt} = ${W}`, rule: `upstream·${W}`, local: ([, w]) => w };
    if (i === 1)
      return {
        formula: `∂${self}ᵢ/∂${W}ᵢⱼ = ${x}ⱼ`,
        rule: `upstreamᵀ·${x} (the outer product δ·oᵀ)`,
      };
    return { formula: `${wrt} = 1`, rule: 'Σ upstream over the batch (its rows)' };
  },
};

const DERIVATIVES: Formulas<PrimitiveName> = { ...derivatives, ...OTHER_DERIVATIVES };

/** The local derivative of `n` with respect to input `i`. */
export function derivativeOf(n: TraceNode, a: string[], i: number, self: string): Derivative {
  const op = n.op ?? '?';
  const wrt = `∂${self}/∂${a[i]}`;
  const of = Object.hasOwn(DERIVATIVES, op) ? DERIVATIVES[op as PrimitiveName] : null;
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
