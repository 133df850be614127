import type { PrimitiveName } from '../ops/registry.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatNumber } from './dot.js';
import type { TraceNode } from './trace.js';

/** How the local derivative of one primitive with respect to one input reads. */
export interface Derivative {
  /** The local derivative as a formula, e.g. `∂f/∂q = z`. */
  formula: string;
  /** How the downstream gradient is computed, where it is not upstream × local element by element. */
  rule?: string;
  /** The value the formula names as the local derivative, where the default (the gradient an upstream of ones sends) would not be it. */
  local?: (inputs: readonly Tensor[], out: Tensor) => Tensor;
}

/** What a derivative formula refers to: the operation's display name, its inputs' names, which input, its attributes. */
interface FormulaContext {
  self: string;
  a: string[];
  i: number;
  x: string;
  wrt: string;
  other: string;
  attrs: Readonly<Record<string, unknown>>;
}

const T = (name: string): string => `${name}ᵀ`;

/**
 * The local derivative of every differentiable primitive, in the lectures' words; `null` for
 * those that are not differentiable (they never appear in a backward pass). Typed over the
 * primitive names, so that a new primitive without a formula does not compile.
 */
const DERIVATIVES: Record<PrimitiveName, ((c: FormulaContext) => Derivative) | null> = {
  add: ({ wrt }) => ({ formula: `${wrt} = 1` }),
  sub: ({ wrt, i }) => ({ formula: `${wrt} = ${i === 0 ? '1' : '−1'}` }),
  mul: ({ wrt, other }) => ({ formula: `${wrt} = ${other}` }),
  div: ({ wrt, a, i, x, other }) => ({
    formula: i === 0 ? `${wrt} = 1/${other}` : `${wrt} = −${a[0]}/${x}²`,
  }),
  pow: ({ wrt, a, i }) => ({
    formula:
      i === 0 ? `${wrt} = ${a[1]}·${a[0]}^(${a[1]} − 1)` : `${wrt} = ${a[0]}^${a[1]}·ln ${a[0]}`,
  }),
  neg: ({ wrt }) => ({ formula: `${wrt} = −1` }),
  exp: ({ wrt, x }) => ({ formula: `${wrt} = e^${x}` }),
  log: ({ wrt, x }) => ({ formula: `${wrt} = 1/${x}` }),
  sqrt: ({ wrt, x }) => ({ formula: `${wrt} = 1/(2√${x})` }),
  tanh: ({ wrt, x }) => ({ formula: `${wrt} = 1 − tanh²(${x})` }),
  sigmoid: ({ wrt, x }) => ({ formula: `${wrt} = σ(${x})(1 − σ(${x}))` }),
  relu: ({ wrt, x }) => ({ formula: `${wrt} = 1 if ${x} > 0, else 0` }),
  step: ({ wrt }) => ({ formula: `${wrt} = 0` }),
  abs: ({ wrt, x }) => ({ formula: `${wrt} = sign(${x})` }),
  sign: ({ wrt }) => ({ formula: `${wrt} = 0` }),
  sin: ({ wrt, x }) => ({ formula: `${wrt} = cos(${x})` }),
  cos: ({ wrt, x }) => ({ formula: `${wrt} = −sin(${x})` }),
  erf: ({ wrt, x }) => ({ formula: `${wrt} = (2/√π)·e^(−${x}²)` }),
  powScalar: ({ wrt, x, attrs }) => {
    const p = Number(attrs.exponent);
    return { formula: `${wrt} = ${formatNumber(p)}·${x}^${formatNumber(p - 1)}` };
  },
  cast: ({ wrt }) => ({ formula: `${wrt} = 1` }),
  maximum: ({ wrt, x }) => ({
    formula: `${wrt} = 1 if ${x} is the larger (½ on a tie), else 0`,
  }),
  minimum: ({ wrt, x }) => ({
    formula: `${wrt} = 1 if ${x} is the smaller (½ on a tie), else 0`,
  }),
  where: ({ wrt, a, i }) => ({
    formula: `${wrt} = ${i === 1 ? '1' : '0'} where ${a[0]} holds, else ${i === 1 ? '0' : '1'}`,
  }),
  // The fused derivative primitives (they appear in graphs of gradients): g·(1 − y²), g·y(1 − y), g·[x > 0].
  tanhGrad: ({ wrt, a, i }) => ({
    formula: i === 0 ? `${wrt} = 1 − ${a[1]}²` : `${wrt} = −2·${a[0]}·${a[1]}`,
  }),
  sigmoidGrad: ({ wrt, a, i }) => ({
    formula: i === 0 ? `${wrt} = ${a[1]}(1 − ${a[1]})` : `${wrt} = ${a[0]}(1 − 2${a[1]})`,
  }),
  reluGrad: ({ wrt, a, i }) => ({
    formula: i === 0 ? `${wrt} = 1 if ${a[1]} > 0, else 0` : `${wrt} = 0`,
  }),
  sum: ({ self, x }) => ({ formula: `∂${self}/∂${x}ᵢ = 1` }),
  max: ({ self, x }) => ({
    formula: `∂${self}/∂${x}ᵢ = 1/k for the k elements equal to the maximum, else 0`,
  }),
  min: ({ self, x }) => ({
    formula: `∂${self}/∂${x}ᵢ = 1/k for the k elements equal to the minimum, else 0`,
  }),
  logSoftmax: ({ self, x }) => ({
    formula: `∂${self}ᵢ/∂${x}ⱼ = [i = j] − softmax(${x})ⱼ`,
    rule: `upstream − softmax(${x})·Σ upstream`,
    local: (_inputs, out) => out.exp(),
  }),
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
  isfinite: null,
  clone: null,
  eq: null,
  ne: null,
  lt: null,
  le: null,
  gt: null,
  ge: null,
  argmax: null,
  argmin: null,
};

/** The local derivative of `n` with respect to input `i`. */
export function derivativeOf(n: TraceNode, a: string[], i: number, self: string): Derivative {
  const op = n.op ?? '?';
  const wrt = `∂${self}/∂${a[i]}`;
  const of = Object.hasOwn(DERIVATIVES, op) ? DERIVATIVES[op as PrimitiveName] : null;
  if (of === null) return { formula: `${wrt} (the vector-Jacobian product of ${op})` };
  return of({ self, a, i, x: a[i], wrt, other: a[1 - i], attrs: n.attrs ?? {} });
}
