import type { NormLayout } from '../backend/backend.js';
import { backend } from '../backend/index.js';
import { defineRules, record } from '../autograd/node.js';
import { allocate, type TypedArray } from '../tensor/dtype.js';
import { engine } from '../tensor/state.js';
import { Tensor } from '../tensor/tensor.js';
import type { Formulas } from './formula.js';

/*
 * The normalization primitives: batch, layer and group norm are one computation on x viewed as
 * [outer, channels, inner], each channel normalized over its outer·inner elements (batch norm:
 * [N, C, spatial]; layer norm: [1, rows, normalized size]; group norm: [1, N·groups, channels per
 * group·spatial]). One fused primitive per norm (for speed: the forward is one kernel of three
 * passes instead of about eight tensor operations), each named for its norm in graphs. Batch norm
 * also applies its per-channel weight γ and bias β in the same pass; layer and group norm, whose
 * affine parameters do not follow the statistics' channels, apply theirs with mul and add.
 */

/** What a normalization node keeps: the layout and the statistics the forward computed. */
interface NormAttrs {
  layout: NormLayout;
  mean: TypedArray;
  variance: TypedArray;
}

const AXES = [0, 2];

/**
 * The derivative, in tensor operations of x, γ and the upstream gradient g (so that gradients
 * of gradients work): with x̂ = (x − mean)/σ over each channel's elements, σ = √(var + ε),
 * ∂/∂x = (γ/σ)·(g − mean(g) − x̂·mean(g·x̂)) (g scaled by γ first), ∂/∂γ = Σ g·x̂, ∂/∂β = Σ g.
 */
function composedGrads(grad: Tensor, inputs: readonly Tensor[], l: NormLayout): (Tensor | null)[] {
  const [x, w, b] = inputs;
  const shape3 = [l.outer, l.channels, l.inner];
  const xv = x.reshape(shape3);
  const gv = grad.reshape(shape3);
  const xc = xv.sub(xv.mean(AXES, true));
  const rstd = xc.mul(xc).mean(AXES, true).add(l.eps).pow(-0.5);
  const xhat = xc.mul(rstd);
  let dx: Tensor | null = null;
  if (x.requiresGrad) {
    const gw = w === undefined ? gv : gv.mul(w.reshape([1, l.channels, 1]));
    const centred = gw.sub(gw.mean(AXES, true)).sub(xhat.mul(gw.mul(xhat).mean(AXES, true)));
    dx = centred.mul(rstd).reshape(x.shape);
  }
  return [
    dx,
    w?.requiresGrad ? gv.mul(xhat).sum(AXES).reshape(w.shape) : null,
    b?.requiresGrad ? gv.sum(AXES).reshape(b.shape) : null,
  ];
}

/**
 * The same derivative by the `normalizeBackward` kernel (two passes), from the statistics the
 * forward kept. Used when the gradient is not itself recorded (no `createGraph`), which is every
 * ordinary training step.
 */
function kernelGrads(grad: Tensor, inputs: readonly Tensor[], a: NormAttrs): (Tensor | null)[] {
  const [x, w, b] = inputs;
  const c = a.layout.channels;
  const dx = allocate(x.dtype, x.size);
  const dw = allocate(x.dtype, c);
  const db = allocate(x.dtype, c);
  const g = grad.dtype === x.dtype ? grad : grad.to(x.dtype);
  if (x.size > 0)
    backend().normalizeBackward(
      x.data,
      g.data,
      a.layout,
      a.mean,
      a.variance,
      w === undefined ? null : w.data,
      dx,
      dw,
      db,
    );
  return [
    x.requiresGrad ? new Tensor(dx, x.shape) : null,
    w?.requiresGrad ? new Tensor(dw, w.shape) : null,
    b?.requiresGrad ? new Tensor(db, b.shape) : null,
  ];
}

function normVjp(
  grad: Tensor,
  inputs: readonly Tensor[],
  _out: Tensor,
  attrs: NormAttrs,
): (Tensor | null)[] {
  return engine.gradEnabled
    ? composedGrads(grad, inputs, attrs.layout)
    : kernelGrads(grad, inputs, attrs);
}

/**
 * batchNorm(x, γ, β) = (x − mean)/√(var + ε)·γ + β per channel; layerNorm(x) and groupNorm(x)
 * = (x − mean)/√(var + ε) per row or group. See `composedGrads` for the derivative.
 */
export const normRules = defineRules({
  // ∂/∂x = (γ/σ)(g − mean g − x̂·mean(g·x̂)); ∂/∂γ = Σ g·x̂; ∂/∂β = Σ g (over each channel)
  batchNorm: normVjp,
  // ∂/∂x = (1/σ)(g − mean g − x̂·mean(g·x̂)) over each row's normalized elements
  layerNorm: normVjp,
  // ∂/∂x = (1/σ)(g − mean g − x̂·mean(g·x̂)) over each group's elements
  groupNorm: normVjp,
});

export type NormOp = keyof typeof normRules;

const OVER: Record<NormOp, string> = {
  batchNorm: 'over the batch and positions of each channel',
  layerNorm: 'over the normalized dimensions of each row',
  groupNorm: 'over each group of channels and positions',
};

/** The local derivative of a normalization, in the lectures' words. */
function normFormula(op: NormOp): Formulas<NormOp>[NormOp] {
  return ({ self, wrt, a, i }) => {
    const x = a[0];
    const scale = a.length > 1 ? `${a[1]}/σ` : '1/σ';
    const hat = `${x}̂ = (${x} − mean)/σ, σ = √(var + ε)`;
    if (i === 0)
      return {
        formula: `∂${self}ᵢ/∂${x}ⱼ = (${scale})·([i = j] − 1/n − ${x}̂ᵢ·${x}̂ⱼ/n), ${hat}, ${OVER[op]}`,
        rule: `(${scale})·(u − mean(u) − ${x}̂·mean(u·${x}̂)) with u = upstream${a.length > 1 ? `·${a[1]}` : ''}`,
      };
    if (i === 1) return { formula: `${wrt} = ${x}̂ (${hat})`, rule: `Σ upstream·${x}̂ ${OVER[op]}` };
    return { formula: `${wrt} = 1`, rule: `Σ upstream ${OVER[op]}` };
  };
}

/** How the explanations write the rules above. */
export const normDerivatives: Formulas<NormOp> = {
  batchNorm: normFormula('batchNorm'),
  layerNorm: normFormula('layerNorm'),
  groupNorm: normFormula('groupNorm'),
};

/** The result of a normalization primitive and the statistics it computed (length `channels`). */
export interface Normalized {
  out: Tensor;
  mean: TypedArray;
  variance: TypedArray;
}

/**
 * Runs the normalization primitive `op` on x (float32 or float64) read with layout `l`; weight
 * and bias (batch norm only: [channels], x's dtype) are applied in the same pass, and both are
 * given or neither (the caller makes the missing one of ones or zeros).
 */
export function normalizeWith(
  op: NormOp,
  x: Tensor,
  l: NormLayout,
  affine: { weight: Tensor; bias: Tensor } | null,
): Normalized {
  const out = allocate(x.dtype, x.size);
  const mean = allocate(x.dtype, l.channels);
  const variance = allocate(x.dtype, l.channels);
  const w = affine === null ? null : affine.weight.data;
  const b = affine === null ? null : affine.bias.data;
  // An empty input has no statistics (n = 0 is outside the kernel's contract).
  if (x.size > 0) {
    backend().normalize(x.data, l, w, b, out, mean, variance);
  } else {
    mean.fill(NaN);
    variance.fill(NaN);
  }
  const inputs = affine === null ? [x] : [x, affine.weight, affine.bias];
  const t = record(new Tensor(out, x.shape), inputs, normRules[op], { layout: l, mean, variance });
  return { out: t, mean, variance };
}
